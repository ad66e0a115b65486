import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  byKeys,
  containsPattern,
  groupByKeys,
  integerId,
  requireRole,
  windowOf,
  WRITERS,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { Call, Company, TranscriptSegment } from '../entities/index.js';
import { visibleCalls } from '../services/access.js';
import type { CallLifecycle } from '../services/lifecycle.js';
import { CallConnection, CallType, TranscriptSegmentType } from '../types/call.type.js';
import { CompanyType } from '../types/company.type.js';
import { LeadRef, leadRef } from '../types/lead.type.js';
import {
  AnswerCallInput,
  CallNotesArgs,
  CallsArgs,
  CreateCallInput,
  EndCallArgs,
  TransferCallInput,
  UpdateCallInput,
} from '../types/inputs.js';
import { UserRef, userRef } from '../types/user.type.js';
import { CallStatus } from '../types/enums.js';

/** Statuses of calls still in progress. */
export const ACTIVE_STATUSES = [CallStatus.INCOMING, CallStatus.ACCEPTED];

@Resolver(() => CallType)
export class CallResolver {
  constructor(private readonly lifecycle: CallLifecycle) {}

  @Authorized()
  @Query(() => CallConnection, { description: 'Calls you may see, newest first; filter, search, page' })
  async calls(@Args() args: CallsArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args, 50);
    const where: FilterQuery<Call>[] = [visibleCalls(caller)];
    if (args.status) where.push({ status: args.status });
    if (args.from) where.push({ createdAt: { $gte: args.from } });
    if (args.to) where.push({ createdAt: { $lt: args.to } });
    if (args.userId) {
      const userId = integerId(args.userId, 'user');
      where.push({ $or: [{ assignedUserId: userId }, { answeredByUserId: userId }] });
    }
    const like = containsPattern(args.search);
    if (like) {
      const e164 = this.lifecycle.phones.toE164(args.search);
      where.push({
        $or: [
          { callerNumber: { $ilike: like } },
          { receiverNumber: { $ilike: like } },
          { customerName: { $ilike: like } },
          { notes: { $ilike: like } },
          ...(e164 ? [{ callerE164: e164 }] : []),
        ],
      });
    }
    return findPage(em, Call, { $and: where }, { orderBy: { createdAt: 'desc', id: 'desc' } }, window);
  }

  @Authorized()
  @Query(() => CallType, { nullable: true })
  async call(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Call | null> {
    return em.findOne(Call, { id: integerId(id, 'call'), ...visibleCalls(requireRole(identity)) });
  }

  @Authorized()
  @Query(() => [CallType], { description: 'Calls ringing or in progress now, oldest first' })
  activeCalls(
    @Arg('userId', () => ID, { nullable: true }) userId: string | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Call[]> {
    const user = userId ? integerId(userId, 'user') : undefined;
    return em.find(
      Call,
      {
        $and: [
          visibleCalls(requireRole(identity)),
          { status: { $in: ACTIVE_STATUSES } },
          ...(user ? [{ $or: [{ assignedUserId: user }, { answeredByUserId: user }] }] : []),
        ],
      },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Registers an incoming call (usually done by the telephony webhook)' })
  createCall(@Arg('input') input: CreateCallInput, @Ctx() { em, identity }: SubgraphContext): Promise<Call> {
    return this.lifecycle.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Changes details of a call (notes, customer, outcome…)' })
  updateCall(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCallInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Call> {
    return this.lifecycle.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Replaces the notes of a call' })
  updateCallNotes(@Args() { id, notes }: CallNotesArgs, @Ctx() { em, identity }: SubgraphContext): Promise<Call> {
    return this.lifecycle.update(em, requireRole(identity, WRITERS), id, { notes });
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Accepts or rejects a ringing call; CONFLICT when it is no longer ringing' })
  answerCall(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AnswerCallInput, { nullable: true }) input: AnswerCallInput | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Call> {
    return this.lifecycle.answer(em, requireRole(identity, WRITERS), id, input ?? { action: 'accept' as AnswerCallInput['action'] });
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Ends an answered call; its duration is computed' })
  endCall(@Args() { id, outcome }: EndCallArgs, @Ctx() { em, identity }: SubgraphContext): Promise<Call> {
    return this.lifecycle.end(em, requireRole(identity, WRITERS), id, outcome ?? undefined);
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Puts an answered call on hold, or resumes it; hold time accumulates' })
  holdCall(@Arg('id', () => ID) id: string, @Arg('hold') hold: boolean, @Ctx() { em, identity }: SubgraphContext): Promise<Call> {
    return this.lifecycle.hold(em, requireRole(identity, WRITERS), id, hold);
  }

  @Authorized(WRITERS)
  @Mutation(() => CallType, { description: 'Moves a call to another online user of your organization' })
  transferCall(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: TransferCallInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Call> {
    return this.lifecycle.transfer(em, requireRole(identity, WRITERS), id, input);
  }

  @FieldResolver(() => Date)
  startedAt(@Root() call: Call): Date {
    return call.createdAt;
  }

  @FieldResolver(() => Int, { description: 'Seconds on hold so far, the current hold included' })
  holdSeconds(@Root() call: Call): number {
    const current = call.isOnHold && call.holdStartedAt ? Math.round((Date.now() - call.holdStartedAt.getTime()) / 1000) : 0;
    return call.holdSeconds + current;
  }

  @FieldResolver(() => UserRef, { nullable: true })
  assignedUser(@Root() call: Call): UserRef | null {
    return userRef(call.assignedUserId);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  answeredBy(@Root() call: Call): UserRef | null {
    return userRef(call.answeredByUserId);
  }

  @FieldResolver(() => LeadRef, {
    nullable: true,
    description:
      'The lead whose phone matched the caller when the call came in (the leads subgraph resolves it); null when none did or you may not see it',
  })
  lead(@Root() call: Call): LeadRef | null {
    return leadRef(call.leadId);
  }

  @FieldResolver(() => CompanyType, { nullable: true })
  callerCompany(@Root() call: Call, @Ctx() { em, loaders }: SubgraphContext): Promise<Company | null> | null {
    if (!call.callerCompany) return null;
    return loaders
      .get<number, Company>(
        'companyById',
        async (ids) => byKeys(ids, await em.find(Company, { id: { $in: [...ids] } }), (c) => c.id) as Company[],
      )
      .load(call.callerCompany.id);
  }

  @FieldResolver(() => [TranscriptSegmentType])
  transcript(@Root() call: Call, @Ctx() { em, loaders }: SubgraphContext): Promise<TranscriptSegment[]> {
    return loaders
      .get<number, TranscriptSegment[]>('transcriptByCall', async (ids) => {
        const rows = await em.find(TranscriptSegment, { call: { $in: [...ids] } }, { orderBy: { startOffset: 'asc', id: 'asc' } });
        return groupByKeys(ids, rows, (r) => r.call.id);
      })
      .load(call.id);
  }
}
