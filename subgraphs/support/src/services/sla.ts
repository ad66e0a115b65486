import { LockMode, type EntityManager } from '@mikro-orm/core';
import { defineQueue, type EventBus, type JobSender } from '@salesgraph/platform';
import { Ticket } from '../entities/index.js';
import { SlaKind, type TicketPriority, TicketStatus } from '../types/enums.js';
import { TICKET_TOPIC, type TicketEventPayload } from './events.js';

/** Minutes to the first response and to resolution, per priority (SLA_FIRST_RESPONSE_MINUTES, SLA_RESOLUTION_MINUTES). */
export interface SlaPolicy {
  firstResponseMinutes: Record<TicketPriority, number>;
  resolutionMinutes: Record<TicketPriority, number>;
}

interface DeadlineJob {
  ticketId: string;
  kind: SlaKind;
  /** The deadline it was scheduled for, epoch ms: a job for a deadline since moved does nothing. */
  dueAt: number;
}

const MINUTE_MS = 60_000;

/**
 * SLA deadlines: set from the priority when a ticket is created (and moved when its priority changes), each
 * checked by a durable job when due; one passed unmet is recorded on the ticket (`…BreachedAt`, so the ticket
 * lists as overdue) and announced as a `ticketUpdated` event with the `sla` change.
 */
export class Sla {
  readonly queue = defineQueue<DeadlineJob>({
    name: 'sla-deadline',
    retryLimit: 3,
    retryDelaySeconds: 5,
    expireInSeconds: 60,
    work: (job, { em }) => this.check(em, job),
  });

  constructor(
    private readonly jobs: JobSender,
    private readonly bus: EventBus,
    private readonly policy: () => SlaPolicy,
  ) {}

  /** Sets the ticket's deadlines from its priority, counted from its creation. */
  setDeadlines(ticket: Ticket): void {
    const { firstResponseMinutes, resolutionMinutes } = this.policy();
    const created = ticket.createdAt.getTime();
    ticket.firstResponseDueAt = new Date(created + firstResponseMinutes[ticket.priority] * MINUTE_MS);
    ticket.resolutionDueAt = new Date(created + resolutionMinutes[ticket.priority] * MINUTE_MS);
  }

  /** One job per deadline still ahead and unmet, in the caller's transaction. */
  async schedule(tx: EntityManager, ticket: Ticket): Promise<void> {
    const deadlines: [SlaKind, Date, boolean][] = [
      [SlaKind.FIRST_RESPONSE, ticket.firstResponseDueAt, !ticket.firstRespondedAt && !ticket.firstResponseBreachedAt],
      [SlaKind.RESOLUTION, ticket.resolutionDueAt, !ticket.resolvedAt && !ticket.resolutionBreachedAt],
    ];
    for (const [kind, due, open] of deadlines) {
      if (!open) continue;
      const dueAt = due.getTime();
      await this.jobs.send(
        this.queue,
        { ticketId: ticket.id, kind, dueAt },
        { em: tx, startAfter: new Date(dueAt), singletonKey: `${ticket.id}:${kind}:${dueAt}` },
      );
    }
  }

  private async check(em: EntityManager, { ticketId, kind, dueAt }: DeadlineJob): Promise<void> {
    await em.transactional(async (tx) => {
      const ticket = await tx.findOne(Ticket, { id: ticketId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!ticket) return;
      const now = new Date();
      if (kind === SlaKind.FIRST_RESPONSE) {
        if (ticket.firstResponseDueAt.getTime() !== dueAt || ticket.firstRespondedAt || ticket.firstResponseBreachedAt) return;
        if (ticket.status === TicketStatus.CLOSED) return;
        ticket.firstResponseBreachedAt = now;
      } else {
        if (ticket.resolutionDueAt.getTime() !== dueAt || ticket.resolvedAt || ticket.resolutionBreachedAt) return;
        ticket.resolutionBreachedAt = now;
      }
      await tx.flush();
      const payload: TicketEventPayload = {
        ticketId: ticket.id,
        organizationId: ticket.organizationId,
        requesterUserId: ticket.requesterUserId,
        changes: ['sla'],
      };
      await this.bus.publish(tx, TICKET_TOPIC, payload);
    });
  }
}
