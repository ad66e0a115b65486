import type { PlaygroundExample } from '@salesgraph/platform';

/** The playground's tab for this subgraph: keep it running as the first admin against a fresh database. */
export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Your organization's __name__ notes, newest first.
query __Name__Notes {
  __name__Notes(first: 10) {
    totalCount
    nodes {
      id
      title
      authorId
      createdAt
    }
  }
}
`,
    },
  ];
}
