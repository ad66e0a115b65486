/** Topics of the funnels subgraph's events; payloads carry ids only (the gateway hydrates what subscribers select). */
export const DIALOG_TOPIC = 'dialog';

/** What changed: `created` for a new dialog, `message` for a new message, `delivery` when a message's delivery settled. */
export type DialogChange = 'created' | 'message' | 'delivery' | 'stage' | 'fields';

export interface DialogEventPayload {
  [field: string]: unknown;
  dialogId: string;
  organizationId: string;
  funnelId: string | null;
  managerUserId: number | null;
  changes: DialogChange[];
  messageId?: string;
}
