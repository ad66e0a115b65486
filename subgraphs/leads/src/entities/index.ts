import { AdSchema } from './ad.entity.js';
import { CampaignSchema } from './campaign.entity.js';
import { CrmConnectionSchema } from './crm-connection.entity.js';
import { ConversationMessageSchema } from './conversation.entity.js';
import { ForecastSchema } from './forecast.entity.js';
import { LeadEventSchema } from './lead-event.entity.js';
import { LeadImportSchema } from './lead-import.entity.js';
import { LeadSchema } from './lead.entity.js';
import { NicheSchema } from './niche.entity.js';
import { OutboundMessageSchema } from './outbound-message.entity.js';

export * from './ad.entity.js';
export * from './campaign.entity.js';
export * from './conversation.entity.js';
export * from './crm-connection.entity.js';
export * from './forecast.entity.js';
export * from './lead-event.entity.js';
export * from './lead-import.entity.js';
export * from './lead.entity.js';
export * from './niche.entity.js';
export * from './outbound-message.entity.js';

export const entities = [
  NicheSchema,
  CampaignSchema,
  AdSchema,
  LeadSchema,
  ConversationMessageSchema,
  LeadEventSchema,
  CrmConnectionSchema,
  OutboundMessageSchema,
  ForecastSchema,
  LeadImportSchema,
];
