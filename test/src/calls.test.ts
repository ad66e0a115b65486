import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';

const CREATE = `mutation($input: CreateCallInput!) { createCall(input: $input) { id status callerNumber assignedUser { id } callerCompany { id name } } }`;
const ANSWER = `mutation($id: ID!, $input: AnswerCallInput) { answerCall(id: $id, input: $input) { id status answeredBy { id } customerName notes } }`;
const GET = `query($id: ID!) { call(id: $id) { id status duration holdSeconds isOnHold transferCount assignedUser { id } endedAt outcome } }`;

async function createCall(url: string, token: string, input: Record<string, unknown>) {
  const result = await graphql(url, CREATE, { input: { callerNumber: '+7 (495) 123-45-67', ...input } }, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data.createCall as { id: string; status: string; callerCompany: { id: string; name: string } | null };
}

describe('calls: lifecycle', () => {
  let s: Stack;
  let admin: Account;
  let agent: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    agent = await newMember(s.url, admin, 'USER');
  });

  it('rings, is accepted, held, resumed and ended with durations computed', async () => {
    const call = await createCall(s.url, admin.token, { assignedUserId: agent.id });
    assert.equal(call.status, 'INCOMING');
    const answered = await graphql(
      s.url,
      ANSWER,
      { id: call.id, input: { action: 'ACCEPT', customerName: 'Иван Петров', quickNotes: 'про услуги' } },
      { token: agent.token },
    );
    assert.deepEqual(
      [answered.data.answerCall.status, answered.data.answerCall.answeredBy.id, answered.data.answerCall.notes],
      ['ACCEPTED', agent.id, 'про услуги'],
    );

    const held = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          holdCall(id: $id, hold: true) {
            isOnHold
          }
        }
      `,
      { id: call.id },
      { token: agent.token },
    );
    assert.equal(held.data.holdCall.isOnHold, true);
    // Time is what is measured here: held for over a second, the call must count a second of hold.
    await sleep(1100);
    await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          holdCall(id: $id, hold: false) {
            isOnHold
          }
        }
      `,
      { id: call.id },
      { token: agent.token },
    );
    const ended = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          endCall(id: $id, outcome: "Договорились о встрече") {
            status
            duration
          }
        }
      `,
      { id: call.id },
      { token: agent.token },
    );
    assert.equal(ended.data.endCall.status, 'COMPLETED');
    const after = (await graphql(s.url, GET, { id: call.id }, { token: agent.token })).data.call;
    assert.ok(after.holdSeconds >= 1, `hold time accumulated: ${after.holdSeconds}`);
    assert.ok(after.duration >= 1);
    assert.equal(after.outcome, 'Договорились о встрече');

    const again = await graphql(s.url, ANSWER, { id: call.id }, { token: agent.token });
    assert.equal(codeOf(again), 'CONFLICT');
    const endAgain = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          endCall(id: $id) {
            id
          }
        }
      `,
      { id: call.id },
      { token: agent.token },
    );
    assert.equal(codeOf(endAgain), 'CONFLICT');
  });

  it('gives exactly one success to 50 parallel answers', async () => {
    const call = await createCall(s.url, admin.token, { assignedUserId: agent.id });
    const results = await Promise.all(Array.from({ length: 50 }, () => graphql(s.url, ANSWER, { id: call.id }, { token: admin.token })));
    assert.equal(results.filter((r) => r.data?.answerCall).length, 1);
    assert.equal(results.filter((r) => codeOf(r) === 'CONFLICT').length, 49);
  });

  it('marks a call nobody answers as missed after its ring timeout', async () => {
    const call = await createCall(s.url, admin.token, { ringTimeoutSeconds: 1 });
    const statusOf = async () => (await graphql(s.url, GET, { id: call.id }, { token: admin.token })).data.call.status;
    // Time itself again: not yet a second after the call, it must still ring.
    await sleep(900);
    assert.equal(await statusOf(), 'INCOMING', 'still ringing before its timeout');
    // The sweep runs every second: missed within about two seconds of the call (polled, so a busy machine doesn't flake).
    for (let waited = 0; waited < 8000 && (await statusOf()) !== 'MISSED'; waited += 200) await sleep(200);
    assert.equal(await statusOf(), 'MISSED');
    assert.equal(codeOf(await graphql(s.url, ANSWER, { id: call.id }, { token: admin.token })), 'CONFLICT');
  });

  it('transfers only to online users of the same organization', async () => {
    const target = await newMember(s.url, admin, 'USER');
    const call = await createCall(s.url, admin.token, { assignedUserId: agent.id });
    const TRANSFER = `mutation($id: ID!, $to: ID!) { transferCall(id: $id, input: {targetUserId: $to, reason: "Специалист"}) { transferCount assignedUser { id } } }`;
    assert.equal(
      codeOf(await graphql(s.url, TRANSFER, { id: call.id, to: target.id }, { token: agent.token })),
      'CONFLICT',
      'offline target',
    );
    await graphql(
      s.url,
      `
        mutation {
          setPresence(status: ONLINE) {
            id
          }
        }
      `,
      {},
      { token: target.token },
    );
    const available = await graphql(
      s.url,
      `
        {
          availableUsers {
            id
            status
          }
        }
      `,
      {},
      { token: agent.token },
    );
    assert.ok(available.data.availableUsers.some((u: { id: string; status: string }) => u.id === target.id && u.status === 'ONLINE'));
    const moved = await graphql(s.url, TRANSFER, { id: call.id, to: target.id }, { token: agent.token });
    assert.deepEqual(moved.data.transferCall, { transferCount: 1, assignedUser: { id: target.id } });
    const other = await newOrganization(s.url);
    const foreign = await graphql(s.url, TRANSFER, { id: call.id, to: other.id }, { token: admin.token });
    assert.equal(codeOf(foreign), 'NOT_FOUND');
  });

  it('shows plain users only their calls; other organizations see nothing', async () => {
    const mine = await createCall(s.url, admin.token, { assignedUserId: agent.id });
    const notMine = await createCall(s.url, admin.token, {});
    const list = await graphql(
      s.url,
      `
        {
          calls(first: 200) {
            nodes {
              id
            }
          }
        }
      `,
      {},
      { token: agent.token },
    );
    const ids = list.data.calls.nodes.map((c: { id: string }) => c.id);
    assert.ok(ids.includes(mine.id) && !ids.includes(notMine.id));
    assert.equal((await graphql(s.url, GET, { id: notMine.id }, { token: agent.token })).data.call, null);
    assert.equal(codeOf(await graphql(s.url, ANSWER, { id: notMine.id }, { token: agent.token })), 'NOT_FOUND');
    const other = await newOrganization(s.url);
    assert.equal((await graphql(s.url, GET, { id: mine.id }, { token: other.token })).data.call, null);
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            mutation ($id: ID!) {
              endCall(id: $id) {
                id
              }
            }
          `,
          { id: mine.id },
          { token: other.token },
        ),
      ),
      'NOT_FOUND',
    );
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: { callerNumber: '+74951234567' } }, { token: guest.token })), 'FORBIDDEN');
  });

  it('keeps plain users to their own records on every path: external ids and tasks', async () => {
    // A plain user can't claim a PBX call id ahead of the PBX, nor reach a call through one.
    const pbxCall = await graphql(
      s.url,
      CREATE,
      { input: { callerNumber: '+74951230001', externalId: 'pbx-owned-1' } },
      { token: admin.token },
    );
    assert.ok(pbxCall.data, JSON.stringify(pbxCall.errors));
    const again = await graphql(
      s.url,
      CREATE,
      { input: { callerNumber: '+74951230001', externalId: 'pbx-owned-1' } },
      { token: admin.token },
    );
    assert.equal(again.data.createCall.id, pbxCall.data.createCall.id, 'idempotent for those who see it');
    for (const externalId of ['pbx-owned-1', 'pbx-not-yet']) {
      const claimed = await graphql(
        s.url,
        CREATE,
        { input: { callerNumber: '+74951230001', externalId, assignedUserId: agent.id } },
        { token: agent.token },
      );
      assert.equal(codeOf(claimed), 'FORBIDDEN', externalId);
    }
    // Tasks: a user changes only tasks assigned to or created by them, as they list only those.
    const colleague = await newMember(s.url, admin, 'USER');
    const task = await graphql(
      s.url,
      `
        mutation {
          createCallTask(input: { title: "Перезвонить" }) {
            id
          }
        }
      `,
      {},
      { token: colleague.token },
    );
    assert.ok(task.data, JSON.stringify(task.errors));
    const UPDATE_TASK = `mutation($id: ID!) { updateCallTask(id: $id, input: {title: "Чужая задача"}) { id title } }`;
    assert.equal(codeOf(await graphql(s.url, UPDATE_TASK, { id: task.data.createCallTask.id }, { token: agent.token })), 'NOT_FOUND');
    assert.equal(
      (await graphql(s.url, UPDATE_TASK, { id: task.data.createCallTask.id }, { token: admin.token })).data.updateCallTask.title,
      'Чужая задача',
    );
  });

  it('refuses bad input with coded errors', async () => {
    assert.equal(
      codeOf(await graphql(s.url, CREATE, { input: { callerNumber: 'not a phone' } }, { token: admin.token })),
      'BAD_USER_INPUT',
    );
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: { callerNumber: '12' } }, { token: admin.token })), 'BAD_USER_INPUT');
    assert.equal(codeOf(await graphql(s.url, GET, { id: 'x' }, { token: admin.token })), 'BAD_USER_INPUT');
    assert.equal(
      codeOf(await graphql(s.url, CREATE, { input: { callerNumber: '+74951234567', assignedUserId: '999999' } }, { token: admin.token })),
      'NOT_FOUND',
    );
  });
});

describe('calls: companies, transcripts, tasks, statistics', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('finds a company by any notation of its phone and links incoming calls to it', async () => {
    const created = await graphql(
      s.url,
      `
        mutation {
          createCompany(
            input: {
              name: "ООО Технологии"
              inn: "1234567890"
              phones: [{ phoneNumber: "+7 (495) 123-45-67", contactPerson: "Иван Петров" }]
            }
          ) {
            id
            phones {
              e164
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(created.data.createCompany.phones[0].e164, '+74951234567');
    for (const phone of ['+74951234567', '8 (495) 123-45-67', '+7 495 123 45 67']) {
      const found = await graphql(
        s.url,
        `
          query ($p: String!) {
            companyByPhone(phone: $p) {
              name
              inn
            }
          }
        `,
        { p: phone },
        { token: admin.token },
      );
      assert.equal(found.data.companyByPhone?.name, 'ООО Технологии', phone);
    }
    const call = await createCall(s.url, admin.token, { callerNumber: '+74951234567' });
    assert.equal(call.callerCompany?.name, 'ООО Технологии');
    const bad = await graphql(
      s.url,
      `
        mutation {
          createCompany(input: { name: "X", inn: "12" }) {
            id
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
  });

  it('keeps transcripts in order and tasks per call', async () => {
    const call = await createCall(s.url, admin.token, {});
    const added = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          addTranscriptSegments(
            callId: $id
            input: {
              segments: [
                { speaker: "customer", text: "Добрый день", startOffset: 2, endOffset: 3.5 }
                { speaker: "agent", text: "Здравствуйте", startOffset: 0, endOffset: 1.5 }
              ]
            }
          ) {
            speaker
            startOffset
          }
        }
      `,
      { id: call.id },
      { token: admin.token },
    );
    assert.deepEqual(
      added.data.addTranscriptSegments.map((s: { speaker: string }) => s.speaker),
      ['agent', 'customer'],
    );
    const backwards = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          addTranscriptSegments(callId: $id, input: { segments: [{ speaker: "a", text: "x", startOffset: 5, endOffset: 1 }] }) {
            id
          }
        }
      `,
      { id: call.id },
      { token: admin.token },
    );
    assert.equal(codeOf(backwards), 'BAD_USER_INPUT');
    const task = await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          createCallTask(input: { callId: $id, title: "Перезвонить" }) {
            id
            status
            callId
          }
        }
      `,
      { id: call.id },
      { token: admin.token },
    );
    assert.deepEqual([task.data.createCallTask.status, task.data.createCallTask.callId], ['OPEN', call.id]);
    const tasks = await graphql(
      s.url,
      `
        query ($id: ID!) {
          callTasks(callId: $id) {
            totalCount
          }
        }
      `,
      { id: call.id },
      { token: admin.token },
    );
    assert.equal(tasks.data.callTasks.totalCount, 1);
  });

  it('computes statistics in SQL per period and per user', async () => {
    const org = await newOrganization(s.url);
    const agent = await newMember(s.url, org, 'USER');
    const a = await createCall(s.url, org.token, { assignedUserId: agent.id });
    const b = await createCall(s.url, org.token, { assignedUserId: agent.id });
    await createCall(s.url, org.token, { assignedUserId: agent.id });
    await graphql(s.url, ANSWER, { id: a.id }, { token: agent.token });
    await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          endCall(id: $id) {
            id
          }
        }
      `,
      { id: a.id },
      { token: agent.token },
    );
    await graphql(s.url, ANSWER, { id: b.id, input: { action: 'REJECT' } }, { token: agent.token });
    const stats = await graphql(
      s.url,
      `
        {
          callStatistics(period: TODAY) {
            totalCalls
            acceptedCalls
            rejectedCalls
            missedCalls
            activeCalls
            conversionRate
            transferCount
          }
        }
      `,
      {},
      { token: org.token },
    );
    assert.deepEqual(stats.data.callStatistics, {
      totalCalls: 3,
      acceptedCalls: 1,
      rejectedCalls: 1,
      missedCalls: 0,
      activeCalls: 1,
      conversionRate: 0.333,
      transferCount: 0,
    });
    const perUser = await graphql(
      s.url,
      `
        {
          userCallStatistics(period: MONTH) {
            user {
              id
              username
            }
            totalCalls
            acceptedCalls
          }
        }
      `,
      {},
      { token: org.token },
    );
    assert.deepEqual(perUser.data.userCallStatistics, [
      { user: { id: agent.id, username: agent.username }, totalCalls: 3, acceptedCalls: 1 },
    ]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const empty = await graphql(
      s.url,
      `
        query ($f: DateTimeISO!) {
          callStatistics(from: $f) {
            totalCalls
          }
        }
      `,
      { f: tomorrow },
      { token: org.token },
    );
    assert.equal(codeOf(empty), 'BAD_USER_INPUT', 'from after now');
  });

  it('lists 100 calls with assigned user and company in a constant number of statements', async () => {
    const org = await newOrganization(s.url);
    const agents = [await newMember(s.url, org, 'USER'), await newMember(s.url, org, 'USER')];
    await graphql(
      s.url,
      `
        mutation {
          createCompany(input: { name: "Acme", phones: [{ phoneNumber: "+74950000001" }] }) {
            id
          }
        }
      `,
      {},
      { token: org.token },
    );
    const query = `{ calls(first: 100) { totalCount nodes { id callerNumber assignedUser { id username firstName } callerCompany { id name } } } }`;
    const measure = async () => {
      const { statements, result } = await statementsOf(() => graphql(s.url, query, {}, { token: org.token }));
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return { statements, rows: result.data.calls.nodes.length };
    };
    for (let i = 0; i < 5; i++) await createCall(s.url, org.token, { callerNumber: '+74950000001', assignedUserId: agents[i % 2].id });
    const small = await measure();
    for (let i = 0; i < 95; i++) await createCall(s.url, org.token, { callerNumber: '+74950000001', assignedUserId: agents[i % 2].id });
    const large = await measure();
    assert.equal(large.rows, 100);
    assert.equal(
      large.statements,
      small.statements,
      `statements grew from ${small.statements} (5 calls) to ${large.statements} (100 calls)`,
    );
  });

  it('counts the calls only when totalCount is asked for, once however often it is, and knows a next page without it', async () => {
    const org = await newOrganization(s.url);
    for (let i = 0; i < 3; i++) await createCall(s.url, org.token, { callerNumber: `+7495000010${i}` });
    const page = async (args: string, fields: string) => {
      const { statements, result } = await statementsOf(() => graphql(s.url, `{ calls(${args}) { ${fields} } }`, {}, { token: org.token }));
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      return { statements, calls: result.data.calls };
    };
    const plain = await page('first: 2', 'nodes { id } pageInfo { hasNextPage hasPreviousPage }');
    assert.equal(plain.calls.nodes.length, 2);
    assert.deepEqual(plain.calls.pageInfo, { hasNextPage: true, hasPreviousPage: false });
    const counted = await page('first: 2', 'nodes { id } total: totalCount again: totalCount');
    assert.deepEqual([counted.calls.total, counted.calls.again], [3, 3]);
    assert.equal(counted.statements, plain.statements + 1, 'one count, and only when asked');
    assert.deepEqual((await page('first: 3', 'pageInfo { hasNextPage }')).calls.pageInfo, { hasNextPage: false });
    const last = await page('first: 2, offset: 2', 'nodes { id } totalCount pageInfo { hasNextPage hasPreviousPage }');
    assert.equal(last.calls.nodes.length, 1);
    assert.equal(last.calls.totalCount, 3);
    assert.deepEqual(last.calls.pageInfo, { hasNextPage: false, hasPreviousPage: true });
  });
});
