// Placeholder until the offline provider's modules land.
export function groundedReply(input: {
  systemPrompt: string;
  personaName: string | null;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}): { content: string; grounded: boolean } {
  return { content: `${input.personaName ?? ''}`, grounded: false };
}
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);
export const splitIntoChunks = (text: string) => text.split(/(?<=\s)/);
