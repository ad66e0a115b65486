import type { PlaygroundExample } from '@salesgraph/platform';

export function playgroundExamples(): PlaygroundExample[] {
  return [
    {
      query: `# Asks the AI assistant. Without an OpenAI-compatible provider configured, the built-in
# offline model answers; usage and cost are recorded either way (aiUsage).
mutation AskTheAssistant($question: String!) {
  createChatCompletion(input: { messages: [{ role: USER, content: $question }] }) {
    model
    provider
    content
    promptTokens
    completionTokens
    cost
  }
}
`,
      variables: { question: 'How do I follow up a lead who missed a call?' },
    },
  ];
}
