import type { PlaygroundExample } from '@salesgraph/platform';

export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Sales funnels: their stages and the AI assistant that works each stage.
query Funnels {
  funnels {
    id
    displayName
    isActive
    stages {
      position
      name
      assistantName
      followUpsCount
    }
  }
}
`,
    },
  ];
}
