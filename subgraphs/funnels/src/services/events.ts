import type { Dialog } from '../entities/index.js';

/** Topics of the funnels subgraph's events; payloads carry ids only (the gateway hydrates what subscribers select). */
export const DIALOG_TOPIC = 'dialog';

/**
 * What changed: `created` for a new dialog, `message` for a new message, `delivery` when a message's delivery
 * settled, `handover` when the AI assistant stopped answering it (`ai` turned off by a manager's reply or by the
 * assistant itself; `handedOverAt` and `handoverReason` say when and why).
 */
export type DialogChange = 'created' | 'message' | 'delivery' | 'stage' | 'fields' | 'handover';

export interface DialogEventPayload {
  [field: string]: unknown;
  dialogId: string;
  organizationId: string;
  funnelId: string | null;
  managerUserId: number | null;
  changes: DialogChange[];
  messageId?: string;
  /** A widget's dialog: its visitor (whose own subscription, `widgetMessageAdded`, follows it). */
  visitorId?: string;
  /**
   * Set only on a client's message (`messageId`) in a dialog the assistant answers (`ai`, not unsubscribed):
   * the AI subgraph's cue to claim the turn (`claimAssistantTurn`) and reply.
   */
  assistant?: true;
}

/** The event of a change to a dialog: ids, and what subscribers filter by. */
export function dialogEventOf(
  dialog: Dialog,
  changes: DialogChange[],
  messageId?: string,
  { assistant = false }: { assistant?: boolean } = {},
): DialogEventPayload {
  return {
    dialogId: dialog.id,
    organizationId: dialog.organizationId,
    funnelId: dialog.funnel?.id ?? null,
    managerUserId: dialog.managerUserId ?? null,
    changes,
    ...(messageId ? { messageId } : {}),
    ...(dialog.widget && dialog.externalChatId ? { visitorId: dialog.externalChatId } : {}),
    ...(assistant ? { assistant: true as const } : {}),
  };
}
