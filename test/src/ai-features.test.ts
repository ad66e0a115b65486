import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest } from './support/client.js';
import { OpenAIStandIn, type ChatRequest } from './support/openai.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { statementsOf } from './support/statements.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the queries select them
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on Lead { id } } }`;
const ADD_MESSAGE = `mutation($leadId: ID!, $input: AddLeadMessageInput!) { addLeadMessage(leadId: $leadId, input: $input) { id } }`;
const SCORE = `mutation($id: ID!, $model: String) {
  scoreLead(leadId: $id, model: $model) { leadId score category summary provider model factors { name weight value points reason } }
}`;
const LEAD = `query($id: ID!) { lead(id: $id) { id qualityScore scoreCategory aiCost } }`;
const EMAIL = `mutation($input: GenerateEmailInput!) { generateEmail(input: $input) { subject body outboundMessageId provider model } }`;
const OUTBOUND = `query($id: ID!) { outboundMessage(id: $id) { id status subject body leadId } }`;
const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id } }`;
const NOTES = `mutation($id: ID!, $notes: String!) { updateCallNotes(id: $id, notes: $notes) { id } }`;

/** A call with notes (and no transcript). */
async function callWithNotes(s: Stack, token: string, callerNumber: string, notes: string): Promise<string> {
  const id = (await ok(s.url, CREATE_CALL, { input: { callerNumber } }, token)).createCall.id as string;
  await ok(s.url, NOTES, { id, notes }, token);
  return id;
}
const TRANSCRIPT = `mutation($id: ID!, $input: AddTranscriptInput!) { addTranscriptSegments(callId: $id, input: $input) { id } }`;
const ANALYZE = `mutation($id: ID!, $model: String) {
  analyzeCall(callId: $id, model: $model) { id callId language summary sentiment sentimentScore topics nextSteps provider model }
}`;
const FORECAST = `mutation($input: GenerateForecastInput!) {
  generateForecast(input: $input) { id name method periodKind periodStart periodEnd predictedRevenue predictedDeals confidence notes }
}`;
const USAGE = `query($groupBy: UsageGrouping, $from: DateTimeISO, $objectType: AiObjectType, $objectId: String) {
  aiUsage(groupBy: $groupBy, from: $from, objectType: $objectType, objectId: $objectId) {
    totals { requests promptTokens completionTokens cost failures averageLatencyMs }
    groups { key requests promptTokens completionTokens cost failures averageLatencyMs }
  }
}`;
const SET_BUDGET = `mutation($input: SetAiBudgetInput!) { setAiBudget(input: $input) { id campaignId limitUsd period spent } }`;
const BUDGETS = `query { aiBudgets { id campaignId limitUsd period spent } }`;
const DELETE_BUDGET = `mutation($id: ID!) { deleteAiBudget(id: $id) }`;
const CREATE_PROVIDER = `mutation($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id slug } }`;

const lead = async (s: Stack, token: string, input: Record<string, unknown>): Promise<string> =>
  (await ok(s.url, CREATE_LEAD, { input }, token)).createLead.id;

/** What the stand-in answers each AI feature, by what its system prompt asks for. */
function scripted(request: ChatRequest): string {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.includes('scoring leads'))
    return JSON.stringify({ score: 82, category: 'HOT', reasons: ['Large budget.', 'Answers quickly.'] });
  if (system.includes('sales e-mails')) return JSON.stringify({ subject: 'Встреча', body: 'Здравствуйте! Предлагаю встретиться.' });
  if (system.includes('phone calls'))
    return JSON.stringify({
      summary: 'The customer wants a quote.',
      sentiment: 'POSITIVE',
      sentimentScore: 0.6,
      topics: ['pricing'],
      nextSteps: ['Send the quote'],
      keyPhrases: ['send me a quote'],
    });
  if (system.includes('forecasts')) return JSON.stringify({ notes: 'Revenue grows steadily.' });
  return 'not json';
}

describe('AI features (seed 000)', () => {
  let s: Stack;
  let admin: Account;
  let analyst: Account;
  let guest: Account;
  let leadId: string;

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    analyst = await newMember(s.url, admin, 'ANALYST');
    guest = await newMember(s.url, admin, 'GUEST');
    leadId = await lead(s, admin.token, {
      name: 'Анна Смирнова',
      company: 'ООО Ромашка',
      email: 'anna@romashka.example',
      phone: '+7 777 555 1234',
      budget: 500_000,
      source: 'WEBSITE',
    });
    await ok(s.url, ADD_MESSAGE, { leadId, input: { message: 'Сколько стоит?', sender: 'LEAD' } }, admin.token);
    await ok(s.url, ADD_MESSAGE, { leadId, input: { message: 'Отправим прайс', sender: 'HUMAN' } }, admin.token);
  });

  it('scores a lead offline and writes the score back to it', async () => {
    const { scoreLead } = await ok(s.url, SCORE, { id: leadId }, admin.token);
    assert.equal(scoreLead.leadId, leadId);
    assert.equal(scoreLead.provider, 'local');
    assert.equal(scoreLead.model, 'local-offline');
    assert.ok(scoreLead.score >= 0 && scoreLead.score <= 100);
    assert.ok(scoreLead.factors.length > 0);
    const weights = scoreLead.factors.reduce((sum: number, f: { weight: number }) => sum + f.weight, 0);
    assert.ok(Math.abs(weights - 1) < 1e-6, `weights sum to ${weights}`);
    const { lead: stored } = await ok(s.url, LEAD, { id: leadId }, admin.token);
    assert.equal(stored.qualityScore, scoreLead.score);
    assert.equal(stored.scoreCategory, scoreLead.category);
    assert.equal(stored.aiCost, 0);
    const rows = await queryDatabase<{ model: string; cost: string; object_id: string }>(
      s,
      `select model, cost, object_id from ai.usage_records where organization_id = $1 and operation = 'SCORE_LEAD'`,
      [admin.organizationId],
    );
    assert.deepEqual(
      rows.map((r) => [r.model, Number(r.cost), r.object_id]),
      [['local-offline', 0, leadId]],
    );
  });

  it('refuses guests, and another organization’s lead is not found', async () => {
    assert.equal(codeOf(await graphql(s.url, SCORE, { id: leadId }, { token: guest.token })), 'FORBIDDEN');
    const other = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, SCORE, { id: leadId }, { token: other.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, EMAIL, { input: { leadId } }, { token: other.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, SCORE, { id: 'nonsense' }, { token: admin.token })), 'NOT_FOUND');
    assert.equal(codeOf(await graphql(s.url, SCORE, { id: leadId, model: 'no-such-model' }, { token: admin.token })), 'BAD_USER_INPUT');
  });

  it('drafts an e-mail in Russian as a draft outbound message', async () => {
    const { generateEmail } = await ok(
      s.url,
      EMAIL,
      { input: { leadId, tone: 'FORMAL', language: 'RU', purpose: 'MEETING', notes: 'Встреча на следующей неделе' } },
      admin.token,
    );
    assert.equal(generateEmail.provider, 'local');
    assert.match(generateEmail.body, /[а-яё]/i);
    const { outboundMessage } = await ok(s.url, OUTBOUND, { id: generateEmail.outboundMessageId }, admin.token);
    assert.equal(outboundMessage.status, 'DRAFT');
    assert.equal(outboundMessage.leadId, leadId);
    assert.equal(outboundMessage.subject, generateEmail.subject);
    assert.equal(outboundMessage.body, generateEmail.body);
  });

  it('analyses a call’s transcript, shown on the call; a blank call is bad input', async () => {
    const call = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+7 777 555 1234' } }, admin.token)).createCall.id;
    const segments = [
      { speaker: 'customer', text: 'Здравствуйте, нас интересует ваше предложение, пришлите цены.', startOffset: 0, endOffset: 4 },
      { speaker: 'agent', text: 'Отлично, отправлю коммерческое предложение сегодня.', startOffset: 4, endOffset: 8 },
    ];
    await ok(s.url, TRANSCRIPT, { id: call, input: { segments } }, admin.token);
    const { analyzeCall } = await ok(s.url, ANALYZE, { id: call }, admin.token);
    assert.equal(analyzeCall.callId, call);
    assert.equal(analyzeCall.language, 'RU');
    assert.equal(analyzeCall.provider, 'local');
    assert.ok(['POSITIVE', 'NEUTRAL', 'NEGATIVE'].includes(analyzeCall.sentiment));
    // Again: replaced, not added.
    const again = (await ok(s.url, ANALYZE, { id: call }, admin.token)).analyzeCall;
    assert.equal(again.id, analyzeCall.id);

    const listed = await ok(s.url, `query { calls(first: 50) { nodes { id analysis { sentiment summary } } } }`, {}, admin.token);
    const node = listed.calls.nodes.find((n: { id: string }) => n.id === call);
    assert.equal(node.analysis.sentiment, analyzeCall.sentiment);

    const blank = (await ok(s.url, CREATE_CALL, { input: { callerNumber: '+7 777 555 0000' } }, admin.token)).createCall.id;
    const refused = await graphql(s.url, ANALYZE, { id: blank }, { token: admin.token });
    assert.equal(codeOf(refused), 'BAD_USER_INPUT');
    assert.equal(refused.errors?.[0].message, 'The call has no transcript or notes to analyze');
    const other = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, ANALYZE, { id: call }, { token: other.token })), 'NOT_FOUND');
    // Another organization sees no analysis through its own calls, and cannot reach this call.
    const foreign = await ok(s.url, `query { calls(first: 50) { nodes { id analysis { id } } } }`, {}, other.token);
    assert.equal(foreign.calls.nodes.length, 0);
  });

  it('generates a forecast with method AI (analysts and admins)', async () => {
    for (const budget of [100_000, 250_000]) {
      const id = await lead(s, analyst.token, { name: `Won ${budget}`, budget, status: 'WON' });
      assert.ok(id);
    }
    const next = new Date();
    next.setUTCDate(1);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const periodStart = next.toISOString().slice(0, 10);
    const { generateForecast } = await ok(s.url, FORECAST, { input: { periodKind: 'MONTH', periodStart } }, analyst.token);
    assert.equal(generateForecast.method, 'AI');
    assert.equal(generateForecast.periodKind, 'MONTH');
    assert.equal(generateForecast.periodStart, periodStart);
    assert.ok(generateForecast.predictedRevenue >= 0);
    assert.ok(generateForecast.notes);
    const user = await newMember(s.url, admin, 'MANAGER');
    assert.equal(codeOf(await graphql(s.url, FORECAST, { input: { periodStart } }, { token: user.token })), 'FORBIDDEN');
    assert.equal(
      codeOf(await graphql(s.url, FORECAST, { input: { periodStart: '2026-01-15' } }, { token: analyst.token })),
      'BAD_USER_INPUT',
    );
  });

  it('reports usage grouped by operation; others see only their own', async () => {
    const { aiUsage } = await ok(s.url, USAGE, { groupBy: 'OPERATION', from: '2000-01-01T00:00:00Z' }, admin.token);
    const keys = aiUsage.groups.map((g: { key: string }) => g.key).sort();
    for (const op of ['ANALYZE_CALL', 'GENERATE_EMAIL', 'GENERATE_FORECAST', 'SCORE_LEAD']) assert.ok(keys.includes(op), keys.join());
    const sum = aiUsage.groups.reduce((total: number, g: { requests: number }) => total + g.requests, 0);
    assert.equal(aiUsage.totals.requests, sum);
    assert.equal(aiUsage.totals.cost, 0);
    const byObject = await ok(
      s.url,
      USAGE,
      { groupBy: 'OBJECT', objectType: 'LEAD', objectId: leadId, from: '2000-01-01T00:00:00Z' },
      admin.token,
    );
    assert.deepEqual(
      byObject.aiUsage.groups.map((g: { key: string }) => g.key),
      [`LEAD:${leadId}`],
    );
    const own = await ok(s.url, USAGE, { groupBy: 'OPERATION', from: '2000-01-01T00:00:00Z' }, guest.token);
    assert.equal(own.aiUsage.totals.requests, 0);
  });

  describe('with an OpenAI-compatible provider of the organization', () => {
    let standIn: OpenAIStandIn;
    let org: Account;
    let orgLead: string;

    before(async () => {
      standIn = await OpenAIStandIn.start({ reply: scripted });
      org = await newOrganization(s.url);
      await ok(
        s.url,
        CREATE_PROVIDER,
        {
          input: {
            name: 'Stand-in',
            slug: 'standin',
            baseUrl: standIn.url,
            apiKey: 'sk-test-key',
            models: ['gpt-4o-mini'],
            defaultModel: 'gpt-4o-mini',
          },
        },
        org.token,
      );
      orgLead = await lead(s, org.token, { name: 'Ivan', email: 'ivan@example.com', budget: 900_000 });
    });
    after(() => standIn.close());

    it('refuses a call over budget before the provider hears of it', async () => {
      const budget = (await ok(s.url, SET_BUDGET, { input: { limitUsd: 0 } }, org.token)).setAiBudget;
      assert.equal(budget.limitUsd, 0);
      assert.equal(budget.period, 'MONTH');
      standIn.calls.clear();
      const refused = await graphql(s.url, SCORE, { id: orgLead, model: 'gpt-4o-mini' }, { token: org.token });
      assert.equal(codeOf(refused), 'BUDGET_EXCEEDED', JSON.stringify(refused.errors));
      assert.equal(standIn.calls.all.length, 0);
      const viaRest = await rest(s.url, 'POST', `/api/v1/leads/${orgLead}/score`, { token: org.token, body: { model: 'gpt-4o-mini' } });
      assert.equal(viaRest.status, 402);
      assert.ok(viaRest.body.detail);
      // The offline provider spends nothing, so it still works.
      assert.equal((await ok(s.url, SCORE, { id: orgLead, model: 'local-offline' }, org.token)).scoreLead.provider, 'local');
      const member = await newMember(s.url, org, 'MANAGER');
      assert.equal(codeOf(await graphql(s.url, SET_BUDGET, { input: { limitUsd: 5 } }, { token: member.token })), 'FORBIDDEN');
      await ok(s.url, DELETE_BUDGET, { id: budget.id }, org.token);
    });

    it('asks the model within a budget and records tokens and cost', async () => {
      await ok(s.url, SET_BUDGET, { input: { limitUsd: 10 } }, org.token);
      const { scoreLead } = await ok(s.url, SCORE, { id: orgLead, model: 'gpt-4o-mini' }, org.token);
      assert.equal(scoreLead.provider, 'standin');
      assert.equal(scoreLead.model, 'gpt-4o-mini');
      assert.equal(scoreLead.score, 82);
      assert.equal(scoreLead.category, 'HOT');
      assert.equal(scoreLead.summary, 'Large budget. Answers quickly.');
      const weights = scoreLead.factors.reduce((sum: number, f: { weight: number }) => sum + f.weight, 0);
      assert.ok(Math.abs(weights - 1) < 1e-6);
      const request = standIn.calls.all.at(-1)!;
      assert.deepEqual(request.body?.response_format, { type: 'json_object' });
      const [row] = await queryDatabase<{ prompt_tokens: number; completion_tokens: number; cost: string; provider: string }>(
        s,
        `select prompt_tokens, completion_tokens, cost, provider from ai.usage_records where organization_id = $1 and model = 'gpt-4o-mini'`,
        [org.organizationId],
      );
      assert.equal(row.provider, 'standin');
      assert.ok(row.prompt_tokens > 0 && row.completion_tokens > 0);
      assert.ok(Number(row.cost) > 0);
      const { lead: stored } = await ok(s.url, LEAD, { id: orgLead }, org.token);
      assert.equal(stored.qualityScore, 82);
      assert.ok(stored.aiCost > 0);
      const { aiBudgets } = await ok(s.url, BUDGETS, {}, org.token);
      assert.ok(aiBudgets[0].spent > 0);

      const email = (await ok(s.url, EMAIL, { input: { leadId: orgLead, model: 'gpt-4o-mini' } }, org.token)).generateEmail;
      assert.deepEqual([email.subject, email.provider], ['Встреча', 'standin']);
    });

    it('turns a malformed model answer into SERVICE_UNAVAILABLE, never a made-up result', async () => {
      standIn.reply = () => '{"score": "high"}';
      try {
        const refused = await graphql(s.url, SCORE, { id: orgLead, model: 'gpt-4o-mini' }, { token: org.token });
        assert.equal(codeOf(refused), 'SERVICE_UNAVAILABLE');
        assert.match(refused.errors![0].message, /standin/);
        standIn.reply = () => 'no json at all';
        assert.equal(
          codeOf(await graphql(s.url, SCORE, { id: orgLead, model: 'gpt-4o-mini' }, { token: org.token })),
          'SERVICE_UNAVAILABLE',
        );
        standIn.failNext(500, { times: 5 });
        assert.equal(
          codeOf(await graphql(s.url, SCORE, { id: orgLead, model: 'gpt-4o-mini' }, { token: org.token })),
          'SERVICE_UNAVAILABLE',
        );
      } finally {
        standIn.reply = scripted;
      }
      const { lead: stored } = await ok(s.url, LEAD, { id: orgLead }, org.token);
      assert.equal(stored.qualityScore, 82);
    });

    it('campaign budgets need a campaign the caller sees', async () => {
      const other = await newOrganization(s.url);
      const niche = (await ok(s.url, `mutation { createNiche(input: {name: "N"}) { id } }`, {}, other.token)).createNiche.id;
      const campaign = (
        await ok(
          s.url,
          `mutation($n: ID!) { createCampaign(input: {nicheId: $n, name: "C", platform: OLX}) { id } }`,
          { n: niche },
          other.token,
        )
      ).createCampaign.id;
      assert.equal(
        codeOf(await graphql(s.url, SET_BUDGET, { input: { limitUsd: 1, campaignId: campaign } }, { token: org.token })),
        'NOT_FOUND',
      );
      const set = (await ok(s.url, SET_BUDGET, { input: { limitUsd: 1, campaignId: campaign } }, other.token)).setAiBudget;
      assert.equal(set.campaignId, campaign);
      const cost = await ok(s.url, `query($id: ID!) { campaign(id: $id) { id aiCost } }`, { id: campaign }, other.token);
      assert.equal(cost.campaign.aiCost, 0);
    });
  });

  it('answers the seed’s REST URLs', async () => {
    const unauthenticated = await rest(s.url, 'POST', '/api/v1/ai/score-lead', { body: { lead_id: leadId } });
    assert.equal(unauthenticated.status, 401);
    const scored = await rest(s.url, 'POST', '/api/v1/ai/score-lead', { token: admin.token, body: { lead_id: leadId } });
    assert.equal(scored.status, 200, JSON.stringify(scored.body));
    assert.equal(scored.body.lead_id, leadId);
    assert.equal(scored.body.provider, 'local');
    assert.ok(Array.isArray(scored.body.factors) && 'weight' in scored.body.factors[0]);
    assert.ok('score_category' in scored.body || 'category' in scored.body);
    const byPath = await rest(s.url, 'POST', `/api/v1/leads/${leadId}/score`, { token: admin.token });
    assert.equal(byPath.status, 200, JSON.stringify(byPath.body));
    const invalid = await rest(s.url, 'POST', '/api/v1/ai/score-lead', { token: admin.token, body: {} });
    assert.equal(invalid.status, 422);
    const unknown = await rest(s.url, 'POST', '/api/v1/ai/score-lead', {
      token: admin.token,
      body: { lead_id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknown.status, 404);

    const email = await rest(s.url, 'POST', '/api/v1/ai/generate-email', {
      token: admin.token,
      body: { lead_id: leadId, tone: 'friendly', language: 'en', purpose: 'follow_up' },
    });
    assert.equal(email.status, 200, JSON.stringify(email.body));
    assert.ok(email.body.subject && email.body.body && email.body.message_id);
    assert.equal(
      (await rest(s.url, 'POST', '/api/v1/ai/generate-email', { token: admin.token, body: { lead_id: leadId, tone: 'rude' } })).status,
      422,
    );

    const call = await callWithNotes(s, admin.token, '+7 777 555 9999', 'Customer is unhappy with delays');
    const analysis = await rest(s.url, 'POST', '/api/v1/ai/analyze-call', { token: admin.token, body: { call_id: Number(call) } });
    assert.equal(analysis.status, 200, JSON.stringify(analysis.body));
    assert.equal(analysis.body.call_id, Number(call));
    assert.ok(analysis.body.sentiment && Array.isArray(analysis.body.next_steps));

    const next = new Date();
    next.setUTCDate(1);
    next.setUTCMonth(next.getUTCMonth() + 2);
    const periodStart = next.toISOString().slice(0, 10);
    for (const path of ['/api/v1/ai/generate-forecast', '/api/v1/forecasts/generate']) {
      const forecast = await rest(s.url, 'POST', path, {
        token: analyst.token,
        body: { period_kind: 'quarter', period_start: periodStart },
      });
      assert.equal(forecast.status, 201, JSON.stringify(forecast.body));
      assert.equal(forecast.body.method, 'ai');
      assert.equal(forecast.body.period_kind, 'quarter');
      assert.equal((await rest(s.url, 'POST', path, { token: guest.token, body: { period_start: periodStart } })).status, 403);
    }

    const usage = await rest(s.url, 'GET', '/api/v1/ai/usage?group_by=operation&date_from=2000-01-01T00:00:00Z', { token: admin.token });
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    assert.ok(usage.body.total_requests > 0);
    assert.ok(usage.body.groups.some((g: { key: string }) => g.key === 'SCORE_LEAD' || g.key === 'score_lead'));
    assert.equal((await rest(s.url, 'GET', '/api/v1/ai/usage?group_by=nonsense', { token: admin.token })).status, 422);

    const models = await rest(s.url, 'GET', '/api/v1/ai/models', { token: admin.token });
    assert.equal(models.status, 200);
    assert.ok(models.body.some((m: { id: string; provider: string }) => m.id === 'local-offline' && m.provider === 'local'));
  });

  it('reads Call.analysis and Lead.aiCost of a page in a constant number of statements', async (t) => {
    const org = await newOrganization(s.url);
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const call = await callWithNotes(s, org.token, `+7 777 100 ${1000 + i}`, 'Хороший звонок, клиент доволен');
        await ok(s.url, ANALYZE, { id: call }, org.token);
        const id = await lead(s, org.token, { name: `Lead ${i}-${Date.now()}` });
        await ok(s.url, SCORE, { id }, org.token);
      }
    };
    const page = () =>
      graphql(
        s.url,
        `
          query {
            calls(first: 50) {
              nodes {
                id
                analysis {
                  sentiment
                }
              }
            }
            leads(first: 50) {
              nodes {
                id
                aiCost
              }
            }
          }
        `,
        {},
        { token: org.token },
      );
    await add(2);
    const few = await statementsOf(page);
    assert.equal(few.result.data?.calls.nodes.length, 2, JSON.stringify(few.result.errors));
    assert.ok(few.result.data.calls.nodes.every((n: { analysis: unknown }) => n.analysis));
    await add(4);
    const many = await statementsOf(page);
    assert.equal(many.result.data?.calls.nodes.length, 6, JSON.stringify(many.result.errors));
    assert.equal(many.result.data.leads.nodes.length, 6);
    assert.equal(many.statements, few.statements, `${few.statements} statements for 2 calls and leads, ${many.statements} for 6`);
    t.diagnostic(`${many.statements} statements for a page of calls with analyses and leads with AI cost`);
  });
});
