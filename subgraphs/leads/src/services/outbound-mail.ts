import type { EntityManager } from '@mikro-orm/core';
import {
  MailError,
  conflict,
  defineQueue,
  notFound,
  uuidOrNothing,
  type JobContext,
  type JobSender,
  type Mailer,
  type SignedIn,
} from '@salesgraph/platform';
import { OutboundMessage } from '../entities/index.js';
import { OutboundMessageStatus } from '../types/enums.js';
import { visibleLeads } from './access.js';

interface Delivery {
  messageId: string;
}

/** Retries of a delivery the mail server put off (4xx, connection lost), 2, 4, 8 … seconds apart. */
const RETRIES = 4;

/**
 * Sends outbound messages: `send` marks a message queued and stores its delivery job in the same
 * transaction; the job hands it to the mail server and records the answer. Temporary refusals are retried
 * with backoff; a permanent one (5xx, bad address, no SMTP configured) fails the message with the reason.
 */
export class OutboundMail {
  /** One delivery per message at a time: a second send while one is queued or running is refused. */
  readonly queue = defineQueue<Delivery>({
    name: 'email-delivery',
    retryLimit: RETRIES,
    retryDelaySeconds: 2,
    retryBackoff: true,
    policy: 'exclusive',
    work: (data, context) => this.deliver(data, context),
  });

  constructor(
    private readonly jobs: JobSender,
    private readonly mailer: Mailer,
  ) {}

  async send(em: EntityManager, caller: SignedIn, id: string): Promise<OutboundMessage> {
    return em.transactional(async (tx) => {
      const message = await findVisibleMessage(tx, caller, id);
      if (hasStatus(message, OutboundMessageStatus.QUEUED)) throw conflict('The message is already being sent');
      if (hasStatus(message, OutboundMessageStatus.SENT)) throw conflict('The message was sent already; write a new one');
      message.status = OutboundMessageStatus.QUEUED;
      message.attempts = 0;
      message.lastError = null;
      message.queuedAt = new Date();
      await tx.flush();
      const job = await this.jobs.send(this.queue, { messageId: message.id }, { em: tx, singletonKey: message.id });
      if (!job) throw conflict('The message is already being sent');
      return message;
    });
  }

  private async deliver({ messageId }: Delivery, { em, attempt }: JobContext): Promise<void> {
    const message = await em.findOne(OutboundMessage, { id: messageId });
    // Deleted meanwhile, or already delivered by an earlier attempt whose completion was lost.
    if (!message || !hasStatus(message, OutboundMessageStatus.QUEUED)) return;
    message.attempts = attempt;
    try {
      const sent = await this.mailer.send({ to: message.toAddress, subject: message.subject, text: message.body });
      message.status = OutboundMessageStatus.SENT;
      message.sentAt = new Date();
      message.serverResponse = sent.response;
      message.providerMessageId = sent.messageId;
      message.lastError = null;
      await em.flush();
    } catch (error) {
      if (!(error instanceof MailError)) throw error;
      message.lastError = error.reason;
      const retry = error.retryable && attempt <= RETRIES;
      if (!retry) message.status = OutboundMessageStatus.FAILED;
      await em.flush();
      if (retry) throw error;
    }
  }
}

/** Whether the message is in one of `statuses`. */
export const hasStatus = (message: OutboundMessage, ...statuses: OutboundMessageStatus[]): boolean => statuses.includes(message.status);

/** A message of a lead the caller may see, or NOT_FOUND. */
export async function findVisibleMessage(em: EntityManager, caller: SignedIn, id: string): Promise<OutboundMessage> {
  const uuid = uuidOrNothing(id);
  const message = uuid ? await em.findOne(OutboundMessage, { id: uuid, lead: visibleLeads(caller) }) : null;
  if (!message) throw notFound('Message');
  return message;
}
