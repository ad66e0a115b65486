// A chat reply without a model: the answer is one or two sentences quoted from the system prompt (the persona or
// funnel-stage prompt written by the team), chosen by the word stems they share with the client's last message.
// Nothing is generated, so nothing can be invented; when no sentence matches, the reply says so and hands over to a person.
import { contentStems, detectLanguage, normalize, sentences, words, type Language } from './text.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GroundedReplyInput {
  systemPrompt: string;
  personaName: string | null;
  messages: ChatMessage[];
  /** The reply's language; by default the last user message's (or the prompt's, when that has no letters). */
  language?: Language;
}

export interface GroundedReply {
  content: string;
  /** True when the reply quotes the prompt; false for a bare greeting or the hand-over to a person. */
  grounded: boolean;
  /** True when nothing in the prompt answers and the reply says a person will. */
  handOver: boolean;
}

const GREETINGS = new Set([
  'привет',
  'здравствуйте',
  'здравствуй',
  'здрасте',
  'добрый',
  'доброе',
  'доброго',
  'салам',
  'сәлеметсіз',
  'сәлем',
  'hello',
  'hi',
  'hey',
  'good',
  'greetings',
]);
/** "good" greets only before these ("good morning"), "добрый" and "доброе" before a time of day. */
const GREETING_SECOND = new Set(['morning', 'afternoon', 'evening', 'day', 'день', 'вечер', 'утро', 'дня', 'времени', 'суток']);

// Sentences that instruct the model rather than inform the client: quoting them back would be odd or leak the prompt's rules.
const INSTRUCTION =
  /^(you are|you're|act as|your (task|role|goal|job)|as an? (ai|assistant|bot)|answer|respond|reply|do not|don't|never|always|ты(?!\p{L})|тебе(?!\p{L})|твоя (задача|роль|цель)|ваша (задача|роль)|отвечай|отвечайте|не придумывай|не выдумывай|никогда|всегда|представься|будь(?!\p{L}))/u;

const REPLIES: Readonly<Record<Language, { hello: string; greeting: string; handOver: string }>> = {
  RU: {
    hello: 'Здравствуйте!',
    greeting: 'Здравствуйте! Чем могу помочь?',
    handOver: 'Спасибо за вопрос! Это автоматический ответ: точной информации по нему у меня нет, поэтому вам ответит менеджер.',
  },
  EN: {
    hello: 'Hello!',
    greeting: 'Hello! How can I help you?',
    handOver:
      "Thank you for your question! This is an automatic reply: I don't have the exact information, so a manager will get back to you.",
  },
};

/** How many words of the greeting the message opens with ("Здравствуйте" 1, "Добрый день" and "Good morning" 2), or 0. */
function greetingLength(message: string[]): number {
  const [first, second] = message;
  if (first === undefined || !GREETINGS.has(first)) return 0;
  if (first !== 'good' && first !== 'добрый' && first !== 'доброе' && first !== 'доброго') return 1;
  return second !== undefined && GREETING_SECOND.has(second) ? 2 : 0;
}

/** A prompt sentence as the client should see it: without list markers or markdown emphasis. */
function tidy(sentence: string): string {
  return sentence
    .replace(/^\s*(?:[-*•–—]+|\d+[.)])\s*/u, '')
    .replace(/[*_`#]+/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The 1–2 prompt sentences closest to the question: a sentence scores the shared stems, each weighted by how rare
 * it is among the prompt's sentences (a word in every sentence, like the company's name, decides nothing). The
 * second sentence is added only when it scores at least half the best one. They come back in the prompt's order.
 */
function matchingSentences(prompt: string, asked: Set<string>): string[] {
  const candidates = sentences(prompt)
    .map(tidy)
    .filter((s) => s.length > 0 && !INSTRUCTION.test(normalize(s)))
    .map((text, index) => ({ text, index, stems: contentStems(text) }));
  if (candidates.length === 0 || asked.size === 0) return [];
  const documentFrequency = new Map<string, number>();
  for (const { stems } of candidates) for (const s of stems) documentFrequency.set(s, (documentFrequency.get(s) ?? 0) + 1);
  const rarity = (s: string) => Math.log(1 + candidates.length / (documentFrequency.get(s) ?? candidates.length));
  const scored = candidates
    .map((c) => ({ ...c, score: [...asked].filter((s) => c.stems.has(s)).reduce((sum, s) => sum + rarity(s), 0) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  if (scored.length === 0) return [];
  const chosen = scored.slice(0, 2).filter((c, i) => i === 0 || c.score >= scored[0].score / 2);
  return chosen.sort((a, b) => a.index - b.index).map((c) => c.text);
}

/** Answers the last user message from the system prompt alone; same input, same reply. */
export function groundedReply(input: GroundedReplyInput): GroundedReply {
  const question = input.messages.findLast((m) => m.role === 'user')?.content ?? '';
  const language = input.language ?? detectLanguage(question, detectLanguage(input.systemPrompt, 'EN'));
  const persona = input.personaName?.trim();
  const signed = (text: string) => (persona !== undefined && persona.length > 0 ? `${persona}: ${text}` : text);

  const said = words(question);
  const greets = greetingLength(said);
  // The greeting's own words are not part of the question ("Good morning" must not match "open in the morning").
  const asked = contentStems(said.slice(greets));
  const answer = matchingSentences(input.systemPrompt, asked);
  if (answer.length > 0) {
    const body = answer.join(' ');
    return { content: signed(greets > 0 ? `${REPLIES[language].hello} ${body}` : body), grounded: true, handOver: false };
  }
  // A greeting (or an empty message) with nothing else to answer is greeted back; anything else goes to a person.
  const onlyGreeting = asked.size === 0 && (greets > 0 || question.trim().length === 0);
  return {
    content: signed(onlyGreeting ? REPLIES[language].greeting : REPLIES[language].handOver),
    grounded: false,
    handOver: !onlyGreeting,
  };
}
