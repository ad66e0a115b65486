/** Topics of the leads subgraph's events; payloads carry ids only (the gateway hydrates what subscribers select). */
export const LEAD_TOPIC = 'lead';
export const CAMPAIGN_TOPIC = 'campaign';

export type LeadChange = 'created' | 'status' | 'assignment' | 'score' | 'fields' | 'merged' | 'message';

export interface LeadEventPayload {
  [field: string]: unknown;
  leadId: string;
  organizationId: string;
  assignedUserId: number | null;
  createdByUserId: number | null;
  /** What changed: `created` alone for a new lead, `message` alone for a conversation message. */
  changes: LeadChange[];
  messageId?: string;
}

export interface CampaignEventPayload {
  [field: string]: unknown;
  campaignId: string;
  organizationId: string;
}
