// A call-center screen's data layer written against the generated types: what a front end does with them.
import type { ResultOf } from '@graphql-typed-document-node/core';
import { ChatCompletionStream, ImportLeads, IncomingCall, RecentCalls, UpdateCallNotes } from './operations';
import { connect, type ApiConnection } from './transport';

type RecentCall = ResultOf<typeof RecentCalls>['calls']['nodes'][number];

export interface CallRow {
  id: string;
  caller: string;
  manager: string;
  /** DateTimeISO arrives as an ISO string. */
  startedAt: string;
  minutes: number | null;
  leadName: string | null;
}

export function callRow(call: RecentCall): CallRow {
  const manager = call.assignedUser ? [call.assignedUser.firstName, call.assignedUser.lastName].filter(Boolean).join(' ') : '—';
  return {
    id: call.id,
    caller: call.callerNumber,
    manager,
    startedAt: call.startedAt,
    minutes: call.duration === null ? null : Math.round(call.duration / 60),
    leadName: call.lead?.name ?? null,
  };
}

export async function callCenter(connection: ApiConnection, since: Date) {
  const api = connect(connection);

  const { calls } = await api.request(RecentCalls, { first: 50, status: 'COMPLETED', from: since });
  const rows = calls.nodes.map(callRow);
  const first = calls.nodes[0];
  const firstEnded: Date | null = first?.endedAt ? new Date(first.endedAt) : null;

  const noted = first ? await api.request(UpdateCallNotes, { id: first.id, notes: 'Called back' }) : undefined;
  const updatedAt: string | undefined = noted?.updateCallNotes.updatedAt;

  const csv = new File(['name,phone\nAnna,+77771234567\n'], 'leads.csv', { type: 'text/csv' });
  const { importLeads } = await api.upload(ImportLeads, { file: csv, merge: true });
  const finished = importLeads.status === 'COMPLETED' ? `${importLeads.created} of ${importLeads.total} created` : 'running';

  const ringing: CallRow[] = [];
  const stopRinging = api.subscribe(IncomingCall, {}, ({ incomingCall }) => {
    const occurredAt: string = incomingCall.occurredAt;
    ringing.push({
      id: incomingCall.call.id,
      caller: incomingCall.call.callerNumber,
      manager: incomingCall.call.assignedUser?.firstName ?? '—',
      startedAt: occurredAt,
      minutes: null,
      leadName: null,
    });
  });

  let answer = '';
  const stopStream = api.subscribe(
    ChatCompletionStream,
    { input: { messages: [{ role: 'USER', content: 'Summarise today’s calls' }] } },
    ({ chatCompletionStream: event }) => {
      if ('delta' in event) answer += event.delta;
      else console.log(`${event.model} answered for $${event.cost.toFixed(4)}`);
    },
  );

  return {
    rows,
    firstEnded,
    updatedAt,
    finished,
    ringing,
    answer: () => answer,
    stop: async () => {
      stopRinging();
      stopStream();
      await api.close();
    },
  };
}
