/** incoming → accepted | rejected | missed; accepted → completed */
export const CallStatus = {
  Incoming: 'INCOMING',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Missed: 'MISSED',
  Completed: 'COMPLETED'
} as const;

export type CallStatus = typeof CallStatus[keyof typeof CallStatus];
export const CallPriority = {
  Low: 'LOW',
  Medium: 'MEDIUM',
  High: 'HIGH',
  Urgent: 'URGENT'
} as const;

export type CallPriority = typeof CallPriority[keyof typeof CallPriority];
export const CallEventType = {
  Incoming: 'INCOMING',
  Answered: 'ANSWERED',
  Rejected: 'REJECTED',
  Missed: 'MISSED',
  Ended: 'ENDED',
  NotesUpdated: 'NOTES_UPDATED',
  HoldChanged: 'HOLD_CHANGED',
  Transferred: 'TRANSFERRED',
  Updated: 'UPDATED'
} as const;

export type CallEventType = typeof CallEventType[keyof typeof CallEventType];
export const CallTaskStatus = {
  Open: 'OPEN',
  InProgress: 'IN_PROGRESS',
  Done: 'DONE',
  Cancelled: 'CANCELLED'
} as const;

export type CallTaskStatus = typeof CallTaskStatus[keyof typeof CallTaskStatus];
/** Calendar periods up to now, in UTC */
export const StatisticsPeriod = {
  Today: 'TODAY',
  Week: 'WEEK',
  Month: 'MONTH',
  Year: 'YEAR'
} as const;

export type StatisticsPeriod = typeof StatisticsPeriod[keyof typeof StatisticsPeriod];
export const AnswerAction = {
  Accept: 'ACCEPT',
  Reject: 'REJECT'
} as const;

export type AnswerAction = typeof AnswerAction[keyof typeof AnswerAction];
/** What a user may do: admin > analyst/manager > user/web > guest (read-only) */
export const Role = {
  Admin: 'ADMIN',
  Analyst: 'ANALYST',
  Manager: 'MANAGER',
  User: 'USER',
  Web: 'WEB',
  Guest: 'GUEST'
} as const;

export type Role = typeof Role[keyof typeof Role];
/** ONLINE users can take transferred calls */
export const PresenceStatus = {
  Online: 'ONLINE',
  Away: 'AWAY',
  Busy: 'BUSY',
  Offline: 'OFFLINE'
} as const;

export type PresenceStatus = typeof PresenceStatus[keyof typeof PresenceStatus];
export const UserOrderField = {
  Id: 'ID',
  Email: 'EMAIL',
  Username: 'USERNAME',
  CreatedAt: 'CREATED_AT',
  LastName: 'LAST_NAME'
} as const;

export type UserOrderField = typeof UserOrderField[keyof typeof UserOrderField];
export const SortDirection = {
  Asc: 'ASC',
  Desc: 'DESC'
} as const;

export type SortDirection = typeof SortDirection[keyof typeof SortDirection];