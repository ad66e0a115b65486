import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  ActiveCallsEventDocument,
  CallAnsweredEventDocument,
  CallEndedEventDocument,
  CallHoldChangedEventDocument,
  CallNotesUpdatedEventDocument,
  IncomingCallEventDocument,
  IncomingTransferEventDocument,
  TransferInitiatedEventDocument,
  type SeedCallEventFieldsFragment,
} from '../generated/graphql.js';
import { CallEventType } from '../generated/enums.js';
import type { RestRoute } from '../rest/route.js';
import { activeCall, callItem, seed002 } from '../rest/seed-002.js';
import { refId } from '../rest/shapes.js';

/** A server event: the subscription it comes from, and the seed's payload made from one result. */
export interface ServerEvent {
  name: string;
  /** For the protocol's page (`/docs/socket-io`): when it comes and what it carries. */
  description: string;
  /** A subscription of one root field, with a fixed selection (codegen-typed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of documents of different result types
  subscription: TypedDocumentNode<any, Record<string, never>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed per entry by `serverEvent`
  payload: (data: any) => unknown;
}

const serverEvent = <T>(
  name: string,
  description: string,
  subscription: TypedDocumentNode<T, Record<string, never>>,
  payload: (data: T) => unknown,
): ServerEvent => ({ name, description, subscription, payload });

/** Who did it, as the seed's numeric user id (null for an API key's own automation or the ring timeout). */
const actorOf = (e: SeedCallEventFieldsFragment) => refId(e.actor);

const transfer = (e: SeedCallEventFieldsFragment) => ({
  callId: Number(e.call.id),
  call: callItem(e.call),
  fromUser: refId(e.fromUser),
  toUser: refId(e.toUser),
  transferReason: e.reason,
});

/**
 * Seed 002's server events (`WebSocket События`), each from the calls subgraph's subscription of the same
 * meaning, so a socket sees exactly what a GraphQL subscriber with its credential would. Payloads the seed
 * shows are kept to the letter (`incoming-call`, `incoming-transfer`, `call-hold-changed`); the others carry
 * the call id, who acted, and the call as `GET /api/calls` lists it.
 */
export const SERVER_EVENTS: ServerEvent[] = [
  serverEvent(
    'incoming-call',
    'A call rings that you may see: `{id, caller_number, receiver_number, timestamp, assigned_user_id, caller_company_id}`',
    IncomingCallEventDocument,
    ({ incomingCall: { call } }) => ({
      id: Number(call.id),
      caller_number: call.callerNumber,
      receiver_number: call.receiverNumber,
      timestamp: call.startedAt,
      assigned_user_id: refId(call.assignedUser),
      caller_company_id: refId(call.callerCompany),
    }),
  ),
  serverEvent(
    'call-answered',
    'A call was accepted or rejected: `{callId, action: accept|reject, userId, call}`',
    CallAnsweredEventDocument,
    ({ callAnswered: e }) => ({
      callId: Number(e.call.id),
      action: e.type === CallEventType.Rejected ? 'reject' : 'accept',
      userId: actorOf(e),
      call: callItem(e.call),
    }),
  ),
  serverEvent(
    'call-ended',
    'A call ended or was missed: `{callId, status: completed|missed, duration, userId, call}`',
    CallEndedEventDocument,
    ({ callEnded: e }) => ({
      callId: Number(e.call.id),
      status: e.type === CallEventType.Missed ? 'missed' : 'completed',
      duration: e.call.duration,
      userId: actorOf(e),
      call: callItem(e.call),
    }),
  ),
  serverEvent(
    'call-notes-updated',
    'The notes of a call changed: `{callId, notes, userId, call}`',
    CallNotesUpdatedEventDocument,
    ({ callNotesUpdated: e }) => ({
      callId: Number(e.call.id),
      notes: e.call.notes,
      userId: actorOf(e),
      call: callItem(e.call),
    }),
  ),
  serverEvent(
    'call-hold-changed',
    'A call was put on hold or resumed: `{callId, isHold, userId}`',
    CallHoldChangedEventDocument,
    ({ callHoldChanged: e }) => ({
      callId: Number(e.call.id),
      isHold: e.isOnHold ?? e.call.isOnHold,
      userId: actorOf(e),
    }),
  ),
  serverEvent(
    'incoming-transfer',
    'A call was transferred to you: `{callId, call, fromUser, transferReason}`',
    IncomingTransferEventDocument,
    ({ incomingTransfer: e }) => {
      const { callId, call, fromUser, transferReason } = transfer(e);
      return { callId, call, fromUser, transferReason };
    },
  ),
  serverEvent(
    'transfer-initiated',
    'A transfer you made (managers: any in your organization): `{callId, call, fromUser, toUser, transferReason}`',
    TransferInitiatedEventDocument,
    ({ transferInitiated: e }) => transfer(e),
  ),
  serverEvent(
    'active-calls',
    'The calls ringing or in progress, again on every change: an array as `GET /api/calls/active` answers',
    ActiveCallsEventDocument,
    ({ activeCalls }) => activeCalls.map(activeCall),
  ),
];

/** A client event that runs one of seed 002's REST action routes with the same body, the call id in `callId`. */
export interface ClientAction {
  name: string;
  route: RestRoute;
}

const actionRoute = (path: string): RestRoute => {
  const found = seed002.routes.find((r) => r.method === 'post' && r.path === `/api/calls/:id/${path}`);
  if (!found) throw new Error(`seed 002 has no route POST /api/calls/:id/${path}`);
  return found;
};

/** Seed 002's client events; each is `POST /api/calls/:id/<action>` of the REST table, so one rule serves both. */
export const CLIENT_ACTIONS: ClientAction[] = [
  { name: 'answer-call', route: actionRoute('answer') },
  { name: 'end-call', route: actionRoute('end') },
  { name: 'hold-call', route: actionRoute('hold') },
  { name: 'transfer-call', route: actionRoute('transfer') },
  { name: 'update-call-notes', route: actionRoute('notes') },
];

export { seed002 as seed002Api };
