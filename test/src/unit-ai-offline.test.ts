import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HOT_SCORE,
  LEAD_SCORE_WEIGHTS,
  WARM_SCORE,
  analyzeCall,
  categoryOf,
  draftEmail,
  estimateTokens,
  forecastRevenue,
  groundedReply,
  scoreLead,
  splitIntoChunks,
  type EmailDraftInput,
  type EmailLanguage,
  type EmailPurpose,
  type EmailTone,
  type LeadFacts,
} from '@salesgraph/ai';

const NOW = new Date('2026-03-18T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** A middling lead; tests change one fact at a time. */
const lead = (facts: Partial<LeadFacts> = {}): LeadFacts => ({
  budget: 50_000,
  source: 'WEBSITE',
  status: 'CONTACTED',
  email: 'aigerim@example.kz',
  phone: '+7 701 123 45 67',
  company: 'Alpha LLP',
  createdAt: daysAgo(20),
  lastActivityAt: daysAgo(3),
  inboundMessages: 2,
  outboundMessages: 3,
  ...facts,
});

describe('offline ai: lead scoring (unit)', () => {
  it('documents weights that sum to 1, and every factor uses its weight', () => {
    const weights = Object.values(LEAD_SCORE_WEIGHTS);
    assert.equal(weights.length, 6);
    assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const { factors } = scoreLead(lead(), NOW);
    assert.deepEqual(
      factors.map((f) => f.name),
      ['budget', 'source', 'status', 'engagement', 'recency', 'contactability'],
    );
    for (const f of factors) {
      assert.equal(f.weight, LEAD_SCORE_WEIGHTS[f.name]);
      assert.ok(f.value >= 0 && f.value <= 1, `${f.name} value in 0..1`);
      assert.ok(Math.abs(f.points - f.weight * f.value * 100) <= 0.06, `${f.name} points are weight × value × 100`);
      assert.equal(f.points, Math.round(f.points * 10) / 10, 'points rounded to 0.1');
      assert.ok(f.reason.length > 0);
    }
  });

  it('scores the rounded sum of the points, an integer 0–100, with reasons naming the data', () => {
    const scoring = scoreLead(lead({ budget: 250_000 }), NOW);
    assert.equal(scoring.score, Math.round(scoring.factors.reduce((s, f) => s + f.points, 0)));
    assert.ok(Number.isInteger(scoring.score) && scoring.score >= 0 && scoring.score <= 100);
    const reasons = new Map(scoring.factors.map((f) => [f.name, f.reason]));
    assert.equal(reasons.get('budget'), 'budget 250000 is in the top band (≥ 200000)');
    assert.match(reasons.get('source') ?? '', /WEBSITE/u);
    assert.match(reasons.get('status') ?? '', /CONTACTED/u);
    assert.match(reasons.get('engagement') ?? '', /2 messages/u);
    assert.match(reasons.get('recency') ?? '', /3 days ago/u);
    assert.match(scoring.summary, new RegExp(`^Score ${scoring.score}/100 \\(${scoring.category}\\)`, 'u'));
  });

  it('is deterministic', () => {
    assert.deepEqual(scoreLead(lead(), NOW), scoreLead(lead(), new Date(NOW)));
  });

  it('a bigger budget never lowers the score; no budget scores lowest', () => {
    const budgets = [null, 0, 1, 500, 1_000, 5_000, 10_000, 25_000, 50_000, 120_000, 199_999, 200_000, 1_000_000, 1e9];
    const scores = budgets.map((budget) => scoreLead(lead({ budget }), NOW).score);
    const values = budgets.map((budget) => scoreLead(lead({ budget }), NOW).factors[0].value);
    for (let i = 1; i < budgets.length; i++) {
      assert.ok(scores[i] >= scores[i - 1], `score for ${budgets[i]} ≥ for ${budgets[i - 1]}`);
      assert.ok(values[i] >= values[i - 1], `budget value for ${budgets[i]} ≥ for ${budgets[i - 1]}`);
    }
    assert.ok(values[1] === 0 && values[2] > 0, 'a positive budget beats none');
    assert.equal(values[values.length - 1], 1);
  });

  it('more inbound messages never lower the score, and replies weigh more than our own messages', () => {
    let previous = -1;
    let previousValue = -1;
    for (let inbound = 0; inbound <= 30; inbound++) {
      const scoring = scoreLead(lead({ inboundMessages: inbound }), NOW);
      const value = scoring.factors.find((f) => f.name === 'engagement')?.value ?? NaN;
      assert.ok(scoring.score >= previous && value >= previousValue, `inbound ${inbound}`);
      previous = scoring.score;
      previousValue = value;
    }
    const engagement = (inboundMessages: number, outboundMessages: number) =>
      scoreLead(lead({ inboundMessages, outboundMessages }), NOW).factors.find((f) => f.name === 'engagement')?.value ?? NaN;
    assert.ok(engagement(3, 0) > engagement(0, 3), 'three replies beat three messages of ours');
    assert.ok(engagement(0, 50) < 0.2, 'our outreach alone cannot fill the factor');
  });

  it('recency halves about every 14 days, and older activity never scores higher', () => {
    const recency = (days: number) => scoreLead(lead({ lastActivityAt: daysAgo(days) }), NOW).factors.find((f) => f.name === 'recency');
    assert.equal(recency(0)?.value, 1);
    assert.ok(Math.abs((recency(14)?.value ?? 0) - 0.5) < 0.001);
    assert.ok(Math.abs((recency(28)?.value ?? 0) - 0.25) < 0.001);
    assert.ok((recency(60)?.value ?? 1) < (recency(30)?.value ?? 0));
    const never = scoreLead(lead({ lastActivityAt: null, createdAt: daysAgo(14) }), NOW).factors.find((f) => f.name === 'recency');
    assert.ok(Math.abs((never?.value ?? 0) - 0.5) < 0.001, 'without activity the creation date counts');
    assert.match(never?.reason ?? '', /no activity recorded/u);
    assert.equal(recency(-2)?.value, 1, 'a date in the future counts as now');
  });

  it('ranks sources and statuses: referral above OLX, won 1, lost and spam 0', () => {
    const factor = (facts: Partial<LeadFacts>, name: string) =>
      scoreLead(lead(facts), NOW).factors.find((f) => f.name === name)?.value ?? NaN;
    assert.ok(factor({ source: 'REFERRAL' }, 'source') > factor({ source: 'WEBSITE' }, 'source'));
    assert.ok(factor({ source: 'WEBSITE' }, 'source') > factor({ source: 'OLX' }, 'source'));
    assert.ok(factor({ source: 'OLX' }, 'source') > 0);
    assert.equal(factor({ status: 'WON' }, 'status'), 1);
    assert.equal(factor({ status: 'LOST' }, 'status'), 0);
    assert.equal(factor({ status: 'SPAM' }, 'status'), 0);
    assert.ok(factor({ status: 'HOT' }, 'status') > factor({ status: 'QUALIFIED' }, 'status'));
    assert.ok(factor({ status: 'QUALIFIED' }, 'status') > factor({ status: 'CONTACTED' }, 'status'));
    assert.ok(factor({ status: 'CONTACTED' }, 'status') > factor({ status: 'NEW' }, 'status'));
  });

  it('SPAM forces score 0 and COLD, whatever the other facts', () => {
    const spam = scoreLead(lead({ status: 'SPAM', budget: 10_000_000, source: 'REFERRAL', inboundMessages: 40, lastActivityAt: NOW }), NOW);
    assert.equal(spam.score, 0);
    assert.equal(spam.category, 'COLD');
    assert.match(spam.summary, /spam/u);
    assert.equal(spam.factors.length, 6, 'the factors are still shown');
  });

  it('categories: HOT from 70, WARM from 40, COLD below', () => {
    assert.equal(HOT_SCORE, 70);
    assert.equal(WARM_SCORE, 40);
    assert.equal(categoryOf(100), 'HOT');
    assert.equal(categoryOf(70), 'HOT');
    assert.equal(categoryOf(69), 'WARM');
    assert.equal(categoryOf(40), 'WARM');
    assert.equal(categoryOf(39), 'COLD');
    assert.equal(categoryOf(0), 'COLD');
    // And scoreLead applies them: every score across many leads gets the category of its number.
    for (const budget of [null, 2_000, 20_000, 80_000, 500_000]) {
      for (const status of ['NEW', 'CONTACTED', 'QUALIFIED', 'HOT', 'WON', 'LOST']) {
        for (const inboundMessages of [0, 1, 5]) {
          const s = scoreLead(lead({ budget, status, inboundMessages }), NOW);
          assert.equal(s.category, s.score >= 70 ? 'HOT' : s.score >= 40 ? 'WARM' : 'COLD', `score ${s.score}`);
        }
      }
    }
  });

  it('a strong lead is HOT, a weak one COLD', () => {
    const strong = scoreLead(
      lead({ budget: 300_000, source: 'REFERRAL', status: 'HOT', inboundMessages: 6, lastActivityAt: daysAgo(1) }),
      NOW,
    );
    assert.equal(strong.category, 'HOT');
    const weak = scoreLead(
      lead({
        budget: null,
        source: 'OLX',
        status: 'NEW',
        inboundMessages: 0,
        outboundMessages: 0,
        email: null,
        company: null,
        phone: null,
        lastActivityAt: null,
        createdAt: daysAgo(60),
      }),
      NOW,
    );
    assert.equal(weak.category, 'COLD');
    assert.equal(weak.factors.find((f) => f.name === 'contactability')?.reason, 'no phone, email or company known');
  });
});

describe('offline ai: email drafts (unit)', () => {
  const TONES: EmailTone[] = ['FORMAL', 'FRIENDLY', 'PERSUASIVE'];
  const PURPOSES: EmailPurpose[] = ['INTRODUCTION', 'FOLLOW_UP', 'OFFER', 'MEETING'];
  const LANGUAGES: EmailLanguage[] = ['RU', 'EN'];
  const input = (overrides: Partial<EmailDraftInput> = {}): EmailDraftInput => ({
    lead: { name: 'Айгерим', company: 'Альфа', status: 'CONTACTED' },
    senderName: 'Иван Петров',
    organizationName: 'SalesGraph',
    tone: 'FORMAL',
    language: 'RU',
    purpose: 'INTRODUCTION',
    ...overrides,
  });

  it('every language, tone and purpose gives its own draft, with the lead’s name, the sender and no HTML', () => {
    for (const language of LANGUAGES) {
      const bodies = new Set<string>();
      const subjects = new Set<string>();
      for (const tone of TONES) {
        for (const purpose of PURPOSES) {
          const draft = draftEmail(input({ language, tone, purpose }));
          assert.ok(draft.subject.length > 0 && draft.body.length > 0);
          assert.match(draft.body, /Айгерим/u, `${language} ${tone} ${purpose} names the lead`);
          assert.match(draft.body, /Иван Петров/u);
          assert.doesNotMatch(draft.body + draft.subject, /[<>]/u, 'plain text');
          assert.doesNotMatch(draft.body + draft.subject, /undefined|null|\$\{/u);
          bodies.add(draft.body);
          subjects.add(draft.subject);
        }
      }
      assert.equal(bodies.size, TONES.length * PURPOSES.length, `${language}: 12 different bodies`);
      assert.ok(subjects.size >= 10, `${language}: subjects differ too`);
    }
  });

  it('Russian and English drafts are in their language', () => {
    const ru = draftEmail(input({ language: 'RU' }));
    const en = draftEmail(input({ language: 'EN', lead: { name: 'John', company: 'Acme', status: 'NEW' }, senderName: 'Jane' }));
    assert.match(ru.body, /^Здравствуйте, Айгерим!/u);
    assert.match(ru.body, /С уважением,\nИван Петров\nSalesGraph$/u);
    assert.match(en.body, /^Dear John,/u);
    assert.match(en.body, /Kind regards,\nJane\nSalesGraph$/u);
    assert.doesNotMatch(en.body, /\p{Script=Cyrillic}/u);
  });

  it('Russian formal letters address the reader as «Вы», friendly ones as «вы»', () => {
    const formal = draftEmail(input({ tone: 'FORMAL', purpose: 'MEETING' })).body;
    const friendly = draftEmail(input({ tone: 'FRIENDLY', purpose: 'MEETING' })).body;
    assert.match(formal, /(?<!\p{L})(Вам|Вас|Ваш)/u);
    assert.doesNotMatch(formal, /(?<!\p{L})(вам|вас|ваш|вы)(?!\p{L})/u);
    assert.match(friendly, /(?<!\p{L})(вам|вас|ваш|вы)(?!\p{L})/u);
    assert.doesNotMatch(friendly, /(?<!\p{L})(Вам|Вас|Ваш)/u);
  });

  it('a follow-up depends on the lead’s status', () => {
    const contacted = draftEmail(input({ purpose: 'FOLLOW_UP', lead: { name: 'Айгерим', company: null, status: 'CONTACTED' } })).body;
    const fresh = draftEmail(input({ purpose: 'FOLLOW_UP', lead: { name: 'Айгерим', company: null, status: 'NEW' } })).body;
    assert.match(contacted, /нашли время пообщаться/u);
    assert.match(fresh, /пока не удалось пообщаться/u);
    assert.doesNotMatch(fresh, /нашли время/u);
    const en = draftEmail(input({ language: 'EN', purpose: 'FOLLOW_UP', lead: { name: 'John', company: null, status: 'CONTACTED' } })).body;
    assert.match(en, /Thank you for taking the time to speak with us/u);
  });

  it('mentions the notes as a sentence of their own, and leaves them out when absent', () => {
    const withNotes = draftEmail(input({ notes: '  скидка 10 % до конца месяца ' })).body;
    assert.match(withNotes, /Также хочу отдельно отметить: скидка 10 % до конца месяца\./u);
    const en = draftEmail(input({ language: 'EN', tone: 'FRIENDLY', notes: 'free <b>installation</b>!' })).body;
    assert.match(en, /A few things worth mentioning: free installation!/u);
    assert.doesNotMatch(draftEmail(input({ notes: '   ' })).body, /отметить/u);
    assert.doesNotMatch(draftEmail(input({ notes: null })).body, /отметить/u);
  });

  it('leaves out the company and organization when not given', () => {
    const draft = draftEmail(input({ organizationName: null, lead: { name: 'Айгерим', company: null, status: 'NEW' } }));
    assert.doesNotMatch(draft.body + draft.subject, /«/u);
    assert.match(draft.body, /Меня зовут Иван Петров\./u);
    assert.match(draft.body, /С уважением,\nИван Петров$/u);
  });
});

describe('offline ai: call analysis (unit)', () => {
  const complaint =
    'Клиент: Здравствуйте. Доставка опять задержалась на неделю, это не нормально. ' +
    'И цена у вас слишком высокая, дорого. Качество тоже не хорошее. Мы очень недовольны. ' +
    'Менеджер: Понимаю, разберусь с доставкой и перезвоню вам завтра.';
  const demo =
    'Thanks for the demo today, it was really great. The pricing looks fine for us and we are not disappointed at all. ' +
    'Could you send the contract tomorrow? We will sign it this week.';

  it('finds a negative Russian complaint about price and delivery, with the call-back promised for tomorrow', () => {
    const result = analyzeCall(complaint);
    assert.equal(result.language, 'RU');
    assert.equal(result.sentiment, 'NEGATIVE');
    assert.ok(result.sentimentScore <= -0.5 && result.sentimentScore >= -1);
    assert.ok(result.topics.includes('price'));
    assert.ok(result.topics.includes('delivery'));
    assert.ok(result.topics.includes('complaint'));
    assert.ok(result.nextSteps.includes('Перезвонить клиенту завтра'), result.nextSteps.join(' | '));
    assert.ok(result.summary.length > 0 && result.summary.length <= 400);
    assert.match(result.summary, /\p{Script=Cyrillic}/u);
    assert.ok(complaint.includes(result.summary.split('. ')[0]), 'the summary quotes the text');
    assert.ok(result.keyPhrases.length > 0);
  });

  it('negation flips the next sentiment word', () => {
    assert.equal(analyzeCall('Это хорошее предложение.').sentiment, 'POSITIVE');
    assert.equal(analyzeCall('Это не хорошее предложение.').sentiment, 'NEGATIVE');
    assert.equal(analyzeCall('Это дорого.').sentiment, 'NEGATIVE');
    assert.equal(analyzeCall('Это не дорого.').sentiment, 'POSITIVE');
    assert.equal(analyzeCall('The service is good.').sentiment, 'POSITIVE');
    assert.equal(analyzeCall('The service is not very good.').sentiment, 'NEGATIVE');
    assert.equal(analyzeCall("It doesn't look expensive.").sentiment, 'POSITIVE');
    // A negation reaches only the next sentiment word, and not across punctuation.
    assert.equal(analyzeCall('Нет, это дорого.').sentiment, 'NEGATIVE');
    assert.equal(analyzeCall('Не дорого, но плохо и медленно.').sentiment, 'NEGATIVE');
  });

  it('does not count a bare acknowledgement as praise', () => {
    const result = analyzeCall('Алло. Да. Хорошо.');
    assert.equal(result.sentiment, 'NEUTRAL');
    assert.equal(result.sentimentScore, 0);
  });

  it('finds a positive English demo call with tomorrow’s next step', () => {
    const result = analyzeCall(demo);
    assert.equal(result.language, 'EN');
    assert.equal(result.sentiment, 'POSITIVE');
    assert.ok(result.sentimentScore >= 0.5 && result.sentimentScore <= 1);
    assert.equal(result.sentimentScore, Math.round(result.sentimentScore * 100) / 100, 'two decimals');
    for (const topic of ['demo', 'price', 'contract'] as const) assert.ok(result.topics.includes(topic), topic);
    assert.ok(
      result.nextSteps.some((s) => /tomorrow$/u.test(s)),
      result.nextSteps.join(' | '),
    );
    assert.ok(result.nextSteps.includes('Send the client the promised materials tomorrow'));
    assert.ok(!result.nextSteps.some((s) => /demo/iu.test(s)), 'the demo already happened');
    assert.doesNotMatch(result.summary, /\p{Script=Cyrillic}/u);
  });

  it('phrases Russian weekdays as they are said, and falls back on a step fitting the mood', () => {
    assert.deepEqual(analyzeCall('Давайте покажем вам демо в пятницу.').nextSteps, ['Провести демонстрацию в пятницу']);
    assert.deepEqual(analyzeCall('I will call you back on Monday.').nextSteps, ['Call the client back on Monday']);
    assert.match(analyzeCall('Всё ужасно, мы недовольны качеством.').nextSteps[0], /претензи/u);
    assert.match(analyzeCall('Everything is great, we are happy.').nextSteps[0], /offer/u);
    assert.match(analyzeCall('We talked about the weather.').nextSteps[0], /Follow up/u);
  });

  it('keeps the summary to two sentences and 400 characters', () => {
    const long = Array.from(
      { length: 30 },
      (_, i) => `Sentence ${i} talks about the price and the delivery of order number ${i} to the warehouse.`,
    ).join(' ');
    const result = analyzeCall(long);
    assert.ok(result.summary.length <= 400);
    const twoLong = `${'The price is too high and the delivery is slow '.repeat(6)}. ${'Our support did not help with the contract '.repeat(6)}.`;
    const cut = analyzeCall(twoLong).summary;
    assert.ok(cut.length <= 400 && cut.endsWith('…'), cut);
  });

  it('throws a RangeError for empty or whitespace text', () => {
    assert.throws(() => analyzeCall(''), RangeError);
    assert.throws(() => analyzeCall('  \n\t '), { name: 'RangeError', message: /empty/u });
  });
});

describe('offline ai: revenue forecast (unit)', () => {
  const months = (revenues: number[]) =>
    revenues.map((revenue, i) => ({ periodStart: `2025-${String(i + 1).padStart(2, '0')}-01`, revenue, deals: Math.round(revenue / 100) }));

  it('follows a linear trend with Holt’s method: close to the next value, inside its interval', () => {
    const result = forecastRevenue(months([1000, 1120, 1190, 1310, 1395, 1510, 1590, 1705]));
    assert.equal(result.method, 'holt');
    assert.equal(result.periodsUsed, 8);
    assert.ok(Math.abs(result.predictedRevenue - 1800) < 60, `predicted ${result.predictedRevenue}`);
    assert.ok(result.low < result.predictedRevenue && result.predictedRevenue < result.high);
    assert.ok(Math.abs(result.predictedDeals - 18) <= 1);
    assert.ok(Number.isInteger(result.confidence) && result.confidence > 50 && result.confidence <= 100);
    assert.match(result.explanation, /Holt/u);
    const exact = forecastRevenue(months([1000, 1100, 1200, 1300, 1400, 1500]));
    assert.equal(exact.predictedRevenue, 1600);
    assert.ok(exact.low < 1600 && 1600 < exact.high, 'a perfect fit still gets an interval');
  });

  it('gives a constant history a narrow interval and high confidence', () => {
    const result = forecastRevenue(months([5000, 5000, 5000, 5000, 5000, 5000]));
    assert.equal(result.predictedRevenue, 5000);
    assert.ok(result.high - result.low <= 0.1 * 5000, `${result.low}..${result.high}`);
    assert.ok(result.confidence >= 90);
  });

  it('widens the interval with the horizon and with noise, never below zero', () => {
    const noisy = months([1000, 1600, 700, 1500, 600, 1400]);
    const one = forecastRevenue(noisy, 1);
    const three = forecastRevenue(noisy, 3);
    assert.ok(three.high - three.low > one.high - one.low);
    assert.ok(one.low >= 0 && three.low >= 0);
    const smooth = forecastRevenue(months([1000, 1010, 1000, 1010, 1000, 1010]));
    assert.ok(one.confidence < smooth.confidence);
    const falling = forecastRevenue(months([500, 400, 300, 200, 100, 10]), 4);
    assert.ok(falling.predictedRevenue >= 0 && falling.low >= 0);
  });

  it('rounds money to cents', () => {
    const result = forecastRevenue(months([1000.123, 1100.456, 1190.789, 1310.111, 1402.5]));
    for (const value of [result.predictedRevenue, result.low, result.high]) assert.equal(value, Math.round(value * 100) / 100);
  });

  it('sorts the periods by date', () => {
    const ordered = months([1000, 1100, 1200, 1300, 1400]);
    assert.deepEqual(forecastRevenue([...ordered].reverse()), forecastRevenue(ordered));
  });

  it('uses the mean with a wide interval for 1–3 periods', () => {
    const result = forecastRevenue(months([1000, 1500]));
    assert.equal(result.method, 'mean');
    assert.equal(result.periodsUsed, 2);
    assert.equal(result.predictedRevenue, 1250);
    assert.ok(result.low <= 625 && result.high >= 1875);
    assert.ok(result.confidence <= 40);
    const single = forecastRevenue(months([800]));
    assert.equal(single.method, 'mean');
    assert.equal(single.predictedRevenue, 800);
    assert.ok(single.low < 800 && single.high > 800);
  });

  it('forecasts nothing from no history', () => {
    assert.deepEqual(forecastRevenue([]), {
      predictedRevenue: 0,
      predictedDeals: 0,
      low: 0,
      high: 0,
      confidence: 0,
      method: 'none',
      periodsUsed: 0,
      explanation: 'No past periods: there is nothing to forecast from.',
    });
  });

  it('refuses bad input with a RangeError', () => {
    assert.throws(() => forecastRevenue(months([1, 2]), 0), RangeError);
    assert.throws(() => forecastRevenue([{ periodStart: '2025-13-45x', revenue: 1, deals: 1 }]), RangeError);
    assert.throws(() => forecastRevenue([{ periodStart: '2025-01-01', revenue: Number.NaN, deals: 1 }]), RangeError);
  });
});

describe('offline ai: grounded reply (unit)', () => {
  const prompt =
    'Ты — Анна, менеджер магазина «Солнечные панели». Доставка по Алматы бесплатная и занимает 1–2 дня. ' +
    'Гарантия на панели 10 лет. Оплата картой Kaspi или переводом. Не придумывай цены.';
  const ask = (content: string, personaName: string | null = 'Анна') =>
    groundedReply({ systemPrompt: prompt, personaName, messages: [{ role: 'user', content }] });

  it('answers with the prompt sentence that shares the most stems with the question', () => {
    assert.deepEqual(ask('Какая у вас гарантия на панели?'), {
      content: 'Анна: Гарантия на панели 10 лет.',
      grounded: true,
      handOver: false,
    });
    assert.deepEqual(ask('Можно оплатить картой?', null), {
      content: 'Оплата картой Kaspi или переводом.',
      grounded: true,
      handOver: false,
    });
    assert.equal(ask('Сколько занимает доставка?').content, 'Анна: Доставка по Алматы бесплатная и занимает 1–2 дня.');
  });

  it('answers the last user message, not earlier ones', () => {
    const reply = groundedReply({
      systemPrompt: prompt,
      personaName: null,
      messages: [
        { role: 'system', content: 'ignored' },
        { role: 'user', content: 'Какая гарантия?' },
        { role: 'assistant', content: 'Гарантия на панели 10 лет.' },
        { role: 'user', content: 'А доставка?' },
      ],
    });
    assert.match(reply.content, /^Доставка/u);
  });

  it('greets a greeting, and greets before an answer', () => {
    assert.deepEqual(ask('Здравствуйте!'), { content: 'Анна: Здравствуйте! Чем могу помочь?', grounded: false, handOver: false });
    assert.equal(ask('Добрый день, доставка бесплатная?').content, 'Анна: Здравствуйте! Доставка по Алматы бесплатная и занимает 1–2 дня.');
    const en = groundedReply({
      systemPrompt: 'Our office is open Monday to Friday.',
      personaName: 'Max',
      messages: [{ role: 'user', content: 'Hi!' }],
    });
    assert.deepEqual(en, { content: 'Max: Hello! How can I help you?', grounded: false, handOver: false });
  });

  it('says honestly that it is an automatic reply and a manager will answer when nothing matches', () => {
    const ru = ask('Вы работаете в выходные?');
    assert.equal(ru.grounded, false);
    assert.match(ru.content, /^Анна: /u);
    assert.match(ru.content, /автоматический ответ/u);
    assert.match(ru.content, /менеджер/u);
    const en = groundedReply({
      systemPrompt: 'You are Max. Installation costs 50000 tenge.',
      personaName: null,
      messages: [{ role: 'user', content: 'Do you sell batteries?' }],
    });
    assert.equal(en.grounded, false);
    assert.equal(en.handOver, true, 'a person is to answer');
    assert.match(en.content, /automatic reply/u);
    assert.match(en.content, /manager/u);
  });

  it('never quotes the prompt’s instructions to the model', () => {
    const reply = ask('Кто ты? Придумай цены');
    assert.doesNotMatch(reply.content, /Ты —|Не придумывай/u);
    const en = groundedReply({
      systemPrompt: 'You are Max, a sales assistant.',
      personaName: null,
      messages: [{ role: 'user', content: 'Are you a sales assistant?' }],
    });
    assert.equal(en.grounded, false);
  });

  it('replies in the requested language', () => {
    const reply = groundedReply({ systemPrompt: prompt, personaName: null, messages: [{ role: 'user', content: '???' }], language: 'EN' });
    assert.equal(reply.grounded, false);
    assert.doesNotMatch(reply.content, /\p{Script=Cyrillic}/u);
  });
});

describe('offline ai: tokens and chunks (unit)', () => {
  it('estimates about 4 Latin or 2.5 Cyrillic characters per token, at least 1 for non-empty text', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('a'), 1);
    assert.equal(estimateTokens('x'.repeat(400)), 100);
    assert.equal(estimateTokens('ж'.repeat(250)), 100);
    assert.ok(estimateTokens('Привет, как дела?') > estimateTokens('Hello, how are you'));
  });

  it('splits into word pieces that join back into the text', () => {
    for (const text of ['Hello world', '  Привет,  мир!\nВторая строка  ', 'one', '   ', '', 'a\tb\r\nc']) {
      const chunks = splitIntoChunks(text);
      assert.equal(chunks.join(''), text);
      assert.ok(chunks.every((c) => c.length > 0));
    }
    assert.deepEqual(splitIntoChunks('Hello brave  new world'), ['Hello ', 'brave  ', 'new ', 'world']);
    assert.deepEqual(splitIntoChunks(''), []);
  });
});
