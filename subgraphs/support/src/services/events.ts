/** Topics of the support subgraph's events; payloads carry ids only (the gateway hydrates what subscribers select). */
export const TICKET_TOPIC = 'ticket';

/** What changed: `sla` when a deadline passed unmet. */
export type TicketChange = 'created' | 'message' | 'status' | 'fields' | 'sla';

export interface TicketEventPayload {
  [field: string]: unknown;
  ticketId: string;
  organizationId: string;
  requesterUserId: number;
  changes: TicketChange[];
  messageId?: string;
}
