import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest } from './support/client.js';
import { WEBHOOK_PER_MINUTE, queryDatabase, stack, type Stack } from './support/stack.js';
import { until } from './support/wait.js';

const TOKEN = 'amo-access-token-a1b2';
const FIELDS = `id provider name baseUrl credentialsHint webhookSecretHint isActive
  status { state pulled pushed created updated lastError lastSyncAt }`;
const CREATE = `mutation($input: CreateCrmConnectionInput!) { createCrmConnection(input: $input) { webhookSecret webhookUrl connection { ${FIELDS} } } }`;
const SYNC = `mutation($id: ID!) { syncCrmConnection(id: $id) { ${FIELDS} } }`;
const STATUS = `query($id: ID!) { crmConnectionStatus(id: $id) { state pulled pushed created updated lastError } }`;
const LEADS = `{ leads(first: 100) { totalCount nodes { id name phoneE164 email company budget source crmConnectionId crmExternalId } } }`;

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  body: unknown;
}

/** A stand-in amoCRM account (API v4) on loopback: leads with contacts and companies, two leads a page; records every request. */
function amocrmStandIn() {
  const requests: Recorded[] = [];
  let nextId = 5000;
  const state = {
    requests,
    failNext: 0,
    leads: [
      { id: 101, name: 'Deal with Ivan', price: 15000, _embedded: { contacts: [{ id: 201 }], companies: [{ id: 301 }] } },
      { id: 102, name: 'Deal with Olga', price: 0, _embedded: { contacts: [{ id: 202 }] } },
      { id: 103, name: 'Deal with nobody', price: 700, _embedded: {} },
    ] as Record<string, unknown>[],
  };
  const contacts = [
    { id: 201, name: 'Ivan', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+7 (701) 111-22-33' }] }] },
    { id: 202, name: 'Olga', custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'Olga@Example.com' }] }] },
  ];
  const companies = [{ id: 301, name: 'Ivan & Co' }];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      const json = (status: number, value?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/hal+json' });
        res.end(value === undefined ? undefined : JSON.stringify(value));
      };
      if (state.failNext > 0) {
        state.failNext--;
        res.writeHead(503, { 'retry-after': '0' });
        return res.end();
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { title: 'Unauthorized', status: 401 });
      const ids = url.searchParams.getAll('filter[id][]').map(Number);
      if (req.method === 'GET' && url.pathname === '/api/v4/leads') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 2);
        const slice = state.leads.slice((page - 1) * limit, page * limit);
        if (!slice.length) return json(204);
        const hasNext = page * limit < state.leads.length;
        return json(200, { _page: page, _links: { self: {}, ...(hasNext && { next: { href: 'x' } }) }, _embedded: { leads: slice } });
      }
      if (req.method === 'GET' && url.pathname === '/api/v4/contacts')
        return json(200, { _embedded: { contacts: contacts.filter((c) => ids.includes(c.id)) } });
      if (req.method === 'GET' && url.pathname === '/api/v4/companies')
        return json(200, { _embedded: { companies: companies.filter((c) => ids.includes(c.id)) } });
      if (req.method === 'POST' && url.pathname === '/api/v4/leads') {
        const created = (body as Record<string, unknown>[]).map((lead) => ({ ...lead, id: nextId++ }));
        state.leads.push(...created);
        return json(200, { _embedded: { leads: created.map((lead, i) => ({ id: lead.id, request_id: String(i) })) } });
      }
      const patch = /^\/api\/v4\/leads\/(\d+)$/.exec(url.pathname);
      if (req.method === 'PATCH' && patch) {
        const lead = state.leads.find((l) => l.id === Number(patch[1]));
        if (!lead) return json(404, {});
        Object.assign(lead, body);
        return json(200, { id: lead.id });
      }
      json(404, { title: 'Not found' });
    });
  });
  return { server, state };
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => resolve(text ? JSON.parse(text) : undefined));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function ok(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data;
}

async function settled(s: Stack, id: string, token: string) {
  let status: { state: string } | undefined;
  await until(
    'the sync to end',
    async () => {
      status = (await ok(s.url, STATUS, { id }, token)).crmConnectionStatus;
      return status!.state === 'SUCCEEDED' || status!.state === 'FAILED';
    },
    30_000,
  );
  return status as { state: string; pulled: number; pushed: number; created: number; updated: number; lastError: string | null };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postForm = (url: string, path: string, body: string) =>
  rest(url, 'POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('CRM connections', () => {
  let s: Stack;
  let admin: Account;
  let manager: Account;
  let stranger: Account;
  let amo: ReturnType<typeof amocrmStandIn>;
  let amoUrl: string;
  let connection: { webhookSecret: string; webhookUrl: string; connection: { id: string; credentialsHint: string } };

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    manager = await newMember(s.url, admin, 'MANAGER');
    stranger = await newOrganization(s.url);
    amo = amocrmStandIn();
    amoUrl = await listen(amo.server);
    const input = { provider: 'AMOCRM', name: 'Main amoCRM', baseUrl: amoUrl, credentials: TOKEN };
    connection = (await ok(s.url, CREATE, { input }, admin.token)).createCrmConnection;
  });
  after(() => amo.server.close());

  it('stores credentials encrypted, shows them only masked, and only to admins', async () => {
    assert.equal(connection.connection.credentialsHint, '••••a1b2');
    assert.match(connection.webhookUrl, new RegExp(`^/webhooks/amocrm\\?connection=${connection.connection.id}&secret=`));
    const [row] = await queryDatabase<{ credentials_sealed: string; webhook_secret_hash: string }>(
      s,
      'select credentials_sealed, webhook_secret_hash from leads.crm_connections where id = $1',
      [connection.connection.id],
    );
    assert.ok(row && !row.credentials_sealed.includes(TOKEN) && row.credentials_sealed.startsWith('v1.'), 'sealed, not in clear');
    assert.ok(!row.webhook_secret_hash.includes(connection.webhookSecret));
    const listed = await ok(s.url, `{ crmConnections { ${FIELDS} } }`, {}, admin.token);
    assert.equal(listed.crmConnections.length, 1);
    assert.ok(!JSON.stringify(listed).includes(TOKEN) && !JSON.stringify(listed).includes(connection.webhookSecret));
    // Admin only, for reading as for writing.
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            {
              crmConnections {
                id
              }
            }
          `,
          {},
          { token: manager.token },
        ),
      ),
      'FORBIDDEN',
    );
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          CREATE,
          { input: { provider: 'GENERIC', name: 'x', baseUrl: amoUrl, credentials: 'abcd' } },
          { token: manager.token },
        ),
      ),
      'FORBIDDEN',
    );
    assert.equal(codeOf(await graphql(s.url, SYNC, { id: connection.connection.id }, { token: manager.token })), 'FORBIDDEN');
    // Replacing credentials changes the hint; they are never readable.
    const updated = await ok(
      s.url,
      `mutation($id: ID!, $input: UpdateCrmConnectionInput!) { updateCrmConnection(id: $id, input: $input) { credentialsHint } }`,
      { id: connection.connection.id, input: { credentials: 'temporary-token-zz99' } },
      admin.token,
    );
    assert.equal(updated.updateCrmConnection.credentialsHint, '••••zz99');
    await ok(
      s.url,
      `mutation($id: ID!, $input: UpdateCrmConnectionInput!) { updateCrmConnection(id: $id, input: $input) { id } }`,
      { id: connection.connection.id, input: { credentials: TOKEN } },
      admin.token,
    );
    const bad = await graphql(
      s.url,
      CREATE,
      { input: { provider: 'AMOCRM', name: 'x', baseUrl: 'ftp://example.com', credentials: 'abcd' } },
      { token: admin.token },
    );
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
  });

  it('keeps to its organization', async () => {
    const id = connection.connection.id;
    assert.equal((await ok(s.url, `query($id: ID!) { crmConnection(id: $id) { id } }`, { id }, stranger.token)).crmConnection, null);
    assert.deepEqual((await ok(s.url, `{ crmConnections { id } }`, {}, stranger.token)).crmConnections, []);
    assert.equal(codeOf(await graphql(s.url, SYNC, { id }, { token: stranger.token })), 'NOT_FOUND');
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            mutation ($id: ID!) {
              deleteCrmConnection(id: $id)
            }
          `,
          { id },
          { token: stranger.token },
        ),
      ),
      'NOT_FOUND',
    );
  });

  it('pulls leads (matching duplicates through the lead rules) and pushes local ones, recording status and counts', async () => {
    // A local lead with Ivan's phone: the pull updates and links it instead of creating a second Ivan.
    await ok(s.url, `mutation { createLead(input: {name: "Ivan (local)", phone: "87011112233"}) { __typename } }`, {}, admin.token);
    await ok(
      s.url,
      `mutation { createLead(input: {name: "Only here", email: "here@example.com", budget: 1200}) { __typename } }`,
      {},
      admin.token,
    );
    const queued = await ok(s.url, SYNC, { id: connection.connection.id }, admin.token);
    assert.equal(queued.syncCrmConnection.status.state, 'QUEUED');
    const status = await settled(s, connection.connection.id, admin.token);
    assert.deepEqual(
      { ...status, lastError: status.lastError },
      { state: 'SUCCEEDED', pulled: 3, pushed: 1, created: 2, updated: 1, lastError: null },
    );
    const leads = (await ok(s.url, LEADS, {}, admin.token)).leads;
    assert.equal(leads.totalCount, 4);
    const byExternal = new Map(leads.nodes.map((l: { crmExternalId: string }) => [l.crmExternalId, l]));
    assert.deepEqual(
      { ...(byExternal.get('101') as object), id: undefined },
      {
        id: undefined,
        name: 'Deal with Ivan',
        phoneE164: '+77011112233',
        email: null,
        company: 'Ivan & Co',
        budget: 15000,
        source: 'OTHER',
        crmConnectionId: connection.connection.id,
        crmExternalId: '101',
      },
    );
    assert.equal((byExternal.get('102') as { email: string }).email, 'Olga@Example.com');
    assert.equal((byExternal.get('103') as { source: string }).source, 'CRM');
    const pushed = amo.state.requests.find((r) => r.method === 'POST');
    assert.deepEqual(pushed?.body, [{ name: 'Only here', price: 1200 }]);
    assert.ok(amo.state.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    const local = leads.nodes.find((l: { name: string }) => l.name === 'Only here');
    assert.equal(local.crmExternalId, '5000');

    // Nothing changed: nothing created, updated or pushed. A second request while one is queued queues nothing more.
    const firstPages = amo.state.requests.filter((r) => r.url.startsWith('/api/v4/leads?') && r.url.includes('page=1&')).length;
    const [a, b] = await Promise.all([
      ok(s.url, SYNC, { id: connection.connection.id }, admin.token),
      ok(s.url, SYNC, { id: connection.connection.id }, admin.token),
    ]);
    assert.ok(
      ['QUEUED', 'RUNNING'].includes(a.syncCrmConnection.status.state) && ['QUEUED', 'RUNNING'].includes(b.syncCrmConnection.status.state),
    );
    const again = await settled(s, connection.connection.id, admin.token);
    assert.deepEqual([again.state, again.pulled, again.created, again.updated, again.pushed], ['SUCCEEDED', 4, 0, 0, 0]); // the pushed lead comes back, unchanged
    assert.equal(amo.state.requests.filter((r) => r.url.startsWith('/api/v4/leads?') && r.url.includes('page=1&')).length, firstPages + 1);

    // A local change is pushed on the next sync; a flaky provider (503) is retried.
    await ok(s.url, `mutation($id: ID!) { updateLead(id: $id, input: {budget: 99000}) { id } }`, { id: local.id }, admin.token);
    amo.state.failNext = 1;
    await ok(s.url, SYNC, { id: connection.connection.id }, admin.token);
    const third = await settled(s, connection.connection.id, admin.token);
    assert.deepEqual([third.state, third.pushed, third.updated], ['SUCCEEDED', 1, 0]);
    assert.equal(amo.state.leads.find((l) => l.id === 5000)?.price, 99000);
  });

  it('fails a sync with a clear reason when the CRM refuses the credentials', async () => {
    const input = { provider: 'AMOCRM', name: 'Wrong token', baseUrl: amoUrl, credentials: 'not-the-token' };
    const wrong = (await ok(s.url, CREATE, { input }, admin.token)).createCrmConnection;
    await ok(s.url, SYNC, { id: wrong.connection.id }, admin.token);
    const status = await settled(s, wrong.connection.id, admin.token);
    assert.equal(status.state, 'FAILED');
    assert.match(status.lastError ?? '', /refused the credentials \(401/);
  });

  it('takes amoCRM webhooks idempotently by lead id, with the secret in the URL', async () => {
    const body = form({
      'leads[add][0][id]': '9001',
      'leads[add][0][name]': 'From the webhook',
      'leads[add][0][price]': '5000',
      'account[subdomain]': 'example',
    });
    const first = await postForm(s.url, connection.webhookUrl, body);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { status: 'ok', created: 1, updated: 0, unchanged: 0, ignored: 0 });
    const again = await postForm(s.url, connection.webhookUrl, body);
    assert.deepEqual(again.body, { status: 'ok', created: 0, updated: 0, unchanged: 1, ignored: 0 });
    const renamed = form({
      'leads[update][0][id]': '9001',
      'leads[update][0][name]': 'Renamed in amoCRM',
      'leads[update][0][price]': '6000',
    });
    const path = `/webhooks/amocrm/${connection.connection.id}?secret=${encodeURIComponent(connection.webhookSecret)}`;
    assert.equal((await postForm(s.url, path, renamed)).body.updated, 1);
    const leads = (await ok(s.url, LEADS, {}, admin.token)).leads.nodes.filter(
      (l: { crmExternalId: string }) => l.crmExternalId === '9001',
    );
    assert.equal(leads.length, 1);
    assert.deepEqual([leads[0].name, leads[0].budget], ['Renamed in amoCRM', 6000]);
    // Another organization sees none of it.
    const theirs = (await ok(s.url, LEADS, {}, stranger.token)).leads;
    assert.equal(theirs.totalCount, 0);

    const wrongSecret = `/webhooks/amocrm?connection=${connection.connection.id}&secret=nope`;
    assert.equal((await postForm(s.url, wrongSecret, body)).status, 401);
    assert.equal((await postForm(s.url, `/webhooks/amocrm?connection=00000000-0000-4000-8000-000000000000&secret=x`, body)).status, 401);
    assert.equal((await postForm(s.url, '/webhooks/amocrm', body)).status, 401);
    assert.equal((await postForm(s.url, connection.webhookUrl, 'hello=world')).status, 400);
    assert.equal((await postForm(s.url, connection.webhookUrl, form({ 'leads[add][0][id]': 'abc' }))).status, 400);
  });

  it('limits webhooks per connection', async () => {
    const path = `/webhooks/amocrm?connection=11111111-1111-4111-8111-111111111111&secret=x`;
    const answers = await Promise.all(Array.from({ length: WEBHOOK_PER_MINUTE + 1 }, () => postForm(s.url, path, 'a=b')));
    const statuses = answers.map((a) => a.status);
    assert.deepEqual([statuses.filter((x) => x === 401).length, statuses.filter((x) => x === 429).length], [WEBHOOK_PER_MINUTE, 1]);
    assert.match(answers.find((a) => a.status === 429)?.body.detail, /at most 60 webhooks per minute/);
  });

  it('serves seed 000 /api/v1/crm/connections', async () => {
    const created = await rest(s.url, 'POST', '/api/v1/crm/connections', {
      token: admin.token,
      body: { provider: 'generic', name: 'Bridge', base_url: amoUrl, credentials: 'generic-secret-9876' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.credentials, '••••9876');
    assert.match(created.body.webhook_secret, /^crmhook_/);
    const id = created.body.id as string;
    const listed = await rest(s.url, 'GET', '/api/v1/crm/connections', { token: admin.token });
    assert.equal(listed.status, 200);
    assert.ok(listed.body.items.some((c: { id: string }) => c.id === id));
    assert.ok(!JSON.stringify(listed.body).includes('generic-secret-9876'));
    const one = await rest(s.url, 'GET', `/api/v1/crm/connections/${id}`, { token: admin.token });
    assert.deepEqual([one.body.provider, one.body.sync_status, one.body.credentials], ['generic', 'idle', '••••9876']);
    const put = await rest(s.url, 'PUT', `/api/v1/crm/connections/${id}`, {
      token: admin.token,
      body: { name: 'Renamed', is_active: false },
    });
    assert.deepEqual([put.status, put.body.name, put.body.is_active], [200, 'Renamed', false]);
    assert.equal((await rest(s.url, 'POST', `/api/v1/crm/connections/${id}/sync`, { token: admin.token })).status, 422);
    const status = await rest(s.url, 'GET', `/api/v1/crm/connections/${id}/status`, { token: admin.token });
    assert.deepEqual([status.status, status.body.state], [200, 'idle']);
    assert.equal((await rest(s.url, 'GET', '/api/v1/crm/connections', { token: manager.token })).status, 403);
    assert.equal((await rest(s.url, 'GET', `/api/v1/crm/connections/${id}`, { token: stranger.token })).status, 404);
    assert.equal((await rest(s.url, 'DELETE', `/api/v1/crm/connections/${id}`, { token: stranger.token })).status, 404);
    assert.equal((await rest(s.url, 'POST', '/api/v1/crm/connections', { token: admin.token, body: { name: 'x' } })).status, 422);
    assert.equal((await rest(s.url, 'DELETE', `/api/v1/crm/connections/${id}`, { token: admin.token })).status, 204);
    assert.equal((await rest(s.url, 'GET', `/api/v1/crm/connections/${id}`, { token: admin.token })).status, 404);
  });
});

describe('CRM sync with the generic protocol', () => {
  it('pulls pages of GET /leads?page= and pushes with POST /leads', async () => {
    const s = await stack();
    const admin = await newOrganization(s.url);
    const posted: unknown[] = [];
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const url = new URL(req.url ?? '/', 'http://x');
        res.setHeader('content-type', 'application/json');
        if (req.headers.authorization !== 'Bearer generic-token') return void res.writeHead(401).end('{}');
        if (req.method === 'GET' && url.pathname === '/leads') {
          const page = Number(url.searchParams.get('page'));
          const items =
            page === 1
              ? [{ id: 'g-1', name: 'Generic one', phone: '+77010000001', budget: '10.5' }]
              : [{ id: 'g-2', name: 'Generic two', email: 'two@example.com' }];
          return void res.end(JSON.stringify({ items, next_page: page === 1 ? 2 : null }));
        }
        if (req.method === 'POST' && url.pathname === '/leads') {
          posted.push(body);
          return void res.end(JSON.stringify({ id: `g-${100 + posted.length}` }));
        }
        res.writeHead(404).end('{}');
      });
    });
    const base = await listen(server);
    try {
      await ok(s.url, `mutation { createLead(input: {name: "Local generic"}) { __typename } }`, {}, admin.token);
      const input = { provider: 'GENERIC', name: 'Bridge', baseUrl: `${base}/`, credentials: 'generic-token' };
      const created = (await ok(s.url, CREATE, { input }, admin.token)).createCrmConnection;
      await ok(s.url, SYNC, { id: created.connection.id }, admin.token);
      const status = await settled(s, created.connection.id, admin.token);
      assert.deepEqual([status.state, status.pulled, status.created, status.pushed], ['SUCCEEDED', 2, 2, 1]);
      assert.deepEqual(posted, [{ name: 'Local generic', phone: null, email: null, company: null, budget: null }]);
      const leads = (await ok(s.url, LEADS, {}, admin.token)).leads.nodes;
      assert.deepEqual(leads.map((l: { crmExternalId: string }) => l.crmExternalId).sort(), ['g-1', 'g-101', 'g-2']);
    } finally {
      server.close();
    }
  });
});
