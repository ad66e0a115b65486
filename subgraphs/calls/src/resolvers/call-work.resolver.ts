import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  badInput,
  Connection,
  integerId,
  notFound,
  requireRole,
  windowOf,
  WRITERS,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { CallTask, TranscriptSegment } from '../entities/index.js';
import { findVisibleCall, visibleTasks } from '../services/access.js';
import { TranscriptSegmentType } from '../types/call.type.js';
import { CallTaskType } from '../types/call-task.type.js';
import { AddTranscriptInput, CallTasksArgs, CreateCallTaskInput, UpdateCallTaskInput } from '../types/inputs.js';
import { UserRef, userRef } from '../types/user.type.js';
import { CallTaskStatus } from '../types/enums.js';

@ObjectType('CallTaskConnection')
class CallTaskConnection extends Connection(CallTaskType, 'CallTask') {}

@Resolver(() => CallTaskType)
export class CallWorkResolver {
  @Authorized()
  @Query(() => [TranscriptSegmentType], { description: "A call's transcript, in order" })
  async callTranscript(@Arg('callId', () => ID) callId: string, @Ctx() { em, identity }: SubgraphContext): Promise<TranscriptSegment[]> {
    const call = await findVisibleCall(em, requireRole(identity), callId);
    return em.find(TranscriptSegment, { call }, { orderBy: { startOffset: 'asc', id: 'asc' } });
  }

  @Authorized(WRITERS)
  @Mutation(() => [TranscriptSegmentType], { description: 'Appends transcript segments to a call; returns the whole transcript' })
  async addTranscriptSegments(
    @Arg('callId', () => ID) callId: string,
    @Arg('input') input: AddTranscriptInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<TranscriptSegment[]> {
    const call = await findVisibleCall(em, requireRole(identity, WRITERS), callId);
    input.segments.forEach((s, i) => {
      if (s.endOffset < s.startOffset)
        throw badInput(`Segment ${i} ends before it starts`, [{ field: `segments[${i}].endOffset`, message: 'is before startOffset' }]);
    });
    for (const s of input.segments) em.create(TranscriptSegment, { call, ...s });
    await em.flush();
    return em.find(TranscriptSegment, { call }, { orderBy: { startOffset: 'asc', id: 'asc' } });
  }

  @Authorized()
  @Query(() => CallTaskConnection, { description: 'Follow-up tasks: yours, or (managers) the organization’s' })
  async callTasks(@Args() args: CallTasksArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const where: FilterQuery<CallTask> = {
      ...(args.callId && { call: integerId(args.callId, 'call') }),
      ...(args.status && { status: args.status }),
      ...visibleTasks(caller),
    };
    return findPage(
      em,
      CallTask,
      where,
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  @Authorized(WRITERS)
  @Mutation(() => CallTaskType)
  async createCallTask(@Arg('input') input: CreateCallTaskInput, @Ctx() { em, identity }: SubgraphContext): Promise<CallTask> {
    const caller = requireRole(identity, WRITERS);
    const call = input.callId ? await findVisibleCall(em, caller, input.callId) : null;
    const task = em.create(CallTask, {
      organizationId: caller.organizationId,
      call,
      title: input.title.trim(),
      description: input.description ?? null,
      dueDate: input.dueDate ?? null,
      status: CallTaskStatus.OPEN,
      assignedUserId: input.assignedUserId ? integerId(input.assignedUserId, 'user') : caller.userId,
      createdByUserId: caller.userId,
    });
    await em.flush();
    return task;
  }

  @Authorized(WRITERS)
  @Mutation(() => CallTaskType)
  async updateCallTask(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCallTaskInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<CallTask> {
    const caller = requireRole(identity, WRITERS);
    const task = await em.findOne(CallTask, { id: integerId(id, 'task'), ...visibleTasks(caller) });
    if (!task) throw notFound('Task');
    em.assign(task, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
    await em.flush();
    return task;
  }

  @FieldResolver(() => ID, { nullable: true })
  callId(@Root() task: CallTask): number | null {
    return task.call?.id ?? null;
  }

  @FieldResolver(() => UserRef, { nullable: true })
  assignedUser(@Root() task: CallTask): UserRef | null {
    return userRef(task.assignedUserId);
  }

  @FieldResolver(() => UserRef)
  createdBy(@Root() task: CallTask): UserRef {
    return { id: task.createdByUserId };
  }
}
