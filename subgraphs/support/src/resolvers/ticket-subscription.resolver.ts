import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { mayWatchTicket } from '../services/access.js';
import { TICKET_TOPIC, type TicketChange, type TicketEventPayload } from '../services/events.js';
import { TicketMessageType, TicketType } from '../types/ticket.type.js';

type TicketFilterData = SubscriptionHandlerData<TicketEventPayload, { ticketId?: string }, SubgraphContext>;

/** Ticket events a subscriber may see, with one of the given changes, of one ticket when asked. */
const ticketEvents =
  (...changes: TicketChange[]) =>
  ({ payload, context, args }: TicketFilterData) =>
    payload.changes.some((c) => changes.includes(c)) &&
    (!args.ticketId || args.ticketId.toLowerCase() === payload.ticketId) &&
    mayWatchTicket(requireRole(context.identity), payload);

// Only ids leave the subgraph: the gateway hydrates the subscriber's whole selection.
@Resolver()
export class TicketSubscriptionResolver {
  @Authorized()
  @Hydrate('ticketMessage')
  @Subscription(() => TicketMessageType, {
    topics: TICKET_TOPIC,
    filter: ticketEvents('message'),
    description: 'A message was added to a ticket you may see (of one ticket when ticketId is given)',
  })
  ticketMessageAdded(
    @Root() payload: TicketEventPayload,
    @Arg('ticketId', () => ID, { nullable: true }) _ticketId?: string,
  ): TicketMessageType {
    return { id: payload.messageId } as TicketMessageType;
  }

  @Authorized()
  @Hydrate('ticket')
  @Subscription(() => TicketType, {
    topics: TICKET_TOPIC,
    filter: ticketEvents('created', 'message', 'status', 'fields', 'sla'),
    description: 'A ticket you may see was opened or changed: a message, its status, fields, or a deadline passed unmet',
  })
  ticketUpdated(@Root() payload: TicketEventPayload, @Arg('ticketId', () => ID, { nullable: true }) _ticketId?: string): TicketType {
    return { id: payload.ticketId } as TicketType;
  }
}
