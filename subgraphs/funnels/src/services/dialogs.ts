import { LockMode, type EntityManager } from '@mikro-orm/core';
import { badInput, conflict, notFound, uuidOrNothing, type EventBus, type PhoneNumbers, type SignedIn } from '@salesgraph/platform';
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

/** How many of a dialog's latest messages the assistant is given with its turn. */
const ASSISTANT_HISTORY = 20;

/** What the assistant needs to answer a client's message it claimed (`claimAssistantTurn`). */
export interface AssistantTurn {
  dialogId: string;
  messageId: string;
  organizationId: string;
  messageText: string;
  prompt: string | null;
  assistantName: string | null;
  clientName: string;
  messages: { role: MessageRole; text: string }[];
}

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
      // The assistant's cue: a client's message it is to answer.
      await this.publish(tx, dialog, changes, message.id, { assistant: dialog.ai && !dialog.unsubscribed });
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
      // User id 0: a service identity with no person behind it (the AI assistant), so no author.
      return this.sendInDialog(tx, dialog, text, role, caller.userId > 0 ? caller.userId : null);
    });
  }

  /**
   * The part of `send` inside its transaction. A manager's message in a dialog the assistant answers hands it
   * over (`ai` off, the `handover` change): the person who wrote takes the conversation on. The assistant's own
   * messages and follow-ups (role assistant) leave it as it is.
   */
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
    const changes: DialogChange[] = ['message'];
    if (role === MessageRole.MANAGER && dialog.ai) changes.push(handOverIn(dialog, 'a manager replied', now));
    await tx.flush();
    await this.outbox.dispatch(tx, dialog, message);
    await this.outbox.scheduleFollowUps(tx, dialog);
    await this.publish(tx, dialog, changes, message.id);
    return message;
  }

  /**
   * Claims the assistant's turn to answer a client's message, under the dialog's row lock: the claim of the
   * dialog's latest client message while the assistant answers it (`ai`, subscribed) and nobody claimed it yet.
   * Every AI process hears of the message, so all but one get null; so does a message a newer one has
   * superseded (the assistant answers the latest) and a dialog handed over meanwhile. The winner gets what
   * it needs to answer: the stage's assistant prompt (the funnel's first stage's when the dialog has no stage),
   * the client's name and the recent messages.
   */
  async claimAssistantTurn(em: EntityManager, caller: SignedIn, dialogId: string, messageId: string): Promise<AssistantTurn | null> {
    const messageUuid = uuidOrNothing(messageId);
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId, { lock: true });
      if (!messageUuid || !dialog.ai || dialog.unsubscribed || dialog.assistantAnsweredMessageId === messageUuid) return null;
      const latest = await tx.findOne(
        DialogMessage,
        { dialog, role: MessageRole.USER },
        { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['id', 'text'] },
      );
      if (latest?.id !== messageUuid) return null;
      dialog.assistantAnsweredMessageId = messageUuid;
      await tx.flush();
      const stage = dialog.stage
        ? await tx.findOne(FunnelStage, { id: dialog.stage.id })
        : dialog.funnel
          ? await tx.findOne(FunnelStage, { funnel: dialog.funnel }, { orderBy: { position: 'asc' } })
          : null;
      const recent = await tx.find(
        DialogMessage,
        { dialog },
        { orderBy: { createdAt: 'desc', id: 'desc' }, limit: ASSISTANT_HISTORY, fields: ['role', 'text'] },
      );
      const client = await tx.findOneOrFail(Client, { id: dialog.client.id }, { fields: ['name'] });
      return {
        dialogId: dialog.id,
        messageId: latest.id,
        organizationId: dialog.organizationId,
        messageText: latest.text,
        prompt: stage?.prompt.trim() ? stage.prompt : null,
        assistantName: stage?.assistantName ?? null,
        clientName: client.name,
        messages: recent.reverse().map((m) => ({ role: m.role, text: m.text })),
      };
    });
  }

  /**
   * Sends the assistant's answer to a turn it claimed, under the dialog's row lock, only while the turn is still
   * its own: the dialog still `ai` (no person took it over while the answer was being written) and the claimed
   * message still the client's latest (else a newer turn answers it). Null otherwise, and nothing is sent.
   */
  async postAssistantReply(
    em: EntityManager,
    caller: SignedIn,
    dialogId: string,
    messageId: string,
    text: string,
  ): Promise<DialogMessage | null> {
    const messageUuid = uuidOrNothing(messageId);
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId, { lock: true });
      if (!messageUuid || !dialog.ai || dialog.unsubscribed || dialog.assistantAnsweredMessageId !== messageUuid) return null;
      const latest = await tx.findOne(
        DialogMessage,
        { dialog, role: MessageRole.USER },
        { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['id'] },
      );
      if (latest?.id !== messageUuid) return null;
      return this.sendInDialog(tx, dialog, text, MessageRole.ASSISTANT, null);
    });
  }

  /**
   * The assistant hands a dialog over to a person (the client asked for one, or it could not answer): `ai`
   * off, when and why recorded, the `handover` change published. A dialog handed over already stays as it is.
   */
  async handOver(em: EntityManager, caller: SignedIn, dialogId: string, reason: string | null | undefined): Promise<Dialog> {
    return em.transactional(async (tx) => {
      const dialog = await findVisibleDialog(tx, caller, dialogId, { lock: true });
      if (!dialog.ai) return dialog;
      const change = handOverIn(dialog, reason?.trim().slice(0, 500) || 'handed over by the assistant', new Date());
      await tx.flush();
      await this.publish(tx, dialog, [change]);
      return dialog;
    });
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
      const changes: DialogChange[] = ['fields'];
      if (input.ai === false && dialog.ai) changes.push(handOverIn(dialog, 'turned off by a manager', new Date()));
      else if (input.ai === true && !dialog.ai) {
        // The assistant answers again: the last hand-over no longer describes the dialog.
        dialog.ai = true;
        dialog.handedOverAt = null;
        dialog.handoverReason = null;
      }
      if (input.unsubscribed !== undefined) dialog.unsubscribed = input.unsubscribed;
      if (input.closeRatio !== undefined) dialog.closeRatio = input.closeRatio;
      if (input.description !== undefined) dialog.description = input.description?.trim() || null;
      if (input.tags !== undefined) dialog.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
      if (input.price !== undefined) dialog.price = input.price;
      dialog.lastActivityAt = new Date();
      await tx.flush();
      await this.publish(tx, dialog, changes);
      return dialog;
    });
  }

  async publish(
    tx: EntityManager,
    dialog: Dialog,
    changes: DialogChange[],
    messageId?: string,
    options?: { assistant?: boolean },
  ): Promise<void> {
    await this.bus.publish(tx, DIALOG_TOPIC, dialogEventOf(dialog, changes, messageId, options));
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

/** Turns the assistant off in `dialog` (written by the caller's flush), saying why; the change to publish. */
function handOverIn(dialog: Dialog, reason: string, at: Date): DialogChange {
  dialog.ai = false;
  dialog.handedOverAt = at;
  dialog.handoverReason = reason;
  return 'handover';
}

/** Keeps the dialog's list columns current, so lists read no messages. */
function countMessage(dialog: Dialog, message: DialogMessage): void {
  dialog.messagesCount += 1;
  dialog.lastMessageText = message.text;
  dialog.lastMessageAt = message.createdAt;
  dialog.lastActivityAt = message.createdAt;
}
