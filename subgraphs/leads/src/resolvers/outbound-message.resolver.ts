import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  WRITERS,
  badInput,
  conflict,
  connectionOf,
  requireRole,
  windowOf,
  uuidOrNothing,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { OutboundMessage } from '../entities/index.js';
import { findVisibleLead, visibleLeads } from '../services/access.js';
import { findVisibleMessage, hasStatus, type OutboundMail } from '../services/outbound-mail.js';
import { OutboundMessageStatus } from '../types/enums.js';
import { CreateOutboundMessageInput, OutboundMessageListArgs, UpdateOutboundMessageInput } from '../types/inputs.js';
import { OutboundMessageConnection, OutboundMessageType } from '../types/outbound-message.type.js';

/** E-mails to leads (seed 000 messages): seen and written by whoever sees the lead; guests only read. */
@Resolver(() => OutboundMessageType)
export class OutboundMessageResolver {
  constructor(private readonly mail: OutboundMail) {}

  @Authorized()
  @Query(() => OutboundMessageConnection, { description: 'Messages to leads you may see, newest first' })
  async outboundMessages(@Args() args: OutboundMessageListArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const lead = args.leadId != null ? uuidOrNothing(args.leadId) : undefined;
    if (args.leadId != null && !lead) return connectionOf([], 0, window);
    return findPage(
      em,
      OutboundMessage,
      { lead: { ...visibleLeads(caller), ...(lead ? { id: lead } : {}) }, ...(args.status ? { status: args.status } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
      window,
    );
  }

  @Authorized()
  @Query(() => OutboundMessageType, { nullable: true })
  outboundMessage(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<OutboundMessage | null> {
    return findVisibleMessage(em, requireRole(identity), id).catch(() => null);
  }

  @Authorized(WRITERS)
  @Mutation(() => OutboundMessageType, { description: 'Writes a draft; sendOutboundMessage sends it' })
  async createOutboundMessage(
    @Arg('input') input: CreateOutboundMessageInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<OutboundMessage> {
    const caller = requireRole(identity, WRITERS);
    const lead = await findVisibleLead(em, caller, input.leadId);
    const toAddress = input.toAddress?.trim() || lead.email;
    if (!toAddress) throw badInput('The lead has no e-mail address: give toAddress', [{ field: 'toAddress', message: 'required' }]);
    const message = em.create(OutboundMessage, {
      organizationId: caller.organizationId,
      lead,
      createdByUserId: caller.userId,
      toAddress,
      subject: input.subject,
      body: input.body,
    });
    await em.flush();
    return message;
  }

  @Authorized(WRITERS)
  @Mutation(() => OutboundMessageType, { description: 'Changes a draft or a failed message' })
  async updateOutboundMessage(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateOutboundMessageInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<OutboundMessage> {
    const message = await findVisibleMessage(em, requireRole(identity, WRITERS), id);
    if (hasStatus(message, OutboundMessageStatus.QUEUED, OutboundMessageStatus.SENT))
      throw conflict(`A ${message.status} message cannot be changed`);
    if (input.toAddress != null) message.toAddress = input.toAddress.trim();
    if (input.subject != null) message.subject = input.subject;
    if (input.body != null) message.body = input.body;
    await em.flush();
    return message;
  }

  @Authorized(WRITERS)
  @Mutation(() => ID)
  async deleteOutboundMessage(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    const message = await findVisibleMessage(em, requireRole(identity, WRITERS), id);
    if (hasStatus(message, OutboundMessageStatus.QUEUED)) throw conflict('The message is being sent');
    await em.remove(message).flush();
    return id;
  }

  @Authorized(WRITERS)
  @Mutation(() => OutboundMessageType, { description: 'Queues the message for delivery over SMTP; its status tells how it went' })
  sendOutboundMessage(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<OutboundMessage> {
    return this.mail.send(em, requireRole(identity, WRITERS), id);
  }

  @FieldResolver(() => ID)
  leadId(@Root() message: OutboundMessage): string {
    return message.lead.id;
  }
}
