import type { PlaygroundExample } from '@salesgraph/platform';

export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Your organization's leads, best scored first; each lead's calls come from the calls
# subgraph and its assigned user from identity.
query Leads {
  leads(first: 10, orderBy: QUALITY_SCORE, direction: DESC) {
    totalCount
    nodes {
      id
      name
      phone
      status
      source
      qualityScore
      assignedUser {
        username
      }
      calls(first: 3) {
        status
        startedAt
      }
    }
  }
}
`,
    },
  ];
}
