import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import {
  badInput,
  conflict,
  defineQueue,
  forbidden,
  integerId,
  notFound,
  seesWholeOrganization,
  type EventBus,
  type JobSender,
  type SignedIn,
} from '@salesgraph/platform';
import { Call, CallEvent, Company, CompanyPhone } from '../entities/index.js';
import { AnswerAction, type AnswerCallInput, type CreateCallInput, type TransferCallInput, type UpdateCallInput } from '../types/inputs.js';
import { findVisibleCall, visibleCalls } from './access.js';
import type { UserDirectory } from './directory.js';
import type { LeadDirectory } from './leads.js';
import type { PhoneNumbers } from '@salesgraph/platform';
import { CallEventType, CallPriority, CallStatus } from '../types/enums.js';

/** The one topic every call event travels on; subscriptions pick the types they want. */
export const CALL_EVENT_TOPIC = 'CALL_EVENT';

/** What a call event carries over NOTIFY: ids only, enough for subscriptions to filter without a query. */
export interface CallEventPayload {
  eventId: string;
  type: CallEventType;
  callId: number;
  organizationId: string;
  assignedUserId: number | null;
  answeredByUserId: number | null;
  actorUserId: number | null;
  targetUserId: number | null;
}

/** The user behind an action; a PBX acting for nobody in particular has id 0. */
const actorOf = (caller: SignedIn) => (caller.userId > 0 ? caller.userId : null);

const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/**
 * The call state machine: incoming → accepted | rejected | missed; accepted → completed. Every change
 * is one transaction that also records a CallEvent and publishes it, so events leave only on commit.
 */
export class CallLifecycle {
  /**
   * One job per ringing call, due at its ring deadline: the call becomes missed unless it was answered,
   * rejected or hung up on by then. Stored in the transaction that creates the call, so it exists exactly
   * when the call does, and it survives restarts.
   */
  readonly ringTimeout = defineQueue<{ callId: number }>({
    name: 'ring-timeout',
    retryLimit: 5,
    retryDelaySeconds: 1,
    retryBackoff: true,
    expireInSeconds: 60,
    concurrency: 20,
    work: ({ callId }, { em }) => this.missIfRinging(em, callId),
  });

  constructor(
    private readonly bus: EventBus,
    readonly directory: UserDirectory,
    private readonly ringTimeoutSeconds: number,
    readonly phones: PhoneNumbers,
    private readonly jobs: JobSender,
    private readonly leads: LeadDirectory,
  ) {}

  async create(em: EntityManager, caller: SignedIn, input: CreateCallInput): Promise<Call> {
    const callerE164 = this.phones.toE164(input.callerNumber);
    if (!callerE164)
      throw badInput(`"${input.callerNumber}" is not a valid phone number`, [{ field: 'callerNumber', message: 'is not a phone number' }]);
    const assignedUserId = input.assignedUserId ? integerId(input.assignedUserId, 'user') : null;
    // An external id ties a call to the PBX's events: a plain user could otherwise claim one ahead of the PBX.
    // Those who may set one see every call of the organization, so the idempotent answer below shows nothing new.
    if (input.externalId && !seesWholeOrganization(caller)) {
      throw forbidden('Only managers, analysts, admins and integrations set externalId');
    }
    if (assignedUserId) await this.directory.assertExists(caller, assignedUserId);
    // An empty idempotency key is no key (stored, it would make the next empty one a duplicate).
    const externalId = input.externalId || null;
    if (externalId) {
      // A redelivered event: its call, without asking leads again (the transaction below checks once more).
      const existing = await em.findOne(Call, { organizationId: caller.organizationId, externalId });
      if (existing) return existing;
    }
    // The screen-pop: the organization's lead with the caller's number, asked before the transaction opens
    // (a peer call must not hold one). Null when none matches or leads cannot answer; the call rings anyway.
    // It is looked up once: a lead whose phone changes later keeps the calls it already has.
    const leadId = await this.leads.leadIdByPhone(caller, callerE164);
    try {
      return await em.transactional(async (tx) => {
        if (externalId) {
          const existing = await tx.findOne(Call, { organizationId: caller.organizationId, externalId });
          if (existing) return existing;
        }
        const company = input.callerCompanyId
          ? await tx.findOne(Company, { id: integerId(input.callerCompanyId, 'company'), organizationId: caller.organizationId })
          : ((await tx.findOne(CompanyPhone, { organizationId: caller.organizationId, e164: callerE164 }, { orderBy: { id: 'asc' } }))
              ?.company ?? null);
        if (input.callerCompanyId && !company) throw notFound('Company');
        const ringDeadline = new Date(Date.now() + (input.ringTimeoutSeconds ?? this.ringTimeoutSeconds) * 1000);
        const call = tx.create(Call, {
          organizationId: caller.organizationId,
          callerNumber: input.callerNumber,
          callerE164,
          receiverNumber: input.receiverNumber ?? null,
          channelId: input.channelId ?? null,
          assignedUserId,
          callerCompany: company,
          leadId,
          customerName: input.customerName ?? null,
          purpose: input.purpose ?? null,
          priority: input.priority ?? CallPriority.MEDIUM,
          externalId,
          status: CallStatus.INCOMING,
          ringDeadline,
        });
        await tx.flush();
        await this.record(tx, call, CallEventType.INCOMING, { actorUserId: actorOf(caller) });
        await this.jobs.send(this.ringTimeout, { callId: call.id }, { em: tx, startAfter: ringDeadline });
        return call;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || !externalId) throw error;
      // Two deliveries with one key raced past the lookup: the call the other one made answers both.
      const raced = await em.findOne(Call, { organizationId: caller.organizationId, externalId });
      if (!raced) throw error;
      return raced;
    }
  }

  /** Accept or reject a ringing call; of concurrent answers exactly one wins, the others get CONFLICT. */
  async answer(em: EntityManager, caller: SignedIn, id: string, input: AnswerCallInput): Promise<Call> {
    const visible = await findVisibleCall(em, caller, id);
    return em.transactional(async (tx) => {
      const now = new Date();
      const accept = input.action === AnswerAction.ACCEPT;
      const won = await tx.nativeUpdate(
        Call,
        { id: visible.id, status: CallStatus.INCOMING },
        {
          status: accept ? CallStatus.ACCEPTED : CallStatus.REJECTED,
          ringDeadline: null,
          answeredByUserId: actorOf(caller),
          ...(accept ? { acceptedAt: now, answeredAt: now } : { endedAt: now }),
          ...(input.customerName !== undefined && { customerName: input.customerName }),
          ...(input.customerCompany !== undefined && { customerCompany: input.customerCompany }),
          ...(input.quickNotes !== undefined && { notes: input.quickNotes }),
        },
      );
      if (won === 0) throw this.notRinging(visible);
      const call = await tx.findOneOrFail(Call, visible.id, { refresh: true });
      await this.record(tx, call, accept ? CallEventType.ANSWERED : CallEventType.REJECTED, { actorUserId: actorOf(caller) });
      return call;
    });
  }

  async end(em: EntityManager, caller: SignedIn, id: string, outcome?: string): Promise<Call> {
    return this.change(em, caller, id, [CallStatus.ACCEPTED], CallEventType.ENDED, (call, now) => {
      if (call.isOnHold && call.holdStartedAt) call.holdSeconds += secondsBetween(call.holdStartedAt, now);
      Object.assign(call, {
        status: CallStatus.COMPLETED,
        endedAt: now,
        isOnHold: false,
        holdStartedAt: null,
        duration: secondsBetween(call.answeredAt ?? call.createdAt, now),
      });
      if (outcome !== undefined) call.outcome = outcome;
    });
  }

  /** A ringing call the caller hung up on (the PBX says so): missed. */
  async hangUpRinging(em: EntityManager, caller: SignedIn, id: string): Promise<Call> {
    return this.change(em, caller, id, [CallStatus.INCOMING], CallEventType.MISSED, (call, now) => {
      Object.assign(call, { status: CallStatus.MISSED, ringDeadline: null, endedAt: now });
    });
  }

  async hold(em: EntityManager, caller: SignedIn, id: string, hold: boolean): Promise<Call> {
    return this.change(
      em,
      caller,
      id,
      [CallStatus.ACCEPTED],
      CallEventType.HOLD_CHANGED,
      (call, now) => {
        if (hold === call.isOnHold) return;
        if (hold) Object.assign(call, { isOnHold: true, holdStartedAt: now });
        else
          Object.assign(call, {
            isOnHold: false,
            holdStartedAt: null,
            holdSeconds: call.holdSeconds + secondsBetween(call.holdStartedAt ?? now, now),
          });
      },
      { isOnHold: hold },
    );
  }

  /** Moves a call to another online user of the organization. */
  async transfer(em: EntityManager, caller: SignedIn, id: string, input: TransferCallInput): Promise<Call> {
    const targetUserId = integerId(input.targetUserId, 'user');
    const visible = await findVisibleCall(em, caller, id);
    if (visible.assignedUserId === targetUserId) throw conflict(`Call ${visible.id} is already with user ${targetUserId}`);
    await this.directory.assertOnline(caller, targetUserId);
    let from: number | null = null;
    return this.change(
      em,
      caller,
      id,
      [CallStatus.INCOMING, CallStatus.ACCEPTED],
      CallEventType.TRANSFERRED,
      (c) => {
        from = c.assignedUserId ?? c.answeredByUserId ?? null;
        c.assignedUserId = targetUserId;
        c.transferCount += 1;
      },
      { targetUserId, reason: input.reason ?? null, fromUserId: () => from },
    );
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: UpdateCallInput): Promise<Call> {
    const notesChanged = input.notes !== undefined;
    return this.change(em, caller, id, undefined, notesChanged ? CallEventType.NOTES_UPDATED : CallEventType.UPDATED, (call) => {
      em.assign(call, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
      if (input.customerPhone !== undefined) call.customerPhone = input.customerPhone;
    });
  }

  /**
   * The ring-timeout job of one call: missed if it still rings at its deadline, else nothing (so a repeat
   * is harmless). A job that runs early (clocks apart) sends itself again for the deadline.
   */
  async missIfRinging(em: EntityManager, callId: number): Promise<{ missed: boolean }> {
    return em.transactional(
      async (tx) => {
        const call = await tx.findOne(Call, { id: callId, status: CallStatus.INCOMING }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!call?.ringDeadline) return { missed: false };
        if (call.ringDeadline.getTime() > Date.now()) {
          await this.jobs.send(this.ringTimeout, { callId }, { em: tx, startAfter: call.ringDeadline });
          return { missed: false };
        }
        Object.assign(call, { status: CallStatus.MISSED, ringDeadline: null, endedAt: new Date() });
        await tx.flush();
        await this.record(tx, call, CallEventType.MISSED, {});
        return { missed: true };
      },
      { loggerContext: em.getLoggerContext() /* begin/commit are labelled like the fork (background) */ },
    );
  }

  /**
   * Ringing calls past their deadline become missed; safe to run on every replica at once. Run once at
   * start for calls that rang before their jobs existed.
   */
  async missOverdue(em: EntityManager): Promise<number> {
    return em.transactional(
      async (tx) => {
        const overdue = await tx.find(
          Call,
          { status: CallStatus.INCOMING, ringDeadline: { $lte: new Date() } },
          { limit: 500, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE /* skip rows another replica holds */ },
        );
        for (const call of overdue) {
          Object.assign(call, { status: CallStatus.MISSED, ringDeadline: null, endedAt: new Date() });
        }
        await tx.flush();
        for (const call of overdue) await this.record(tx, call, CallEventType.MISSED, {});
        return overdue.length;
      },
      { loggerContext: em.getLoggerContext() /* begin/commit are labelled like the fork (background) */ },
    );
  }

  /** Loads, checks the status, applies `mutate`, records and publishes the event, in one transaction. */
  private async change(
    em: EntityManager,
    caller: SignedIn,
    id: string,
    allowed: CallStatus[] | undefined,
    type: CallEventType,
    mutate: (call: Call, now: Date) => void,
    extra: { isOnHold?: boolean; targetUserId?: number; reason?: string | null; fromUserId?: () => number | null } = {},
  ): Promise<Call> {
    return em.transactional(async (tx) => {
      const call = await tx.findOne(Call, { id: integerId(id, 'call'), ...visibleCalls(caller) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!call) throw notFound('Call');
      if (allowed && !allowed.includes(call.status))
        throw conflict(`Call ${call.id} is ${call.status}; this needs it to be ${allowed.join(' or ')}`);
      mutate(call, new Date());
      await tx.flush();
      await this.record(tx, call, type, {
        actorUserId: actorOf(caller),
        targetUserId: extra.targetUserId,
        reason: extra.reason,
        isOnHold: extra.isOnHold,
        fromUserId: extra.fromUserId?.(),
      });
      return call;
    });
  }

  private async record(
    tx: EntityManager,
    call: Call,
    type: CallEventType,
    details: {
      actorUserId?: number | null;
      targetUserId?: number | null;
      fromUserId?: number | null;
      reason?: string | null;
      isOnHold?: boolean;
    },
  ): Promise<CallEvent> {
    const event = tx.create(CallEvent, {
      organizationId: call.organizationId,
      call,
      type,
      actorUserId: details.actorUserId ?? null,
      fromUserId: details.fromUserId ?? null,
      targetUserId: details.targetUserId ?? null,
      reason: details.reason ?? null,
      isOnHold: details.isOnHold ?? null,
    });
    await tx.flush();
    const payload: CallEventPayload = {
      eventId: event.id,
      type,
      callId: call.id,
      organizationId: call.organizationId,
      assignedUserId: call.assignedUserId ?? null,
      answeredByUserId: call.answeredByUserId ?? null,
      actorUserId: event.actorUserId ?? null,
      targetUserId: event.targetUserId ?? null,
    };
    await this.bus.publish(tx, CALL_EVENT_TOPIC, payload as unknown as Record<string, unknown>);
    return event;
  }

  private notRinging(call: Call) {
    return conflict(`Call ${call.id} is no longer ringing; it was answered, rejected or missed already`);
  }
}
