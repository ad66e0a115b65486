import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, requireRole, seesWholeOrganization, type SubgraphContext } from '@salesgraph/platform';
import { mayWatch } from '../services/access.js';
import { CALL_EVENT_TOPIC, type CallEventPayload } from '../services/lifecycle.js';
import { CallType } from '../types/call.type.js';
import { CallEventObject } from '../types/call-event.type.js';
import { CallEventType } from '../types/enums.js';

type Filter = SubscriptionHandlerData<CallEventPayload, Record<string, unknown>, SubgraphContext>;

/** Events a subscriber may see, of the given types. */
const events =
  (...types: CallEventPayload['type'][]) =>
  ({ payload, context }: Filter) =>
    types.includes(payload.type) && mayWatch(requireRole(context.identity), payload);

/** Only the event's id leaves the subgraph: the gateway hydrates the subscriber's whole selection (`Query.callEvent`). */
const eventRef = (payload: CallEventPayload) => ({ id: payload.eventId }) as unknown as CallEventObject;

/** Event types that change which calls are active. */
const ACTIVE_LIST_CHANGES: CallEventType[] = [
  CallEventType.INCOMING,
  CallEventType.ANSWERED,
  CallEventType.REJECTED,
  CallEventType.MISSED,
  CallEventType.ENDED,
  CallEventType.TRANSFERRED,
  CallEventType.HOLD_CHANGED,
];

@Resolver()
export class CallSubscriptionResolver {
  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    filter: events(CallEventType.INCOMING),
    description: 'A new call rings (seed 002 `incoming-call`)',
  })
  incomingCall(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    filter: events(CallEventType.ANSWERED, CallEventType.REJECTED),
    description: 'A call was accepted or rejected (`call-answered`)',
  })
  callAnswered(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    filter: events(CallEventType.ENDED, CallEventType.MISSED),
    description: 'A call ended or was missed (`call-ended`)',
  })
  callEnded(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    filter: events(CallEventType.NOTES_UPDATED),
    description: '`call-notes-updated`',
  })
  callNotesUpdated(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    filter: events(CallEventType.HOLD_CHANGED),
    description: '`call-hold-changed`',
  })
  callHoldChanged(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    description: 'A call was transferred to you (`incoming-transfer`)',
    filter: ({ payload, context }: Filter) => {
      const caller = requireRole(context.identity);
      return (
        payload.type === CallEventType.TRANSFERRED &&
        payload.organizationId === caller.organizationId &&
        payload.targetUserId === caller.userId
      );
    },
  })
  incomingTransfer(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('callEvent')
  @Subscription(() => CallEventObject, {
    topics: CALL_EVENT_TOPIC,
    description: 'A transfer you made, or (managers) any transfer in your organization (`transfer-initiated`)',
    filter: ({ payload, context }: Filter) => {
      const caller = requireRole(context.identity);
      return (
        payload.type === CallEventType.TRANSFERRED &&
        payload.organizationId === caller.organizationId &&
        (seesWholeOrganization(caller) || payload.actorUserId === caller.userId)
      );
    },
  })
  transferInitiated(@Root() payload: CallEventPayload): CallEventObject {
    return eventRef(payload);
  }

  @Authorized()
  @Hydrate('activeCalls')
  @Subscription(() => [CallType], {
    topics: CALL_EVENT_TOPIC,
    description: 'The active calls, sent again on every change (`active-calls`); the gateway re-reads `activeCalls`',
    filter: ({ payload, context, args }: Filter) => {
      if (!ACTIVE_LIST_CHANGES.includes(payload.type) || !mayWatch(requireRole(context.identity), payload)) return false;
      const userId = args.userId === undefined || args.userId === null ? undefined : Number(args.userId);
      return userId === undefined || payload.assignedUserId === userId || payload.answeredByUserId === userId;
    },
  })
  activeCalls(@Root() _payload: CallEventPayload, @Arg('userId', () => ID, { nullable: true }) _userId: string | null): CallType[] {
    // The list itself is read by the gateway through Query.activeCalls, as the subscriber.
    return [];
  }
}
