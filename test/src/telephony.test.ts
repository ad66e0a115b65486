import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, type RestResult } from './support/client.js';
import { WEBHOOK_PER_MINUTE, queryDatabase, stack, type Stack } from './support/stack.js';

const CALL_STATUS = `query ($id: ID!) { call(id: $id) { status answeredBy { id } } }`;
const CREATE = `mutation { createTelephonyIntegration(input: {name: "Asterisk"}) { secret webhookPath integration { id secretHint } } }`;

/** Posts a PBX event the way a PBX would: HMAC-SHA256 over "<timestamp>.<body>". */
async function post(
  url: string,
  path: string,
  secret: string,
  event: unknown,
  { timestamp = Math.floor(Date.now() / 1000), body }: { timestamp?: number; body?: string } = {},
): Promise<Omit<RestResult, 'headers'>> {
  const raw = body ?? JSON.stringify(event);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-timestamp': String(timestamp), 'x-signature': `sha256=${signature}` },
    body: raw,
  });
  return { status: response.status, body: await response.json() };
}

describe('telephony webhook', () => {
  let s: Stack;
  let admin: Account;
  let agent: Account;
  let hook: { secret: string; webhookPath: string; integration: { id: string; secretHint: string } };
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    agent = await newMember(s.url, admin, 'USER');
    const created = await graphql(s.url, CREATE, {}, { token: admin.token });
    assert.ok(created.data, JSON.stringify(created.errors));
    hook = created.data.createTelephonyIntegration;
  });

  it('stores the signing secret encrypted and shows it once', async () => {
    assert.match(hook.secret, /^whsec_/);
    assert.ok(hook.secret.endsWith(hook.integration.secretHint.slice(1)));
    const [row] = await queryDatabase<{ secret_sealed: string }>(
      s,
      'select secret_sealed from calls.telephony_integrations where id = $1',
      [hook.integration.id],
    );
    assert.ok(row && !row.secret_sealed.includes(hook.secret.slice(6)), 'not stored in clear');
    const listed = await graphql(
      s.url,
      `
        {
          telephonyIntegrations {
            id
            secretHint
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.ok(!JSON.stringify(listed.data).includes(hook.secret));
    assert.equal(codeOf(await graphql(s.url, CREATE, {}, { token: agent.token })), 'FORBIDDEN');
  });

  it('maps ringing → answered → hangup onto the call lifecycle, once per event id', async () => {
    const ringing = {
      event_id: 'evt-1',
      type: 'ringing',
      call_id: 'pbx-100',
      caller: '+7 (495) 123-45-67',
      callee: '101',
      user_id: Number(agent.id),
    };
    const first = await post(s.url, hook.webhookPath, hook.secret, ringing);
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'processed');
    assert.equal(typeof first.body.call_id, 'number');
    const again = await post(s.url, hook.webhookPath, hook.secret, ringing);
    assert.deepEqual(again.body, { status: 'duplicate', call_id: first.body.call_id });
    const calls = await graphql(
      s.url,
      `
        {
          calls(search: "+74951234567") {
            totalCount
            nodes {
              id
              status
              assignedUser {
                id
              }
            }
          }
        }
      `,
      {},
      { token: admin.token },
    );
    assert.equal(calls.data.calls.totalCount, 1);

    await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-2',
      type: 'answered',
      call_id: 'pbx-100',
      user_id: Number(agent.id),
    });
    const answered = await graphql(s.url, CALL_STATUS, { id: String(first.body.call_id) }, { token: admin.token });
    assert.deepEqual(answered.data.call, { status: 'ACCEPTED', answeredBy: { id: agent.id } });
    await post(s.url, hook.webhookPath, hook.secret, { event_id: 'evt-3', type: 'hangup', call_id: 'pbx-100' });
    const ended = await graphql(
      s.url,
      `
        query ($id: ID!) {
          call(id: $id) {
            status
            duration
          }
        }
      `,
      { id: String(first.body.call_id) },
      { token: admin.token },
    );
    assert.equal(ended.data.call.status, 'COMPLETED');
    assert.equal(typeof ended.data.call.duration, 'number');
  });

  it('marks a call hung up while ringing as missed', async () => {
    const rung = await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-10',
      type: 'ringing',
      call_id: 'pbx-200',
      caller: '+74957654321',
    });
    await post(s.url, hook.webhookPath, hook.secret, { event_id: 'evt-11', type: 'hangup', call_id: 'pbx-200' });
    const call = await graphql(
      s.url,
      `
        query ($id: ID!) {
          call(id: $id) {
            status
          }
        }
      `,
      { id: String(rung.body.call_id) },
      { token: admin.token },
    );
    assert.equal(call.data.call.status, 'MISSED');
  });

  it('refuses unsigned, forged, stale, unknown and malformed requests', async () => {
    const event = { event_id: 'evt-x', type: 'ringing', call_id: 'pbx-x', caller: '+74950000000' };
    const unsigned = await fetch(`${s.url}${hook.webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    assert.equal(unsigned.status, 401);
    assert.equal((await post(s.url, hook.webhookPath, 'whsec_wrong', event)).status, 401);
    assert.equal(
      (await post(s.url, hook.webhookPath, hook.secret, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status,
      401,
    );
    assert.equal((await post(s.url, '/webhooks/telephony/00000000-0000-4000-8000-000000000000', hook.secret, event)).status, 404);
    const malformed = await post(s.url, hook.webhookPath, hook.secret, undefined, { body: '{"event_id": ' });
    assert.equal(malformed.status, 400);
    const invalid = await post(s.url, hook.webhookPath, hook.secret, { event_id: 'evt-y', type: 'exploded', call_id: 'pbx-y' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.detail, /type: must be one of/);
    const unknownCall = await post(s.url, hook.webhookPath, hook.secret, { event_id: 'evt-z', type: 'answered', call_id: 'never-rang' });
    assert.equal(unknownCall.status, 404);
  });

  it('acts only for users of the integration’s own organization', async () => {
    const stranger = await newMember(s.url, await newOrganization(s.url), 'USER');
    const rung = await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-s1',
      type: 'ringing',
      call_id: 'pbx-s1',
      caller: '+74957654000',
      user_id: Number(stranger.id),
    });
    assert.equal(rung.status, 404);
    const ok = await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-s2',
      type: 'ringing',
      call_id: 'pbx-s2',
      caller: '+74957654001',
    });
    assert.equal(ok.status, 200);
    const answered = await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-s3',
      type: 'answered',
      call_id: 'pbx-s2',
      user_id: Number(stranger.id),
    });
    assert.equal(answered.status, 404);
    const call = await graphql(s.url, CALL_STATUS, { id: String(ok.body.call_id) }, { token: admin.token });
    assert.deepEqual(call.data.call, { status: 'INCOMING', answeredBy: null });
  });

  it('limits the events of each integration per minute, signed or not', async () => {
    const limited = (await graphql(s.url, CREATE, {}, { token: admin.token })).data.createTelephonyIntegration;
    const statuses = await Promise.all(
      Array.from({ length: WEBHOOK_PER_MINUTE + 1 }, (_, i) =>
        post(s.url, limited.webhookPath, 'whsec_wrong', { event_id: `evt-l${i}`, type: 'hangup', call_id: 'pbx-l' }).then((r) => r.status),
      ),
    );
    assert.deepEqual([statuses.filter((x) => x === 401).length, statuses.filter((x) => x === 429).length], [WEBHOOK_PER_MINUTE, 1]);
    const refused = await post(s.url, limited.webhookPath, limited.secret, {
      event_id: 'evt-l-signed',
      type: 'ringing',
      call_id: 'pbx-l',
      caller: '+74950000002',
    });
    assert.equal(refused.status, 429);
    assert.match(refused.body.detail, /at most 60 events per minute/);
    // Other integrations keep their own budget.
    const other = await post(s.url, hook.webhookPath, hook.secret, {
      event_id: 'evt-l-other',
      type: 'ringing',
      call_id: 'pbx-l-other',
      caller: '+74950000003',
    });
    assert.equal(other.status, 200);
  });

  it('refuses events with strings a call cannot hold (400), and stores nothing of them', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ event_id: 'evt-n1', type: 'ringing', call_id: 'pbx-\u0000', caller: '+74950000002' }, /call_id: must not contain the NUL/],
      [
        { event_id: 'evt-n2', type: 'ringing', call_id: 'pbx-n2', caller: '+74950000002', callee: '1'.repeat(41) },
        /callee: a phone number of at most 40/,
      ],
      [{ event_id: 'evt-n3', type: 'ringing', call_id: 'c'.repeat(121), caller: '+74950000002' }, /call_id: a string of 1–120/],
      [{ event_id: 'evt-n4', type: 'ringing', call_id: 'pbx-n4', caller: '+74950000002', user_id: 2 ** 31 }, /user_id/],
    ];
    for (const [event, message] of cases) {
      const refused = await post(s.url, hook.webhookPath, hook.secret, event);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.match(refused.body.detail, message);
    }
    const [stored] = await queryDatabase<{ count: number }>(
      s,
      `select count(*)::int as count from calls.calls where external_id like 'pbx-n%' or external_id like 'ccc%'`,
    );
    assert.equal(stored.count, 0);
  });

  it('stops accepting events once the integration is deleted; other organizations cannot delete it', async () => {
    const other = await newOrganization(s.url);
    const DELETE = `mutation($id: ID!) { deleteTelephonyIntegration(id: $id) }`;
    assert.equal(codeOf(await graphql(s.url, DELETE, { id: hook.integration.id }, { token: other.token })), 'NOT_FOUND');
    const extra = (await graphql(s.url, CREATE, {}, { token: admin.token })).data.createTelephonyIntegration;
    assert.equal(
      (await graphql(s.url, DELETE, { id: extra.integration.id }, { token: admin.token })).data.deleteTelephonyIntegration,
      true,
    );
    const after = await post(s.url, extra.webhookPath, extra.secret, {
      event_id: 'evt-d',
      type: 'ringing',
      call_id: 'pbx-d',
      caller: '+74950000001',
    });
    assert.equal(after.status, 404);
  });
});
