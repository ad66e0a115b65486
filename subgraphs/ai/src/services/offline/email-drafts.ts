// Template-based email drafts: fixed, proofread sentences chosen by language, tone, purpose and lead status. They
// promise nothing about the sender's product (no facts are invented); the manager edits the draft before sending.

export type EmailTone = 'FORMAL' | 'FRIENDLY' | 'PERSUASIVE';
export type EmailLanguage = 'RU' | 'EN';
export type EmailPurpose = 'INTRODUCTION' | 'FOLLOW_UP' | 'OFFER' | 'MEETING';

export interface EmailDraftInput {
  lead: { name: string; company: string | null; status: string };
  senderName: string;
  organizationName?: string | null;
  tone: EmailTone;
  language: EmailLanguage;
  purpose: EmailPurpose;
  /** Points the manager wants mentioned, free text. */
  notes?: string | null;
}

export interface EmailDraft {
  subject: string;
  /** Plain text, paragraphs separated by blank lines. */
  body: string;
}

/** What a template sees: trimmed values, absent ones as null, and the right "you" for the tone. */
interface Context {
  /** Null when the lead has no usable name: the greeting then addresses no one by name. */
  name: string | null;
  company: string | null;
  sender: string;
  organization: string | null;
  status: string;
  tone: EmailTone;
  /** Russian "you" in a case: capitalised (Вы, Вас, Вашей) in formal letters to one person, as Russian etiquette has it. */
  you: (form: string) => string;
}

interface Templates {
  subject: (c: Context, purpose: EmailPurpose) => string;
  greeting: (c: Context) => string;
  introduce: (c: Context) => string | null;
  opening: (c: Context, purpose: EmailPurpose) => string;
  status: (c: Context) => string | null;
  notes: (c: Context, notes: string) => string;
  action: (c: Context, purpose: EmailPurpose) => string;
  closing: (c: Context) => string;
}

const byTone = <T>(c: Context, formal: T, friendly: T, persuasive: T): T =>
  c.tone === 'FORMAL' ? formal : c.tone === 'FRIENDLY' ? friendly : persuasive;

// Russian. Verbs in the first person are present or future tense, or "мы", so the text fits a sender of any gender.
const RU: Templates = {
  subject(c, purpose) {
    const company = c.company === null ? '' : ` для «${c.company}»`;
    const whom = c.company === null ? c.you('вам') : `компании «${c.company}»`;
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          c.organization === null ? 'Знакомство и предложение о сотрудничестве' : `Знакомство: ${c.organization}`,
          'Давайте познакомимся',
          `Как мы можем помочь ${whom}`,
        );
      case 'FOLLOW_UP':
        return byTone(
          c,
          'По итогам нашего общения',
          c.name === null ? 'Небольшое напоминание' : `${c.name}, небольшое напоминание`,
          'Вернёмся к нашему разговору?',
        );
      case 'OFFER':
        return byTone(c, `Коммерческое предложение${company}`, 'Предложение для вас', `Предложение${company}: обсудим на этой неделе?`);
      case 'MEETING':
        return byTone(c, 'Предложение о встрече', 'Давайте встретимся', 'Встреча на 30 минут: выберите время');
    }
  },
  greeting(c) {
    const name = c.name === null ? '' : `, ${c.name}`;
    return byTone(c, `Здравствуйте${name}!`, `Добрый день${name}!`, `Здравствуйте${name}!`);
  },
  introduce(c) {
    const organization = c.organization === null ? '' : `, я представляю компанию «${c.organization}»`;
    return `Меня зовут ${c.sender}${organization}.`;
  },
  opening(c, purpose) {
    const forCompany = c.company === null ? c.you('вам') : `${c.you('вашей')} компании «${c.company}»`;
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          `Пишу, чтобы познакомиться и кратко рассказать, чем мы можем быть полезны ${forCompany}.`,
          `Пишу, чтобы познакомиться и рассказать, чем мы можем быть полезны ${forCompany}.`,
          `Думаю, нам есть что предложить ${forCompany}: короткий разговор покажет, насколько это ${c.you('вам')} подходит.`,
        );
      case 'FOLLOW_UP':
        // A lead still NEW has not talked to us: there is no earlier conversation to come back to.
        if (c.status === 'NEW') {
          return byTone(
            c,
            'Пишу повторно, так как нам пока не удалось пообщаться.',
            'Пишу ещё раз: кажется, мы пока не успели пообщаться.',
            'Пишу ещё раз, потому что не хочу, чтобы вы упустили эту возможность.',
          );
        }
        return byTone(
          c,
          'Пишу, чтобы продолжить наш разговор.',
          'Хочу напомнить о себе и узнать, как у вас дела.',
          'Напоминаю о нашем разговоре: сейчас хороший момент, чтобы вернуться к нему и не откладывать решение.',
        );
      case 'OFFER':
        return byTone(
          c,
          c.company === null
            ? `Мы подготовили для ${c.you('вас')} предложение и хотели бы обсудить его с ${c.you('вами')}.`
            : `Мы подготовили предложение с учётом задач компании «${c.company}» и хотели бы обсудить его с ${c.you('вами')}.`,
          'У нас есть предложение, которое, как мне кажется, вам подойдёт.',
          'Мы подготовили для вас предложение: чем раньше мы его обсудим, тем быстрее вы увидите результат.',
        );
      case 'MEETING':
        return byTone(
          c,
          `Предлагаю провести встречу, чтобы обсудить возможное сотрудничество${c.company === null ? '' : ` с компанией «${c.company}»`}.`,
          'Давайте встретимся и обсудим, чем мы можем помочь вам.',
          'Предлагаю встретиться уже на этой неделе: за 30 минут мы разберём ваши задачи и наметим следующие шаги.',
        );
    }
  },
  status(c) {
    switch (c.status) {
      case 'CONTACTED':
        return `Спасибо, что ${c.you('вы')} нашли время пообщаться с нами.`;
      case 'QUALIFIED':
        return `Спасибо, что рассказали о ${c.you('ваших')} задачах: так нам проще подобрать то, что ${c.you('вам')} действительно нужно.`;
      case 'HOT':
        return `Мы видим ${c.you('ваш')} интерес и готовы помочь быстрее перейти к решению.`;
      case 'WON':
        return `Благодарим ${c.you('вас')} за сотрудничество!`;
      case 'LOST':
        return 'Понимаем, что в прошлый раз решение было принято не в нашу пользу, и всё же будем рады вернуться к разговору.';
      default:
        return null;
    }
  },
  notes: (c, notes) => `Также хочу отдельно отметить: ${notes}`,
  action(c, purpose) {
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          'Если тема для Вас актуальна, предлагаю договориться о коротком звонке в удобное для Вас время.',
          'Если интересно, давайте созвонимся: расскажу подробнее и отвечу на вопросы.',
          'Давайте назначим короткий звонок на этой неделе — просто ответьте на это письмо, и я подберу время.',
        );
      case 'FOLLOW_UP':
        return byTone(
          c,
          'Пожалуйста, сообщите, удобно ли Вам продолжить обсуждение и остались ли у Вас вопросы.',
          'Напишите, пожалуйста, если появились вопросы, — с удовольствием помогу.',
          'Ответьте на это письмо — и уже на этой неделе мы сможем перейти к следующему шагу.',
        );
      case 'OFFER':
        return byTone(
          c,
          'Готовы обсудить детали и ответить на Ваши вопросы в удобное для Вас время.',
          'Если хотите, расскажу подробнее — просто ответьте на это письмо.',
          'Ответьте на это письмо сегодня, и я пришлю все детали.',
        );
      case 'MEETING':
        return byTone(
          c,
          'Пожалуйста, сообщите, какие дата и время Вам удобны, — мы подстроимся под Ваш график.',
          'Какое время вам удобно на этой или следующей неделе?',
          'Назовите удобное время — и я сразу пришлю приглашение.',
        );
    }
  },
  closing(c) {
    const signature = [c.sender, ...(c.organization === null ? [] : [c.organization])].join('\n');
    return `${byTone(c, 'С уважением,', 'Хорошего дня!', 'До связи,')}\n${signature}`;
  },
};

const EN: Templates = {
  subject(c, purpose) {
    const forCompany = c.company === null ? '' : ` for ${c.company}`;
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          c.organization === null ? 'Introduction and a proposal to work together' : `Introduction: ${c.organization}`,
          "Let's get acquainted",
          `How we can help ${c.company ?? 'you'}`,
        );
      case 'FOLLOW_UP':
        return byTone(
          c,
          'Following up on our conversation',
          c.name === null ? 'A quick follow-up' : `${c.name}, a quick follow-up`,
          'Shall we pick up where we left off?',
        );
      case 'OFFER':
        return byTone(c, `Our proposal${forCompany}`, 'An offer for you', `A proposal${forCompany}: can we discuss it this week?`);
      case 'MEETING':
        return byTone(c, 'Request for a meeting', "Let's meet", 'A 30-minute meeting: pick a time');
    }
  },
  greeting: (c) =>
    c.name === null
      ? byTone(c, 'Dear Sir or Madam,', 'Hi there,', 'Hello,')
      : byTone(c, `Dear ${c.name},`, `Hi ${c.name},`, `Hello ${c.name},`),
  introduce(c) {
    const organization = c.organization === null ? '' : ` from ${c.organization}`;
    return `My name is ${c.sender}${organization}.`;
  },
  opening(c, purpose) {
    const you = c.company ?? 'you';
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          `I am writing to introduce myself and to briefly explain how we could be of use to ${you}.`,
          `I'm reaching out to say hello and share how we could help ${you}.`,
          `I believe we have something valuable to offer ${you}, and a short conversation will show whether it fits.`,
        );
      case 'FOLLOW_UP':
        if (c.status === 'NEW') {
          return byTone(
            c,
            'I am writing again, as we have not yet had the chance to speak.',
            "I'm writing again — it seems we haven't had a chance to talk yet.",
            "I'm writing again because I don't want you to miss this opportunity.",
          );
        }
        return byTone(
          c,
          'I am writing to follow up on our previous conversation.',
          'I wanted to check in and see how things are going on your side.',
          'I am following up on our conversation: now is a good moment to return to it rather than postpone the decision.',
        );
      case 'OFFER':
        return byTone(
          c,
          c.company === null
            ? 'We have prepared a proposal for you and would welcome the opportunity to discuss it.'
            : `We have prepared a proposal tailored to the needs of ${c.company} and would welcome the opportunity to discuss it.`,
          "We've put together an offer that I think you'll find a good fit.",
          'We have prepared a proposal for you: the sooner we discuss it, the sooner you will see results.',
        );
      case 'MEETING':
        return byTone(
          c,
          `I would like to propose a meeting to discuss a possible collaboration${c.company === null ? '' : ` with ${c.company}`}.`,
          'How about we meet and talk about how we can help?',
          "Let's meet this week: in 30 minutes we can go through your goals and agree on next steps.",
        );
    }
  },
  status(c) {
    switch (c.status) {
      case 'CONTACTED':
        return byTone(
          c,
          'Thank you for taking the time to speak with us.',
          'Thanks for taking the time to chat with us.',
          'Thank you for the time you gave us.',
        );
      case 'QUALIFIED':
        return 'Thank you for sharing your goals with us: it helps us offer exactly what you need.';
      case 'HOT':
        return 'We can see your interest and are ready to help you move to a decision quickly.';
      case 'WON':
        return 'Thank you for choosing to work with us!';
      case 'LOST':
        return 'We understand the decision last time did not go our way, but we would be glad to reopen the conversation.';
      default:
        return null;
    }
  },
  notes: (c, notes) =>
    byTone(
      c,
      `I would also like to mention the following: ${notes}`,
      `A few things worth mentioning: ${notes}`,
      `One more thing worth your attention: ${notes}`,
    ),
  action(c, purpose) {
    switch (purpose) {
      case 'INTRODUCTION':
        return byTone(
          c,
          'If this is relevant to you, I would be glad to arrange a short call at a time that suits you.',
          "If you're interested, let's have a quick call — I'll tell you more and answer any questions.",
          "Let's schedule a short call this week — just reply to this email and I'll find a time.",
        );
      case 'FOLLOW_UP':
        return byTone(
          c,
          'Please let me know whether you would like to continue the discussion and if you have any questions.',
          "Just drop me a line if any questions come up — I'm happy to help.",
          'Reply to this email and we can move to the next step this week.',
        );
      case 'OFFER':
        return byTone(
          c,
          'We would be happy to go through the details and answer your questions at your convenience.',
          "If you'd like, I can tell you more — just reply to this email.",
          "Reply today and I'll send you all the details.",
        );
      case 'MEETING':
        return byTone(
          c,
          'Please let me know which date and time would suit you, and we will fit in with your schedule.',
          'What time works for you this week or next?',
          "Name a time that suits you and I'll send an invitation right away.",
        );
    }
  },
  closing(c) {
    const signature = [c.sender, ...(c.organization === null ? [] : [c.organization])].join('\n');
    return `${byTone(c, 'Kind regards,', 'Best,', 'Looking forward to hearing from you,')}\n${signature}`;
  },
};

/** One line of plain text: no tags, no runs of whitespace. */
function clean(value: string): string {
  return value
    .replace(/<[^>]*>/gu, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/ ([,.!?;:])/gu, '$1')
    .trim();
}

/** The notes as the end of a sentence: cleaned, ending with a full stop unless they already end with punctuation. */
function asSentence(notes: string): string {
  const text = clean(notes);
  return /[.!?…]$/u.test(text) ? text : `${text}.`;
}

/** A plain-text draft for a manager to review and send; same input, same draft. */
export function draftEmail(input: EmailDraftInput): EmailDraft {
  const formal = input.tone === 'FORMAL';
  const name = clean(input.lead.name);
  const company = input.lead.company === null ? '' : clean(input.lead.company);
  const organization = input.organizationName === undefined || input.organizationName === null ? '' : clean(input.organizationName);
  const c: Context = {
    name: name.length > 0 ? name : null,
    company: company.length > 0 ? company : null,
    sender: clean(input.senderName),
    organization: organization.length > 0 ? organization : null,
    status: input.lead.status,
    tone: input.tone,
    you: (form) => (formal ? form.charAt(0).toUpperCase() + form.slice(1) : form),
  };
  const t = input.language === 'RU' ? RU : EN;
  const notes = input.notes === undefined || input.notes === null ? '' : clean(input.notes);

  // The sender introduces themselves in a first letter; later letters go straight to the point.
  const first = input.purpose === 'INTRODUCTION' || input.lead.status === 'NEW';
  const paragraphs = [
    t.greeting(c),
    [first ? t.introduce(c) : null, t.status(c), t.opening(c, input.purpose)].filter((s) => s !== null).join(' '),
    ...(notes.length > 0 ? [t.notes(c, asSentence(notes))] : []),
    t.action(c, input.purpose),
    t.closing(c),
  ];
  return { subject: t.subject(c, input.purpose), body: paragraphs.join('\n\n') };
}
