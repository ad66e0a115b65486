export const Language = {
  Ru: 'RU',
  En: 'EN'
} as const;

export type Language = typeof Language[keyof typeof Language];
export const Sentiment = {
  Positive: 'POSITIVE',
  Neutral: 'NEUTRAL',
  Negative: 'NEGATIVE'
} as const;

export type Sentiment = typeof Sentiment[keyof typeof Sentiment];
export const ChatRole = {
  System: 'SYSTEM',
  User: 'USER',
  Assistant: 'ASSISTANT'
} as const;

export type ChatRole = typeof ChatRole[keyof typeof ChatRole];
/** How usage statistics are grouped */
export const UsageGrouping = {
  Day: 'DAY',
  Month: 'MONTH',
  User: 'USER',
  Model: 'MODEL',
  Operation: 'OPERATION',
  Object: 'OBJECT'
} as const;

export type UsageGrouping = typeof UsageGrouping[keyof typeof UsageGrouping];
/** The CRM object a provider call served */
export const AiObjectType = {
  Lead: 'LEAD',
  Call: 'CALL',
  Dialog: 'DIALOG',
  Campaign: 'CAMPAIGN',
  ChatSession: 'CHAT_SESSION'
} as const;

export type AiObjectType = typeof AiObjectType[keyof typeof AiObjectType];
/** MONTH resets on the 1st (UTC); TOTAL never resets */
export const BudgetPeriod = {
  Month: 'MONTH',
  Total: 'TOTAL'
} as const;

export type BudgetPeriod = typeof BudgetPeriod[keyof typeof BudgetPeriod];
/** hot ≥ 70, warm ≥ 40, cold below */
export const ScoreCategory = {
  Hot: 'HOT',
  Warm: 'WARM',
  Cold: 'COLD'
} as const;

export type ScoreCategory = typeof ScoreCategory[keyof typeof ScoreCategory];
export const EmailTone = {
  Formal: 'FORMAL',
  Friendly: 'FRIENDLY',
  Persuasive: 'PERSUASIVE'
} as const;

export type EmailTone = typeof EmailTone[keyof typeof EmailTone];
export const EmailPurpose = {
  Introduction: 'INTRODUCTION',
  FollowUp: 'FOLLOW_UP',
  Offer: 'OFFER',
  Meeting: 'MEETING'
} as const;

export type EmailPurpose = typeof EmailPurpose[keyof typeof EmailPurpose];
/** A month or a quarter, starting on the 1st of a month */
export const AiForecastPeriod = {
  Month: 'MONTH',
  Quarter: 'QUARTER'
} as const;

export type AiForecastPeriod = typeof AiForecastPeriod[keyof typeof AiForecastPeriod];
/** What became of a verified YooMoney notification */
export const PaymentOutcome = {
  Credited: 'CREDITED',
  Replayed: 'REPLAYED',
  Test: 'TEST',
  Held: 'HELD'
} as const;

export type PaymentOutcome = typeof PaymentOutcome[keyof typeof PaymentOutcome];
/** What became of a verified GitHub delivery */
export const GithubDeliveryOutcome = {
  Recorded: 'RECORDED',
  Duplicate: 'DUPLICATE',
  Ping: 'PING',
  Ignored: 'IGNORED'
} as const;

export type GithubDeliveryOutcome = typeof GithubDeliveryOutcome[keyof typeof GithubDeliveryOutcome];
/** incoming → accepted | rejected | missed; accepted → completed */
export const CallStatus = {
  Incoming: 'INCOMING',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Missed: 'MISSED',
  Completed: 'COMPLETED'
} as const;

export type CallStatus = typeof CallStatus[keyof typeof CallStatus];
export const CallPriority = {
  Low: 'LOW',
  Medium: 'MEDIUM',
  High: 'HIGH',
  Urgent: 'URGENT'
} as const;

export type CallPriority = typeof CallPriority[keyof typeof CallPriority];
export const CallEventType = {
  Incoming: 'INCOMING',
  Answered: 'ANSWERED',
  Rejected: 'REJECTED',
  Missed: 'MISSED',
  Ended: 'ENDED',
  NotesUpdated: 'NOTES_UPDATED',
  HoldChanged: 'HOLD_CHANGED',
  Transferred: 'TRANSFERRED',
  Updated: 'UPDATED'
} as const;

export type CallEventType = typeof CallEventType[keyof typeof CallEventType];
export const CallTaskStatus = {
  Open: 'OPEN',
  InProgress: 'IN_PROGRESS',
  Done: 'DONE',
  Cancelled: 'CANCELLED'
} as const;

export type CallTaskStatus = typeof CallTaskStatus[keyof typeof CallTaskStatus];
/** Calendar periods up to now, in UTC */
export const StatisticsPeriod = {
  Today: 'TODAY',
  Week: 'WEEK',
  Month: 'MONTH',
  Year: 'YEAR'
} as const;

export type StatisticsPeriod = typeof StatisticsPeriod[keyof typeof StatisticsPeriod];
export const AnswerAction = {
  Accept: 'ACCEPT',
  Reject: 'REJECT'
} as const;

export type AnswerAction = typeof AnswerAction[keyof typeof AnswerAction];
/** The messenger a dialog runs in */
export const Channel = {
  Telegram: 'TELEGRAM',
  Whatsapp: 'WHATSAPP',
  Widget: 'WIDGET'
} as const;

export type Channel = typeof Channel[keyof typeof Channel];
/** open: in progress; pending: waiting on the client; won/lost: the deal ended; closed: ended without a deal */
export const DialogStatus = {
  Open: 'OPEN',
  Pending: 'PENDING',
  Won: 'WON',
  Lost: 'LOST',
  Closed: 'CLOSED'
} as const;

export type DialogStatus = typeof DialogStatus[keyof typeof DialogStatus];
export const ClientStatus = {
  Active: 'ACTIVE',
  Inactive: 'INACTIVE'
} as const;

export type ClientStatus = typeof ClientStatus[keyof typeof ClientStatus];
/** new, regular (bought before) or inactive */
export const ClientType = {
  New: 'NEW',
  Regular: 'REGULAR',
  Inactive: 'INACTIVE'
} as const;

export type ClientType = typeof ClientType[keyof typeof ClientType];
export const MessengerType = {
  Telegram: 'TELEGRAM',
  Whatsapp: 'WHATSAPP'
} as const;

export type MessengerType = typeof MessengerType[keyof typeof MessengerType];
/** stopped: not receiving; running: the webhook is registered; failed: the last start failed (see lastError) */
export const ConnectionState = {
  Stopped: 'STOPPED',
  Running: 'RUNNING',
  Failed: 'FAILED'
} as const;

export type ConnectionState = typeof ConnectionState[keyof typeof ConnectionState];
/** user: the client; assistant: the AI or a follow-up; manager: a person */
export const MessageRole = {
  User: 'USER',
  Assistant: 'ASSISTANT',
  Manager: 'MANAGER'
} as const;

export type MessageRole = typeof MessageRole[keyof typeof MessageRole];
/** received: the client wrote it; pending: being sent; sent: the messenger accepted it; failed: see deliveryError */
export const DeliveryStatus = {
  Received: 'RECEIVED',
  Pending: 'PENDING',
  Sent: 'SENT',
  Failed: 'FAILED'
} as const;

export type DeliveryStatus = typeof DeliveryStatus[keyof typeof DeliveryStatus];
/** What a user may do: admin > analyst/manager > user/web > guest (read-only) */
export const Role = {
  Admin: 'ADMIN',
  Analyst: 'ANALYST',
  Manager: 'MANAGER',
  User: 'USER',
  Web: 'WEB',
  Guest: 'GUEST'
} as const;

export type Role = typeof Role[keyof typeof Role];
/** ONLINE users can take transferred calls */
export const PresenceStatus = {
  Online: 'ONLINE',
  Away: 'AWAY',
  Busy: 'BUSY',
  Offline: 'OFFLINE'
} as const;

export type PresenceStatus = typeof PresenceStatus[keyof typeof PresenceStatus];
export const UserOrderField = {
  Id: 'ID',
  Email: 'EMAIL',
  Username: 'USERNAME',
  CreatedAt: 'CREATED_AT',
  LastName: 'LAST_NAME'
} as const;

export type UserOrderField = typeof UserOrderField[keyof typeof UserOrderField];
export const SortDirection = {
  Asc: 'ASC',
  Desc: 'DESC'
} as const;

export type SortDirection = typeof SortDirection[keyof typeof SortDirection];
/** Classifieds and messengers campaigns run on */
export const AdPlatform = {
  Olx: 'OLX',
  Kaspi: 'KASPI',
  Telegram: 'TELEGRAM',
  Whatsapp: 'WHATSAPP'
} as const;

export type AdPlatform = typeof AdPlatform[keyof typeof AdPlatform];
export const CampaignStatus = {
  Draft: 'DRAFT',
  Active: 'ACTIVE',
  Paused: 'PAUSED',
  Completed: 'COMPLETED',
  Failed: 'FAILED'
} as const;

export type CampaignStatus = typeof CampaignStatus[keyof typeof CampaignStatus];
/** A niche under research, being worked, paused, done or given up */
export const NicheStatus = {
  Research: 'RESEARCH',
  Active: 'ACTIVE',
  Paused: 'PAUSED',
  Completed: 'COMPLETED',
  Rejected: 'REJECTED'
} as const;

export type NicheStatus = typeof NicheStatus[keyof typeof NicheStatus];
export const CrmProvider = {
  Amocrm: 'AMOCRM',
  Bitrix24: 'BITRIX24',
  Generic: 'GENERIC'
} as const;

export type CrmProvider = typeof CrmProvider[keyof typeof CrmProvider];
/** Never synced, waiting, running, or how the last run ended */
export const CrmSyncState = {
  Idle: 'IDLE',
  Queued: 'QUEUED',
  Running: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED'
} as const;

export type CrmSyncState = typeof CrmSyncState[keyof typeof CrmSyncState];
/** An import of leads still running, done, or stopped by an error */
export const LeadImportStatus = {
  Running: 'RUNNING',
  Completed: 'COMPLETED',
  Failed: 'FAILED'
} as const;

export type LeadImportStatus = typeof LeadImportStatus[keyof typeof LeadImportStatus];
export const LeadImportOutcome = {
  Created: 'CREATED',
  Updated: 'UPDATED',
  Skipped: 'SKIPPED'
} as const;

export type LeadImportOutcome = typeof LeadImportOutcome[keyof typeof LeadImportOutcome];
export const LeadSource = {
  Olx: 'OLX',
  Kaspi: 'KASPI',
  Telegram: 'TELEGRAM',
  Whatsapp: 'WHATSAPP',
  Website: 'WEBSITE',
  Email: 'EMAIL',
  Phone: 'PHONE',
  Referral: 'REFERRAL',
  Crm: 'CRM',
  Import: 'IMPORT',
  Other: 'OTHER'
} as const;

export type LeadSource = typeof LeadSource[keyof typeof LeadSource];
export const LeadStatus = {
  New: 'NEW',
  Contacted: 'CONTACTED',
  Qualified: 'QUALIFIED',
  Hot: 'HOT',
  Won: 'WON',
  Lost: 'LOST',
  Spam: 'SPAM'
} as const;

export type LeadStatus = typeof LeadStatus[keyof typeof LeadStatus];
/** Who wrote a conversation message */
export const MessageSender = {
  Bot: 'BOT',
  Lead: 'LEAD',
  Human: 'HUMAN'
} as const;

export type MessageSender = typeof MessageSender[keyof typeof MessageSender];
export const LeadEventKind = {
  Created: 'CREATED',
  Updated: 'UPDATED',
  StatusChanged: 'STATUS_CHANGED',
  Assigned: 'ASSIGNED',
  Scored: 'SCORED',
  Merged: 'MERGED'
} as const;

export type LeadEventKind = typeof LeadEventKind[keyof typeof LeadEventKind];
export const LeadOrderField = {
  CreatedAt: 'CREATED_AT',
  UpdatedAt: 'UPDATED_AT',
  Name: 'NAME',
  Status: 'STATUS',
  QualityScore: 'QUALITY_SCORE',
  Budget: 'BUDGET'
} as const;

export type LeadOrderField = typeof LeadOrderField[keyof typeof LeadOrderField];
/** draft → queued → sent | failed */
export const OutboundMessageStatus = {
  Draft: 'DRAFT',
  Queued: 'QUEUED',
  Sent: 'SENT',
  Failed: 'FAILED'
} as const;

export type OutboundMessageStatus = typeof OutboundMessageStatus[keyof typeof OutboundMessageStatus];
/** MONTH, QUARTER and YEAR start on the 1st of a month and last 1, 3 or 12 months; CUSTOM runs from any date to any later one */
export const ForecastPeriodKind = {
  Month: 'MONTH',
  Quarter: 'QUARTER',
  Year: 'YEAR',
  Custom: 'CUSTOM'
} as const;

export type ForecastPeriodKind = typeof ForecastPeriodKind[keyof typeof ForecastPeriodKind];
/** How a forecast was made: entered by a person (MANUAL), or generated by the AI (AI) */
export const ForecastMethod = {
  Manual: 'MANUAL',
  Ai: 'AI'
} as const;

export type ForecastMethod = typeof ForecastMethod[keyof typeof ForecastMethod];
export const ForecastOrderField = {
  PeriodStart: 'PERIOD_START',
  PeriodEnd: 'PERIOD_END',
  Name: 'NAME',
  PredictedRevenue: 'PREDICTED_REVENUE',
  Confidence: 'CONFIDENCE',
  CreatedAt: 'CREATED_AT',
  UpdatedAt: 'UPDATED_AT'
} as const;

export type ForecastOrderField = typeof ForecastOrderField[keyof typeof ForecastOrderField];
/** Which team a ticket goes to */
export const Department = {
  Technical: 'TECHNICAL',
  Sales: 'SALES',
  Billing: 'BILLING',
  General: 'GENERAL'
} as const;

export type Department = typeof Department[keyof typeof Department];
/** open: new; in_progress: support works on it; waiting: for the requester; closed: resolved */
export const TicketStatus = {
  Open: 'OPEN',
  InProgress: 'IN_PROGRESS',
  Waiting: 'WAITING',
  Closed: 'CLOSED'
} as const;

export type TicketStatus = typeof TicketStatus[keyof typeof TicketStatus];
/** Sets the SLA deadlines */
export const TicketPriority = {
  Low: 'LOW',
  Medium: 'MEDIUM',
  High: 'HIGH',
  Urgent: 'URGENT'
} as const;

export type TicketPriority = typeof TicketPriority[keyof typeof TicketPriority];
export const TicketMessageRole = {
  User: 'USER',
  Support: 'SUPPORT'
} as const;

export type TicketMessageRole = typeof TicketMessageRole[keyof typeof TicketMessageRole];