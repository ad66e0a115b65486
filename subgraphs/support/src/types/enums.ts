import { registerEnumType } from 'type-graphql';

// The enums stored in columns: the entities map them and the GraphQL types expose them. Stored values are
// the lower-case ones seed 003 shows.

export enum Department {
  TECHNICAL = 'technical',
  SALES = 'sales',
  BILLING = 'billing',
  GENERAL = 'general',
}
registerEnumType(Department, { name: 'Department', description: 'Which team a ticket goes to' });

export enum TicketStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  WAITING = 'waiting',
  CLOSED = 'closed',
}
registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description: 'open: new; in_progress: support works on it; waiting: for the requester; closed: resolved',
});

export enum TicketPriority {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(TicketPriority, { name: 'TicketPriority', description: 'Sets the SLA deadlines' });

/** Who wrote a ticket message: the requester's side or support. */
export enum TicketMessageRole {
  USER = 'user',
  SUPPORT = 'support',
}
registerEnumType(TicketMessageRole, { name: 'TicketMessageRole' });

/** Which SLA deadline. */
export enum SlaKind {
  FIRST_RESPONSE = 'first_response',
  RESOLUTION = 'resolution',
}
registerEnumType(SlaKind, { name: 'SlaKind', description: 'first_response: support first answers; resolution: the ticket is closed' });
