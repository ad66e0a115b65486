import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { OpenAIStandIn } from './support/openai.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the queries select them
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql(url, query, variables, { token });
  assert.ok(result.data && !result.errors, JSON.stringify(result.errors));
  return result.data as T;
}

const FORM = 'application/x-www-form-urlencoded';
const LABEL = `query { aiPaymentLabel }`;
const PAYMENTS = `query($first: Int, $after: String) {
  aiPayments(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id operationId notificationType amount withdrawAmount currency rubPerUsd creditedUsd sender paidAt }
  }
}`;
const BALANCE = `query { aiBalance { creditedUsd spentUsd remainingUsd since } }`;
const CREATE_GITHUB = `mutation($input: CreateGithubIntegrationInput!) {
  createGithubIntegration(input: $input) { secret integration { id name secretHint hookId webhookPath } }
}`;
const ROTATE_GITHUB = `mutation($id: ID!) { rotateGithubIntegrationSecret(id: $id) { secret integration { id secretHint } } }`;
const UPDATE_GITHUB = `mutation($id: ID!, $input: UpdateGithubIntegrationInput!) { updateGithubIntegration(id: $id, input: $input) { id name hookId } }`;
const DELETE_GITHUB = `mutation($id: ID!) { deleteGithubIntegration(id: $id) }`;
const INTEGRATIONS = `query { githubIntegrations { id name secretHint hookId webhookPath lastDeliveryAt } }`;
const EVENTS = `query($integrationId: ID, $first: Int, $offset: Int) {
  integrationEvents(integrationId: $integrationId, first: $first, offset: $offset) {
    totalCount pageInfo { hasNextPage }
    nodes { id integrationId deliveryId event action repository ref sha status conclusion title url actor receivedAt }
  }
}`;
const EVENT = `query($id: ID!) { integrationEvent(id: $id) { id event deliveryId } }`;

describe('payments and CI webhooks (seed 004)', () => {
  let s: Stack;
  let secret: string;

  before(async () => {
    s = await stack();
    secret = s.settings.payments.yoomoney!.notificationSecret;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  });

  /** A notification as the wallet sends it, hashed with `hashSecret` (the configured one by default). */
  function notification(fields: Record<string, string>, hashSecret = secret): Record<string, string> {
    const all = {
      notification_type: 'p2p-incoming',
      operation_id: randomUUID(),
      amount: '150.00',
      withdraw_amount: '150.75',
      currency: '643',
      datetime: '2026-11-20T10:15:00.000+03:00',
      sender: '41001000040',
      codepro: 'false',
      label: '',
      test_notification: 'false',
      unaccepted: 'false',
      ...fields,
    };
    const signed = [
      all.notification_type,
      all.operation_id,
      all.amount,
      all.currency,
      all.datetime,
      all.sender,
      all.codepro,
      hashSecret,
      all.label,
    ];
    return { ...all, sha1_hash: createHash('sha1').update(signed.join('&')).digest('hex') };
  }

  async function notify(fields: Record<string, string> | string, contentType = FORM) {
    const response = await fetch(`${s.url}/webhooks/yoomoney`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    });
    return { status: response.status, body: (await response.json()) as { ok?: boolean; outcome?: string; detail?: string } };
  }

  const storedPayments = async (operationId: string) =>
    (await queryDatabase<{ n: number }>(s, 'select count(*)::int as n from ai.payments where operation_id = $1', [operationId]))[0].n;

  describe('YooMoney (/webhooks/yoomoney)', () => {
    let org: Account;
    let label: string;

    before(async () => {
      org = await newOrganization(s.url);
      label = (await ok(s.url, LABEL, {}, org.token)).aiPaymentLabel;
    });

    it('credits a verified payment to the organization its label names, once per operation', async () => {
      const paid = notification({ label, amount: '150.00' });
      const first = await notify(paid);
      assert.deepEqual(first, { status: 200, body: { ok: true, outcome: 'CREDITED' } });
      const { aiPayments } = await ok(s.url, PAYMENTS, {}, org.token);
      assert.equal(aiPayments.totalCount, 1);
      const [payment] = aiPayments.nodes;
      assert.equal(payment.operationId, paid.operation_id);
      assert.equal(payment.notificationType, 'p2p-incoming');
      assert.equal(payment.amount, 150);
      assert.equal(payment.withdrawAmount, 150.75);
      assert.equal(payment.currency, '643');
      assert.equal(payment.rubPerUsd, 100);
      assert.equal(payment.creditedUsd, 1.5);
      assert.equal(payment.sender, '41001000040');
      assert.equal(payment.paidAt, '2026-11-20T07:15:00.000Z');
      const balance = (await ok(s.url, BALANCE, {}, org.token)).aiBalance;
      assert.deepEqual({ ...balance, since: undefined }, { creditedUsd: 1.5, spentUsd: 0, remainingUsd: 1.5, since: undefined });

      // YooMoney repeats a notification until it gets a 200: the replay is answered 200 and changes nothing.
      const replay = await notify(paid);
      assert.deepEqual(replay, { status: 200, body: { ok: true, outcome: 'REPLAYED' } });
      assert.equal(await storedPayments(paid.operation_id), 1);
      assert.equal((await ok(s.url, BALANCE, {}, org.token)).aiBalance.creditedUsd, 1.5);
    });

    it('refuses and stores nothing of a notification whose hash does not verify', async () => {
      const forged = notification({ label }, 'a guessed secret');
      const refused = await notify(forged);
      assert.equal(refused.status, 401);
      assert.match(refused.body.detail!, /sha1_hash/);
      assert.equal(await storedPayments(forged.operation_id), 0);
      // A genuine notification with its amount raised afterwards.
      const tampered: Record<string, string> = { ...notification({ label, amount: '10.00' }), amount: '10000.00' };
      assert.equal((await notify(tampered)).status, 401);
      assert.equal(await storedPayments(tampered.operation_id), 0);
      const noHash = notification({ label });
      assert.equal((await notify({ ...noHash, sha1_hash: 'not-a-hash' })).status, 401);
      assert.equal(await storedPayments(noHash.operation_id), 0);
    });

    it('verifies the wallet’s test notification and a held payment without crediting them', async () => {
      const test = notification({ label: '', test_notification: 'true', operation_id: 'test-notification' });
      assert.deepEqual(await notify(test), { status: 200, body: { ok: true, outcome: 'TEST' } });
      assert.equal((await notify({ ...test, sha1_hash: '0'.repeat(40) })).status, 401, 'a test notification is verified too');
      const held = notification({ label, unaccepted: 'true' });
      assert.deepEqual(await notify(held), { status: 200, body: { ok: true, outcome: 'HELD' } });
      const protectedByCode = notification({ label, codepro: 'true' });
      assert.deepEqual(await notify(protectedByCode), { status: 200, body: { ok: true, outcome: 'HELD' } });
      assert.equal(await storedPayments(protectedByCode.operation_id), 0);
      assert.equal(await storedPayments('test-notification'), 0);
      assert.equal(await storedPayments(held.operation_id), 0);
    });

    it('answers bad input with a clear 4xx and stores nothing', async () => {
      const cases: [string, Record<string, string> | string, number, RegExp, string?][] = [
        ['missing fields', 'notification_type=p2p-incoming&amount=10.00', 400, /lacks operation_id/],
        ['an empty body', '', 400, /lacks/],
        ['JSON', JSON.stringify(notification({ label })), 415, /x-www-form-urlencoded/, 'application/json'],
        ['a malformed amount', notification({ label, amount: '1,5' }), 400, /amount/],
        ['a negative amount', notification({ label, amount: '-5.00' }), 400, /amount/],
        ['a zero amount', notification({ label, amount: '0.00' }), 400, /amount/],
        ['another currency', notification({ label, currency: '840' }), 400, /currency/],
        ['a malformed date', notification({ label, datetime: 'yesterday' }), 400, /datetime/],
        ['no label', notification({ label: '' }), 400, /label names no organization/],
        ['a made-up label', notification({ label: `${randomUUID()}.0123456789abcdef` }), 400, /label names no organization/],
        ['another label', notification({ label: 'YM.label.12345' }), 400, /label names no organization/],
      ];
      for (const [what, body, status, detail, contentType] of cases) {
        const answer = await notify(body, contentType);
        assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.detail ?? '', detail, what);
        if (typeof body !== 'string') assert.equal(await storedPayments(body.operation_id), 0, what);
      }
      assert.equal((await ok(s.url, PAYMENTS, {}, org.token)).aiPayments.totalCount, 1, 'only the first test’s payment');
    });

    it('shows payments, the balance and the label to admins only, each their own organization’s', async () => {
      const manager = await newMember(s.url, org, 'MANAGER');
      for (const query of [PAYMENTS, BALANCE, LABEL])
        assert.equal(codeOf(await graphql(s.url, query, {}, { token: manager.token })), 'FORBIDDEN');
      assert.equal(codeOf(await graphql(s.url, PAYMENTS, {})), 'UNAUTHENTICATED');
      const other = await newOrganization(s.url);
      assert.equal((await ok(s.url, PAYMENTS, {}, other.token)).aiPayments.totalCount, 0);
      assert.equal((await ok(s.url, BALANCE, {}, other.token)).aiBalance, null);
      const otherLabel = (await ok(s.url, LABEL, {}, other.token)).aiPaymentLabel;
      assert.notEqual(otherLabel, label);
      assert.ok(otherLabel.startsWith(other.organizationId));
    });

    it('pages the payments list', async () => {
      for (const amount of ['1.00', '2.00']) assert.equal((await notify(notification({ label, amount }))).body.outcome, 'CREDITED');
      const first = (await ok(s.url, PAYMENTS, { first: 2 }, org.token)).aiPayments;
      assert.equal(first.totalCount, 3);
      assert.equal(first.nodes.length, 2);
      assert.equal(first.pageInfo.hasNextPage, true);
      const rest = (await ok(s.url, PAYMENTS, { first: 2, after: first.pageInfo.endCursor }, org.token)).aiPayments;
      assert.equal(rest.nodes.length, 1);
      assert.equal(rest.nodes[0].amount, 150, 'newest first');
    });
  });

  describe('the prepaid AI balance', () => {
    let standIn: OpenAIStandIn;
    let org: Account;
    let leadId: string;
    const SCORE = `mutation($id: ID!) { scoreLead(leadId: $id, model: "gpt-4o") { score provider } }`;

    before(async () => {
      standIn = await OpenAIStandIn.start({ reply: JSON.stringify({ score: 60, category: 'WARM', reasons: ['Asked for a price.'] }) });
      org = await newOrganization(s.url);
      await ok(
        s.url,
        `mutation($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id } }`,
        {
          input: { name: 'Stand-in', slug: 'standin', baseUrl: standIn.url, apiKey: 'sk-test', models: ['gpt-4o'], defaultModel: 'gpt-4o' },
        },
        org.token,
      );
      const created = await ok(
        s.url,
        `mutation($input: CreateLeadInput!) { createLead(input: $input) { ... on Lead { id } } }`,
        { input: { name: 'Pavel', email: 'pavel@example.com' } },
        org.token,
      );
      leadId = created.createLead.id;
    });
    after(() => standIn.close());

    it('lets a paying organization spend what it paid, then refuses metered calls until it pays again', async () => {
      // Before any payment no prepaid balance applies.
      assert.equal((await ok(s.url, SCORE, { id: leadId }, org.token)).scoreLead.provider, 'standin');
      assert.equal((await ok(s.url, BALANCE, {}, org.token)).aiBalance, null);
      const label = (await ok(s.url, LABEL, {}, org.token)).aiPaymentLabel;
      // 0.10 RUB at 100 RUB/USD: 0.001 USD, a few calls of gpt-4o.
      assert.equal((await notify(notification({ label, amount: '0.10' }))).body.outcome, 'CREDITED');
      const credited = (await ok(s.url, BALANCE, {}, org.token)).aiBalance;
      assert.equal(credited.creditedUsd, 0.001);
      assert.equal(credited.spentUsd, 0, 'usage before the first payment is not drawn from it');
      let served = 0;
      let refused: Awaited<ReturnType<typeof graphql>> | undefined;
      for (let i = 0; i < 40 && !refused; i++) {
        const before = (await ok(s.url, BALANCE, {}, org.token)).aiBalance;
        const result = await graphql(s.url, SCORE, { id: leadId }, { token: org.token });
        if (result.errors) {
          refused = result;
          assert.ok(before.remainingUsd <= 0, `refused with ${before.remainingUsd} USD left`);
        } else {
          assert.ok(before.remainingUsd > 0, `served with ${before.remainingUsd} USD left`);
          served++;
        }
      }
      assert.ok(served >= 1, 'the payment bought at least one call');
      assert.equal(codeOf(refused!), 'BUDGET_EXCEEDED', JSON.stringify(refused?.errors));
      assert.match(refused!.errors![0].message, /prepaid AI balance/);
      const spent = (await ok(s.url, BALANCE, {}, org.token)).aiBalance;
      const [usage] = await queryDatabase<{ cost: string }>(
        s,
        'select sum(cost)::text as cost from ai.usage_records where organization_id = $1 and created_at >= $2',
        [org.organizationId, new Date(spent.since)],
      );
      assert.equal(spent.spentUsd, Number(usage.cost));
      assert.ok(spent.spentUsd >= 0.001);
      // The offline provider costs nothing and still answers.
      assert.equal(
        (await ok(s.url, `mutation($id: ID!) { scoreLead(leadId: $id, model: "local-offline") { provider } }`, { id: leadId }, org.token))
          .scoreLead.provider,
        'local',
      );
      // Topping up opens it again.
      assert.equal((await notify(notification({ label, amount: '100.00' }))).body.outcome, 'CREDITED');
      assert.equal((await ok(s.url, SCORE, { id: leadId }, org.token)).scoreLead.provider, 'standin');
    });
  });

  describe('GitHub (/webhooks/github)', () => {
    let org: Account;
    let integrationId: string;
    let githubSecret: string;

    before(async () => {
      org = await newOrganization(s.url);
      const created = (await ok(s.url, CREATE_GITHUB, { input: { name: 'salesgraph repo' } }, org.token)).createGithubIntegration;
      integrationId = created.integration.id;
      githubSecret = created.secret;
    });

    const sign = (body: string, key = githubSecret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    const workflowRun = (conclusion = 'success') =>
      JSON.stringify({
        action: 'completed',
        workflow_run: {
          name: 'CI',
          display_title: 'Добавить вебхуки',
          head_branch: 'main',
          head_sha: 'a'.repeat(40),
          status: 'completed',
          conclusion,
          html_url: 'https://github.com/acme/salesgraph/actions/runs/1',
        },
        repository: { full_name: 'acme/salesgraph' },
        sender: { login: 'octocat' },
      });

    /** Posts as GitHub does; an option given as undefined leaves its header out. */
    async function deliver(path: string, body: string, options: Record<string, string | undefined> = {}) {
      const given = (name: string, fallback?: string) => (name in options ? options[name] : fallback);
      const headers: Record<string, string> = { 'user-agent': 'GitHub-Hookshot/test' };
      const set = (header: string, value: string | undefined) => value !== undefined && (headers[header] = value);
      set('content-type', given('contentType', 'application/json'));
      set('x-github-event', given('event', 'workflow_run'));
      set('x-github-delivery', given('delivery', randomUUID()));
      set('x-hub-signature-256', given('signature', sign(body)));
      set('x-github-hook-id', given('hookId'));
      const response = await fetch(`${s.url}${path}`, { method: 'POST', headers, body });
      return { status: response.status, body: (await response.json()) as { ok?: boolean; outcome?: string; detail?: string } };
    }
    const storedEvents = async (deliveryId: string) =>
      (
        await queryDatabase<{ n: number }>(s, 'select count(*)::int as n from ai.integration_events where delivery_id = $1', [deliveryId])
      )[0].n;

    it('gives the secret once and keeps it sealed, showing only its hint', async () => {
      assert.match(githubSecret, /^[0-9a-f]{64}$/);
      const [listed] = (await ok(s.url, INTEGRATIONS, {}, org.token)).githubIntegrations;
      assert.deepEqual(listed, {
        id: integrationId,
        name: 'salesgraph repo',
        secretHint: `…${githubSecret.slice(-4)}`,
        hookId: null,
        webhookPath: `/webhooks/github/${integrationId}`,
        lastDeliveryAt: null,
      });
      const [row] = await queryDatabase<{ secret_sealed: string }>(s, 'select secret_sealed from ai.github_integrations where id = $1', [
        integrationId,
      ]);
      assert.ok(!row.secret_sealed.includes(githubSecret));
      assert.match(row.secret_sealed, /^v1\./);
    });

    it('answers GitHub’s ping and learns the hook id from it', async () => {
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 4242 });
      assert.deepEqual(await deliver(`/webhooks/github/${integrationId}`, body, { event: 'ping', hookId: '4242' }), {
        status: 200,
        body: { ok: true, outcome: 'PING' },
      });
      const [listed] = (await ok(s.url, INTEGRATIONS, {}, org.token)).githubIntegrations;
      assert.equal(listed.hookId, '4242');
      assert.ok(listed.lastDeliveryAt);
    });

    it('records a signed workflow run once per delivery id and tells subscribed admins', async () => {
      const listening = whenListening(s.product, 'ai');
      const feed = subscribe<{ integrationEventReceived: { id: string; event: string; conclusion: string; repository: string } }>(
        wsClient(s.url, bearer(org.token)),
        { query: `subscription { integrationEventReceived { id event conclusion repository } }` },
      );
      const next = feed.next();
      await listening();
      const delivery = randomUUID();
      const body = workflowRun();
      assert.deepEqual(await deliver(`/webhooks/github/${integrationId}`, body, { delivery }), {
        status: 200,
        body: { ok: true, outcome: 'RECORDED' },
      });
      const event = await next;
      assert.equal(event.data?.integrationEventReceived.event, 'workflow_run');
      assert.equal(event.data?.integrationEventReceived.conclusion, 'success');
      assert.equal(event.data?.integrationEventReceived.repository, 'acme/salesgraph');
      void feed.stop();
      const { integrationEvents } = await ok(s.url, EVENTS, {}, org.token);
      assert.equal(integrationEvents.totalCount, 1);
      const [recorded] = integrationEvents.nodes;
      assert.equal(recorded.id, event.data?.integrationEventReceived.id);
      assert.deepEqual(
        { ...recorded, id: undefined, receivedAt: undefined },
        {
          id: undefined,
          integrationId,
          deliveryId: delivery,
          event: 'workflow_run',
          action: 'completed',
          repository: 'acme/salesgraph',
          ref: 'main',
          sha: 'a'.repeat(40),
          status: 'completed',
          conclusion: 'success',
          title: 'CI: Добавить вебхуки',
          url: 'https://github.com/acme/salesgraph/actions/runs/1',
          actor: 'octocat',
          receivedAt: undefined,
        },
      );
      // GitHub's redelivery carries the same delivery id.
      assert.deepEqual(await deliver(`/webhooks/github/${integrationId}`, body, { delivery }), {
        status: 200,
        body: { ok: true, outcome: 'DUPLICATE' },
      });
      assert.equal(await storedEvents(delivery), 1);
    });

    it('refuses a wrong or missing signature and an unknown integration alike, and stores nothing', async () => {
      const body = workflowRun('failure');
      const cases: [string, string, Record<string, string | undefined>, number][] = [
        ['another secret', `/webhooks/github/${integrationId}`, { signature: sign(body, 'not the secret') }, 401],
        ['a signature of another body', `/webhooks/github/${integrationId}`, { signature: sign(`${body} `) }, 401],
        ['the legacy SHA-1 header only', `/webhooks/github/${integrationId}`, { signature: undefined }, 401],
        ['an unknown integration', `/webhooks/github/${randomUUID()}`, {}, 401],
        ['not an id', `/webhooks/github/nothing`, {}, 401],
        ['the bare URL naming nothing', `/webhooks/github`, {}, 401],
        ['the bare URL with an unknown hook id', `/webhooks/github`, { hookId: '999999' }, 401],
      ];
      for (const [what, path, options, status] of cases) {
        const delivery = randomUUID();
        const answer = await deliver(path, body, { ...options, delivery });
        assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
        assert.ok(answer.body.detail, what);
        assert.equal(await storedEvents(delivery), 0, what);
      }
      const unknown = await deliver(`/webhooks/github/${randomUUID()}`, body);
      const wrong = await deliver(`/webhooks/github/${integrationId}`, body, { signature: sign(body, 'not the secret') });
      assert.deepEqual(unknown.body, wrong.body, 'an unknown integration and a wrong signature look alike');
    });

    it('answers malformed deliveries with a clear 4xx and stores nothing', async () => {
      const path = `/webhooks/github/${integrationId}`;
      const cases: [string, string, Record<string, string | undefined>, number, RegExp][] = [
        ['no event header', workflowRun(), { event: undefined }, 400, /X-GitHub-Event/],
        ['no delivery id', workflowRun(), { delivery: undefined }, 400, /X-GitHub-Delivery/],
        ['malformed JSON', '{"action": ', {}, 400, /not valid JSON/],
        ['a JSON array', '[]', {}, 400, /JSON object/],
        ['plain text', workflowRun(), { contentType: 'text/plain' }, 415, /application\/json/],
        ['a form without payload', 'other=1', { contentType: FORM }, 400, /payload/],
      ];
      for (const [what, body, options, status, detail] of cases) {
        const delivery = 'delivery' in options ? undefined : randomUUID();
        const answer = await deliver(path, body, { delivery, ...options });
        assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.detail ?? '', detail, what);
        if (delivery) assert.equal(await storedEvents(delivery), 0, what);
      }
    });

    it('finds the integration on the bare URL by ?integration= or by its hook id, and reads form-encoded payloads', async () => {
      const push = JSON.stringify({
        ref: 'refs/heads/main',
        after: 'b'.repeat(40),
        compare: 'https://github.com/acme/salesgraph/compare/x...y',
        head_commit: { message: 'Fix the build\n\nDetails follow.' },
        repository: { full_name: 'acme/salesgraph' },
        pusher: { name: 'octocat' },
      });
      assert.equal((await deliver(`/webhooks/github?integration=${integrationId}`, push, { event: 'push' })).body.outcome, 'RECORDED');
      const deployment = JSON.stringify({
        action: 'created',
        deployment_status: { state: 'success', environment: 'production', target_url: 'https://example.com/deploy/1' },
        deployment: { ref: 'main', sha: 'c'.repeat(40) },
        repository: { full_name: 'acme/salesgraph' },
        sender: { login: 'deploy-bot' },
      });
      assert.equal(
        (await deliver('/webhooks/github', deployment, { event: 'deployment_status', hookId: '4242' })).body.outcome,
        'RECORDED',
      );
      const form = new URLSearchParams({ payload: workflowRun('failure') }).toString();
      assert.equal((await deliver(`/webhooks/github/${integrationId}`, form, { contentType: FORM })).body.outcome, 'RECORDED');
      const { integrationEvents } = await ok(s.url, EVENTS, { first: 3 }, org.token);
      assert.equal(integrationEvents.totalCount, 4);
      assert.equal(integrationEvents.pageInfo.hasNextPage, true);
      const [viaForm, viaHook, viaQuery] = integrationEvents.nodes;
      assert.deepEqual([viaForm.event, viaForm.conclusion], ['workflow_run', 'failure']);
      assert.deepEqual(
        [viaHook.event, viaHook.status, viaHook.title, viaHook.sha, viaHook.actor],
        ['deployment_status', 'success', 'production', 'c'.repeat(40), 'deploy-bot'],
      );
      assert.deepEqual(
        [viaQuery.event, viaQuery.ref, viaQuery.title, viaQuery.actor],
        ['push', 'refs/heads/main', 'Fix the build', 'octocat'],
      );
    });

    it('acknowledges other events without recording them', async () => {
      const delivery = randomUUID();
      const answer = await deliver(`/webhooks/github/${integrationId}`, JSON.stringify({ action: 'opened' }), {
        event: 'issues',
        delivery,
      });
      assert.deepEqual(answer, { status: 200, body: { ok: true, outcome: 'IGNORED' } });
      assert.equal(await storedEvents(delivery), 0);
    });

    it('stops accepting the old secret once rotated', async () => {
      const rotated = (await ok(s.url, ROTATE_GITHUB, { id: integrationId }, org.token)).rotateGithubIntegrationSecret;
      assert.notEqual(rotated.secret, githubSecret);
      assert.equal(rotated.integration.secretHint, `…${rotated.secret.slice(-4)}`);
      const body = workflowRun();
      assert.equal((await deliver(`/webhooks/github/${integrationId}`, body)).status, 401);
      githubSecret = rotated.secret;
      assert.equal((await deliver(`/webhooks/github/${integrationId}`, body)).body.outcome, 'RECORDED');
    });

    it('lets only admins manage integrations and read the feed, each their own organization’s', async () => {
      const manager = await newMember(s.url, org, 'MANAGER');
      const asManager = [
        graphql(s.url, CREATE_GITHUB, { input: { name: 'x' } }, { token: manager.token }),
        graphql(s.url, ROTATE_GITHUB, { id: integrationId }, { token: manager.token }),
        graphql(s.url, DELETE_GITHUB, { id: integrationId }, { token: manager.token }),
        graphql(s.url, INTEGRATIONS, {}, { token: manager.token }),
        graphql(s.url, EVENTS, {}, { token: manager.token }),
      ];
      for (const result of await Promise.all(asManager)) assert.equal(codeOf(result), 'FORBIDDEN');
      const refusedFeed = subscribe(wsClient(s.url, bearer(manager.token)), { query: `subscription { integrationEventReceived { id } }` });
      const refusal = await refusedFeed.next();
      assert.equal(refusal.errors?.[0]?.extensions?.code, 'FORBIDDEN');

      const other = await newOrganization(s.url);
      assert.equal((await ok(s.url, EVENTS, {}, other.token)).integrationEvents.totalCount, 0);
      assert.equal((await ok(s.url, EVENTS, { integrationId }, other.token)).integrationEvents.totalCount, 0);
      assert.deepEqual((await ok(s.url, INTEGRATIONS, {}, other.token)).githubIntegrations, []);
      const mine = (await ok(s.url, EVENTS, { first: 1 }, org.token)).integrationEvents.nodes[0];
      assert.equal((await ok(s.url, EVENT, { id: mine.id }, other.token)).integrationEvent, null);
      assert.equal((await ok(s.url, EVENT, { id: mine.id }, org.token)).integrationEvent.id, mine.id);
      assert.equal(codeOf(await graphql(s.url, ROTATE_GITHUB, { id: integrationId }, { token: other.token })), 'NOT_FOUND');
      assert.equal(codeOf(await graphql(s.url, DELETE_GITHUB, { id: integrationId }, { token: other.token })), 'NOT_FOUND');

      // The other organization's admin hears nothing of this organization's events.
      const listening = whenListening(s.product, 'ai');
      const othersFeed = subscribe(wsClient(s.url, bearer(other.token)), { query: `subscription { integrationEventReceived { id } }` });
      const heard = othersFeed.failure(1_500);
      await listening();
      assert.equal((await deliver(`/webhooks/github/${integrationId}`, workflowRun())).body.outcome, 'RECORDED');
      assert.match(String(await heard), /timed out/);
      void othersFeed.stop();
    });

    it('takes a hook id, refuses a malformed one, and removes an integration (its events stay)', async () => {
      assert.equal(
        codeOf(await graphql(s.url, UPDATE_GITHUB, { id: integrationId, input: { hookId: '12a' } }, { token: org.token })),
        'BAD_USER_INPUT',
      );
      const updated = (await ok(s.url, UPDATE_GITHUB, { id: integrationId, input: { name: 'renamed', hookId: '777' } }, org.token))
        .updateGithubIntegration;
      assert.deepEqual(updated, { id: integrationId, name: 'renamed', hookId: '777' });
      assert.equal(codeOf(await graphql(s.url, CREATE_GITHUB, { input: { name: '   ' } }, { token: org.token })), 'BAD_USER_INPUT');
      const before = (await ok(s.url, EVENTS, {}, org.token)).integrationEvents.totalCount;
      assert.equal((await ok(s.url, DELETE_GITHUB, { id: integrationId }, org.token)).deleteGithubIntegration, integrationId);
      assert.equal((await deliver(`/webhooks/github/${integrationId}`, workflowRun())).status, 401);
      assert.equal((await ok(s.url, EVENTS, {}, org.token)).integrationEvents.totalCount, before);
    });
  });
});
