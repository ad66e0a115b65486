import { registerEnumType } from 'type-graphql';

// The enums stored in columns: the entities map them (`p.enum(() => CallStatus)`) and the GraphQL types
// expose them, so each list of values is written here once. Stored values are the lower-case ones.

export enum CallStatus {
  INCOMING = 'incoming',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
  MISSED = 'missed',
  COMPLETED = 'completed',
}
registerEnumType(CallStatus, { name: 'CallStatus', description: 'incoming → accepted | rejected | missed; accepted → completed' });

export enum CallPriority {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(CallPriority, { name: 'CallPriority' });

export enum CallEventType {
  INCOMING = 'incoming',
  ANSWERED = 'answered',
  REJECTED = 'rejected',
  MISSED = 'missed',
  ENDED = 'ended',
  NOTES_UPDATED = 'notes_updated',
  HOLD_CHANGED = 'hold_changed',
  TRANSFERRED = 'transferred',
  UPDATED = 'updated',
}
registerEnumType(CallEventType, { name: 'CallEventType' });

export enum CallTaskStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  DONE = 'done',
  CANCELLED = 'cancelled',
}
registerEnumType(CallTaskStatus, { name: 'CallTaskStatus' });
