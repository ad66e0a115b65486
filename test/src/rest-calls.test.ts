import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { anotherClient, newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, rest, unique, type RestResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const ITEM_KEYS = [
  'accepted_at',
  'answered_at',
  'answered_by_user_id',
  'assigned_user_id',
  'call_purpose',
  'caller_company_id',
  'caller_number',
  'company',
  'customer_name',
  'duration',
  'email',
  'ended_at',
  'id',
  'is_on_hold',
  'notes',
  'priority',
  'receiver_number',
  'status',
  'tags',
];
const DETAIL_KEYS = [
  'accepted_at',
  'answered_at',
  'answered_user_first_name',
  'answered_user_last_name',
  'assigned_user_first_name',
  'assigned_user_last_name',
  'call_purpose',
  'caller_company_inn',
  'caller_company_name',
  'caller_number',
  'customer_company',
  'customer_email',
  'customer_name',
  'customer_phone',
  'duration',
  'ended_at',
  'follow_up_date',
  'id',
  'notes',
  'outcome',
  'priority',
  'receiver_number',
  'recording_url',
  'status',
  'tags',
  'transfer_count',
];
const ACTIVE_KEYS = [
  'assigned_user_first_name',
  'assigned_user_last_name',
  'caller_number',
  'channel_id',
  'id',
  'is_muted',
  'is_on_hold',
  'is_speaker_on',
  'receiver_number',
  'started_at',
  'status',
];
const OVERVIEW_KEYS = [
  'accepted_calls',
  'active_calls',
  'avg_duration',
  'conversion_rate',
  'missed_calls',
  'rejected_calls',
  'total_calls',
  'total_duration',
  'total_hold_time',
  'transfer_count',
];
const USER_STATS_KEYS = [
  'accepted_calls',
  'avg_duration',
  'first_name',
  'last_name',
  'missed_calls',
  'rejected_calls',
  'total_calls',
  'total_duration',
  'user_id',
];
const V1_CALL_KEYS = [
  'accepted_at',
  'answered_at',
  'answered_by_id',
  'assigned_user_id',
  'caller_company_id',
  'caller_number',
  'channel_id',
  'created_at',
  'customer_company',
  'customer_email',
  'customer_name',
  'customer_phone',
  'duration',
  'ended_at',
  'follow_up_date',
  'hold_seconds',
  'id',
  'is_muted',
  'is_on_hold',
  'is_speaker_on',
  'lead_id',
  'notes',
  'outcome',
  'priority',
  'purpose',
  'receiver_number',
  'recording_url',
  'started_at',
  'status',
  'tags',
  'transfer_count',
  'updated_at',
];
const TASK_KEYS = [
  'assigned_user_id',
  'call_id',
  'created_at',
  'created_by_id',
  'description',
  'due_date',
  'id',
  'status',
  'title',
  'updated_at',
];

const keys = (o: object) => Object.keys(o).sort();

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}
const answer = (url: string, token: string, id: number, action = 'ACCEPT') =>
  gql(url, token, `mutation($id: ID!, $a: AnswerAction!) { answerCall(id: $id, input: {action: $a}) { id } }`, {
    id: String(id),
    a: action,
  });
const end = (url: string, token: string, id: number) =>
  gql(url, token, `mutation($id: ID!) { endCall(id: $id) { id } }`, { id: String(id) });
const named = (url: string, admin: Account, user: Account, first: string, last: string) =>
  gql(url, admin.token, `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`, {
    id: user.id,
    i: { firstName: first, lastName: last },
  });

/** Seed 002's error envelope: `{success: false, error: {code, message, details}}`. */
function assertError(result: Pick<RestResult, 'status' | 'body'>, status: number, code: string, what = '') {
  assert.equal(result.status, status, `${what} → ${result.status} ${JSON.stringify(result.body)}`);
  assert.equal(result.body.success, false, what);
  assert.deepEqual(keys(result.body.error), ['code', 'details', 'message'], what);
  assert.equal(result.body.error.code, code, `${what}: ${JSON.stringify(result.body)}`);
  assert.equal(typeof result.body.error.message, 'string');
  assert.equal(typeof result.body.error.details, 'object');
}

describe('REST seed 002: calls', () => {
  let s: Stack;
  let admin: Account;
  let agent: Account;
  let companyId: number;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    agent = await newMember(s.url, admin, 'USER');
    await named(s.url, admin, agent, 'Анна', 'Иванова');
    const company = await gql(
      s.url,
      admin.token,
      `mutation { createCompany(input: {name: "ООО Технологии", inn: "1234567890", phones: [{phoneNumber: "+7 (495) 123-45-67", contactPerson: "Иван Петров"}]}) { id } }`,
    );
    companyId = Number(company.createCompany.id);
  });

  it('creates, updates and shows a call in the documented shapes', async () => {
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: {
        caller_number: '+7 (495) 123-45-67',
        receiver_number: '+7 (495) 987-65-43',
        channel_id: 'SIP/1001-00000001',
        assigned_user_id: Number(agent.id),
        caller_company_id: companyId,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(keys(created.body), ['data', 'success']);
    assert.equal(created.body.success, true);
    const call = created.body.data;
    assert.deepEqual(keys(call), ITEM_KEYS);
    assert.equal(typeof call.id, 'number');
    assert.deepEqual(
      [call.status, call.assigned_user_id, call.caller_company_id, call.answered_by_user_id, call.priority, call.tags, call.is_on_hold],
      ['incoming', Number(agent.id), companyId, null, 'medium', [], false],
    );

    const updated = await rest(s.url, 'PUT', `/api/calls/${call.id}`, {
      token: agent.token,
      body: {
        notes: 'Обновленные заметки',
        customer_name: 'Иван Петров',
        company: 'ООО Технологии',
        email: 'ivan@tech.ru',
        call_purpose: 'sales',
        priority: 'high',
        follow_up_date: '2024-01-20T14:00:00.000Z',
        outcome: 'Успешная продажа',
        tags: ['клиент', 'продажи', 'успех'],
      },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual(keys(updated.body.data), ITEM_KEYS);
    assert.deepEqual(
      [
        updated.body.data.company,
        updated.body.data.email,
        updated.body.data.call_purpose,
        updated.body.data.priority,
        updated.body.data.tags,
      ],
      ['ООО Технологии', 'ivan@tech.ru', 'sales', 'high', ['клиент', 'продажи', 'успех']],
    );

    await answer(s.url, agent.token, call.id);
    const detail = await rest(s.url, 'GET', `/api/calls/${call.id}`, { token: agent.token });
    assert.equal(detail.status, 200);
    assert.deepEqual(keys(detail.body), ['data', 'success']);
    const d = detail.body.data;
    assert.deepEqual(keys(d), DETAIL_KEYS);
    assert.equal(d.id, call.id);
    assert.deepEqual(
      [d.assigned_user_first_name, d.assigned_user_last_name, d.answered_user_first_name, d.answered_user_last_name],
      ['Анна', 'Иванова', 'Анна', 'Иванова'],
    );
    assert.deepEqual(
      [d.caller_company_name, d.caller_company_inn, d.customer_company, d.customer_email],
      ['ООО Технологии', '1234567890', 'ООО Технологии', 'ivan@tech.ru'],
    );
    assert.deepEqual(
      [d.status, d.tags, d.transfer_count, d.follow_up_date, d.outcome],
      ['accepted', 'клиент, продажи, успех', 0, '2024-01-20T14:00:00.000Z', 'Успешная продажа'],
    );
    assert.equal(typeof d.answered_at, 'string');
  });

  it('lists calls with page/limit pagination and the documented filters', async () => {
    const org = await newOrganization(s.url);
    const member = await newMember(s.url, org, 'USER');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await rest(s.url, 'POST', '/api/calls', {
        token: org.token,
        body: { caller_number: `+7 (495) 000-00-0${i}`, ...(i < 2 && { assigned_user_id: Number(member.id) }) },
      });
      ids.push(created.body.data.id);
    }
    await gql(s.url, org.token, `mutation($id: ID!) { updateCall(id: $id, input: {notes: "перезвонить про тариф"}) { id } }`, {
      id: String(ids[4]),
    });
    await answer(s.url, member.token, ids[0]);

    const all = await rest(s.url, 'GET', '/api/calls', { token: org.token });
    assert.equal(all.status, 200);
    assert.deepEqual(keys(all.body), ['data', 'pagination', 'success']);
    assert.deepEqual(all.body.pagination, { page: 1, limit: 50, total: 5, pages: 1 });
    assert.deepEqual(
      all.body.data.map((c: { id: number }) => c.id),
      [...ids].reverse(),
      'newest first',
    );
    assert.deepEqual(keys(all.body.data[0]), ITEM_KEYS);

    const page = await rest(s.url, 'GET', '/api/calls?page=2&limit=2', { token: org.token });
    assert.deepEqual(page.body.pagination, { page: 2, limit: 2, total: 5, pages: 3 });
    assert.deepEqual(
      page.body.data.map((c: { id: number }) => c.id),
      [ids[2], ids[1]],
    );
    const beyond = await rest(s.url, 'GET', '/api/calls?page=9&limit=2', { token: org.token });
    assert.deepEqual([beyond.body.data, beyond.body.pagination.total], [[], 5]);

    const filtered = async (query: string) =>
      (await rest(s.url, 'GET', `/api/calls?${query}`, { token: org.token })).body.data.map((c: { id: number }) => c.id);
    assert.deepEqual(await filtered('status=accepted'), [ids[0]]);
    assert.deepEqual(await filtered('status=incoming'), [ids[4], ids[3], ids[2], ids[1]]);
    assert.deepEqual(await filtered(`userId=${member.id}`), [ids[1], ids[0]]);
    assert.deepEqual(await filtered(`search=${encodeURIComponent('тариф')}`), [ids[4]]);
    assert.deepEqual(await filtered(`search=${encodeURIComponent('000-00-03')}`), [ids[3]]);
    assert.deepEqual(await filtered(`date_from=${new Date(Date.now() + 60_000).toISOString()}`), []);
    assert.deepEqual(
      (await filtered(`date_from=${new Date(Date.now() - 3_600_000).toISOString()}&date_to=${new Date(Date.now() + 60_000).toISOString()}`))
        .length,
      5,
    );
    assert.deepEqual(await filtered(`date_to=${new Date(Date.now() - 3_600_000).toISOString()}`), []);

    // A plain user sees only their calls, whatever they ask for.
    const mine = await rest(s.url, 'GET', '/api/calls', { token: member.token });
    assert.deepEqual([mine.body.data.map((c: { id: number }) => c.id), mine.body.pagination.total], [[ids[1], ids[0]], 2]);
    assertError(await rest(s.url, 'GET', `/api/calls/${ids[4]}`, { token: member.token }), 404, 'CALL_NOT_FOUND', 'a colleague’s call');
  });

  it('lists active calls (before /calls/:id takes "active" for an id)', async () => {
    const org = await newOrganization(s.url);
    const member = await newMember(s.url, org, 'USER');
    await named(s.url, org, member, 'Петр', 'Сидоров');
    const ringing = (
      await rest(s.url, 'POST', '/api/calls', {
        token: org.token,
        body: { caller_number: '+74951112233', channel_id: 'SIP/1001-00000007', assigned_user_id: Number(member.id) },
      })
    ).body.data;
    const other = (await rest(s.url, 'POST', '/api/calls', { token: org.token, body: { caller_number: '+74951112234' } })).body.data;
    const finished = (await rest(s.url, 'POST', '/api/calls', { token: org.token, body: { caller_number: '+74951112235' } })).body.data;
    await answer(s.url, org.token, finished.id);
    await end(s.url, org.token, finished.id);

    const active = await rest(s.url, 'GET', '/api/calls/active', { token: org.token });
    assert.equal(active.status, 200, JSON.stringify(active.body));
    assert.deepEqual(keys(active.body), ['data', 'success']);
    assert.deepEqual(
      active.body.data.map((c: { id: number }) => c.id),
      [ringing.id, other.id],
    );
    const first = active.body.data[0];
    assert.deepEqual(keys(first), ACTIVE_KEYS);
    assert.deepEqual(
      [
        first.status,
        first.channel_id,
        first.is_muted,
        first.is_speaker_on,
        first.is_on_hold,
        first.assigned_user_first_name,
        first.assigned_user_last_name,
      ],
      ['incoming', 'SIP/1001-00000007', false, false, false, 'Петр', 'Сидоров'],
    );
    assert.equal(typeof first.started_at, 'string');
    assert.equal(active.body.data[1].assigned_user_first_name, null);

    const forMember = await rest(s.url, 'GET', `/api/calls/active?userId=${member.id}`, { token: org.token });
    assert.deepEqual(
      forMember.body.data.map((c: { id: number }) => c.id),
      [ringing.id],
    );
    assertError(await rest(s.url, 'GET', '/api/calls/active?userId=abc', { token: org.token }), 400, 'VALIDATION_ERROR');
  });

  it('lists available users and a user’s phones', async () => {
    const org = await newOrganization(s.url);
    const online = await newMember(s.url, org, 'USER');
    const offline = await newMember(s.url, org, 'USER');
    await named(s.url, org, online, 'Анна', 'Иванова');
    await gql(s.url, online.token, `mutation { setPresence(status: ONLINE) { id } }`);
    const available = await rest(s.url, 'GET', '/api/users/available', { token: org.token });
    assert.equal(available.status, 200);
    assert.deepEqual(available.body.data, [{ id: Number(online.id), first_name: 'Анна', last_name: 'Иванова', status: 'online' }]);
    assert.ok(!available.body.data.some((u: { id: number }) => u.id === Number(offline.id)));

    await gql(
      s.url,
      online.token,
      `mutation($id: ID!) { addUserPhone(userId: $id, input: {phoneNumber: "+7 (495) 987-65-43", isPrimary: true}) { id } }`,
      { id: online.id },
    );
    const phones = await rest(s.url, 'GET', `/api/users/${online.id}/phones`, { token: org.token });
    assert.equal(phones.status, 200);
    assert.equal(phones.body.data.length, 1);
    assert.deepEqual(keys(phones.body.data[0]), ['id', 'is_primary', 'phone_number', 'phone_type']);
    assert.equal(typeof phones.body.data[0].id, 'number');
    assert.deepEqual(
      [phones.body.data[0].phone_number, phones.body.data[0].phone_type, phones.body.data[0].is_primary],
      ['+7 (495) 987-65-43', 'work', true],
    );
    assert.deepEqual((await rest(s.url, 'GET', `/api/users/${offline.id}/phones`, { token: online.token })).body, {
      success: true,
      data: [],
    });

    const stranger = await newOrganization(s.url);
    assertError(
      await rest(s.url, 'GET', `/api/users/${stranger.id}/phones`, { token: org.token }),
      404,
      'USER_NOT_FOUND',
      'another organization’s user',
    );
    assertError(await rest(s.url, 'GET', '/api/users/999999999/phones', { token: org.token }), 404, 'USER_NOT_FOUND');
    assertError(await rest(s.url, 'GET', '/api/users/abc/phones', { token: org.token }), 400, 'VALIDATION_ERROR');
  });

  it('finds a company by any notation of its phone', async () => {
    const found = await rest(s.url, 'GET', `/api/companies/by-phone/${encodeURIComponent('8 (495) 123-45-67')}`, { token: agent.token });
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(found.body, {
      success: true,
      data: {
        id: companyId,
        name_companies: 'ООО Технологии',
        inn: '1234567890',
        status_companies: 'active',
        phone_numbers: [{ phone_number: '+7 (495) 123-45-67', phone_type: 'main', contact_person: 'Иван Петров' }],
      },
    });
    assertError(await rest(s.url, 'GET', '/api/companies/by-phone/+74990000000', { token: agent.token }), 404, 'COMPANY_NOT_FOUND');
    assertError(await rest(s.url, 'GET', '/api/companies/by-phone/not-a-phone', { token: agent.token }), 400, 'VALIDATION_ERROR');
    const other = await newOrganization(s.url);
    assertError(
      await rest(s.url, 'GET', '/api/companies/by-phone/+74951234567', { token: other.token }),
      404,
      'COMPANY_NOT_FOUND',
      'another organization’s company',
    );
  });

  it('computes the statistics overview and per-user statistics', async () => {
    const org = await newOrganization(s.url);
    const member = await newMember(s.url, org, 'USER');
    await named(s.url, org, member, 'Анна', 'Иванова');
    const calls = [];
    for (let i = 0; i < 3; i++)
      calls.push(
        (
          await rest(s.url, 'POST', '/api/calls', {
            token: org.token,
            body: { caller_number: '+74950000010', assigned_user_id: Number(member.id) },
          })
        ).body.data,
      );
    await rest(s.url, 'POST', '/api/calls', { token: org.token, body: { caller_number: '+74950000011' } });
    await answer(s.url, member.token, calls[0].id);
    await end(s.url, member.token, calls[0].id);
    await answer(s.url, member.token, calls[1].id, 'REJECT');

    const overview = await rest(s.url, 'GET', '/api/statistics/overview?period=today', { token: org.token });
    assert.equal(overview.status, 200, JSON.stringify(overview.body));
    assert.deepEqual(keys(overview.body.data), OVERVIEW_KEYS);
    const o = overview.body.data;
    assert.deepEqual(
      [o.total_calls, o.accepted_calls, o.rejected_calls, o.missed_calls, o.active_calls, o.conversion_rate, o.transfer_count],
      [4, 1, 1, 0, 2, 0.25, 0],
    );
    for (const key of OVERVIEW_KEYS) assert.equal(typeof o[key], 'number', key);

    const forMember = (await rest(s.url, 'GET', `/api/statistics/overview?period=month&userId=${member.id}`, { token: org.token })).body
      .data;
    assert.equal(forMember.total_calls, 3);
    const own = (await rest(s.url, 'GET', '/api/statistics/overview', { token: member.token })).body.data;
    assert.equal(own.total_calls, 3, 'a plain user sees their own figures');
    const window = `date_from=${new Date(Date.now() - 3_600_000).toISOString()}&date_to=${new Date(Date.now() + 60_000).toISOString()}`;
    assert.equal((await rest(s.url, 'GET', `/api/statistics/overview?${window}`, { token: org.token })).body.data.total_calls, 4);
    const today = new Date().toISOString().slice(0, 10);
    const byDate = await rest(s.url, 'GET', `/api/statistics/overview?date_from=${today}&date_to=${today}`, { token: org.token });
    assert.equal(byDate.body.data.total_calls, 4, 'a bare ISO date covers that whole day');

    const users = await rest(s.url, 'GET', '/api/statistics/users', { token: org.token });
    assert.equal(users.status, 200);
    assert.deepEqual(users.body.data, [
      {
        user_id: Number(member.id),
        first_name: 'Анна',
        last_name: 'Иванова',
        total_calls: 3,
        accepted_calls: 1,
        rejected_calls: 1,
        missed_calls: 0,
        avg_duration: users.body.data[0].avg_duration,
        total_duration: users.body.data[0].total_duration,
      },
    ]);
    assert.deepEqual(keys(users.body.data[0]), USER_STATS_KEYS);
    assert.equal(typeof users.body.data[0].avg_duration, 'number');

    assertError(await rest(s.url, 'GET', '/api/statistics/overview?period=decade', { token: org.token }), 400, 'VALIDATION_ERROR');
    assertError(
      await rest(s.url, 'GET', `/api/statistics/overview?date_from=${new Date(Date.now() + 86_400_000).toISOString()}`, {
        token: org.token,
      }),
      400,
      'VALIDATION_ERROR',
      'date_from after now',
    );
    assertError(
      await rest(s.url, 'GET', '/api/statistics/overview?date_from=yesterday', { token: org.token }),
      400,
      'VALIDATION_ERROR',
      'not a date',
    );
  });

  it('keeps organizations apart and enforces roles, in the seed’s error envelope', async () => {
    const call = (await rest(s.url, 'POST', '/api/calls', { token: admin.token, body: { caller_number: '+74951234567' } })).body.data;
    const other = await newOrganization(s.url);
    assertError(await rest(s.url, 'GET', `/api/calls/${call.id}`, { token: other.token }), 404, 'CALL_NOT_FOUND', 'GET foreign call');
    assertError(
      await rest(s.url, 'PUT', `/api/calls/${call.id}`, { token: other.token, body: { notes: 'x' } }),
      404,
      'CALL_NOT_FOUND',
      'PUT foreign call',
    );
    assert.ok(!(await rest(s.url, 'GET', '/api/calls', { token: other.token })).body.data.some((c: { id: number }) => c.id === call.id));
    assert.ok(
      !(await rest(s.url, 'GET', '/api/calls/active', { token: other.token })).body.data.some((c: { id: number }) => c.id === call.id),
    );
    assertError(
      await rest(s.url, 'POST', '/api/calls', {
        token: other.token,
        body: { caller_number: '+74951234567', assigned_user_id: Number(agent.id) },
      }),
      404,
      'NOT_FOUND',
      'assign to a foreign user',
    );
    assertError(
      await rest(s.url, 'POST', '/api/calls', {
        token: other.token,
        body: { caller_number: '+74951234567', caller_company_id: companyId },
      }),
      404,
      'NOT_FOUND',
      'a foreign company',
    );

    assertError(
      await rest(s.url, 'GET', `/api/calls/${call.id}`, { token: agent.token }),
      404,
      'CALL_NOT_FOUND',
      'a plain user, not their call',
    );
    assertError(
      await rest(s.url, 'PUT', `/api/calls/${call.id}`, { token: agent.token, body: { notes: 'x' } }),
      404,
      'CALL_NOT_FOUND',
      'a plain user updates another’s call',
    );
    const guest = await newMember(s.url, admin, 'GUEST');
    assertError(
      await rest(s.url, 'POST', '/api/calls', { token: guest.token, body: { caller_number: '+74951234567' } }),
      403,
      'FORBIDDEN',
      'guest creates',
    );
    assertError(await rest(s.url, 'GET', '/api/calls', { headers: anotherClient() }), 401, 'UNAUTHORIZED', 'no token');
    assertError(
      await rest(s.url, 'GET', '/api/statistics/users', { token: 'nonsense', headers: anotherClient() }),
      401,
      'UNAUTHORIZED',
      'bad token',
    );
  });

  it('answers bad input with 400 VALIDATION_ERROR (or 404), never 500', async () => {
    const call = (await rest(s.url, 'POST', '/api/calls', { token: admin.token, body: { caller_number: '+74951234567' } })).body.data;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/calls', '{"caller_number": ', 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', {}, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', [1, 2], 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: 42 }, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: 'not a phone' }, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: '12' }, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: '+74951234567', assigned_user_id: 'one' }, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: '+74951234567', assigned_user_id: 1.5 }, 400, 'VALIDATION_ERROR'],
      ['POST', '/api/calls', { caller_number: '+74951234567', assigned_user_id: 999999999 }, 404, 'NOT_FOUND'],
      ['PUT', `/api/calls/${call.id}`, '{"notes": "x"', 400, 'VALIDATION_ERROR'],
      ['PUT', `/api/calls/${call.id}`, { priority: 'extreme' }, 400, 'VALIDATION_ERROR'],
      ['PUT', `/api/calls/${call.id}`, { tags: 'a, b' }, 400, 'VALIDATION_ERROR'],
      ['PUT', `/api/calls/${call.id}`, { tags: [1] }, 400, 'VALIDATION_ERROR'],
      ['PUT', `/api/calls/${call.id}`, { notes: 5 }, 400, 'VALIDATION_ERROR'],
      ['PUT', `/api/calls/${call.id}`, { follow_up_date: 'tomorrow' }, 400, 'VALIDATION_ERROR'],
      ['PUT', '/api/calls/999999999', { notes: 'x' }, 404, 'CALL_NOT_FOUND'],
      ['PUT', '/api/calls/abc', { notes: 'x' }, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls/999999999', undefined, 404, 'CALL_NOT_FOUND'],
      ['GET', '/api/calls/abc', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls/-1', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?page=0', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?limit=abc', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?limit=1000', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?status=ringing', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?userId=me', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/calls?date_from=yesterday', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/api/statistics/users?period=never', undefined, 400, 'VALIDATION_ERROR'],
    ];
    for (const [method, path, body, status, code] of cases) {
      assertError(await rest(s.url, method, path, { token: admin.token, body }), status, code, `${method} ${path} ${JSON.stringify(body)}`);
    }
    const missing = await rest(s.url, 'POST', '/api/calls', { token: admin.token, body: {} });
    assert.match(missing.body.error.message, /caller_number: field required/);
    assert.deepEqual(missing.body.error.details, { fields: ['caller_number: field required'] });
  });
});

describe('REST seed 002: realtime actions as POST /api/calls/:id/<action>', () => {
  it('answers, holds, notes, transfers and ends; a second answer is 409 CONFLICT in the seed envelope', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const agent = await newMember(s.url, admin, 'USER');
    const created = await rest(s.url, 'POST', '/api/calls', {
      token: admin.token,
      body: { caller_number: '+7 (495) 123-45-67', assigned_user_id: Number(agent.id) },
    });
    const id = created.body.data.id;
    const as = { token: agent.token };

    const answered = await rest(s.url, 'POST', `/api/calls/${id}/answer`, {
      ...as,
      body: { action: 'accept', initialData: { customerName: 'Иван Петров', quickNotes: 'Звонок по поводу услуг' } },
    });
    assert.equal(answered.status, 200);
    assert.deepEqual(
      [answered.body.data.status, answered.body.data.customer_name, answered.body.data.notes],
      ['accepted', 'Иван Петров', 'Звонок по поводу услуг'],
    );
    assertError(
      await rest(s.url, 'POST', `/api/calls/${id}/answer`, { ...as, body: { action: 'accept' } }),
      409,
      'CONFLICT',
      'answered twice',
    );

    assert.equal((await rest(s.url, 'POST', `/api/calls/${id}/hold`, { ...as, body: { isHold: true } })).body.data.is_on_hold, true);
    assertError(
      await rest(s.url, 'POST', `/api/calls/${id}/hold`, { ...as, body: { isHold: 'yes' } }),
      400,
      'VALIDATION_ERROR',
      'isHold not boolean',
    );
    assert.equal(
      (await rest(s.url, 'POST', `/api/calls/${id}/notes`, { ...as, body: { notes: 'Перезвонить завтра' } })).body.data.notes,
      'Перезвонить завтра',
    );
    const offline = await newMember(s.url, admin, 'USER');
    assertError(
      await rest(s.url, 'POST', `/api/calls/${id}/transfer`, {
        ...as,
        body: { targetUserId: Number(offline.id), transferReason: 'Специалист' },
      }),
      409,
      'CONFLICT',
      'transfer to an offline user',
    );
    const ended = await rest(s.url, 'POST', `/api/calls/${id}/end`, { ...as, body: { outcome: 'Договорились о встрече' } });
    assert.equal(ended.body.data.status, 'completed');
    assertError(await rest(s.url, 'POST', `/api/calls/${id}/end`, as), 409, 'CONFLICT', 'ended twice');
    const other = await newOrganization(s.url);
    assertError(
      await rest(s.url, 'POST', `/api/calls/${id}/answer`, { token: other.token, body: {} }),
      404,
      'CALL_NOT_FOUND',
      'another organization',
    );
  });
});

describe('REST seed 000: /api/v1/calls', () => {
  let s: Stack;
  let admin: Account;
  let agent: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    agent = await newMember(s.url, admin, 'USER');
  });

  it('creates, reads, lists and updates calls as plain objects', async () => {
    const created = await rest(s.url, 'POST', '/api/v1/calls/', {
      token: admin.token,
      body: {
        caller_number: '+7 (495) 123-45-67',
        receiver_number: '+7 (495) 987-65-43',
        assigned_user_id: Number(agent.id),
        customer_name: 'Иван',
        priority: 'high',
        external_id: unique('pbx'),
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(keys(created.body), V1_CALL_KEYS);
    const id = created.body.id;
    assert.equal(typeof id, 'number');
    assert.deepEqual(
      [created.body.status, created.body.priority, created.body.assigned_user_id, created.body.customer_name],
      ['incoming', 'high', Number(agent.id), 'Иван'],
    );

    const read = await rest(s.url, 'GET', `/api/v1/calls/${id}`, { token: agent.token });
    assert.deepEqual([read.status, read.body.id], [200, id]);
    const updated = await rest(s.url, 'PUT', `/api/v1/calls/${id}`, {
      token: agent.token,
      body: { notes: 'перезвонить', customer_company: 'ООО Ромашка', tags: ['vip'], priority: 'low' },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual(
      [updated.body.notes, updated.body.customer_company, updated.body.tags, updated.body.priority],
      ['перезвонить', 'ООО Ромашка', ['vip'], 'low'],
    );

    for (let i = 0; i < 3; i++)
      await rest(s.url, 'POST', '/api/v1/calls', { token: admin.token, body: { caller_number: `+7495000000${i}` } });
    const page = await rest(s.url, 'GET', '/api/v1/calls/?skip=2&limit=2', { token: admin.token });
    assert.equal(page.status, 200);
    assert.deepEqual(keys(page.body), ['items', 'page', 'pages', 'size', 'total']);
    assert.deepEqual([page.body.total, page.body.page, page.body.size, page.body.pages, page.body.items.length], [4, 2, 2, 2, 2]);
    assert.deepEqual(keys(page.body.items[0]), V1_CALL_KEYS);
    assert.equal(page.body.items.at(-1).id, id, 'newest first');
    const ids = async (query: string, token = admin.token) =>
      (await rest(s.url, 'GET', `/api/v1/calls?${query}`, { token })).body.items.map((c: { id: number }) => c.id);
    assert.deepEqual(await ids(`assigned_to=${agent.id}`), [id]);
    assert.deepEqual(await ids(`search=${encodeURIComponent('перезвонить')}`), [id]);
    assert.deepEqual((await ids('status=incoming')).length, 4);
    assert.deepEqual(await ids('status=completed'), []);
    assert.deepEqual(await ids('', agent.token), [id], 'a plain user sees only their calls');
  });

  it('keeps transcripts in order', async () => {
    const call = (await rest(s.url, 'POST', '/api/v1/calls', { token: admin.token, body: { caller_number: '+74951234567' } })).body;
    const added = await rest(s.url, 'POST', `/api/v1/calls/${call.id}/transcript`, {
      token: admin.token,
      body: {
        segments: [
          { speaker: 'customer', text: 'Добрый день', start_offset: 2, end_offset: 3.5 },
          { speaker: 'agent', text: 'Здравствуйте', start_offset: 0, end_offset: 1.5 },
        ],
      },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(keys(added.body), ['call_id', 'segments']);
    assert.equal(added.body.call_id, call.id);
    assert.deepEqual(
      added.body.segments.map((x: { speaker: string }) => x.speaker),
      ['agent', 'customer'],
    );
    assert.deepEqual(keys(added.body.segments[0]), ['created_at', 'end_offset', 'id', 'speaker', 'start_offset', 'text']);
    assert.equal(typeof added.body.segments[0].id, 'number');
    const read = await rest(s.url, 'GET', `/api/v1/calls/${call.id}/transcript`, { token: admin.token });
    assert.deepEqual(read.body, added.body);

    const bad: unknown[] = [
      {},
      { segments: 'hello' },
      { segments: [{ speaker: 'a', text: 'x', start_offset: 5 }] },
      { segments: [{ speaker: 'a', text: 'x', start_offset: 5, end_offset: 1 }] },
      '{"segments": [',
    ];
    for (const body of bad) {
      const result = await rest(s.url, 'POST', `/api/v1/calls/${call.id}/transcript`, { token: admin.token, body });
      assert.equal(result.status, 422, `${JSON.stringify(body)} → ${result.status} ${JSON.stringify(result.body)}`);
      assert.equal(typeof result.body.detail, 'string');
    }
  });

  it('creates and lists call tasks (before /calls/:call_id takes "tasks" for an id)', async () => {
    const call = (await rest(s.url, 'POST', '/api/v1/calls', { token: admin.token, body: { caller_number: '+74951234567' } })).body;
    const task = await rest(s.url, 'POST', '/api/v1/calls/tasks', {
      token: admin.token,
      body: { call_id: call.id, title: 'Перезвонить', due_date: '2030-01-20T14:00:00.000Z' },
    });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.deepEqual(keys(task.body), TASK_KEYS);
    assert.deepEqual(
      [task.body.call_id, task.body.status, task.body.assigned_user_id, task.body.created_by_id, task.body.due_date],
      [call.id, 'open', Number(admin.id), Number(admin.id), '2030-01-20T14:00:00.000Z'],
    );
    await rest(s.url, 'POST', '/api/v1/calls/tasks', { token: admin.token, body: { title: 'Без звонка' } });

    const tasks = await rest(s.url, 'GET', `/api/v1/calls/tasks?call_id=${call.id}`, { token: admin.token });
    assert.equal(tasks.status, 200, JSON.stringify(tasks.body));
    assert.deepEqual(keys(tasks.body), ['items', 'page', 'pages', 'size', 'total']);
    assert.deepEqual([tasks.body.total, tasks.body.items[0].id], [1, task.body.id]);
    assert.equal((await rest(s.url, 'GET', '/api/v1/calls/tasks?limit=1', { token: admin.token })).body.total, 2);
    assert.equal((await rest(s.url, 'GET', '/api/v1/calls/tasks?status=done', { token: admin.token })).body.total, 0);
    assert.equal((await rest(s.url, 'GET', '/api/v1/calls/tasks?status=later', { token: admin.token })).status, 422);
    assert.equal((await rest(s.url, 'POST', '/api/v1/calls/tasks', { token: admin.token, body: { call_id: call.id } })).status, 422);
    assert.equal(
      (await rest(s.url, 'POST', '/api/v1/calls/tasks', { token: admin.token, body: { title: 'x', call_id: 'abc' } })).status,
      422,
    );
  });

  it('keeps organizations apart and refuses bad input with 4xx {detail}', async () => {
    const call = (await rest(s.url, 'POST', '/api/v1/calls', { token: admin.token, body: { caller_number: '+74951234567' } })).body;
    const other = await newOrganization(s.url);
    const cases: [string, string, unknown, number, string?][] = [
      ['GET', `/api/v1/calls/${call.id}`, undefined, 404, other.token],
      ['PUT', `/api/v1/calls/${call.id}`, { notes: 'x' }, 404, other.token],
      ['GET', `/api/v1/calls/${call.id}/transcript`, undefined, 404, other.token],
      ['POST', `/api/v1/calls/${call.id}/transcript`, { segments: [] }, 404, other.token],
      ['POST', '/api/v1/calls/tasks', { call_id: call.id, title: 'x' }, 404, other.token],
      ['GET', `/api/v1/calls/${call.id}`, undefined, 404, agent.token],
      ['GET', '/api/v1/calls/999999999', undefined, 404],
      ['GET', '/api/v1/calls/abc', undefined, 422],
      ['GET', '/api/v1/calls/abc/transcript', undefined, 422],
      ['POST', '/api/v1/calls', '{"caller_number": ', 422],
      ['POST', '/api/v1/calls', {}, 422],
      ['POST', '/api/v1/calls', { caller_number: 42 }, 422],
      ['POST', '/api/v1/calls', { caller_number: 'not a phone' }, 422],
      ['POST', '/api/v1/calls', { caller_number: '+74951234567', assigned_user_id: 999999999 }, 404],
      ['PUT', `/api/v1/calls/${call.id}`, { priority: 'extreme' }, 422],
      ['GET', '/api/v1/calls?limit=0', undefined, 422],
      ['GET', '/api/v1/calls?skip=-1', undefined, 422],
      ['GET', '/api/v1/calls?status=ringing', undefined, 422],
      ['GET', '/api/v1/calls?assigned_to=me', undefined, 422],
      ['GET', '/api/v1/calls?date_from=yesterday', undefined, 422],
    ];
    for (const [method, path, body, status, token = admin.token] of cases) {
      const result = await rest(s.url, method, path, { token, body });
      assert.equal(result.status, status, `${method} ${path} ${JSON.stringify(body)} → ${result.status} ${JSON.stringify(result.body)}`);
      assert.deepEqual(keys(result.body), ['detail']);
    }
    assert.equal((await rest(s.url, 'GET', '/api/v1/calls', { headers: anotherClient() })).status, 401);
  });
});

describe('REST calls: OpenAPI', () => {
  it('documents every seed 000 and seed 002 calls route', async () => {
    const s = await stack();
    const doc = (await rest(s.url, 'GET', '/openapi.json', { headers: anotherClient() })).body;
    const expected: [string, string][] = [
      ['/api/calls', 'get'],
      ['/api/calls', 'post'],
      ['/api/calls/{id}', 'get'],
      ['/api/calls/{id}', 'put'],
      ['/api/calls/active', 'get'],
      ['/api/users/available', 'get'],
      ['/api/users/{id}/phones', 'get'],
      ['/api/companies/by-phone/{phone}', 'get'],
      ['/api/statistics/overview', 'get'],
      ['/api/statistics/users', 'get'],
      ['/api/v1/calls', 'get'],
      ['/api/v1/calls', 'post'],
      ['/api/v1/calls/{call_id}', 'get'],
      ['/api/v1/calls/{call_id}', 'put'],
      ['/api/v1/calls/{call_id}/transcript', 'get'],
      ['/api/v1/calls/{call_id}/transcript', 'post'],
      ['/api/v1/calls/tasks', 'get'],
      ['/api/v1/calls/tasks', 'post'],
    ];
    for (const [path, method] of expected) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} documented`);
    const list = doc.paths['/api/calls'].get;
    assert.deepEqual(Object.keys(list.responses['200'].content['application/json'].schema.properties).sort(), [
      'data',
      'pagination',
      'success',
    ]);
    assert.ok(list.responses['400'], 'seed 002 answers invalid input with 400');
    assert.deepEqual(Object.keys(doc.paths['/api/calls/{id}'].get.responses['404'].content['application/json'].schema.properties).sort(), [
      'error',
      'success',
    ]);
  });
});
