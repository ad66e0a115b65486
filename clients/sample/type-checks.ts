// Misuses the generated types must refuse: each `@ts-expect-error` fails the type check once its line compiles,
// e.g. when a scalar becomes `any` or a field's type loosens.
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { ChatCompletionStream, ImportLeads, RecentCalls, UpdateCallNotes } from './operations';

type Call = ResultOf<typeof RecentCalls>['calls']['nodes'][number];

export function misuses(call: Call, event: ResultOf<typeof ChatCompletionStream>['chatCompletionStream']): void {
  // @ts-expect-error DateTimeISO is an ISO string, not a Date
  const startedAt: Date = call.startedAt;
  // @ts-expect-error endedAt is null while the call goes on
  const endedAt: string = call.endedAt;
  // @ts-expect-error assignedUser is null for an unassigned call
  const managerId: string = call.assignedUser.id;
  // @ts-expect-error CallStatus is a union of its values
  const status: 'RINGING' = call.status;
  // @ts-expect-error a field the query did not select
  const notes: unknown = call.notes;
  // @ts-expect-error a ChatStreamEvent is either a delta or the final summary
  const cost: number = event.cost;
  void [startedAt, endedAt, managerId, status, notes, cost];
}

// @ts-expect-error notes is required
export const withoutNotes: VariablesOf<typeof UpdateCallNotes> = { id: '1' };
// @ts-expect-error an Upload variable is a File or Blob, not its name
export const fileByName: VariablesOf<typeof ImportLeads> = { file: 'leads.csv' };
// @ts-expect-error not a CallStatus
export const unknownStatus: VariablesOf<typeof RecentCalls> = { status: 'RINGING' };
