import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql, rest, type RestResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

const NICHE_KEYS = ['category', 'cpl_target', 'created_at', 'id', 'name', 'roi_target', 'status'];
const CAMPAIGN_KEYS = ['ads_count', 'budget', 'created_at', 'id', 'leads_count', 'name', 'niche_id', 'platform', 'spent', 'status'];
const STATS_KEYS = ['conversion_rate', 'cpl', 'qualified_leads', 'total_leads'];
const LEAD_KEYS = ['created_at', 'id', 'name', 'phone', 'quality_score', 'source', 'status'];
const MESSAGE_KEYS = ['created_at', 'id', 'message', 'platform', 'sender'];
const V1_LEAD_KEYS = [
  'ad_id',
  'assigned_user_id',
  'budget',
  'campaign_id',
  'company',
  'created_at',
  'email',
  'id',
  'name',
  'notes',
  'phone',
  'platform_user_id',
  'quality_score',
  'score_category',
  'source',
  'status',
  'updated_at',
];
const PAGE_KEYS = ['items', 'page', 'pages', 'size', 'total'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const keys = (o: object) => Object.keys(o).sort();

function assertStatus(result: RestResult, status: number, what = '') {
  assert.equal(result.status, status, `${what} → ${result.status} ${JSON.stringify(result.body)}`);
}
/** Seeds 000 and 001 answer errors as `{detail}`. */
function assertDetail(result: RestResult, status: number, what = '') {
  assertStatus(result, status, what);
  assert.deepEqual(keys(result.body), ['detail'], what);
  assert.equal(typeof result.body.detail, 'string');
}

async function apiKey(url: string, account: Account): Promise<string> {
  const created = await graphql(
    url,
    'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }',
    { i: { name: 'leads' } },
    {
      token: account.token,
    },
  );
  assert.ok(created.data, JSON.stringify(created.errors));
  return created.data.createApiKey.secret as string;
}

describe('REST seed 001: niches, campaigns, leads', () => {
  let s: Stack;
  let admin: Account;
  let key: string;
  let other: Account;
  const call = (method: string, path: string, body?: unknown) => rest(s.url, method, path, { headers: { 'x-api-key': key }, body });

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    key = await apiKey(s.url, admin);
    other = await newOrganization(s.url);
  });

  it("runs the seed's curl examples as written (with an API key) in the documented shapes", async () => {
    const niche = await call('POST', '/api/niches', {
      name: 'Ремонт ноутбуков',
      category: 'electronics_repair',
      description: 'Быстрый ремонт ноутбуков',
      cpl_target: 500.0,
      roi_target: 300.0,
    });
    assertStatus(niche, 201, 'POST /api/niches');
    assert.deepEqual(keys(niche.body), NICHE_KEYS);
    assert.match(niche.body.id, UUID);
    assert.match(niche.body.created_at, ISO);
    assert.deepEqual(
      [niche.body.name, niche.body.category, niche.body.status, niche.body.cpl_target, niche.body.roi_target],
      ['Ремонт ноутбуков', 'electronics_repair', 'research', 500, 300],
    );

    const campaign = await call('POST', '/api/campaigns', {
      niche_id: niche.body.id,
      name: 'OLX Алматы - Ремонт ноутбуков',
      platform: 'olx',
      budget: 50000.0,
    });
    assertStatus(campaign, 201, 'POST /api/campaigns');
    assert.deepEqual(keys(campaign.body), CAMPAIGN_KEYS);
    assert.deepEqual(
      [campaign.body.niche_id, campaign.body.platform, campaign.body.status, campaign.body.budget, campaign.body.spent],
      [niche.body.id, 'olx', 'draft', 50000, 0],
    );
    assert.deepEqual([campaign.body.ads_count, campaign.body.leads_count], [0, 0]);

    const lead = await call('POST', '/api/leads', { name: 'Иван Иванов', phone: '+7 777 123 4567', source: 'whatsapp', budget: 15000.0 });
    assertStatus(lead, 201, 'POST /api/leads');
    assert.deepEqual(keys(lead.body), LEAD_KEYS);
    assert.deepEqual(
      [lead.body.name, lead.body.phone, lead.body.source, lead.body.status, lead.body.quality_score],
      ['Иван Иванов', '+7 777 123 4567', 'whatsapp', 'new', null],
    );
    assert.match(lead.body.id, UUID);
  });

  it('lists, reads, updates and deletes niches', async () => {
    const a = await call('POST', '/api/niches', { name: 'Niche A', cpl_target: 450.5 });
    const b = await call('POST', '/api/niches', { name: 'Niche B', category: 'x' });
    assertStatus(a, 201);
    const patched = await call('PATCH', `/api/niches/${a.body.id}`, {
      name: 'Ремонт ноутбуков и компьютеров',
      status: 'active',
      cpl_target: 450.0,
    });
    assertStatus(patched, 200, 'PATCH');
    assert.deepEqual(keys(patched.body), NICHE_KEYS);
    assert.deepEqual([patched.body.name, patched.body.status, patched.body.cpl_target], ['Ремонт ноутбуков и компьютеров', 'active', 450]);

    const active = await call('GET', '/api/niches?status=active');
    assertStatus(active, 200);
    assert.ok(Array.isArray(active.body));
    assert.deepEqual(
      active.body.map((n: { id: string }) => n.id),
      [a.body.id],
    );
    active.body.forEach((n: object) => assert.deepEqual(keys(n), NICHE_KEYS));
    const limited = await call('GET', '/api/niches?limit=1');
    assert.equal(limited.body.length, 1);
    assert.equal(limited.body[0].id, b.body.id, 'newest first');

    const one = await call('GET', `/api/niches/${b.body.id}`);
    assertStatus(one, 200);
    assert.deepEqual(keys(one.body), NICHE_KEYS);

    const deleted = await call('DELETE', `/api/niches/${b.body.id}`);
    assertStatus(deleted, 200);
    assert.deepEqual(deleted.body, { message: 'Ниша удалена', id: b.body.id });
    assertDetail(await call('GET', `/api/niches/${b.body.id}`), 404, 'deleted niche');
    assertDetail(await call('DELETE', `/api/niches/${b.body.id}`), 404, 'deleted twice');

    assertDetail(await call('GET', '/api/niches?status=unknown'), 422, 'bad status filter');
    assertDetail(await call('GET', '/api/niches?limit=0'), 422, 'limit 0');
    assertDetail(await call('POST', '/api/niches', { category: 'no name' }), 422, 'no name');
    assertDetail(await call('POST', '/api/niches', { name: 'x', cpl_target: 'cheap' }), 422, 'string target');
    assertDetail(await call('POST', '/api/niches', { name: 'x', cpl_target: -1 }), 422, 'negative target');
    assertDetail(await call('PATCH', `/api/niches/${a.body.id}`, { status: 'done' }), 422, 'bad status');
    assertDetail(await call('POST', '/api/niches', '{"name": '), 422, 'malformed JSON');
  });

  it('lists campaigns by niche and platform, shows live stats and changes the status', async () => {
    const niche = (await call('POST', '/api/niches', { name: 'Stats niche' })).body;
    const olx = await call('POST', '/api/campaigns', {
      niche_id: niche.id,
      name: 'OLX',
      platform: 'olx',
      budget: 50000.0,
      start_date: '2024-11-20',
      end_date: '2024-12-20',
    });
    assertStatus(olx, 201);
    const kaspi = (await call('POST', '/api/campaigns', { niche_id: niche.id, name: 'Kaspi', platform: 'kaspi' })).body;

    const byNiche = await call('GET', `/api/campaigns?niche_id=${niche.id}`);
    assertStatus(byNiche, 200);
    assert.deepEqual(byNiche.body.map((c: { id: string }) => c.id).sort(), [olx.body.id, kaspi.id].sort());
    byNiche.body.forEach((c: object) => assert.deepEqual(keys(c), CAMPAIGN_KEYS));
    const byPlatform = await call('GET', `/api/campaigns?niche_id=${niche.id}&platform=kaspi`);
    assert.deepEqual(
      byPlatform.body.map((c: { id: string }) => c.id),
      [kaspi.id],
    );

    // Three leads of the campaign, one qualified; 15,000 spent.
    await graphql(
      s.url,
      `
        mutation ($id: ID!) {
          updateCampaign(id: $id, input: { spent: 15000 }) {
            id
          }
        }
      `,
      { id: olx.body.id },
      { token: admin.token },
    );
    const leadIds: string[] = [];
    for (const name of ['L1', 'L2', 'L3']) {
      const created = await graphql(
        s.url,
        `
          mutation ($i: CreateLeadInput!) {
            createLead(input: $i) {
              ... on Lead {
                id
              }
            }
          }
        `,
        { i: { name, campaignId: olx.body.id } },
        { token: admin.token },
      );
      leadIds.push(created.data.createLead.id);
    }
    assertStatus(await call('PATCH', `/api/leads/${leadIds[0]}/status`, { status: 'qualified' }), 200);

    const detail = await call('GET', `/api/campaigns/${olx.body.id}`);
    assertStatus(detail, 200);
    assert.deepEqual(keys(detail.body), [...CAMPAIGN_KEYS, 'stats'].sort());
    assert.deepEqual(keys(detail.body.stats), STATS_KEYS);
    assert.deepEqual(detail.body.stats, { total_leads: 3, qualified_leads: 1, cpl: 5000, conversion_rate: 33.3 });
    assert.deepEqual([detail.body.leads_count, detail.body.spent], [3, 15000]);

    const activated = await call('PATCH', `/api/campaigns/${olx.body.id}/status`, { status: 'active' });
    assertStatus(activated, 200);
    assert.deepEqual(keys(activated.body), CAMPAIGN_KEYS);
    assert.equal(activated.body.status, 'active');

    assertDetail(await call('PATCH', `/api/campaigns/${olx.body.id}/status`, { status: 'running' }), 422, 'bad status');
    assertDetail(await call('PATCH', `/api/campaigns/${olx.body.id}/status`, {}), 422, 'no status');
    assertDetail(await call('POST', '/api/campaigns', { niche_id: niche.id, name: 'x', platform: 'avito' }), 422, 'bad platform');
    assertDetail(
      await call('POST', '/api/campaigns', { niche_id: niche.id, name: 'x', platform: 'olx', start_date: '20.11.2024' }),
      422,
      'bad date',
    );
    assertDetail(await call('POST', '/api/campaigns', { niche_id: crypto.randomUUID(), name: 'x', platform: 'olx' }), 404, 'unknown niche');
    assertDetail(await call('GET', `/api/campaigns/${crypto.randomUUID()}`), 404, 'unknown campaign');
    assertDetail(await call('GET', '/api/campaigns/not-a-uuid'), 404, 'malformed id');
  });

  it('creates leads with conversations, filters them, and refuses duplicates unless merged', async () => {
    const lead = await call('POST', '/api/leads', {
      name: 'Пётр Петров',
      phone: '+7 701 555 0101',
      source: 'telegram',
      platform_user_id: 'user123',
      budget: 15000.0,
      notes: 'Интересуется ремонтом MacBook',
    });
    assertStatus(lead, 201);
    const id = lead.body.id as string;

    const first = await call('POST', `/api/leads/${id}/messages`, {
      message: 'Здравствуйте, интересует ремонт MacBook',
      sender: 'lead',
      platform: 'whatsapp',
    });
    assertStatus(first, 201, 'POST messages');
    assert.deepEqual(keys(first.body), [...MESSAGE_KEYS, 'lead_id'].sort());
    assert.deepEqual([first.body.lead_id, first.body.sender, first.body.platform], [id, 'lead', 'whatsapp']);
    const second = await call('POST', `/api/leads/${id}/messages`, { message: 'Добрый день! Расскажите, что случилось?', sender: 'bot' });
    assertStatus(second, 201);
    assert.equal(second.body.platform, null);

    const messages = await call('GET', `/api/leads/${id}/messages`);
    assertStatus(messages, 200);
    assert.deepEqual(keys(messages.body), ['lead_id', 'messages']);
    assert.equal(messages.body.lead_id, id);
    assert.deepEqual(
      messages.body.messages.map((m: { id: string }) => m.id),
      [first.body.id, second.body.id],
    );
    messages.body.messages.forEach((m: object) => assert.deepEqual(keys(m), MESSAGE_KEYS));

    const withConversation = await call('GET', `/api/leads/${id}`);
    assertStatus(withConversation, 200);
    assert.deepEqual(keys(withConversation.body), [...LEAD_KEYS, 'conversations'].sort());
    assert.deepEqual(withConversation.body.conversations, messages.body.messages);

    const hot = await call('PATCH', `/api/leads/${id}/status`, { status: 'hot' });
    assertStatus(hot, 200);
    assert.deepEqual(keys(hot.body), LEAD_KEYS);
    assert.equal(hot.body.status, 'hot');

    const listed = await call('GET', '/api/leads?status=hot&source=telegram');
    assertStatus(listed, 200);
    assert.deepEqual(
      listed.body.map((l: { id: string }) => l.id),
      [id],
    );
    listed.body.forEach((l: object) => assert.deepEqual(keys(l), LEAD_KEYS));
    assert.equal((await call('GET', '/api/leads?limit=1')).body.length, 1);

    // The same phone written another way is the same person.
    const duplicate = await call('POST', '/api/leads', { name: 'Пётр', phone: '8 (701) 555-01-01', source: 'olx' });
    assertStatus(duplicate, 409, 'duplicate');
    assert.deepEqual(keys(duplicate.body), ['detail', 'existing_id', 'matched_on']);
    assert.deepEqual([duplicate.body.existing_id, duplicate.body.matched_on], [id, ['phone']]);
    const merged = await call('POST', '/api/leads?merge=true', { name: 'Пётр П.', phone: '8 (701) 555-01-01', source: 'olx' });
    assertStatus(merged, 200, 'merge');
    assert.deepEqual(keys(merged.body), LEAD_KEYS);
    assert.deepEqual([merged.body.id, merged.body.name, merged.body.source], [id, 'Пётр П.', 'olx']);
    const fresh = await call('POST', '/api/leads?merge=true', { name: 'Новый', phone: '+7 701 555 0199', source: 'kaspi' });
    assertStatus(fresh, 201, 'merge=true without a duplicate creates');

    assertDetail(await call('POST', '/api/leads', { phone: '+7 701 555 0102' }), 422, 'no name');
    assertDetail(await call('POST', '/api/leads', { name: 'x', source: 'fax' }), 422, 'bad source');
    assertDetail(await call('POST', '/api/leads', { name: 'x', phone: 'call me' }), 422, 'bad phone');
    assertDetail(await call('POST', '/api/leads', { name: 'x', ad_id: crypto.randomUUID() }), 404, 'unknown ad');
    assertDetail(await call('PATCH', `/api/leads/${id}/status`, { status: 'closed' }), 422, 'bad status');
    assertDetail(await call('POST', `/api/leads/${id}/messages`, { message: 'x', sender: 'robot' }), 422, 'bad sender');
    assertDetail(await call('POST', `/api/leads/${id}/messages`, { sender: 'bot' }), 422, 'no message');
    assertDetail(await call('GET', '/api/leads?status=warm'), 422, 'bad status filter');
    for (const path of [`/api/leads/${crypto.randomUUID()}`, `/api/leads/${crypto.randomUUID()}/messages`])
      assertDetail(await call('GET', path), 404, path);
  });

  it("answers 404 for another organization's ids, 401 without credentials, 403 for guests' writes", async () => {
    const niche = (await call('POST', '/api/niches', { name: 'Private niche' })).body;
    const campaign = (await call('POST', '/api/campaigns', { niche_id: niche.id, name: 'Private', platform: 'olx' })).body;
    const lead = (await call('POST', '/api/leads', { name: 'Private lead', phone: '+7 701 555 0177' })).body;
    const as = (account: Account, method: string, path: string, body?: unknown) =>
      rest(s.url, method, path, { token: account.token, body });
    for (const [method, path, body] of [
      ['GET', `/api/niches/${niche.id}`],
      ['PATCH', `/api/niches/${niche.id}`, { name: 'mine' }],
      ['DELETE', `/api/niches/${niche.id}`],
      ['GET', `/api/campaigns/${campaign.id}`],
      ['PATCH', `/api/campaigns/${campaign.id}/status`, { status: 'active' }],
      ['POST', '/api/campaigns', { niche_id: niche.id, name: 'x', platform: 'olx' }],
      ['GET', `/api/leads/${lead.id}`],
      ['PATCH', `/api/leads/${lead.id}/status`, { status: 'spam' }],
      ['POST', `/api/leads/${lead.id}/messages`, { message: 'hi', sender: 'human' }],
      ['GET', `/api/leads/${lead.id}/messages`],
    ] as const)
      assertDetail(await as(other, method, path, body), 404, `${method} ${path} of another organization`);
    assert.deepEqual((await as(other, 'GET', `/api/campaigns?niche_id=${niche.id}`)).body, []);
    assert.ok(!(await as(other, 'GET', '/api/leads')).body.some((l: { id: string }) => l.id === lead.id));
    // The same phone in another organization is no duplicate.
    assertStatus(await as(other, 'POST', '/api/leads', { name: 'Same phone', phone: '+7 701 555 0177' }), 201);

    for (const [method, path] of [
      ['GET', '/api/niches'],
      ['POST', '/api/niches'],
      ['GET', '/api/campaigns'],
      ['GET', `/api/leads/${lead.id}`],
      ['POST', '/api/leads'],
    ])
      assertDetail(await rest(s.url, method, path, method === 'POST' ? { body: { name: 'x' } } : {}), 401, `${method} ${path} anonymous`);

    const guest = await newMember(s.url, admin, 'GUEST');
    assertStatus(await as(guest, 'GET', '/api/niches'), 200);
    assertDetail(await as(guest, 'POST', '/api/niches', { name: 'x' }), 403, 'guest creates a niche');
    assertDetail(await as(guest, 'POST', '/api/leads', {}), 403, 'guest creates a lead (refused before the body)');
    const user = await newMember(s.url, admin, 'USER');
    assertDetail(await as(user, 'PATCH', `/api/campaigns/${campaign.id}/status`, { status: 'active' }), 403, 'user changes a campaign');
  });

  it('keeps /api/health and seed 002 beside seed 001 under /api', async () => {
    const health = await rest(s.url, 'GET', '/api/health');
    assertStatus(health, 200);
    assert.equal(health.body.status, 'healthy');
    const calls = await rest(s.url, 'GET', '/api/calls', { token: admin.token });
    assertStatus(calls, 200);
    assert.equal(calls.body.success, true);
    const docs = await rest(s.url, 'GET', '/openapi.json');
    for (const path of [
      '/api/niches',
      '/api/niches/{niche_id}',
      '/api/campaigns/{campaign_id}/status',
      '/api/leads/{lead_id}/messages',
      '/api/v1/leads/{lead_id}',
    ])
      assert.ok(docs.body.paths[path], path);
    assert.ok(docs.body.paths['/api/leads'].post.responses['409']);
  });
});

describe('REST seed 000: leads under /api/v1', () => {
  let s: Stack;
  let admin: Account;
  let manager: Account;
  let agent: Account;
  let other: Account;
  const as = (account: Account, method: string, path: string, body?: unknown) => rest(s.url, method, path, { token: account.token, body });

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    manager = await newMember(s.url, admin, 'MANAGER');
    agent = await newMember(s.url, admin, 'USER');
    other = await newOrganization(s.url);
  });

  it('creates, reads, updates and deletes a lead in the documented shapes', async () => {
    const created = await as(manager, 'POST', '/api/v1/leads/', {
      name: 'Анна Смирнова',
      company: 'ООО Ромашка',
      email: 'anna@romashka.ru',
      phone: '+7 (495) 123-45-67',
      source: 'website',
      assigned_user_id: Number(agent.id),
      budget: 250000.0,
      notes: 'Хочет демо',
      quality_score: 75,
    });
    assertStatus(created, 201, 'POST /leads/');
    assert.deepEqual(keys(created.body), V1_LEAD_KEYS);
    const lead = created.body;
    assert.match(lead.id, UUID);
    assert.deepEqual(
      [lead.status, lead.source, lead.assigned_user_id, lead.budget, lead.quality_score, lead.score_category, lead.campaign_id],
      ['new', 'website', Number(agent.id), 250000, 75, 'hot', null],
    );

    const read = await as(agent, 'GET', `/api/v1/leads/${lead.id}`);
    assertStatus(read, 200);
    assert.deepEqual(read.body, lead);

    const updated = await as(agent, 'PUT', `/api/v1/leads/${lead.id}`, { status: 'contacted', notes: null, quality_score: 30 });
    assertStatus(updated, 200);
    assert.deepEqual(keys(updated.body), V1_LEAD_KEYS);
    assert.deepEqual(
      [updated.body.status, updated.body.notes, updated.body.score_category, updated.body.company],
      ['contacted', null, 'cold', 'ООО Ромашка'],
    );

    const duplicate = await as(manager, 'POST', '/api/v1/leads', { name: 'Анна', email: 'ANNA@romashka.ru', phone: '84951234567' });
    assertStatus(duplicate, 409);
    assert.deepEqual(keys(duplicate.body), ['detail', 'existing_id', 'matched_on']);
    assert.deepEqual([duplicate.body.existing_id, duplicate.body.matched_on], [lead.id, ['phone', 'email']]);
    const merged = await as(manager, 'POST', '/api/v1/leads/?merge=true', { name: 'Анна С.', email: 'anna@romashka.ru' });
    assertStatus(merged, 200);
    assert.deepEqual([merged.body.id, merged.body.name], [lead.id, 'Анна С.']);

    assertDetail(await as(manager, 'DELETE', `/api/v1/leads/${lead.id}`), 403, 'managers do not delete');
    assertDetail(await as(agent, 'DELETE', `/api/v1/leads/${lead.id}`), 403, 'users do not delete');
    const deleted = await as(admin, 'DELETE', `/api/v1/leads/${lead.id}`);
    assertStatus(deleted, 204);
    assertDetail(await as(admin, 'GET', `/api/v1/leads/${lead.id}`), 404, 'deleted');
    assertDetail(await as(admin, 'DELETE', `/api/v1/leads/${lead.id}`), 404, 'deleted twice');
  });

  it('lists with skip/limit pages, filters, search, dates and sorting', async () => {
    const org = await newOrganization(s.url);
    const seller = await newMember(s.url, org, 'USER');
    const names = ['Alpha Trade', 'Beta Soft', 'Gamma Build', 'Delta Foods', 'Epsilon Labs'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const created = await as(org, 'POST', '/api/v1/leads', {
        name,
        company: `${name} LLC`,
        status: i % 2 ? 'qualified' : 'new',
        quality_score: i * 20,
        ...(i < 2 ? { assigned_user_id: Number(seller.id) } : {}),
      });
      assertStatus(created, 201);
      ids.push(created.body.id);
    }
    const page = await as(org, 'GET', '/api/v1/leads/?skip=2&limit=2');
    assertStatus(page, 200);
    assert.deepEqual(keys(page.body), PAGE_KEYS);
    assert.deepEqual([page.body.total, page.body.page, page.body.size, page.body.pages], [5, 2, 2, 3]);
    assert.deepEqual(
      page.body.items.map((l: { id: string }) => l.id),
      [ids[2], ids[1]],
      'newest first',
    );
    page.body.items.forEach((l: object) => assert.deepEqual(keys(l), V1_LEAD_KEYS));

    const list = async (query: string) => {
      const result = await as(org, 'GET', `/api/v1/leads?${query}`);
      assertStatus(result, 200, query);
      return result.body.items.map((l: { name: string }) => l.name) as string[];
    };
    assert.deepEqual(await list('status=qualified&sort=asc'), ['Beta Soft', 'Delta Foods']);
    assert.deepEqual(await list(`assigned_to=${seller.id}&sort=asc`), ['Alpha Trade', 'Beta Soft']);
    assert.deepEqual(await list('score_category=hot'), ['Epsilon Labs']);
    assert.deepEqual(await list('search=gam'), ['Gamma Build']);
    assert.deepEqual(await list('order_by=name&sort=asc&limit=2'), ['Alpha Trade', 'Beta Soft']);
    assert.deepEqual(await list('order_by=quality_score&sort=desc&limit=1'), ['Epsilon Labs']);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await list(`date_from=${today}&date_to=${today}`)).length, 5);
    assert.deepEqual(await list('date_to=2000-01-01'), []);

    // A plain user sees the leads assigned to (or created by) them.
    const own = await as(seller, 'GET', '/api/v1/leads');
    assert.equal(own.body.total, 2);

    for (const query of [
      'limit=0',
      'limit=201',
      'skip=-1',
      'status=warm',
      'sort=up',
      'order_by=phone',
      'assigned_to=abc',
      'score_category=tepid',
    ])
      assertDetail(await as(org, 'GET', `/api/v1/leads?${query}`), 422, query);
  });

  it('refuses bad bodies (422), foreign ids (404), missing credentials (401) and guests (403)', async () => {
    const lead = (await as(admin, 'POST', '/api/v1/leads', { name: 'Guarded', email: 'guarded@example.com' })).body;
    for (const body of [
      {},
      { name: 'x', email: 'not an e-mail' },
      { name: 'x', status: 'open' },
      { name: 'x', quality_score: 101 },
      { name: 'x', assigned_user_id: 'me' },
      { name: 'x', budget: -5 },
      { name: '' },
    ])
      assertDetail(await as(admin, 'POST', '/api/v1/leads', body), 422, JSON.stringify(body));
    assertDetail(await as(admin, 'PUT', `/api/v1/leads/${lead.id}`, { status: null }), 422, 'null status');
    assertDetail(await as(admin, 'POST', '/api/v1/leads', { name: 'x', assigned_user_id: Number(other.id) }), 404, 'foreign assignee');

    for (const [method, body] of [['GET'], ['PUT', { name: 'mine' }], ['DELETE']] as const)
      assertDetail(await as(other, method, `/api/v1/leads/${lead.id}`, body), 404, `${method} of another organization`);
    assertDetail(await as(admin, 'GET', '/api/v1/leads/not-a-uuid'), 404, 'malformed id');

    assertDetail(await rest(s.url, 'GET', '/api/v1/leads'), 401, 'anonymous list');
    assertDetail(await rest(s.url, 'POST', '/api/v1/leads', { body: { name: 'x' } }), 401, 'anonymous create');
    const guest = await newMember(s.url, admin, 'GUEST');
    assertStatus(await as(guest, 'GET', '/api/v1/leads'), 200);
    assertDetail(await as(guest, 'POST', '/api/v1/leads', { name: 'x' }), 403, 'guest creates');
    assertDetail(await as(guest, 'PUT', `/api/v1/leads/${lead.id}`, { name: 'x' }), 403, 'guest updates');
  });
});
