import { registerEnumType } from 'type-graphql';

/** What a provider call served. */
export enum AiOperation {
  SCORE_LEAD = 'SCORE_LEAD',
  GENERATE_EMAIL = 'GENERATE_EMAIL',
  ANALYZE_CALL = 'ANALYZE_CALL',
  GENERATE_FORECAST = 'GENERATE_FORECAST',
  CHAT = 'CHAT',
  AUTO_REPLY = 'AUTO_REPLY',
  /** Text to speech. */
  SPEECH = 'SPEECH',
  /** Speech to text. */
  TRANSCRIPTION = 'TRANSCRIPTION',
}

/** The CRM object a provider call served, whose cost it adds to. */
export enum AiObjectType {
  LEAD = 'LEAD',
  CALL = 'CALL',
  DIALOG = 'DIALOG',
  CAMPAIGN = 'CAMPAIGN',
  CHAT_SESSION = 'CHAT_SESSION',
}

export enum ChatRole {
  SYSTEM = 'SYSTEM',
  USER = 'USER',
  ASSISTANT = 'ASSISTANT',
}

export enum BudgetPeriod {
  /** Resets on the 1st of each month (UTC). */
  MONTH = 'MONTH',
  /** Never resets. */
  TOTAL = 'TOTAL',
}

export enum Sentiment {
  POSITIVE = 'POSITIVE',
  NEUTRAL = 'NEUTRAL',
  NEGATIVE = 'NEGATIVE',
}

export enum EmailTone {
  FORMAL = 'FORMAL',
  FRIENDLY = 'FRIENDLY',
  PERSUASIVE = 'PERSUASIVE',
}

export enum EmailPurpose {
  INTRODUCTION = 'INTRODUCTION',
  FOLLOW_UP = 'FOLLOW_UP',
  OFFER = 'OFFER',
  MEETING = 'MEETING',
}

export enum Language {
  RU = 'RU',
  EN = 'EN',
}

export enum UsageGrouping {
  DAY = 'DAY',
  MONTH = 'MONTH',
  USER = 'USER',
  MODEL = 'MODEL',
  OPERATION = 'OPERATION',
  OBJECT = 'OBJECT',
}

/** As the leads subgraph categorises scores: hot ≥ 70, warm ≥ 40, cold below. */
export enum ScoreCategory {
  HOT = 'HOT',
  WARM = 'WARM',
  COLD = 'COLD',
}

/** The periods an AI forecast is made for. */
export enum AiForecastPeriod {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}

registerEnumType(AiOperation, { name: 'AiOperation', description: 'What a provider call served' });
registerEnumType(AiObjectType, { name: 'AiObjectType', description: 'The CRM object a provider call served' });
registerEnumType(ChatRole, { name: 'ChatRole' });
registerEnumType(BudgetPeriod, { name: 'BudgetPeriod', description: 'MONTH resets on the 1st (UTC); TOTAL never resets' });
registerEnumType(Sentiment, { name: 'Sentiment' });
registerEnumType(EmailTone, { name: 'EmailTone' });
registerEnumType(EmailPurpose, { name: 'EmailPurpose' });
registerEnumType(Language, { name: 'Language' });
registerEnumType(UsageGrouping, { name: 'UsageGrouping', description: 'How usage statistics are grouped' });
registerEnumType(ScoreCategory, { name: 'ScoreCategory', description: 'hot ≥ 70, warm ≥ 40, cold below' });
registerEnumType(AiForecastPeriod, { name: 'AiForecastPeriod', description: 'A month or a quarter, starting on the 1st of a month' });
