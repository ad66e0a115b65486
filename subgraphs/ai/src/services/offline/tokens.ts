// Token counts and stream pieces for offline answers: no tokenizer is bundled, so usage is an estimate that is
// close enough for quotas and usage reports (tokenizers spend about 4 Latin or 2.5 Cyrillic characters per token).

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Estimated tokens: Cyrillic characters / 2.5 plus all other characters / 4, rounded up; 0 only for "". */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let cyrillic = 0;
  let other = 0;
  for (const char of text) {
    if (CYRILLIC.test(char)) cyrillic++;
    else other++;
  }
  return Math.max(1, Math.ceil(cyrillic / 2.5 + other / 4));
}

/**
 * Word-sized pieces to stream, each a word with the whitespace after it (the first also takes any leading
 * whitespace), so `splitIntoChunks(t).join('') === t`. Whitespace-only text is one piece; "" has none.
 */
export function splitIntoChunks(text: string): string[] {
  if (text.length === 0) return [];
  const pieces = text.match(/\S+\s*/gu);
  if (pieces === null) return [text];
  const leading = text.slice(0, text.length - pieces.join('').length);
  if (leading.length > 0) pieces[0] = leading + pieces[0];
  return pieces;
}
