import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  PageArgs,
  UploadScalar,
  WRITERS,
  connectionOf,
  groupByKeys,
  isUuid,
  requireRole,
  windowOf,
  type SubgraphContext,
  type UploadedFile,
  findPage,
} from '@salesgraph/platform';
import { Attachment, Ticket, TicketMessage } from '../entities/index.js';
import { findVisibleTicket, visibleTickets } from '../services/access.js';
import type { DownloadLinks } from '../services/downloads.js';
import type { TicketService } from '../services/tickets.js';
import { Department, TicketPriority, TicketStatus } from '../types/enums.js';
import { CreateTicketInput, UpdateTicketInput } from '../types/inputs.js';
import { FunnelRef, UserRef, userRef } from '../types/refs.type.js';
import { AttachmentType, TicketConnection, TicketMessageConnection, TicketMessageType, TicketType } from '../types/ticket.type.js';

const attachmentsOf = (ctx: SubgraphContext, by: 'ticket' | 'message', id: string) =>
  ctx.loaders
    .get<string, Attachment[]>(`attachmentsOf:${by}`, async (ids) => {
      const rows = await ctx.em.find(
        Attachment,
        by === 'ticket' ? { ticket: { $in: [...ids] }, message: null } : { message: { $in: [...ids] } },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      return groupByKeys(ids, rows, (a) => (by === 'ticket' ? a.ticket.id : a.message!.id));
    })
    .load(id);

@Resolver(() => TicketType)
export class TicketResolver {
  constructor(private readonly service: TicketService) {}

  @Authorized()
  @Query(() => TicketConnection, {
    description: 'Tickets you may see, newest first: agents and analysts the organization’s, others their own',
  })
  async tickets(
    @Args() page: PageArgs,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('status', () => TicketStatus, { nullable: true }) status?: TicketStatus,
    @Arg('department', () => Department, { nullable: true }) department?: Department,
    @Arg('priority', () => TicketPriority, { nullable: true }) priority?: TicketPriority,
    @Arg('funnelId', () => ID, { nullable: true }) funnelId?: string,
    @Arg('overdue', () => Boolean, { nullable: true, description: 'true: only tickets with a deadline passed unmet; false: none' })
    overdue?: boolean,
  ) {
    const caller = requireRole(identity);
    const window = windowOf(page);
    if (funnelId && !isUuid(funnelId)) return connectionOf([], 0, window);
    const breached = { $or: [{ firstResponseBreachedAt: { $ne: null } }, { resolutionBreachedAt: { $ne: null } }] };
    const onTime = { firstResponseBreachedAt: null, resolutionBreachedAt: null };
    const where = {
      ...visibleTickets(caller),
      ...(status ? { status } : {}),
      ...(department ? { department } : {}),
      ...(priority ? { priority } : {}),
      ...(funnelId ? { funnelId: funnelId.toLowerCase() } : {}),
      ...(overdue === true ? breached : overdue === false ? onTime : {}),
    };
    return findPage(
      em,
      Ticket,
      where,
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  @Authorized()
  @Query(() => TicketType, { description: 'A ticket you may see' })
  ticket(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Ticket> {
    return findVisibleTicket(em, requireRole(identity), id);
  }

  @Authorized()
  @Query(() => TicketMessageConnection, { description: "A ticket's messages, oldest first" })
  async ticketMessages(@Arg('ticketId', () => ID) ticketId: string, @Args() page: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const ticket = await findVisibleTicket(em, requireRole(identity), ticketId);
    const window = windowOf(page, 50);
    return findPage(em, TicketMessage, { ticket }, { orderBy: { createdAt: 'asc', id: 'asc' } }, window);
  }

  @Authorized()
  @Query(() => TicketMessageType, { nullable: true, description: 'A message of a ticket you may see' })
  ticketMessage(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<TicketMessage | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return em.findOne(TicketMessage, { id: id.toLowerCase(), ticket: visibleTickets(requireRole(identity)) });
  }

  @Authorized(WRITERS)
  @Mutation(() => TicketType, { description: 'Open a ticket, with files (a GraphQL multipart request) if any' })
  createTicket(
    @Arg('input') input: CreateTicketInput,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('files', () => [UploadScalar], { nullable: true, description: 'At most 5 files' }) files?: UploadedFile[],
  ): Promise<Ticket> {
    return this.service.create(em, requireRole(identity, WRITERS), input, files ?? []);
  }

  @Authorized(WRITERS)
  @Mutation(() => TicketMessageType, {
    description: 'Write in a ticket: as the requester (user) or as support (agents), with files if any',
  })
  addTicketMessage(
    @Arg('ticketId', () => ID) ticketId: string,
    @Arg('text') text: string,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('files', () => [UploadScalar], { nullable: true, description: 'At most 5 files' }) files?: UploadedFile[],
  ): Promise<TicketMessage> {
    return this.service.addMessage(em, requireRole(identity, WRITERS), ticketId, text, files ?? []);
  }

  @Authorized(WRITERS)
  @Mutation(() => TicketType)
  updateTicket(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTicketInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Ticket> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID, { description: 'Delete a ticket with its messages and files' })
  deleteTicket(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<string> {
    return this.service.delete(em, requireRole(identity, WRITERS), id);
  }

  @FieldResolver(() => FunnelRef, { nullable: true, description: 'The funnel it is about (its name comes from the funnels subgraph)' })
  funnel(@Root() ticket: Ticket): FunnelRef | null {
    return ticket.funnelId ? { id: ticket.funnelId } : null;
  }

  @FieldResolver(() => UserRef)
  requester(@Root() ticket: Ticket): UserRef {
    return { id: ticket.requesterUserId };
  }

  @FieldResolver(() => UserRef, { nullable: true })
  assignee(@Root() ticket: Ticket): UserRef | null {
    return userRef(ticket.assigneeUserId);
  }

  @FieldResolver(() => Boolean, { description: 'A deadline passed unmet' })
  overdue(@Root() ticket: Ticket): boolean {
    return Boolean(ticket.firstResponseBreachedAt || ticket.resolutionBreachedAt);
  }

  @FieldResolver(() => [AttachmentType], { description: 'Files attached when it was opened' })
  attachments(@Root() ticket: Ticket, @Ctx() ctx: SubgraphContext): Promise<Attachment[]> {
    return attachmentsOf(ctx, 'ticket', ticket.id);
  }
}

@Resolver(() => TicketMessageType)
export class TicketMessageResolver {
  @FieldResolver(() => ID)
  ticketId(@Root() message: TicketMessage): string {
    return message.ticket.id;
  }

  @FieldResolver(() => UserRef)
  author(@Root() message: TicketMessage): UserRef {
    return { id: message.authorUserId };
  }

  @FieldResolver(() => [AttachmentType])
  attachments(@Root() message: TicketMessage, @Ctx() ctx: SubgraphContext): Promise<Attachment[]> {
    return attachmentsOf(ctx, 'message', message.id);
  }
}

@Resolver(() => AttachmentType)
export class AttachmentResolver {
  constructor(private readonly links: DownloadLinks) {}

  @FieldResolver({ description: 'A download link through the gateway, good for 5 minutes' })
  url(@Root() attachment: Attachment): string {
    return this.links.urlOf(attachment.id);
  }
}
