import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadSettings } from '@salesgraph/platform';
import { startProduct } from '@salesgraph/gateway';
import { anotherClient, newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique } from './support/client.js';
import { loginToken, stack, tempDir, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

/** The number as the lead was entered and as the PBX presents it: the same E.164 (+77771234567). */
const LEAD_PHONE = '8 777 123 45 67';
const CALLER = '+7 (777) 123-4567';

const SCREEN_POP = /* GraphQL */ `
  subscription {
    incomingCall {
      call {
        lead {
          name
          status
          qualityScore
          assignedUser {
            firstName
          }
        }
      }
    }
  }
`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { __typename ... on Lead { id } } }`;
const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id leadId lead { id name } } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
const LEAD_CALLS = `query($id: ID!, $first: Int) { lead(id: $id) { id calls(first: $first) { id callerNumber lead { id } } } }`;

type Card = { name: string; status: string; qualityScore: number | null; assignedUser: { firstName: string | null } | null };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the queries select them
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

async function createLead(url: string, token: string, input: Record<string, unknown>): Promise<string> {
  const { createLead } = await ok(url, CREATE_LEAD, { input }, token);
  assert.equal(createLead.__typename, 'Lead');
  return createLead.id as string;
}

describe('screen-pop: a ringing call with its lead', () => {
  let s: Stack;
  let admin: Account;
  let agentId: string;
  let leadId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    const name = unique('agent');
    agentId = (
      await ok(
        s.url,
        CREATE_USER,
        { input: { email: `${name}@example.com`, username: name, password: 'agent password', role: 'USER', firstName: 'Aigerim' } },
        admin.token,
      )
    ).createUser.id;
    leadId = await createLead(s.url, admin.token, {
      name: 'Иван Петров',
      phone: LEAD_PHONE,
      status: 'QUALIFIED',
      qualityScore: 87,
      assignedUserId: agentId,
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('delivers the lead’s card in the incomingCall event of a call from the same number written otherwise', async () => {
    const listening = whenListening(s.product);
    const events = subscribe<{ incomingCall: { call: { lead: Card | null } } }>(wsClient(s.url, bearer(admin.token)), {
      query: SCREEN_POP,
    });
    const pending = events.next();
    await listening();
    const created = (await ok(s.url, CREATE_CALL, { input: { callerNumber: CALLER } }, admin.token)).createCall;
    assert.equal(created.leadId, leadId);
    assert.deepEqual(created.lead, { id: leadId, name: 'Иван Петров' });
    const event = await pending;
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    assert.deepEqual(event.data?.incomingCall.call.lead, {
      name: 'Иван Петров',
      status: 'QUALIFIED',
      qualityScore: 87,
      assignedUser: { firstName: 'Aigerim' },
    });
    await events.stop();
  });

  it('never matches another organization’s lead with the same number; a number without a lead gives lead: null', async () => {
    const other = await newOrganization(s.url);
    const strangerCall = (await ok(s.url, CREATE_CALL, { input: { callerNumber: CALLER } }, other.token)).createCall;
    assert.deepEqual([strangerCall.leadId, strangerCall.lead], [null, null]);
    const theirs = await createLead(s.url, other.token, { name: 'Their Ivan', phone: CALLER });
    const theirCall = (await ok(s.url, CREATE_CALL, { input: { callerNumber: LEAD_PHONE } }, other.token)).createCall;
    assert.deepEqual(theirCall.lead, { id: theirs, name: 'Their Ivan' });
    // The first organization still gets its own lead, and a number nobody has gets none.
    const ours = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+77771234567' } }, admin.token)).createCall;
    assert.equal(ours.leadId, leadId);
    const unknown = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+7 701 555 00 11' } }, admin.token)).createCall;
    assert.deepEqual([unknown.leadId, unknown.lead], [null, null]);
    // Nor do the other organization's lead and its calls resolve for us by id.
    assert.equal((await ok(s.url, LEAD_CALLS, { id: theirs }, admin.token)).lead, null);
  });

  it('lists a lead’s calls newest first, at most `first`, and refuses a `first` out of 1–100', async () => {
    const lead = await createLead(s.url, admin.token, { name: 'Many calls', phone: '+7 702 000 00 01' });
    const made: string[] = [];
    for (let i = 0; i < 3; i++)
      made.push((await ok(s.url, CREATE_CALL, { input: { callerNumber: '87020000001' } }, admin.token)).createCall.id);
    const all = (await ok(s.url, LEAD_CALLS, { id: lead }, admin.token)).lead;
    assert.deepEqual(
      all.calls.map((c: { id: string }) => c.id),
      [...made].reverse(),
    );
    assert.ok(all.calls.every((c: { lead: { id: string } }) => c.lead.id === lead));
    const two = (await ok(s.url, LEAD_CALLS, { id: lead, first: 2 }, admin.token)).lead.calls;
    assert.deepEqual(
      two.map((c: { id: string }) => c.id),
      [made[2], made[1]],
    );
    for (const first of [0, 101]) {
      const refused = await graphql(s.url, LEAD_CALLS, { id: lead, first }, { token: admin.token });
      assert.equal(codeOf(refused), 'BAD_USER_INPUT', JSON.stringify(refused.errors));
    }
  });

  it('follows the visibility rules of both subgraphs: a plain user sees only its calls, and no lead it may not see', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const lead = await createLead(s.url, admin.token, { name: 'Not yours', phone: '+7 702 000 00 02' });
    const mine = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+77020000002', assignedUserId: user.id } }, admin.token))
      .createCall;
    await ok(s.url, CREATE_CALL, { input: { callerNumber: '+77020000002' } }, admin.token);
    const call = `query($id: ID!) { call(id: $id) { id leadId lead { name } } }`;
    assert.deepEqual((await ok(s.url, call, { id: mine.id }, user.token)).call, { id: mine.id, leadId: lead, lead: null });
    // Once the lead is theirs, they see its card, and among its calls only the one assigned to them.
    await ok(
      s.url,
      `mutation($id: ID!, $u: ID!) { updateLead(id: $id, input: { assignedUserId: $u }) { id } }`,
      { id: lead, u: user.id },
      admin.token,
    );
    assert.deepEqual((await ok(s.url, call, { id: mine.id }, user.token)).call.lead, { name: 'Not yours' });
    const listed = (await ok(s.url, LEAD_CALLS, { id: lead }, user.token)).lead.calls.map((c: { id: string }) => c.id);
    assert.deepEqual(listed, [mine.id]);
    assert.equal((await ok(s.url, LEAD_CALLS, { id: lead }, admin.token)).lead.calls.length, 2);
  });

  it('keeps a call’s lead when the lead’s phone changes later', async () => {
    const lead = await createLead(s.url, admin.token, { name: 'Moving', phone: '+7 702 000 00 03' });
    const before = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+77020000003' } }, admin.token)).createCall;
    await ok(s.url, `mutation($id: ID!) { updateLead(id: $id, input: { phone: "+7 702 000 00 04" }) { id } }`, { id: lead }, admin.token);
    const call = `query($id: ID!) { call(id: $id) { leadId } }`;
    assert.equal((await ok(s.url, call, { id: before.id }, admin.token)).call.leadId, lead);
    const after = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+77020000003' } }, admin.token)).createCall;
    assert.equal(after.leadId, null);
  });

  it('fills the lead of calls the telephony webhook creates', async () => {
    const created = await ok(
      s.url,
      `mutation { createTelephonyIntegration(input: {name: "PBX"}) { secret webhookPath } }`,
      {},
      admin.token,
    );
    const { secret, webhookPath } = created.createTelephonyIntegration;
    const body = JSON.stringify({
      event_id: unique('e'),
      type: 'ringing',
      call_id: unique('pbx'),
      caller: CALLER,
      user_id: Number(agentId),
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const response = await fetch(`${s.url}${webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-timestamp': String(timestamp), 'x-signature': `sha256=${signature}` },
      body,
    });
    const receipt = (await response.json()) as { call_id?: number; callId?: number };
    assert.equal(response.status, 200, JSON.stringify(receipt));
    const callId = receipt.call_id ?? receipt.callId;
    const { call } = await ok(s.url, `query($id: ID!) { call(id: $id) { leadId lead { name } } }`, { id: String(callId) }, admin.token);
    assert.deepEqual(call, { leadId, lead: { name: 'Иван Петров' } });
  });

  it('reads the calls of a whole page of leads in statements that do not grow with the page', async () => {
    const org = await newOrganization(s.url);
    const addLeads = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        const phone = `+7 703 000 00 ${String(i).padStart(2, '0')}`;
        await createLead(s.url, org.token, { name: `Lead ${i}`, phone });
        await ok(s.url, CREATE_CALL, { input: { callerNumber: phone } }, org.token);
        await ok(s.url, CREATE_CALL, { input: { callerNumber: phone } }, org.token);
      }
    };
    const list = () =>
      graphql(
        s.url,
        `
          {
            leads(first: 50) {
              nodes {
                id
                calls(first: 5) {
                  id
                }
              }
            }
          }
        `,
        {},
        { token: org.token },
      );
    await addLeads(0, 2);
    const few = await statementsOf(list);
    assert.equal(few.result.data?.leads.nodes.length, 2, JSON.stringify(few.result.errors));
    await addLeads(2, 6);
    const many = await statementsOf(list);
    assert.equal(many.result.data?.leads.nodes.length, 8, JSON.stringify(many.result.errors));
    assert.ok(
      many.result.data?.leads.nodes.every((lead: { calls: unknown[] }) => lead.calls.length === 2),
      'every lead lists its two calls',
    );
    assert.equal(many.statements, few.statements, `${few.statements} statements for 2 leads, ${many.statements} for 8`);
  });
});

describe('screen-pop: the leads subgraph unavailable', () => {
  it('still creates the call, without its lead', async () => {
    await stack(); // booted (and, on a server, its database reset) before this second gateway opens it
    // A gateway whose leads subgraph is reached at an address where nothing listens.
    const settings = loadSettings({ ...process.env, NODE_ENV: 'test', DATA_DIR: tempDir() });
    const product = await startProduct({ settings, port: 0, inMemory: true, subgraphUrls: { leads: 'http://127.0.0.1:9/graphql' } });
    try {
      const token = await loginToken(product.url, 'admin', 'admin', anotherClient());
      const created = await graphql(
        product.url,
        CREATE_CALL.replace(' lead { id name }', ''),
        { input: { callerNumber: CALLER } },
        { token },
      );
      assert.ok(created.data, JSON.stringify(created.errors));
      assert.equal(created.data.createCall.leadId, null);
    } finally {
      await product.close();
    }
  });
});
