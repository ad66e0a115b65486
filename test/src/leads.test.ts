import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

const CREATE_NICHE = `mutation($input: CreateNicheInput!) { createNiche(input: $input) { id name status cplTarget } }`;
const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status budget adsCount leadsCount } }`;
const CREATE_AD = `mutation($input: CreateAdInput!) { createAd(input: $input) { id } }`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!, $merge: Boolean) {
  createLead(input: $input, merge: $merge) {
    __typename
    ... on Lead { id name phone phoneE164 email status source qualityScore scoreCategory campaign { id } }
    ... on DuplicateLead { matchedOn existing { id name } }
  }
}`;
const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { id name status adsCount leadsCount niche { id name }
  stats { totalLeads qualifiedLeads cpl conversionRate } } }`;
const LEADS = `query($filter: LeadFilter, $orderBy: LeadOrderField, $direction: SortDirection, $first: Int, $offset: Int) {
  leads(filter: $filter, orderBy: $orderBy, direction: $direction, first: $first, offset: $offset) {
    totalCount nodes { id name status assignedUser { id username } campaign { name } }
  }
}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the queries select them
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

describe('leads: niches, campaigns, leads', () => {
  let s: Stack;
  let admin: Account;
  let nicheId: string;
  let campaignId: string;
  let adId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    nicheId = (
      await ok(s.url, CREATE_NICHE, { input: { name: 'Ремонт ноутбуков', category: 'electronics_repair', cplTarget: 500 } }, admin.token)
    ).createNiche.id;
    const campaign = await ok(
      s.url,
      CREATE_CAMPAIGN,
      { input: { nicheId, name: 'OLX Алматы', platform: 'OLX', budget: 50000 } },
      admin.token,
    );
    campaignId = campaign.createCampaign.id;
    adId = (await ok(s.url, CREATE_AD, { input: { campaignId, title: 'Ремонт MacBook' } }, admin.token)).createAd.id;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  it('creates a niche and a campaign with the documented defaults', async () => {
    const niche = await ok(s.url, `query($id: ID!) { niche(id: $id) { status cplTarget campaigns { id } } }`, { id: nicheId }, admin.token);
    assert.deepEqual(niche.niche, { status: 'RESEARCH', cplTarget: 500, campaigns: [{ id: campaignId }] });
    const campaign = await ok(s.url, CAMPAIGN, { id: campaignId }, admin.token);
    assert.equal(campaign.campaign.status, 'DRAFT');
    assert.equal(campaign.campaign.adsCount, 1);
    assert.deepEqual(campaign.campaign.stats, { totalLeads: 0, qualifiedLeads: 0, cpl: null, conversionRate: 0 });
  });

  it('computes campaign statistics from its leads', async () => {
    const org = await newOrganization(s.url);
    const niche = (await ok(s.url, CREATE_NICHE, { input: { name: 'N' } }, org.token)).createNiche.id;
    const campaign = (
      await ok(s.url, CREATE_CAMPAIGN, { input: { nicheId: niche, name: 'C', platform: 'KASPI', budget: 9000 } }, org.token)
    ).createCampaign.id;
    await ok(s.url, `mutation($id: ID!) { updateCampaign(id: $id, input: { spent: 3000 }) { spent } }`, { id: campaign }, org.token);
    for (const [i, status] of ['NEW', 'QUALIFIED', 'WON'].entries())
      await ok(s.url, CREATE_LEAD, { input: { name: `L${i}`, campaignId: campaign, status } }, org.token);
    const { stats, leadsCount } = (await ok(s.url, CAMPAIGN, { id: campaign }, org.token)).campaign;
    assert.equal(leadsCount, 3);
    assert.deepEqual(stats, { totalLeads: 3, qualifiedLeads: 2, cpl: 1000, conversionRate: 66.7 });
  });

  it('normalises the phone, links the ad and its campaign, and answers duplicates by phone or e-mail', async () => {
    const input = { name: 'Иван Иванов', phone: '+7 777 123 4567', email: 'Ivan@Example.com', source: 'WHATSAPP', adId };
    const created = (await ok(s.url, CREATE_LEAD, { input }, admin.token)).createLead;
    assert.equal(created.__typename, 'Lead');
    assert.equal(created.phone, '+7 777 123 4567');
    assert.equal(created.phoneE164, '+77771234567');
    assert.equal(created.campaign.id, campaignId);

    const byPhone = (await ok(s.url, CREATE_LEAD, { input: { name: 'Ivan', phone: '8 777 123 45 67' } }, admin.token)).createLead;
    assert.equal(byPhone.__typename, 'DuplicateLead');
    assert.equal(byPhone.existing.id, created.id);
    assert.deepEqual(byPhone.matchedOn, ['phone']);
    const byEmail = (await ok(s.url, CREATE_LEAD, { input: { name: 'I', email: 'ivan@example.COM' } }, admin.token)).createLead;
    assert.deepEqual(byEmail.matchedOn, ['email']);

    const merged = (
      await ok(s.url, CREATE_LEAD, { input: { name: 'Иван И.', phone: '87771234567', qualityScore: 82 }, merge: true }, admin.token)
    ).createLead;
    assert.equal(merged.id, created.id);
    assert.equal(merged.name, 'Иван И.');
    assert.equal(merged.scoreCategory, 'HOT');

    // Another organization may hold the same person.
    const other = await newOrganization(s.url);
    assert.equal((await ok(s.url, CREATE_LEAD, { input: { ...input, adId: undefined } }, other.token)).createLead.__typename, 'Lead');
  });

  it('merges leads: conversations and history move to the kept one and the others are gone', async () => {
    const a = (await ok(s.url, CREATE_LEAD, { input: { name: 'Merge A', email: 'merge-a@example.com' } }, admin.token)).createLead.id;
    const b = (await ok(s.url, CREATE_LEAD, { input: { name: 'Merge B', phone: '+7 701 000 0001', company: 'Acme' } }, admin.token))
      .createLead.id;
    const add = `mutation($leadId: ID!, $input: AddLeadMessageInput!) { addLeadMessage(leadId: $leadId, input: $input) { id leadId sender } }`;
    await ok(s.url, add, { leadId: b, input: { message: 'Здравствуйте', sender: 'LEAD', platform: 'WHATSAPP' } }, admin.token);
    const merged = await ok(
      s.url,
      `mutation($t: ID!, $s: [ID!]!) { mergeLeads(targetId: $t, sourceIds: $s) { id company phoneE164 conversations { message } history { kind to } } }`,
      { t: a, s: [b] },
      admin.token,
    );
    assert.equal(merged.mergeLeads.company, 'Acme');
    assert.equal(merged.mergeLeads.phoneE164, '+77010000001');
    assert.deepEqual(merged.mergeLeads.conversations, [{ message: 'Здравствуйте' }]);
    assert.ok(merged.mergeLeads.history.some((h: { kind: string; to: string }) => h.kind === 'MERGED' && h.to === b));
    assert.equal((await ok(s.url, `query($id: ID!) { lead(id: $id) { id } }`, { id: b }, admin.token)).lead, null);
  });

  it('filters, searches word prefixes over name, company and e-mail, and sorts', async () => {
    const org = await newOrganization(s.url);
    const leads = [
      { name: 'Пётр Смирнов', company: 'Ромашка', email: 'petr@flowers.kz', status: 'HOT', qualityScore: 90 },
      { name: 'Анна Кузнецова', company: 'Техносервис', email: 'anna@tech.kz', status: 'NEW', qualityScore: 30 },
      { name: 'Олег', company: null, email: 'oleg@romashka-group.kz', status: 'NEW', qualityScore: 55 },
    ];
    for (const input of leads) await ok(s.url, CREATE_LEAD, { input }, org.token);
    const names = async (variables: Record<string, unknown>) =>
      (await ok(s.url, LEADS, variables, org.token)).leads.nodes.map((l: { name: string }) => l.name);
    assert.deepEqual(await names({ filter: { search: 'ромаш' } }), ['Пётр Смирнов']);
    assert.deepEqual(await names({ filter: { search: 'romashka' } }), ['Олег']);
    assert.deepEqual(await names({ filter: { search: 'анна техно' } }), ['Анна Кузнецова']);
    assert.deepEqual(await names({ filter: { search: "'); drop table x; --" } }), []);
    assert.deepEqual(await names({ filter: { status: 'NEW' }, orderBy: 'QUALITY_SCORE', direction: 'ASC' }), ['Анна Кузнецова', 'Олег']);
    assert.deepEqual(await names({ filter: { scoreCategory: 'HOT' } }), ['Пётр Смирнов']);
    assert.deepEqual(await names({ orderBy: 'NAME', direction: 'ASC', first: 1, offset: 1 }), ['Олег']);
    assert.deepEqual(await names({ filter: { campaignId: 'not-a-uuid' } }), []);
  });

  it('costs the same SQL statements for 3 leads as for 60, users and campaigns included', async () => {
    const org = await newOrganization(s.url);
    const niche = (await ok(s.url, CREATE_NICHE, { input: { name: 'N' } }, org.token)).createNiche.id;
    const campaign = (await ok(s.url, CREATE_CAMPAIGN, { input: { nicheId: niche, name: 'C', platform: 'OLX' } }, org.token)).createCampaign
      .id;
    const create = (i: number) =>
      ok(s.url, CREATE_LEAD, { input: { name: `Lead ${i}`, campaignId: campaign, assignedUserId: org.id } }, org.token);
    for (let i = 0; i < 3; i++) await create(i);
    const list = () => ok(s.url, LEADS, { first: 100 }, org.token);
    const few = await statementsOf(list);
    for (let i = 3; i < 60; i++) await create(i);
    const many = await statementsOf(list);
    assert.equal(many.result.leads.nodes.length, 60);
    assert.equal(many.result.leads.nodes[0].assignedUser.username, org.username);
    assert.equal(many.statements, few.statements);
    // Asked only for their ids, campaigns are not loaded: the lead row holds them.
    const idsOnly = await statementsOf(() => ok(s.url, `query { leads(first: 100) { nodes { campaign { id } } } }`, {}, org.token));
    const names = await statementsOf(() => ok(s.url, `query { leads(first: 100) { nodes { campaign { name } } } }`, {}, org.token));
    assert.equal(idsOnly.result.leads.nodes[0].campaign.id, campaign);
    assert.equal(idsOnly.statements, names.statements - 1);
  });

  it('keeps organizations apart and applies roles', async () => {
    const stranger = await newOrganization(s.url);
    assert.equal((await ok(s.url, CAMPAIGN, { id: campaignId }, stranger.token)).campaign, null);
    assert.equal(codeOf(await graphql(s.url, CREATE_LEAD, { input: { name: 'x', campaignId } }, { token: stranger.token })), 'NOT_FOUND');
    assert.equal((await ok(s.url, LEADS, {}, stranger.token)).leads.totalCount, 0);

    const user = await newMember(s.url, admin, 'USER');
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(codeOf(await graphql(s.url, CREATE_NICHE, { input: { name: 'x' } }, { token: user.token })), 'FORBIDDEN');
    assert.equal(codeOf(await graphql(s.url, CREATE_LEAD, { input: { name: 'x' } }, { token: guest.token })), 'FORBIDDEN');
    // A user sees the leads they created or were given, not the organization's.
    const own = (await ok(s.url, CREATE_LEAD, { input: { name: 'Own lead' } }, user.token)).createLead.id;
    const seen = (await ok(s.url, LEADS, {}, user.token)).leads.nodes.map((l: { id: string }) => l.id);
    assert.deepEqual(seen, [own]);
    const del = `mutation($id: ID!) { deleteLead(id: $id) }`;
    assert.equal(codeOf(await graphql(s.url, del, { id: own }, { token: user.token })), 'FORBIDDEN');
    assert.equal((await ok(s.url, del, { id: own }, admin.token)).deleteLead, own);
  });

  it('refuses bad input with a code naming the field', async () => {
    const bad = async (query: string, variables: Record<string, unknown>) => {
      const result = await graphql(s.url, query, variables, { token: admin.token });
      assert.equal(codeOf(result), 'BAD_USER_INPUT', JSON.stringify(result));
      return result.errors![0].message;
    };
    await bad(CREATE_LEAD, { input: { name: '' } });
    await bad(CREATE_LEAD, { input: { name: 'x', email: 'not-mail' } });
    await bad(CREATE_LEAD, { input: { name: 'x', qualityScore: 101 } });
    await bad(CREATE_LEAD, { input: { name: 'x', phone: 'abc' } });
    await bad(CREATE_CAMPAIGN, { input: { nicheId, name: 'x', platform: 'OLX', budget: -1 } });
    assert.match(
      await bad(CREATE_CAMPAIGN, { input: { nicheId, name: 'x', platform: 'OLX', startDate: '2024-12-20', endDate: '2024-11-20' } }),
      /end before/,
    );
    await bad(CREATE_CAMPAIGN, { input: { nicheId, name: 'x', platform: 'OLX', startDate: '2024-13-45' } });
    assert.equal(
      codeOf(await graphql(s.url, CREATE_LEAD, { input: { name: 'x', assignedUserId: '999999' } }, { token: admin.token })),
      'NOT_FOUND',
    );
  });

  it('tells subscribers of new leads, messages and campaign changes, within the organization only', async () => {
    const listening = whenListening(s.product, 'leads');
    const created = subscribe<{ leadCreated: { name: string; assignedUser: null } }>(wsClient(s.url, bearer(admin.token)), {
      query: `subscription { leadCreated { name assignedUser { id } } }`,
    });
    const campaigns = subscribe<{ campaignUpdated: { status: string; stats: { totalLeads: number } } }>(
      wsClient(s.url, bearer(admin.token)),
      {
        query: `subscription { campaignUpdated { status stats { totalLeads } } }`,
      },
    );
    const stranger = await newOrganization(s.url);
    const foreign = subscribe(wsClient(s.url, bearer(stranger.token)), { query: `subscription { leadCreated { name } }` });
    const firstEvents = [created.next(), campaigns.next()];
    await listening(3);
    await ok(s.url, CREATE_LEAD, { input: { name: 'Live lead', campaignId } }, admin.token);
    const [lead, campaign] = await Promise.all(firstEvents);
    assert.equal((lead.data as { leadCreated: { name: string } }).leadCreated.name, 'Live lead');
    assert.ok((campaign.data as { campaignUpdated: { stats: { totalLeads: number } } }).campaignUpdated.stats.totalLeads >= 1);
    await assert.rejects(foreign.next(300), /timed out/);
  });

  it('tells of status changes and conversation messages, to those who may see the lead', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const lead = (await ok(s.url, CREATE_LEAD, { input: { name: 'Watched lead' } }, admin.token)).createLead.id as string;
    const listening = whenListening(s.product, 'leads');
    const updates = subscribe<{ leadUpdated: { id: string; status: string; history: { kind: string }[] } }>(
      wsClient(s.url, bearer(admin.token)),
      { query: `subscription($id: ID) { leadUpdated(leadId: $id) { id status history { kind } } }`, variables: { id: lead } },
    );
    const messages = subscribe<{ leadMessageAdded: { leadId: string; message: string; sender: string } }>(
      wsClient(s.url, bearer(admin.token)),
      {
        query: `subscription { leadMessageAdded { leadId message sender } }`,
      },
    );
    // A plain user sees only their own leads' events: this lead is the admin's, unassigned.
    const outsider = subscribe(wsClient(s.url, bearer(user.token)), { query: `subscription { leadUpdated { id } }` });
    const next = [updates.next(), messages.next()];
    await listening(3);
    await ok(s.url, `mutation($id: ID!) { updateLeadStatus(id: $id, status: CONTACTED) { id } }`, { id: lead }, admin.token);
    await ok(
      s.url,
      `mutation($id: ID!) { addLeadMessage(leadId: $id, input: { message: "Добрый день!", sender: HUMAN, platform: TELEGRAM }) { id } }`,
      { id: lead },
      admin.token,
    );
    const [update, message] = await Promise.all(next);
    const updated = (update.data as { leadUpdated: { id: string; status: string; history: { kind: string }[] } }).leadUpdated;
    assert.equal(updated.status, 'CONTACTED');
    assert.deepEqual(
      updated.history.map((h) => h.kind),
      ['CREATED', 'STATUS_CHANGED'],
    );
    assert.deepEqual((message.data as { leadMessageAdded: object }).leadMessageAdded, {
      leadId: lead,
      message: 'Добрый день!',
      sender: 'HUMAN',
    });
    await assert.rejects(outsider.next(300), /timed out/);
  });
});
