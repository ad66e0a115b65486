// Lexicon-based analysis of a call transcript (Russian or English): sentiment from word lists with negation, topics
// from keyword stems, an extractive summary, next steps from commitment phrases and key phrases from word runs.
// Every output can be traced back to words of the transcript.
import { clamp, detectLanguage, isStopWord, matchesEntry, normalize, roundTo, sentences, wordList, words, type Language } from './text.js';

export type CallSentiment = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
export type CallTopic = 'price' | 'delivery' | 'support' | 'contract' | 'demo' | 'competitor' | 'complaint' | 'payment';

export interface CallAnalysisResult {
  language: Language;
  /** The two most informative sentences of the transcript, in its order and language, at most 400 characters. */
  summary: string;
  sentiment: CallSentiment;
  /** −1..1, two decimals. */
  sentimentScore: number;
  /** Topics mentioned, the most mentioned first. */
  topics: CallTopic[];
  /** Imperatives for the manager. */
  nextSteps: string[];
  keyPhrases: string[];
}

// Lexicons: `stem*` matches the words starting with it (Russian cases and verb forms, English inflections); a word
// without `*` matches exactly, where a prefix would catch unrelated words ("late" → "later", "рад" → "радио").
const POSITIVE: Readonly<Record<Language, readonly string[]>> = {
  RU: wordList(
    'хорош* отличн* прекрасн* замечательн* нрав* понрав* спасиб* благодар* доволен довольн* удобн* интересн* заинтересов* рад рада рады супер класс выгодн* согласен согласн* устраива* полезн* помогл* быстро нормальн* подходит подойдет работает работают нравится впечатл*',
  ),
  EN: wordList(
    'good great excellent perfect love* liked happy glad thank* interest* helpful useful awesome amazing impress* convenient easy agree* works working satisf* pleas* excit* fantastic nice wonderful fast quick* fine okay ok exactly appreciat*',
  ),
};
const NEGATIVE: Readonly<Record<Language, readonly string[]>> = {
  RU: wordList(
    'плох* ужасн* дорог* дорого медлен* задерж* опозд* проблем* жалоб* жалу* недоволен недовольн* разочаров* неудобн* слома* брак* ошибк* долго хуже обман* груб* отказ* отмен* возмущ* кошмар* безобраз* претензи* сложно непонятн* невозможн*',
  ),
  EN: wordList(
    'bad terrible awful expensive overpriced slow* delay* problem* issue* complain* disappoint* unhappy broken wrong error* refund* angry frustrat* worse worst poor* cancel* difficult confus* unacceptable annoy* fail* late',
  ),
};
const NEGATIONS: Readonly<Record<Language, readonly string[]>> = {
  RU: wordList('не нет ни без никак нисколько'),
  EN: wordList("not no never without don't doesn't didn't isn't wasn't aren't won't can't cannot haven't nothing"),
};
const INTENSIFIERS: Readonly<Record<Language, readonly string[]>> = {
  RU: wordList('очень слишком совсем крайне абсолютно вообще так настолько'),
  EN: wordList('very too really extremely absolutely so totally quite'),
};
/**
 * Words that mostly just acknowledge ("Хорошо.", "Fine.", "OK"): they count only when negated or intensified
 * ("не очень хорошо", "not fine", "очень хорошо"), else a polite call would always look positive.
 */
const ACKNOWLEDGEMENTS: Readonly<Record<Language, readonly string[]>> = {
  RU: ['хорошо', 'нормально'],
  EN: ['fine', 'ok', 'okay'],
};
/** A negation reaches this many words ahead ("не очень хорошо", "not really that good"). */
const NEGATION_REACH = 3;

const TOPICS: Readonly<Record<CallTopic, Readonly<Record<Language, readonly string[]>>>> = {
  price: {
    RU: wordList('цен* стоимост* дорог* дешев* скидк* прайс* тариф* бюджет*'),
    EN: wordList('price* pricing cost* expensive overpriced cheap* discount* budget* quote* tariff*'),
  },
  delivery: {
    RU: wordList('доставк* доставл* достав* курьер* отгрузк* привез* привоз* посылк*'),
    EN: wordList('deliver* shipping shipment* shipped courier* parcel* dispatch*'),
  },
  support: {
    RU: ['поддержк*', 'техподдержк*', 'помощ*', 'настройк*', 'инструкц*'],
    EN: wordList('support* assist* setup troubleshoot* onboarding helpdesk'),
  },
  contract: {
    RU: ['договор*', 'контракт*', 'подпис*', 'соглашени*', 'оферт*'],
    EN: wordList('contract* agreement* sign signed signing terms nda'),
  },
  demo: {
    RU: ['демо*', 'демонстрац*', 'презентац*', 'показ*', 'тестов*'],
    EN: wordList('demo* demonstration* presentation* walkthrough trial* showcase'),
  },
  competitor: {
    RU: ['конкурент*', 'аналог*', 'альтернатив*'],
    EN: ['competitor*', 'rival*', 'alternative*', 'vendor*', 'elsewhere'],
  },
  complaint: {
    RU: wordList('жалоб* жалу* претензи* недоволен недовольн* возврат* верните брак* возмущ*'),
    EN: wordList('complain* complaint* refund* unacceptable dissatisf* unhappy'),
  },
  payment: {
    RU: wordList('оплат* платеж* заплат* плачу платим счет счета счете рассрочк* предоплат* перевод*'),
    EN: wordList('pay paid paying payment* invoice* installment* billing prepay*'),
  },
};

/** A next step: a commitment pattern (a regular expression on the normalized sentence) and what the manager should do. */
interface Commitment {
  pattern: RegExp;
  step: Readonly<Record<Language, string>>;
}

// Ordered by how concrete the step is; each pattern gives at most one step.
const COMMITMENTS: readonly Commitment[] = [
  { pattern: /перезвон|call (you |them |me )?back|ring (you |me )?back/u, step: { RU: 'Перезвонить клиенту', EN: 'Call the client back' } },
  {
    pattern: /отправ(лю|им|ьте|ите)|пришл(ю|ем|ите)|вышл(ю|ем|ите)|\bsend\b|\bsending\b|\bemail (you|them|over)\b/u,
    step: { RU: 'Отправить клиенту обещанные материалы', EN: 'Send the client the promised materials' },
  },
  {
    pattern: /коммерческ\S* предложени|(?<!\p{L})кп(?!\p{L})|\bquote\b|\bproposal\b/u,
    step: { RU: 'Подготовить коммерческое предложение', EN: 'Prepare a commercial proposal' },
  },
  {
    pattern: /(?<!\p{L})договор(а|у|ом|е|ы|ов)?(?!\p{L})|контракт|подпиш|подписа(ть|ние|нию|нии)|\bcontract\b|\bagreement\b|\bsign\b/u,
    step: { RU: 'Подготовить договор и согласовать подписание', EN: 'Prepare the contract and agree on signing' },
  },
  // A demo only as something still to do ("покажем демо", "set up a demo"), not one that just took place.
  {
    pattern:
      /(провед[еу]\S*|покаж\S*|показать|организ\S*|устро\S*|назнач\S*)\s+(\S+\s+){0,2}(демо|демонстрац|презентац)|\b(set up|book|arrange|schedule|run|do|give|show)\s+(\S+\s+){0,2}(demo|presentation|walkthrough)/u,
    step: { RU: 'Провести демонстрацию', EN: 'Run the demo' },
  },
  {
    pattern: /встреч|созвон|назнач|\bschedul|\bmeet(ing)?\b|\bbook a (call|time|slot)\b/u,
    step: { RU: 'Назначить встречу и отправить приглашение', EN: 'Schedule the meeting and send an invitation' },
  },
  {
    pattern: /(?<!\p{L})счет|оплат|\binvoice\b|\bpayment\b/u,
    step: { RU: 'Выставить счёт и проконтролировать оплату', EN: 'Issue the invoice and follow up on payment' },
  },
  {
    pattern: /подума(ю|ем|ет)|посоветуюсь|обсуд(им|ят) внутри|\bthink (it )?over\b|\bthink about it\b|\bget back to you\b/u,
    step: { RU: 'Дождаться решения клиента и напомнить о себе', EN: 'Wait for the client’s decision, then follow up' },
  },
];

const WEEKDAYS: Readonly<Record<Language, readonly string[]>> = {
  RU: wordList('понедельник вторник среду среда четверг пятницу пятница субботу суббота воскресенье'),
  EN: wordList('monday tuesday wednesday thursday friday saturday sunday'),
};
const DATE_WORDS: Readonly<Record<Language, readonly string[]>> = {
  RU: ['сегодня', 'завтра', 'послезавтра', 'на этой неделе', 'на следующей неделе', 'в течение дня', 'до конца недели'],
  EN: ['today', 'tomorrow', 'tonight', 'this week', 'next week', 'end of the week', 'end of day'],
};

const PRESENT_DAYS = ['сегодня', 'today', 'tonight'];
const SUMMARY_SENTENCES = 2;
const SUMMARY_MAX_CHARS = 400;
const KEY_PHRASES = 5;
const POSITIVE_FROM = 0.2;
const NEGATIVE_UPTO = -0.2;

/** Analyzes a call transcript; throws a RangeError for empty text. */
export function analyzeCall(text: string): CallAnalysisResult {
  if (text.trim().length === 0) throw new RangeError('The call text is empty: there is nothing to analyze.');
  const language = detectLanguage(text);
  const tokens = words(text);
  const { score } = sentimentOf(text, language);
  const sentiment: CallSentiment = score >= POSITIVE_FROM ? 'POSITIVE' : score <= NEGATIVE_UPTO ? 'NEGATIVE' : 'NEUTRAL';
  const topics = topicsOf(tokens, language);
  return {
    language,
    summary: summarize(text, language),
    sentiment,
    sentimentScore: score,
    topics,
    nextSteps: nextStepsOf(text, language, sentiment, topics),
    keyPhrases: keyPhrasesOf(text),
  };
}

const inLexicon = (word: string, lexicon: readonly string[]) => lexicon.some((entry) => matchesEntry(word, entry));

/**
 * Sentiment: +1 per positive word and −1 per negative one (×1.5 after an intensifier), the sign flipped when a
 * negation came up to three words before in the same clause ("не дорого", "no problem"; but "Нет, это дорого" stays
 * negative: punctuation ends a negation's reach). The score is the sum over the number of sentiment words plus one,
 * so one word gives ±0.5 and only many agreeing words approach ±1.
 */
function sentimentOf(text: string, language: Language): { score: number; hits: number } {
  let sum = 0;
  let hits = 0;
  for (const clause of text.split(/[,.;:!?…()—–\n]+/u)) {
    let negatedUntil = -1;
    let intensified = false;
    words(clause).forEach((word, i) => {
      if (NEGATIONS[language].includes(word) || (language === 'EN' && word.endsWith("n't"))) {
        negatedUntil = i + NEGATION_REACH;
        return;
      }
      if (INTENSIFIERS[language].includes(word)) {
        intensified = true;
        return;
      }
      const polarity = inLexicon(word, NEGATIVE[language]) ? -1 : inLexicon(word, POSITIVE[language]) ? 1 : 0;
      const negated = i <= negatedUntil;
      if (polarity !== 0 && ACKNOWLEDGEMENTS[language].includes(word) && !negated && !intensified) {
        intensified = false;
        return;
      }
      if (polarity !== 0) {
        sum += (negated ? -polarity : polarity) * (intensified ? 1.5 : 1);
        hits++;
        // A negation flips only the next sentiment word.
        negatedUntil = -1;
      }
      intensified = false;
    });
  }
  return { score: roundTo(clamp(sum / (hits + 1), -1, 1), 2), hits };
}

function topicHits(tokens: string[], language: Language): Map<CallTopic, number> {
  const hits = new Map<CallTopic, number>();
  for (const topic of Object.keys(TOPICS) as CallTopic[]) {
    const lexicon = TOPICS[topic][language];
    const count = tokens.filter((w) => inLexicon(w, lexicon)).length;
    if (count > 0) hits.set(topic, count);
  }
  return hits;
}

function topicsOf(tokens: string[], language: Language): CallTopic[] {
  return [...topicHits(tokens, language).entries()].sort((a, b) => b[1] - a[1]).map(([topic]) => topic);
}

/**
 * The two sentences that carry the most: 2 points per topic word, 1 per sentiment word, 2 for a commitment or a
 * date, and a small bonus for length (up to 1 point at 12 content words) so that "Да." never wins a tie.
 */
function summarize(text: string, language: Language): string {
  const all = sentences(text);
  const scored = all.map((sentence, index) => {
    const tokens = words(sentence);
    const topics = [...topicHits(tokens, language).values()].reduce((a, b) => a + b, 0);
    const feelings = sentimentOf(sentence, language).hits;
    const normalized = normalize(sentence);
    const commits = COMMITMENTS.some((c) => c.pattern.test(normalized)) || dateIn(normalized, language) !== null ? 1 : 0;
    const content = tokens.filter((w) => !isStopWord(w)).length;
    return { sentence, index, weight: 2 * topics + feelings + 2 * commits + Math.min(1, content / 12) };
  });
  const chosen = [...scored]
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .slice(0, SUMMARY_SENTENCES)
    .sort((a, b) => a.index - b.index)
    .map((s) => s.sentence.replace(/\s+/gu, ' '));
  return truncate(chosen.join(' '), SUMMARY_MAX_CHARS);
}

/** Cut at a word boundary with an ellipsis when longer than `max` characters. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.—-]+$/u, '')}…`;
}

function dateIn(normalized: string, language: Language): string | null {
  const padded = ` ${normalized.replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const found = [...DATE_WORDS[language], ...WEEKDAYS[language]].find((d) => padded.includes(` ${d} `));
  if (found === undefined) return null;
  // Russian weekdays come in the accusative after "в" ("в пятницу"); the step reads "в пятницу" too.
  return language === 'RU' && WEEKDAYS.RU.includes(found) ? `в ${found}` : found;
}

/**
 * Next steps: one per commitment pattern found, with the date said in the same sentence ("завтра", "on Friday").
 * Without any, a default from the call's mood and topics: a complaint or a negative call needs the issue resolved,
 * a positive one an offer, anything else a follow-up.
 */
function nextStepsOf(text: string, language: Language, sentiment: CallSentiment, topics: CallTopic[]): string[] {
  const steps: string[] = [];
  const seen = new Set<Commitment>();
  for (const sentence of sentences(text)) {
    const normalized = normalize(sentence);
    const date = dateIn(normalized, language);
    for (const commitment of COMMITMENTS) {
      if (seen.has(commitment) || !commitment.pattern.test(normalized)) continue;
      seen.add(commitment);
      steps.push(date === null ? commitment.step[language] : `${commitment.step[language]} ${language === 'EN' ? onDate(date) : date}`);
    }
    // "Today" often tells when something happened ("thanks for the demo today"); a later day is a plan.
    if (date !== null && steps.length === 0 && !PRESENT_DAYS.includes(date)) {
      // A date with no recognised verb ("Давайте завтра", "Tomorrow at 10 then"): still a time to get back to them.
      steps.push(language === 'RU' ? `Связаться с клиентом ${date}` : `Contact the client ${onDate(date)}`);
    }
  }
  if (steps.length > 0) return steps;
  if (topics.includes('complaint') || sentiment === 'NEGATIVE') {
    return [
      language === 'RU'
        ? 'Разобраться с претензией клиента и перезвонить ему с решением'
        : 'Resolve the client’s concern and call back with a solution',
    ];
  }
  if (sentiment === 'POSITIVE') {
    return [
      language === 'RU'
        ? 'Отправить клиенту предложение и договориться о следующем шаге'
        : 'Send the client an offer and agree on the next step',
    ];
  }
  return [
    language === 'RU' ? 'Связаться с клиентом повторно и уточнить его потребности' : 'Follow up with the client to clarify their needs',
  ];
}

const onDate = (date: string) => (WEEKDAYS.EN.includes(date) ? `on ${date.charAt(0).toUpperCase()}${date.slice(1)}` : date);

/**
 * Key phrases: runs of up to three content words between stop words and punctuation. A phrase ranks by how often
 * the call returns to its words (their mean frequency), how often it repeats itself, and half a point per extra
 * word (a specific phrase says more than a lone word); ties by first appearance. Short words and numbers are left out.
 */
function keyPhrasesOf(text: string): string[] {
  const runs: string[][] = [];
  for (const sentence of sentences(text)) {
    // A speaker label ("Клиент:", "Agent:") names who talks, not what about.
    const said = sentence.replace(/^\p{L}+(?:\s\p{L}+)?:\s+/u, '');
    for (const part of said.split(/[,;:()"«»—–]+/u)) {
      let run: string[] = [];
      for (const word of words(part)) {
        if (isStopWord(word) || word.length < 3 || /^\p{N}+$/u.test(word)) {
          if (run.length > 0) runs.push(run);
          run = [];
        } else {
          run.push(word);
          if (run.length === 3) {
            runs.push(run);
            run = [];
          }
        }
      }
      if (run.length > 0) runs.push(run);
    }
  }
  const frequency = new Map<string, number>();
  for (const word of runs.flat()) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const occurrences = new Map<string, { run: string[]; count: number }>();
  for (const run of runs) {
    const phrase = run.join(' ');
    const seen = occurrences.get(phrase);
    if (seen === undefined) occurrences.set(phrase, { run, count: 1 });
    else seen.count++;
  }
  return [...occurrences.entries()]
    .map(([phrase, { run, count }], order) => {
      const meanFrequency = run.reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0) / run.length;
      return { phrase, weight: meanFrequency + 0.5 * (run.length - 1) + (count - 1), order };
    })
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, KEY_PHRASES)
    .map((p) => p.phrase);
}
