import type { EntityManager } from '@mikro-orm/core';
import {
  ErrorCode,
  MAX_FILES_PER_REQUEST,
  OperationError,
  badInput,
  checkUploadCount,
  executeOperation,
  forbidden,
  isUuid,
  notFound,
  integerId,
  type EventBus,
  type SignedIn,
  type SubgraphClient,
  type UploadedFile,
} from '@salesgraph/platform';
import { Attachment, Ticket, TicketMessage } from '../entities/index.js';
import { SupportFunnelLookupDocument } from '../generated/funnels.js';
import { SupportUserLookupDocument } from '../generated/identity.js';
import { TicketMessageRole, TicketPriority, TicketStatus } from '../types/enums.js';
import type { CreateTicketInput, UpdateTicketInput } from '../types/inputs.js';
import { findVisibleTicket, isAgent } from './access.js';
import type { Attachments } from './attachments.js';
import { TICKET_TOPIC, type TicketChange, type TicketEventPayload } from './events.js';
import type { Sla } from './sla.js';

/** Files one ticket or message may carry. */
export const MAX_FILES = MAX_FILES_PER_REQUEST;

/**
 * Tickets and their messages. Each write is one transaction that records the change, its attachments and its
 * SLA jobs and publishes its event; files are checked before anything is stored, and bytes stored for a write
 * that fails are removed again.
 */
export class TicketService {
  constructor(
    private readonly bus: EventBus,
    private readonly attachments: Attachments,
    private readonly sla: Sla,
    private readonly identity: () => SubgraphClient,
    private readonly funnels: () => SubgraphClient,
  ) {}

  async create(em: EntityManager, caller: SignedIn, input: CreateTicketInput, files: UploadedFile[] = []): Promise<Ticket> {
    const checked = await this.attachments.check(limitFiles(files));
    const funnelId = input.funnelId ? await this.funnelOf(caller, input.funnelId) : null;
    return this.withCleanup(async (stored) =>
      em.transactional(async (tx) => {
        const ticket = tx.create(Ticket, {
          organizationId: caller.organizationId,
          subject: input.subject.trim(),
          description: input.description,
          department: input.department,
          status: TicketStatus.OPEN,
          priority: input.priority ?? TicketPriority.MEDIUM,
          funnelId,
          requesterUserId: caller.userId,
          createdAt: new Date(),
          firstResponseDueAt: new Date(),
          resolutionDueAt: new Date(),
        });
        this.sla.setDeadlines(ticket);
        await this.attachments.storeAll(tx, ticket, null, checked, stored);
        await tx.flush();
        await this.sla.schedule(tx, ticket);
        await this.publish(tx, ticket, ['created']);
        return ticket;
      }),
    );
  }

  /**
   * A message from the requester (role user) or from support (anyone else who may see the ticket: role
   * support). Support's first message meets the first-response deadline; a message reopens a closed ticket,
   * and moves it to `waiting` (support answered) or back to `open` (the requester wrote).
   */
  async addMessage(
    em: EntityManager,
    caller: SignedIn,
    ticketId: string,
    text: string,
    files: UploadedFile[] = [],
  ): Promise<TicketMessage> {
    if (!text.trim()) throw badInput('A message needs text', [{ field: 'text', message: 'must not be empty' }]);
    const checked = await this.attachments.check(limitFiles(files));
    return this.withCleanup(async (stored) =>
      em.transactional(async (tx) => {
        const ticket = await findVisibleTicket(tx, caller, ticketId);
        const fromSupport = ticket.requesterUserId !== caller.userId;
        if (fromSupport && !isAgent(caller)) throw forbidden('Only support agents (managers and admins) answer others’ tickets');
        const now = new Date();
        const message = tx.create(TicketMessage, {
          organizationId: ticket.organizationId,
          ticket,
          role: fromSupport ? TicketMessageRole.SUPPORT : TicketMessageRole.USER,
          text,
          authorUserId: caller.userId,
          createdAt: now,
        });
        await this.attachments.storeAll(tx, ticket, message, checked, stored);
        ticket.messagesCount += 1;
        const changes: TicketChange[] = ['message'];
        if (fromSupport && !ticket.firstRespondedAt) ticket.firstRespondedAt = now;
        const status = fromSupport ? TicketStatus.WAITING : TicketStatus.OPEN;
        if (ticket.status !== status) {
          ticket.status = status;
          ticket.resolvedAt = null;
          changes.push('status');
        }
        await tx.flush();
        await this.sla.schedule(tx, ticket);
        await this.publish(tx, ticket, changes, message.id);
        return message;
      }),
    );
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateTicketInput): Promise<Ticket> {
    const assigneeUserId = input.assigneeUserId === undefined ? undefined : await this.assigneeOf(caller, input.assigneeUserId);
    return em.transactional(async (tx) => {
      const ticket = await findVisibleTicket(tx, caller, id);
      const onlyClosing = input.status === TicketStatus.CLOSED && Object.keys(input).length === 1;
      // The requester may close their own ticket; everything else is support's.
      if (!isAgent(caller) && !(onlyClosing && ticket.requesterUserId === caller.userId)) {
        throw forbidden('Only support agents (managers and admins) change tickets; the requester may close theirs');
      }
      const changes: TicketChange[] = [];
      if (input.status !== undefined && input.status !== ticket.status) {
        ticket.status = input.status;
        ticket.resolvedAt = input.status === TicketStatus.CLOSED ? new Date() : null;
        changes.push('status');
      }
      if (input.department !== undefined) ticket.department = input.department;
      if (assigneeUserId !== undefined) ticket.assigneeUserId = assigneeUserId;
      if (input.priority !== undefined && input.priority !== ticket.priority) {
        ticket.priority = input.priority;
        this.sla.setDeadlines(ticket);
      }
      if (input.department !== undefined || assigneeUserId !== undefined || input.priority !== undefined) changes.push('fields');
      ticket.updatedAt = new Date();
      await tx.flush();
      await this.sla.schedule(tx, ticket);
      if (changes.length) await this.publish(tx, ticket, changes);
      return ticket;
    });
  }

  /** Deletes a ticket with its messages and files (support agents, or the requester their own). */
  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const keys = await em.transactional(async (tx) => {
      const ticket = await findVisibleTicket(tx, caller, id);
      if (!isAgent(caller) && ticket.requesterUserId !== caller.userId) throw forbidden();
      const files = await tx.find(Attachment, { ticket }, { fields: ['storageKey'] });
      tx.remove(ticket);
      await tx.flush();
      return files.map((f) => f.storageKey);
    });
    // Once the rows are gone: a file left by a failed removal is unreachable (no row names it), and logged.
    await this.attachments.remove(keys);
    return id.toLowerCase();
  }

  private async publish(tx: EntityManager, ticket: Ticket, changes: TicketChange[], messageId?: string): Promise<void> {
    const payload: TicketEventPayload = {
      ticketId: ticket.id,
      organizationId: ticket.organizationId,
      requesterUserId: ticket.requesterUserId,
      changes,
      ...(messageId ? { messageId } : {}),
    };
    await this.bus.publish(tx, TICKET_TOPIC, payload);
  }

  /** Runs a write that stores files; if it fails, the bytes it stored are removed before the error goes on. */
  private async withCleanup<T>(write: (stored: string[]) => Promise<T>): Promise<T> {
    const stored: string[] = [];
    try {
      return await write(stored);
    } catch (error) {
      await this.attachments.remove(stored);
      throw error;
    }
  }

  /** The funnel id when the funnels subgraph says it is one of the caller's organization, else NOT_FOUND. */
  private async funnelOf(caller: SignedIn, id: string): Promise<string> {
    if (!isUuid(id)) throw notFound('Funnel');
    try {
      const { funnel } = await executeOperation(this.funnels(), SupportFunnelLookupDocument, { id }, caller);
      return funnel.id;
    } catch (error) {
      if (error instanceof OperationError && error.code === (ErrorCode.NotFound as string)) throw notFound('Funnel');
      throw error;
    }
  }

  private async assigneeOf(caller: SignedIn, id: string | null): Promise<number | null> {
    if (id === null) return null;
    const userId = integerId(id, 'user', 'assigneeUserId');
    const { user } = await executeOperation(this.identity(), SupportUserLookupDocument, { id: String(userId) }, caller);
    if (!user) throw notFound(`User ${userId}`);
    return userId;
  }
}

function limitFiles(files: UploadedFile[]): UploadedFile[] {
  checkUploadCount(files, MAX_FILES);
  return files;
}
