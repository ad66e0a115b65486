/**
 * Whether a client's message asks for a person rather than the assistant ("позовите оператора", "соедините с
 * менеджером", "I want a human", "agent please"): then the assistant hands the dialog over instead of replying.
 * Russian and English; a word's forms count ("оператора", "менеджеру", "живого человека").
 */
const ASKS_FOR_PERSON: readonly RegExp[] = [
  /(?<!\p{L})оператор/u,
  /(?<!\p{L})менеджер/u,
  /(?<!\p{L})жив\p{L}*\s+человек/u,
  /(?<!\p{L})позов\p{L}*[\s,]+(?:\p{L}+[\s,]+)?человек/u,
  /(?<!\p{L})соедини(?:те)?[\s,]+(?:\p{L}+[\s,]+){0,2}?с(?!\p{L})/u,
  /\bhumans?\b/u,
  /\boperators?\b/u,
  /\b(?:real|live)\s+person\b/u,
  /\bagent[\s,!.]*please\b/u,
];

export function asksForPerson(text: string): boolean {
  const normalized = text.toLowerCase().replace(/ё/g, 'е');
  return ASKS_FOR_PERSON.some((pattern) => pattern.test(normalized));
}
