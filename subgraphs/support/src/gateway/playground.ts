import type { PlaygroundExample } from '@salesgraph/platform';

export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Support tickets you may see, with their deadlines; requester and assignee are
# identity's users.
query Tickets {
  tickets(first: 10) {
    totalCount
    nodes {
      id
      subject
      status
      priority
      department
      overdue
      resolutionDueAt
      requester {
        username
      }
      assignee {
        username
      }
    }
  }
}
`,
    },
  ];
}
