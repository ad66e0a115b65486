import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { defineQueue, type EventBus, type JobSender, type SecretBox } from '@salesgraph/platform';
import { Dialog, DialogMessage, FollowUp, type MessengerConnection } from '../entities/index.js';
import { Channel, DeliveryStatus, MessageRole } from '../types/enums.js';
import { ChannelError, type ChannelCredentials, type MessengerChannels } from './channels/index.js';
import { DIALOG_TOPIC, dialogEventOf } from './events.js';
import { LIVE_STATUSES } from './dialogs.js';

const MINUTE_MS = 60_000;
const DELIVERY_RETRIES = 4;
/** The longest wait a messenger's Retry-After is followed for; beyond it the message fails. */
const MAX_RETRY_AFTER_SECONDS = 3600;

interface DeliveryJob {
  messageId: string;
  /** Times the messenger asked to come back later (its Retry-After), each counted as an attempt. */
  deferrals?: number;
}

interface FollowUpJob {
  dialogId: string;
  followUpId: string;
  /** The dialog's `awaitingReplySince` it was scheduled for, epoch ms: due only while that wait lasts. */
  anchor: number;
}

/** A connection's credentials as its channel client takes them. */
export function credentialsOf(box: SecretBox, connection: MessengerConnection): ChannelCredentials {
  return { token: box.open(connection.tokenSealed), settings: { ...connection.settings } };
}

/**
 * Delivers outgoing messages and follow-ups through durable jobs: a message is recorded pending in the
 * writing transaction with its delivery job, so a crash loses neither; follow-ups are delayed jobs that
 * survive restarts, checked when due against the dialog's wait they were scheduled for.
 */
export class Outbox {
  readonly delivery = defineQueue<DeliveryJob>({
    name: 'message-delivery',
    retryLimit: DELIVERY_RETRIES,
    retryDelaySeconds: 2,
    retryBackoff: true,
    expireInSeconds: 60,
    work: (job, { em, attempt }) => this.deliver(em, job, attempt + (job.deferrals ?? 0) > DELIVERY_RETRIES),
  });

  readonly followUps = defineQueue<FollowUpJob>({
    name: 'follow-up',
    retryLimit: 3,
    retryDelaySeconds: 5,
    expireInSeconds: 60,
    work: (job, { em }) => this.sendFollowUp(em, job),
  });

  constructor(
    private readonly jobs: JobSender,
    private readonly bus: EventBus,
    private readonly box: SecretBox,
    private readonly channels: MessengerChannels,
  ) {}

  /** Hands a pending message to its channel, inside the transaction that recorded it. */
  async dispatch(tx: EntityManager, dialog: Dialog, message: DialogMessage): Promise<void> {
    if (dialog.channel === Channel.WIDGET) {
      // The visitor's page reads the dialog live: recording it is delivering it.
      message.delivery = DeliveryStatus.SENT;
      message.deliveredAt = new Date();
      await tx.flush();
      return;
    }
    await this.jobs.send(this.delivery, { messageId: message.id }, { em: tx });
  }

  /** One delayed job per follow-up of the dialog's stage, counted from the wait that started now. */
  async scheduleFollowUps(tx: EntityManager, dialog: Dialog): Promise<void> {
    const since = dialog.awaitingReplySince;
    if (!since || !dialog.stage || dialog.unsubscribed) return;
    const followUps = await tx.find(FollowUp, { stage: dialog.stage }, { orderBy: { position: 'asc' } });
    for (const followUp of followUps) {
      const anchor = since.getTime();
      await this.jobs.send(
        this.followUps,
        { dialogId: dialog.id, followUpId: followUp.id, anchor },
        { em: tx, startAfter: new Date(anchor + followUp.delayMinutes * MINUTE_MS), singletonKey: `${dialog.id}:${followUp.id}:${anchor}` },
      );
    }
  }

  private async deliver(em: EntityManager, { messageId, deferrals = 0 }: DeliveryJob, lastAttempt: boolean): Promise<void> {
    const message = await em.findOne(DialogMessage, { id: messageId }, { populate: ['dialog', 'dialog.connection'] });
    if (!message || message.delivery !== DeliveryStatus.PENDING) return;
    const dialog = message.dialog;
    const connection = dialog.connection;
    let failure: string | null = null;
    if (!connection || !connection.isActive) failure = 'The messenger connection is stopped or was removed';
    else if (!dialog.externalChatId) failure = 'The dialog has no chat to send to';
    else {
      try {
        const channel = this.channels.of(connection.messengerType);
        const sent = await channel.send(credentialsOf(this.box, connection), dialog.externalChatId, message.text);
        message.externalMessageId = sent.externalMessageId;
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        // A messenger busy or unreachable is tried again; a refusal (blocked, bad token) is final.
        const retryAfter = error.retryAfterSeconds ?? 0;
        if (error.kind === 'transient' && !lastAttempt && retryAfter <= MAX_RETRY_AFTER_SECONDS) {
          // Told when to come back (a 429's retry_after): wait that long, not the queue's shorter backoff.
          if (retryAfter > 2) {
            await this.jobs.send(this.delivery, { messageId, deferrals: deferrals + 1 }, { startAfter: retryAfter });
            return;
          }
          throw error;
        }
        failure = error.message;
      }
    }
    await em.transactional(async (tx) => {
      const current = await tx.findOne(DialogMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!current || current.delivery !== DeliveryStatus.PENDING) return;
      current.delivery = failure ? DeliveryStatus.FAILED : DeliveryStatus.SENT;
      current.deliveryError = failure;
      current.externalMessageId = message.externalMessageId ?? null;
      current.deliveredAt = failure ? null : new Date();
      await tx.flush();
      await this.publish(tx, dialog, current.id);
    });
  }

  /**
   * A follow-up come due: sent only if the dialog still waits since the same moment (the client has not
   * written, no newer message restarted the wait), is still at the follow-up's stage, live and subscribed.
   * The message is unique per dialog, follow-up and wait, so a job run twice sends once.
   */
  private async sendFollowUp(em: EntityManager, { dialogId, followUpId, anchor }: FollowUpJob): Promise<void> {
    await em
      .transactional(async (tx) => {
        const dialog = await tx.findOne(Dialog, { id: dialogId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        const followUp = await tx.findOne(FollowUp, { id: followUpId });
        if (!dialog || !followUp || dialog.unsubscribed || !LIVE_STATUSES.includes(dialog.status)) return;
        if (dialog.awaitingReplySince?.getTime() !== anchor || dialog.stage?.id !== followUp.stage.id) return;
        const message = tx.create(DialogMessage, {
          organizationId: dialog.organizationId,
          dialog,
          role: MessageRole.ASSISTANT,
          text: followUp.text,
          delivery: DeliveryStatus.PENDING,
          followUp,
          followUpAnchor: new Date(anchor),
          createdAt: new Date(),
        });
        dialog.messagesCount += 1;
        dialog.lastMessageText = message.text;
        dialog.lastMessageAt = message.createdAt;
        dialog.lastActivityAt = message.createdAt;
        await tx.flush();
        await this.dispatch(tx, dialog, message);
        await this.publish(tx, dialog, message.id, 'message');
      })
      .catch((error: unknown) => {
        // Sent already for this wait: nothing to do.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
      });
  }

  private async publish(tx: EntityManager, dialog: Dialog, messageId: string, change: 'message' | 'delivery' = 'delivery'): Promise<void> {
    await this.bus.publish(tx, DIALOG_TOPIC, dialogEventOf(dialog, [change], messageId));
  }
}
