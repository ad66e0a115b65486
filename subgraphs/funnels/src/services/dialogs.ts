import { LockMode, type EntityManager } from '@mikro-orm/core';
import { badInput, conflict, notFound, type EventBus, type PhoneNumbers, type SignedIn } from '@salesgraph/platform';
import { Client, Dialog, DialogMessage, FunnelStage, type MessengerConnection, type WidgetInstance } from '../entities/index.js';
import { Channel, DeliveryStatus, DialogStatus, MessageRole } from '../types/enums.js';
import type { UpdateDialogInput } from '../types/inputs.js';
import { findVisibleDialog, userIdOf } from './access.js';
import type { InboundMessage } from './channels/index.js';
import type { UserDirectory } from './directory.js';
import { DIALOG_TOPIC, dialogEventOf, type DialogChange } from './events.js';
import type { Outbox } from './outbox.js';

/** Where an inbound message came in: a messenger connection or a web chat widget. */
export type Inbox = { connection: MessengerConnection; widget?: undefined } | { widget: WidgetInstance; connection?: undefined };

/** Statuses in which the dialog still talks to the client (follow-ups are sent only then). */
export const LIVE_STATUSES = [DialogStatus.OPEN, DialogStatus.PENDING];

/**
 * Dialogs and their messages. Every change is one transaction that updates the dialog's counters and
 * publishes its event; an outgoing message is recorded pending and handed to the outbox in the same
 * transaction, which delivers it and schedules the stage's follow-ups.
 */
export class DialogService {
  constructor(
    private readonly bus: EventBus,
    private readonly phones: PhoneNumbers,
    private readonly users: UserDirectory,
    private readonly outbox: Outbox,
  ) {}

  /**
   * A client's message from a messenger or the widget: the dialog of that chat (created, with a client, on
   * the first message), the message, and the end of the dialog's wait for the client (follow-ups pending for
   * that wait are dropped when they come due). A message seen before (a redelivered update) changes nothing.
   */
  async receive(em: EntityManager, inbox: Inbox, inbound: InboundMessage): Promise<DialogMessage | null> {
    return em.transactional(async (tx) => {
      const source = inbox.connection ?? inbox.widget;
      const organizationId = source.organizationId;
      const chat = inbox.connection ? { connection: inbox.connection } : { widget: inbox.widget };
      let dialog = await tx.findOne(
        Dialog,
        { ...chat, externalChatId: inbound.externalChatId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['client'] },
      );
      const changes: DialogChange[] = ['message'];
      if (!dialog) {
        dialog = await this.openDialog(tx, inbox, inbound);
        changes.unshift('created');
      } else if (await tx.count(DialogMessage, { dialog, externalMessageId: inbound.externalMessageId })) {
        return null;
      }
      const now = new Date();
      const message = tx.create(DialogMessage, {
        organizationId,
        dialog,
        role: MessageRole.USER,
        text: inbound.text,
        delivery: DeliveryStatus.RECEIVED,
        externalMessageId: inbound.externalMessageId,
        createdAt: now,
      });
      countMessage(dialog, message);
      dialog.lastClientMessageAt = now;
      dialog.awaitingReplySince = null;
      if (dialog.status === DialogStatus.PENDING) dialog.status = DialogStatus.OPEN;
      const client = dialog.client;
      client.lastActivityAt = now;
      await tx.flush();
      await this.publish(tx, dialog, changes, message.id);
      return message;
    });
  }

  /** Sends a manager's or assistant's message to the client's channel: recorded pending, delivered by the outbox. */
  async send(
    em: EntityManager,
    caller: SignedIn,
    dialogId: string,
    text: string,
    role = MessageRole.MANAGER,
    funnelId?: string | null,
  ): Promise<DialogMessage> {
    if (role === MessageRole.USER)
      throw badInput('Only the client writes as user', [{ field: 'role', message: 'must be manager or assistant' }]);
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId, { lock: true, funnelId });
      return this.sendInDialog(tx, dialog, text, role, caller.userId);
    });
  }

  /** The part of `send` inside its transaction, for the AI's replies too. */
  async sendInDialog(
    tx: EntityManager,
    dialog: Dialog,
    text: string,
    role: MessageRole,
    authorUserId: number | null,
  ): Promise<DialogMessage> {
    if (dialog.unsubscribed) throw conflict('The client unsubscribed: nothing is sent to them');
    const now = new Date();
    const message = tx.create(DialogMessage, {
      organizationId: dialog.organizationId,
      dialog,
      role,
      text,
      authorUserId,
      delivery: DeliveryStatus.PENDING,
      createdAt: now,
    });
    countMessage(dialog, message);
    dialog.awaitingReplySince = now;
    await tx.flush();
    await this.outbox.dispatch(tx, dialog, message);
    await this.outbox.scheduleFollowUps(tx, dialog);
    await this.publish(tx, dialog, ['message'], message.id);
    return message;
  }

  /** Moves a dialog to a stage of its funnel; the silence the stage's follow-ups count starts now. */
  async moveToStage(em: EntityManager, caller: SignedIn, dialogId: string, stageId: string): Promise<Dialog> {
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId, { lock: true });
      const stage = dialog.funnel ? await tx.findOne(FunnelStage, { id: stageId.toLowerCase(), funnel: dialog.funnel }) : null;
      if (!stage) throw notFound('Stage of the dialog’s funnel');
      if (dialog.stage?.id === stage.id) return dialog;
      dialog.stage = stage;
      dialog.lastActivityAt = new Date();
      if (dialog.awaitingReplySince) dialog.awaitingReplySince = new Date();
      await tx.flush();
      await this.outbox.scheduleFollowUps(tx, dialog);
      await this.publish(tx, dialog, ['stage']);
      return dialog;
    });
  }

  async update(em: EntityManager, caller: SignedIn, dialogId: string, input: UpdateDialogInput): Promise<Dialog> {
    const managerUserId = input.managerUserId === undefined ? undefined : userIdOf(input.managerUserId, 'managerUserId');
    if (managerUserId && managerUserId !== caller.userId) await this.users.assertExists(caller, managerUserId);
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId);
      if (input.status !== undefined) dialog.status = input.status;
      if (managerUserId !== undefined) dialog.managerUserId = managerUserId;
      if (input.ai !== undefined) dialog.ai = input.ai;
      if (input.unsubscribed !== undefined) dialog.unsubscribed = input.unsubscribed;
      if (input.closeRatio !== undefined) dialog.closeRatio = input.closeRatio;
      if (input.description !== undefined) dialog.description = input.description?.trim() || null;
      if (input.tags !== undefined) dialog.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
      if (input.price !== undefined) dialog.price = input.price;
      dialog.lastActivityAt = new Date();
      await tx.flush();
      await this.publish(tx, dialog, ['fields']);
      return dialog;
    });
  }

  async publish(tx: EntityManager, dialog: Dialog, changes: DialogChange[], messageId?: string): Promise<void> {
    await this.bus.publish(tx, DIALOG_TOPIC, dialogEventOf(dialog, changes, messageId));
  }

  /** The first message of a chat: its client (the one with that phone, else a new one) and its dialog at the funnel's first stage. */
  private async openDialog(tx: EntityManager, inbox: Inbox, inbound: InboundMessage): Promise<Dialog> {
    const source = inbox.connection ?? inbox.widget;
    const organizationId = source.organizationId;
    const phoneE164 = this.phones.toE164(inbound.senderPhone);
    let client = phoneE164 ? await tx.findOne(Client, { organizationId, phoneE164 }, { orderBy: { id: 'asc' } }) : null;
    client ??= tx.create(Client, {
      organizationId,
      name: (inbound.senderName ?? inbound.senderUsername ?? inbound.senderPhone ?? 'Visitor').slice(0, 200),
      phone: inbound.senderPhone,
      phoneE164,
    });
    const funnel = source.funnel ?? null;
    const stage = funnel ? await tx.findOne(FunnelStage, { funnel }, { orderBy: { position: 'asc' } }) : null;
    return tx.create(Dialog, {
      organizationId,
      threadId: inbound.externalChatId,
      client,
      funnel,
      stage,
      channel: inbox.connection ? (inbox.connection.messengerType as string as Channel) : Channel.WIDGET,
      connection: inbox.connection ?? null,
      widget: inbox.widget ?? null,
      externalChatId: inbound.externalChatId,
      status: DialogStatus.OPEN,
      tags: [],
    });
  }
}

/** Keeps the dialog's list columns current, so lists read no messages. */
function countMessage(dialog: Dialog, message: DialogMessage): void {
  dialog.messagesCount += 1;
  dialog.lastMessageText = message.text;
  dialog.lastMessageAt = message.createdAt;
  dialog.lastActivityAt = message.createdAt;
}
