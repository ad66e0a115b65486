import { registerEnumType } from 'type-graphql';

// The enums stored in columns: the entities map them and the GraphQL types expose them, so each list of
// values is written here once. Stored values are the lower-case ones the legacy APIs show.

export enum NicheStatus {
  RESEARCH = 'research',
  ACTIVE = 'active',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  REJECTED = 'rejected',
}
registerEnumType(NicheStatus, { name: 'NicheStatus', description: 'A niche under research, being worked, paused, done or given up' });

export enum CampaignStatus {
  DRAFT = 'draft',
  ACTIVE = 'active',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  FAILED = 'failed',
}
registerEnumType(CampaignStatus, { name: 'CampaignStatus' });

/** Where campaigns run and where leads write from (seed 001). */
export enum AdPlatform {
  OLX = 'olx',
  KASPI = 'kaspi',
  TELEGRAM = 'telegram',
  WHATSAPP = 'whatsapp',
}
registerEnumType(AdPlatform, { name: 'AdPlatform', description: 'Classifieds and messengers campaigns run on' });

/** How a lead reached the organization: the ad platforms of seed 001, and the channels of a sales CRM (seed 000). */
export enum LeadSource {
  OLX = 'olx',
  KASPI = 'kaspi',
  TELEGRAM = 'telegram',
  WHATSAPP = 'whatsapp',
  WEBSITE = 'website',
  EMAIL = 'email',
  PHONE = 'phone',
  REFERRAL = 'referral',
  CRM = 'crm',
  IMPORT = 'import',
  OTHER = 'other',
}
registerEnumType(LeadSource, { name: 'LeadSource' });

export enum LeadStatus {
  NEW = 'new',
  CONTACTED = 'contacted',
  QUALIFIED = 'qualified',
  HOT = 'hot',
  WON = 'won',
  LOST = 'lost',
  SPAM = 'spam',
}
registerEnumType(LeadStatus, { name: 'LeadStatus' });

export enum ScoreCategory {
  HOT = 'hot',
  WARM = 'warm',
  COLD = 'cold',
}
registerEnumType(ScoreCategory, { name: 'ScoreCategory', description: 'hot ≥ 70, warm ≥ 40, cold below' });

export enum MessageSender {
  BOT = 'bot',
  LEAD = 'lead',
  HUMAN = 'human',
}
registerEnumType(MessageSender, { name: 'MessageSender', description: 'Who wrote a conversation message' });

export enum LeadEventKind {
  CREATED = 'created',
  UPDATED = 'updated',
  STATUS_CHANGED = 'status_changed',
  ASSIGNED = 'assigned',
  SCORED = 'scored',
  MERGED = 'merged',
}
registerEnumType(LeadEventKind, { name: 'LeadEventKind' });

/** Lead statuses that count as qualified in campaign statistics. */
export const QUALIFIED_STATUSES = [LeadStatus.QUALIFIED, LeadStatus.HOT, LeadStatus.WON];

/** The category of a 0–100 quality score. */
export function scoreCategoryOf(score: number | null | undefined): ScoreCategory | null {
  if (score === null || score === undefined) return null;
  return score >= 70 ? ScoreCategory.HOT : score >= 40 ? ScoreCategory.WARM : ScoreCategory.COLD;
}

/** draft → queued → sent | failed; a failed message may be edited and sent again. */
export enum OutboundMessageStatus {
  DRAFT = 'draft',
  QUEUED = 'queued',
  SENT = 'sent',
  FAILED = 'failed',
}
registerEnumType(OutboundMessageStatus, { name: 'OutboundMessageStatus', description: 'draft → queued → sent | failed' });
