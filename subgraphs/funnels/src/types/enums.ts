import { registerEnumType } from 'type-graphql';

// The enums stored in columns: the entities map them and the GraphQL types expose them, so each list of
// values is written here once. Stored values are the lower-case ones the legacy APIs show.

/** Where a client writes from: a messenger connection's type, or the web chat widget. */
export enum Channel {
  TELEGRAM = 'telegram',
  WHATSAPP = 'whatsapp',
  WIDGET = 'widget',
}
registerEnumType(Channel, { name: 'Channel', description: 'The messenger a dialog runs in' });

/** Messengers a funnel connects through a token (the widget is a `WidgetInstance` instead). */
export enum MessengerType {
  TELEGRAM = 'telegram',
  WHATSAPP = 'whatsapp',
}
registerEnumType(MessengerType, { name: 'MessengerType' });

/** Whether a connection's webhook is registered with its messenger. */
export enum ConnectionState {
  STOPPED = 'stopped',
  RUNNING = 'running',
  FAILED = 'failed',
}
registerEnumType(ConnectionState, {
  name: 'ConnectionState',
  description: 'stopped: not receiving; running: the webhook is registered; failed: the last start failed (see lastError)',
});

export enum ClientStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
}
registerEnumType(ClientStatus, { name: 'ClientStatus' });

/** The client's current stage of the relationship (seed 003: новый / постоянный / неактивный). */
export enum ClientType {
  NEW = 'new',
  REGULAR = 'regular',
  INACTIVE = 'inactive',
}
registerEnumType(ClientType, { name: 'ClientType', description: 'new, regular (bought before) or inactive' });

export enum DialogStatus {
  OPEN = 'open',
  PENDING = 'pending',
  WON = 'won',
  LOST = 'lost',
  CLOSED = 'closed',
}
registerEnumType(DialogStatus, {
  name: 'DialogStatus',
  description: 'open: in progress; pending: waiting on the client; won/lost: the deal ended; closed: ended without a deal',
});

export enum MessageRole {
  USER = 'user',
  ASSISTANT = 'assistant',
  MANAGER = 'manager',
}
registerEnumType(MessageRole, {
  name: 'MessageRole',
  description: 'user: the client; assistant: the AI or a follow-up; manager: a person',
});

/** How an outgoing message fared; a client's own messages are `received`. */
export enum DeliveryStatus {
  RECEIVED = 'received',
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
}
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'received: the client wrote it; pending: being sent; sent: the messenger accepted it; failed: see deliveryError',
});
