// Text helpers shared by the offline algorithms: language detection, tokens, sentences, a light stemmer and stop words.
// Deliberately crude and predictable: every result must be explainable from the input alone.

export type Language = 'RU' | 'EN';

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LETTER = /\p{L}/u;

/** Share of Cyrillic letters among all letters (0 when there are no letters). */
export function cyrillicShare(text: string): number {
  let letters = 0;
  let cyrillic = 0;
  for (const char of text) {
    if (!LETTER.test(char)) continue;
    letters++;
    if (CYRILLIC.test(char)) cyrillic++;
  }
  return letters === 0 ? 0 : cyrillic / letters;
}

/**
 * RU when at least 30 % of the letters are Cyrillic: Russian speech often carries Latin brand and product names,
 * while English text rarely carries Cyrillic. `fallback` decides text without letters.
 */
export function detectLanguage(text: string, fallback: Language = 'EN'): Language {
  if (!LETTER.test(text)) return fallback;
  return cyrillicShare(text) >= 0.3 ? 'RU' : 'EN';
}

/** Lower case, `ё` as `е` and typographic apostrophes as `'`, so lexicons need one spelling. */
export function normalize(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е').replaceAll('’', "'");
}

const WORD = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;

/** The words of a text, normalized (apostrophes and inner hyphens stay part of the word: "don't", "из-за"). */
export function words(text: string): string[] {
  return normalize(text).match(WORD) ?? [];
}

/** Sentences (or lines): ends at . ! ? … followed by space, or at a line break. Empty pieces are dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\r?\n+/u)
    .map((s) => s.trim())
    .filter((s) => LETTER.test(s));
}

/** A list written as one space-separated string, which keeps long lexicons readable. */
export function wordList(list: string): readonly string[] {
  return list.trim().split(/\s+/u);
}

// Longest first: the first ending that fits is removed.
const RU_ENDINGS = wordList(
  'ться тся ами ями ого его ому ему ыми ими ешь ишь ая яя ое ее ые ие ый ий ой ом ем ах ях ов ев ей ую юю ть ет ит ут ют ат ят а я о е ы и у ю ь й',
);
const EN_SUFFIXES = ['ing', 'ed', 'es', 's', 'ly'];
const STEM_LENGTH = 6;

/**
 * A light stem: common Russian endings or English suffixes removed (keeping at least three letters), then cut to
 * six letters, so "цена"/"цены"/"ценой" and "delivery"/"delivered" meet. Not a real morphology; good enough for
 * overlap counting.
 */
export function stem(word: string): string {
  let w = normalize(word);
  if (CYRILLIC.test(w)) {
    const ending = RU_ENDINGS.find((e) => w.endsWith(e) && w.length - e.length >= 3);
    if (ending !== undefined) w = w.slice(0, -ending.length);
  } else {
    w = w.replace(/'s$/u, '');
    const suffix = EN_SUFFIXES.find((s) => w.endsWith(s) && w.length - s.length >= 3);
    if (suffix !== undefined) w = w.slice(0, -suffix.length);
    if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  }
  return w.slice(0, STEM_LENGTH);
}

// Function words that carry no topic: matching on them would make every sentence look relevant.
const STOP_WORDS = new Set(
  (
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня ' +
    'еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там ' +
    'потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже ' +
    'себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее ' +
    'сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас ' +
    'про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой ' +
    'им более всегда конечно всю между это ваш ваша ваше ваши вашей вашего наш наша наше наши нашей нашего мой ' +
    'какие каков какова сколько скажите подскажите пожалуйста здравствуйте привет добрый день вечер утро спасибо ' +
    'давайте давай алло ага угу ладно ' +
    'a an the and or but if then else of at by for with about against between into through during before after ' +
    'above below to from up down in out on off over under again further once here there when where why how all any ' +
    'both each few more most other some such no nor not only own same so than too very can will just should now ' +
    'i me my myself we our ours you your yours he him his she her it its they them their what which who whom this ' +
    'that these those am is are was were be been being have has had having do does did doing would could shall ' +
    'may might must please tell hi hello hey thanks thank let know want like get'
  ).split(' '),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(normalize(word));
}

/** The distinct stems of content words (stop words and one-letter words left out), from a text or its words. */
export function contentStems(text: string | string[]): Set<string> {
  return new Set((typeof text === 'string' ? words(text) : text).filter((w) => w.length > 1 && !isStopWord(w)).map(stem));
}

/** A lexicon entry: `word*` matches any word starting with `word` (Russian forms, English inflections), else exactly. */
export function matchesEntry(word: string, entry: string): boolean {
  return entry.endsWith('*') ? word.startsWith(entry.slice(0, -1)) : word === entry;
}

/** Rounds to `digits` decimals (a number, not toFixed's string); never answers -0. */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
