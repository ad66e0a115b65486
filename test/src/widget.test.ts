import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { anotherClient, newOrganization, type Account } from './support/accounts.js';
import { CHROMIUM, NO_CHROMIUM, launchChromium, skipBrowser, watchNetwork } from './support/chromium.js';
import { codeOf, graphql, unique } from './support/client.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';
import { whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

/**
 * The web chat widget: a visitor's anonymous session (a token only their browser holds, stored hashed), their
 * messages into the organization's dialogs, the managers' replies back to them live, and nothing else
 * reachable with the token; then the same through the widget's page in headless chromium.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, token ? { token } : { headers: anotherClient() });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const CREATE_WIDGET = `mutation($input: WidgetInput!) { createWidget(input: $input) { id title greeting allowedOrigins isActive } }`;
const SEND = `mutation($t: String!, $text: String!) { widgetSend(visitorToken: $t, text: $text) { id text fromVisitor createdAt } }`;
const MESSAGES = `query($t: String!) { widgetMessages(visitorToken: $t) { totalCount nodes { id text fromVisitor } } }`;
const REPLY = `mutation($id: ID!, $text: String!) { sendDialogMessage(dialogId: $id, input: { text: $text }) { id delivery } }`;
const DIALOGS = `{ dialogs(channel: WIDGET) { nodes { id threadId channel messagesCount client { name } } } }`;
const ADDED = `subscription($t: String!) { widgetMessageAdded(visitorToken: $t) { id text fromVisitor } }`;

/** A new visitor of a widget, through the widget's session route, as its page starts one. */
async function startSession(
  s: Stack,
  widgetId: string,
  { name, origin }: { name?: string; origin?: string } = {},
): Promise<{ status: number; body: { visitorToken?: string; widget?: { title: string }; detail?: string } }> {
  const response = await fetch(`${s.url}/widget/${widgetId}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...anotherClient(), ...(origin && { origin }) },
    body: JSON.stringify({ name: name ?? null }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

async function visitorToken(s: Stack, widgetId: string, name?: string): Promise<string> {
  const { status, body } = await startSession(s, widgetId, { name });
  assert.equal(status, 200, JSON.stringify(body));
  return body.visitorToken!;
}

describe('web chat widget: anonymous visitors', () => {
  let s: Stack;
  let admin: Account;
  let widgetId: string;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    const { createWidget } = await ok(
      s.url,
      CREATE_WIDGET,
      { input: { name: unique('site'), title: 'Ask us', greeting: 'Hi! How can we help?' } },
      admin.token,
    );
    widgetId = createWidget.id;
  });
  after(() => Promise.all(clients.map((c) => c.dispose())));

  it('starts a session with a token stored only as its hash', async () => {
    const { status, body } = await startSession(s, widgetId, { name: 'Anna' });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.widget!.title, 'Ask us');
    assert.match(body.visitorToken!, /^[A-Za-z0-9_-]{43}$/);
    const rows = await queryDatabase<{ token_hash: string; name: string; organization_id: string }>(
      s,
      `select token_hash, name, organization_id from funnels.widget_visitors where widget_id = $1`,
      [widgetId],
    );
    const row = rows.find((r) => r.name === 'Anna');
    assert.ok(row);
    assert.equal(row.organization_id, admin.organizationId);
    assert.notEqual(row.token_hash, body.visitorToken);
    const everything = JSON.stringify(await queryDatabase(s, `select * from funnels.widget_visitors`));
    assert.ok(!everything.includes(body.visitorToken!), 'the token is nowhere in clear');
  });

  it("opens the visitor's dialog (and client) with the first message, for the organization's managers to see live", async () => {
    const listening = whenListening(s.product, 'funnels');
    const inbox = subscribe<{ dialogMessageAdded: { text: string; role: string; dialogId: string } }>(
      wsClient(s.url, bearer(admin.token)),
      {
        query: `subscription { dialogMessageAdded { text role dialogId } }`,
      },
    );
    const next = inbox.next();
    await listening();
    const token = await visitorToken(s, widgetId, 'Boris');
    const { widgetSend } = await ok(s.url, SEND, { t: token, text: 'Do you deliver on Sundays?' });
    assert.deepEqual(
      { text: widgetSend.text, fromVisitor: widgetSend.fromVisitor },
      { text: 'Do you deliver on Sundays?', fromVisitor: true },
    );
    const event = (await next).data!.dialogMessageAdded;
    assert.deepEqual({ text: event.text, role: event.role }, { text: 'Do you deliver on Sundays?', role: 'USER' });

    const { dialogs } = await ok(s.url, DIALOGS, {}, admin.token);
    const dialog = dialogs.nodes.find((d: { id: string }) => d.id === event.dialogId);
    assert.equal(dialog.channel, 'WIDGET');
    assert.equal(dialog.client.name, 'Boris');
    await ok(s.url, SEND, { t: token, text: 'And on Saturdays?' });
    const again = (await ok(s.url, DIALOGS, {}, admin.token)).dialogs.nodes.filter(
      (d: { threadId: string }) => d.threadId === dialog.threadId,
    );
    assert.equal(again.length, 1, 'one dialog per visitor');
    assert.equal(again[0].messagesCount, 2);
    await inbox.stop();
  });

  it("brings a manager's reply to that visitor's subscription only, and their chat lists it", async () => {
    const anna = await visitorToken(s, widgetId, 'Anna');
    const other = await visitorToken(s, widgetId, 'Other');
    await ok(s.url, SEND, { t: anna, text: 'Hello?' });
    await ok(s.url, SEND, { t: other, text: 'Me too' });
    const listening = whenListening(s.product, 'funnels');
    const annaLive = subscribe<{ widgetMessageAdded: { text: string; fromVisitor: boolean } }>(wsClient(s.url), {
      query: ADDED,
      variables: { t: anna },
    });
    const otherLive = subscribe<{ widgetMessageAdded: { text: string } }>(wsClient(s.url), { query: ADDED, variables: { t: other } });
    const annaNext = annaLive.next();
    const otherNext = otherLive.next(1_000);
    await listening(2);

    const { dialogs } = await ok(s.url, DIALOGS, {}, admin.token);
    const annas = dialogs.nodes.find((d: { client: { name: string } }) => d.client.name === 'Anna');
    const { sendDialogMessage } = await ok(s.url, REPLY, { id: annas.id, text: 'Hello Anna, we are here' }, admin.token);
    assert.equal(sendDialogMessage.delivery, 'SENT', 'a widget reply is delivered by being recorded');
    const reply = await annaNext;
    assert.deepEqual(reply.data!.widgetMessageAdded, { id: sendDialogMessage.id, text: 'Hello Anna, we are here', fromVisitor: false });
    await assert.rejects(otherNext, /timed out/, "another visitor's subscription hears nothing of it");

    const { widgetMessages } = await ok(s.url, MESSAGES, { t: anna });
    assert.deepEqual(
      widgetMessages.nodes.map((m: { text: string; fromVisitor: boolean }) => [m.text, m.fromVisitor]),
      [
        ['Hello Anna, we are here', false],
        ['Hello?', true],
      ],
    );
    const theirs = (await ok(s.url, MESSAGES, { t: other })).widgetMessages;
    assert.deepEqual(
      theirs.nodes.map((m: { text: string }) => m.text),
      ['Me too'],
    );
    // The hydration lookup answers only the token's own messages.
    const foreign = await ok(s.url, `query($t: String!, $id: ID!) { widgetMessage(visitorToken: $t, id: $id) { text } }`, {
      t: other,
      id: sendDialogMessage.id,
    });
    assert.equal(foreign.widgetMessage, null);
    await annaLive.stop();
    await otherLive.stop();
  });

  it('gives a token nothing beyond its chat, and refuses unknown tokens', async () => {
    const token = await visitorToken(s, widgetId);
    const anonymous = { headers: anotherClient() };
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          `
            {
              dialogs {
                totalCount
              }
            }
          `,
          {},
          anonymous,
        ),
      ),
      'UNAUTHENTICATED',
    );
    // The token is not a gateway credential.
    const asBearer = await graphql(
      s.url,
      `
        {
          dialogs {
            totalCount
          }
        }
      `,
      {},
      { token, headers: anotherClient() },
    );
    assert.equal(codeOf(asBearer), 'UNAUTHENTICATED');
    for (const bad of ['nope', 'x'.repeat(43)]) {
      assert.equal(codeOf(await graphql(s.url, SEND, { t: bad, text: 'hi' }, anonymous)), 'UNAUTHENTICATED');
      assert.equal(codeOf(await graphql(s.url, MESSAGES, { t: bad }, anonymous)), 'UNAUTHENTICATED');
    }
    assert.equal(codeOf(await graphql(s.url, SEND, { t: 'x'.repeat(101), text: 'hi' }, anonymous)), 'BAD_USER_INPUT');
    // The session's start is the route's alone, which checks where it comes from.
    const direct = await graphql(s.url, `mutation { startWidgetSession(widgetId: "${widgetId}") { visitorToken } }`, {}, anonymous);
    assert.equal(codeOf(direct), 'GRAPHQL_VALIDATION_FAILED');
    // Anonymous subscriptions reach public fields only.
    const refused = subscribe(wsClient(s.url), { query: `subscription { dialogMessageAdded { text } }` });
    const closed = await refused.failure();
    assert.equal((closed as { code?: number }).code, 4401, String(closed));
  });

  it('caps the messages of one visitor per minute', async () => {
    const token = await visitorToken(s, widgetId);
    let code: string | undefined;
    for (let i = 0; i < 25 && !code; i++)
      code = codeOf(await graphql(s.url, SEND, { t: token, text: `flood ${i}` }, { headers: anotherClient() }));
    assert.equal(code, 'RATE_LIMITED');
  });

  it('refuses sessions and messages of a widget turned off, and tokens of a widget removed', async () => {
    const { createWidget } = await ok(s.url, CREATE_WIDGET, { input: { name: unique('off') } }, admin.token);
    const token = await visitorToken(s, createWidget.id);
    await ok(
      s.url,
      `mutation($id: ID!) { updateWidget(id: $id, input: { isActive: false }) { isActive } }`,
      { id: createWidget.id },
      admin.token,
    );
    assert.equal((await startSession(s, createWidget.id)).status, 404);
    assert.equal((await fetch(`${s.url}/widget/${createWidget.id}`)).status, 404);
    assert.equal(codeOf(await graphql(s.url, SEND, { t: token, text: 'hi' }, { headers: anotherClient() })), 'FORBIDDEN');

    await ok(
      s.url,
      `mutation($id: ID!) { updateWidget(id: $id, input: { isActive: true }) { isActive } }`,
      { id: createWidget.id },
      admin.token,
    );
    await ok(s.url, SEND, { t: token, text: 'back on' });
    await ok(s.url, `mutation($id: ID!) { deleteWidget(id: $id) }`, { id: createWidget.id }, admin.token);
    assert.equal(codeOf(await graphql(s.url, SEND, { t: token, text: 'hi' }, { headers: anotherClient() })), 'UNAUTHENTICATED');
    assert.equal((await startSession(s, createWidget.id)).status, 404);
    assert.equal((await startSession(s, 'not-a-widget')).status, 404);
  });

  it('serves its page and script only to the origins it allows, and lets only them frame it', async () => {
    const allowed = 'https://shop.example';
    const { createWidget: fenced } = await ok(
      s.url,
      CREATE_WIDGET,
      { input: { name: unique('fenced'), title: '<b>Shop</b> & co', allowedOrigins: ['https://Shop.Example:443'] } },
      admin.token,
    );
    assert.deepEqual(fenced.allowedOrigins, [allowed]);
    assert.equal(
      codeOf(
        await graphql(
          s.url,
          CREATE_WIDGET,
          { input: { name: unique('x'), allowedOrigins: ['javascript:alert(1)'] } },
          { token: admin.token },
        ),
      ),
      'BAD_USER_INPUT',
    );

    assert.equal((await startSession(s, fenced.id, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await startSession(s, fenced.id, { origin: allowed })).status, 200);
    assert.equal((await startSession(s, fenced.id, { origin: s.url })).status, 200, "the widget's own page");

    const page = await fetch(`${s.url}/widget/${fenced.id}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const policy = page.headers.get('content-security-policy')!;
    assert.match(policy, new RegExp(`frame-ancestors ${allowed}(;|$)`));
    assert.match(policy, /default-src 'none'/);
    assert.equal(page.headers.get('x-frame-options'), null);
    const html = await page.text();
    assert.ok(html.includes('&lt;b&gt;Shop&lt;/b&gt; &amp; co') && !html.includes('<b>Shop'), 'the title is escaped');
    assert.equal((await fetch(`${s.url}/widget/${fenced.id}`, { headers: { origin: 'https://evil.example' } })).status, 403);

    const script = await fetch(`${s.url}/widget/${fenced.id}/embed.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.ok((await script.text()).includes(`/widget/${fenced.id}`));
    assert.equal((await fetch(`${s.url}/widget/${fenced.id}/embed.js`, { headers: { origin: 'https://evil.example' } })).status, 403);
    // The rest of the gateway still may not be framed.
    assert.equal((await fetch(`${s.url}/health`)).headers.get('x-frame-options'), 'DENY');
  });
});

describe('web chat widget: in the browser', () => {
  it(
    "sends a visitor's message to the managers and shows their reply live",
    { timeout: 90_000, skip: skipBrowser && 'SKIP_BROWSER_TESTS=1' },
    async () => {
      assert.ok(existsSync(CHROMIUM), NO_CHROMIUM);
      const s = await stack();
      const admin = await newOrganization(s.url);
      const { createWidget: widget } = await ok(
        s.url,
        CREATE_WIDGET,
        { input: { name: unique('browser'), title: 'Browser chat', greeting: 'Welcome <script>' } },
        admin.token,
      );
      const browser = await launchChromium();
      try {
        const page = await browser.cdp.openPage();
        const { offLoopback, exceptions, socketLog } = watchNetwork(browser.cdp);
        await page.send('Network.setExtraHTTPHeaders', { headers: { 'X-Forwarded-For': '198.51.100.91' } });
        const withSocketLog = (failure: Error) => {
          throw new Error(`${failure.message}\nWebSocket traffic seen by the browser:\n${socketLog.join('\n') || '(none)'}`);
        };

        const loaded = page.once('Page.loadEventFired');
        await page.send('Page.navigate', { url: `${s.url}/widget/${widget.id}` });
        await loaded;
        await page.waitFor('the page is ready', `document.body.dataset.ready === 'true'`);
        assert.equal(await page.evaluate(`document.querySelector('header').textContent`), 'Browser chat');
        assert.equal(await page.evaluate(`document.querySelector('.greeting').textContent`), 'Welcome <script>');

        // The manager watches the organization's dialogs.
        const listening = whenListening(s.product, 'funnels');
        const inbox = subscribe<{ dialogMessageAdded: { text: string; role: string; dialogId: string } }>(
          wsClient(s.url, bearer(admin.token)),
          { query: `subscription { dialogMessageAdded { text role dialogId } }` },
        );
        const arrived = inbox.next(20_000);
        await listening();

        // The visitor types a message (markup in it stays text) and sends it.
        const words = 'Is <b>this</b> in stock?';
        const visitorListens = whenListening(s.product, 'funnels');
        await page.click('#name');
        await page.send('Input.insertText', { text: 'Vera' });
        await page.click('#text');
        await page.send('Input.insertText', { text: words });
        await page.click('#send');
        const event = (await arrived).data!.dialogMessageAdded;
        assert.deepEqual({ text: event.text, role: event.role }, { text: words, role: 'USER' });
        await page.waitFor(
          'the message shows as sent',
          `[...document.querySelectorAll('.message.visitor')].some((m) => m.textContent === ${JSON.stringify(words)})`,
        );
        assert.equal(await page.evaluate(`document.querySelectorAll('#log b').length`), 0, 'no markup from text');

        // The page subscribed with its token; the manager replies.
        await visitorListens().catch(withSocketLog);
        const reply = 'Yes, <i>two</i> left';
        await ok(s.url, REPLY, { id: event.dialogId, text: reply }, admin.token);
        await page
          .waitFor(
            'the reply shows in the widget',
            `[...document.querySelectorAll('.message.agent')].some((m) => m.textContent === ${JSON.stringify(reply)})`,
          )
          .catch(withSocketLog);

        // A reload continues the chat: the token is kept, the history read again.
        const reloaded = page.once('Page.loadEventFired');
        await page.send('Page.reload');
        await reloaded;
        await page.waitFor(
          'the history is back',
          `document.querySelectorAll('.message.visitor, .message.agent:not(.greeting)').length === 2`,
        );
        const { dialogs } = await ok(s.url, DIALOGS, {}, admin.token);
        assert.equal(dialogs.nodes.find((d: { id: string }) => d.id === event.dialogId).client.name, 'Vera');

        assert.deepEqual([...offLoopback], [], 'the widget requested something off loopback');
        assert.deepEqual(exceptions, [], 'the page threw');
        await inbox.stop();
      } finally {
        await browser.close();
      }
    },
  );
});
