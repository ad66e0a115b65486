import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM, NO_CHROMIUM, launchChromium, skipBrowser, watchNetwork, type Page } from './support/chromium.js';
import { graphql } from './support/client.js';
import { stack } from './support/stack.js';
import { whenListening } from './support/wait.js';

/**
 * The playground in a real browser (Debian's headless chromium, driven over the Chrome DevTools
 * Protocol): the self-hosted GraphiQL loads without any request leaving loopback, renders its editors,
 * and runs operations against the gateway, anonymously and with an Authorization header, subscriptions
 * (graphql-ws on the same path) included.
 */

const SCREENSHOT = join(tmpdir(), 'salesgraph-playground.png');
const SUBSCRIPTION_SCREENSHOT = join(tmpdir(), 'salesgraph-playground-subscription.png');

// Page-side helpers (run in the browser, hence source text: the test compiles without DOM types).
/**
 * Text of the Monaco editor(s) under a scope (only the visible one when asked), as rendered: Monaco
 * draws spaces as no-break spaces.
 */
const editorText = String.raw`(scope, visibleOnly = false) => [...document.querySelectorAll(scope + ' .monaco-editor')]
  .filter((editor) => !visibleOnly || (editor.offsetParent !== null && editor.getBoundingClientRect().height > 0))
  .map((editor) => editor.querySelector('.view-lines')?.innerText ?? '').join('\n').replace(/\u00a0/g, ' ')`;
/** The visible Monaco editor under a scope (the tool pane keeps both the variables and headers editors). */
const visibleEditor = String.raw`(scope) => [...document.querySelectorAll(scope + ' .monaco-editor')]
  .find((editor) => editor.offsetParent !== null && editor.getBoundingClientRect().height > 0)`;

test(
  'playground: GraphiQL loads from loopback only and runs operations end to end',
  { timeout: 60_000, skip: skipBrowser && 'SKIP_BROWSER_TESTS=1' },
  async () => {
    assert.ok(existsSync(CHROMIUM), NO_CHROMIUM);
    const { url, adminToken } = await stack();
    assert.equal(new URL(url).hostname, '127.0.0.1');

    const browser = await launchChromium();
    try {
      const page = await browser.cdp.openPage();

      const { offLoopback, requested, exceptions } = watchNetwork(browser.cdp);

      // The browser poses as a client of its own (the test stack trusts X-Forwarded-For), so its requests
      // do not share the per-IP rate limit with the other tests.
      await page.send('Network.setExtraHTTPHeaders', { headers: { 'X-Forwarded-For': '198.51.100.81' } });
      await page.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 900, deviceScaleFactor: 1, mobile: false });

      // GraphiQL takes the initial query from ?query= (and keeps it there as it is edited).
      const query = '{ authStatus { authenticated role } }';
      const loaded = page.once('Page.loadEventFired');
      await page.send('Page.navigate', { url: `${url}/graphql?query=${encodeURIComponent(query)}` });
      await loaded;

      // GraphiQL renders: its query editor (Monaco) shows the query.
      await page.waitFor('the query editor shows the query', `(${editorText})('.graphiql-query-editor').includes('authStatus')`);
      assert.equal(await page.evaluate('document.title'), 'Salesgraph playground');

      // Run it anonymously: click ▶ like a user.
      await page.click('.graphiql-execute-button');
      await page.waitFor(
        'the response shows "authenticated": false',
        `(${editorText})('.graphiql-response').includes('"authenticated": false')`,
      );
      assert.match(await page.evaluate(`(${editorText})('.graphiql-response')`), /"role": null/);

      // Then as the admin: open the Headers tab, type the Authorization header into its editor, run again.
      await typeHeaders(page, { Authorization: `Bearer ${adminToken}` });
      await page.click('.graphiql-execute-button');
      await page.waitFor(
        'the response shows "authenticated": true',
        `(${editorText})('.graphiql-response').includes('"authenticated": true')`,
      );
      assert.match(await page.evaluate(`(${editorText})('.graphiql-response')`), /"role": "ADMIN"/);

      const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
      writeFileSync(SCREENSHOT, Buffer.from(data, 'base64'));
      console.log(`playground screenshot: ${SCREENSHOT} (${requested.length} requests, all on loopback)`);

      assert.deepEqual([...offLoopback], [], 'the playground requested something off loopback');
      assert.ok(
        requested.some((href) => href.startsWith(`${url}/graphql?`)),
        'the page load was seen by the network events',
      );
      // The watch is not blind: a request off loopback from the page is seen and stopped (TEST-NET-1).
      const probe = 'http://192.0.2.1/probe';
      assert.equal(await page.evaluate(`fetch(${JSON.stringify(probe)}).then(() => 'fetched', () => 'blocked')`), 'blocked');
      assert.deepEqual([...offLoopback], [probe]);
      assert.deepEqual(exceptions, [], 'the page threw');
    } finally {
      await browser.close();
    }
  },
);

test(
  'playground: runs a subscription over graphql-ws and shows its events as they come',
  { timeout: 60_000, skip: skipBrowser && 'SKIP_BROWSER_TESTS=1' },
  async () => {
    assert.ok(existsSync(CHROMIUM), NO_CHROMIUM);
    const { url, adminToken, product } = await stack();

    const browser = await launchChromium();
    try {
      const page = await browser.cdp.openPage();
      const { offLoopback, exceptions, sockets, socketLog } = watchNetwork(browser.cdp, [adminToken]);
      await page.send('Network.setExtraHTTPHeaders', { headers: { 'X-Forwarded-For': '198.51.100.82' } });
      await page.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 900, deviceScaleFactor: 1, mobile: false });
      const withSocketLog = (failure: Error) => {
        throw new Error(`${failure.message}\nWebSocket traffic seen by the browser:\n${socketLog.join('\n') || '(none)'}`);
      };

      const query = 'subscription { incomingCall { type call { callerNumber } } }';
      const loaded = page.once('Page.loadEventFired');
      await page.send('Page.navigate', { url: `${url}/graphql?query=${encodeURIComponent(query)}` });
      await loaded;
      await page.waitFor('the query editor shows the subscription', `(${editorText})('.graphiql-query-editor').includes('incomingCall')`);

      // As a user who may see calls (the admin): the token goes in the headers editor, which GraphiQL sends
      // with each operation (for a subscription: extensions.headers of the graphql-ws subscribe message).
      await typeHeaders(page, { Authorization: `Bearer ${adminToken}` });
      const live = whenListening(product);
      await page.click('.graphiql-execute-button');
      for (
        const deadline = Date.now() + 10_000;
        !socketLog.some((line) => line.startsWith('sent') && line.includes('"type":"subscribe"'));
        await sleep(50)
      ) {
        if (Date.now() > deadline)
          withSocketLog(new Error('timed out after 10000 ms waiting until the subscribe message is sent over the WebSocket'));
      }
      // graphql-ws has no "subscribed" acknowledgement: wait until the subscription listens on the subgraph's event bus.
      await live().catch(withSocketLog);

      // A call rings: created over HTTP by the test, it reaches the browser as an incomingCall event.
      const created = await graphql(url, 'mutation { createCall(input: {callerNumber: "+74951234567"}) { id } }', undefined, {
        token: adminToken,
      });
      assert.ok(created.data?.createCall?.id, JSON.stringify(created.errors));
      const response = `(${editorText})('.graphiql-response')`;
      await page
        .waitFor(
          'the response shows the incoming call',
          `${response}.includes('"callerNumber": "+74951234567"') && ${response}.includes('"INCOMING"')`,
          10_000,
        )
        .catch(withSocketLog);
      assert.match(
        await page.evaluate(response),
        /"incomingCall": \{\s*"type": "INCOMING",\s*"call": \{\s*"callerNumber": "\+74951234567"/,
      );

      const { data } = await page.send('Page.captureScreenshot', { format: 'png' });
      writeFileSync(SUBSCRIPTION_SCREENSHOT, Buffer.from(data, 'base64'));
      console.log(`playground subscription screenshot: ${SUBSCRIPTION_SCREENSHOT} (sockets: ${sockets.join(', ')})`);

      assert.ok(
        sockets.length > 0 && sockets.every((href) => href.startsWith(`${url.replace(/^http/, 'ws')}/graphql`)),
        `the subscription's WebSocket: ${sockets.join(', ')}`,
      );
      assert.deepEqual([...offLoopback], [], 'the playground requested something off loopback');
      assert.deepEqual(exceptions, [], 'the page threw');
    } finally {
      await browser.close();
    }
  },
);

test(
  'playground: a new user opens the example tabs, signs in from the first and runs the calls query and subscription without typing a header',
  { timeout: 90_000, skip: skipBrowser && 'SKIP_BROWSER_TESTS=1' },
  async () => {
    assert.ok(existsSync(CHROMIUM), NO_CHROMIUM);
    const { url, adminToken, product } = await stack();

    const browser = await launchChromium();
    try {
      const page = await browser.cdp.openPage();
      const { offLoopback, exceptions, socketLog } = watchNetwork(browser.cdp);
      await page.send('Network.setExtraHTTPHeaders', { headers: { 'X-Forwarded-For': '198.51.100.83' } });
      await page.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 900, deviceScaleFactor: 1, mobile: false });

      // The front door leads a browser to the playground.
      let loaded = page.once('Page.loadEventFired');
      await page.send('Page.navigate', { url: `${url}/` });
      await loaded;
      loaded = page.once('Page.loadEventFired');
      await page.click('a.primary', 'Open the playground');
      await loaded;
      assert.equal(await page.evaluate('location.pathname'), '/graphql');

      // A first visit opens on the examples, one tab each, sign-in first.
      await page.waitFor(
        'the query editor shows the sign-in example',
        `(${editorText})('.graphiql-query-editor', true).includes('mutation SignIn')`,
      );
      const tabTitles = `[...document.querySelectorAll('.graphiql-tab-button')].map((tab) => tab.textContent.trim())`;
      assert.deepEqual(await page.evaluate(tabTitles), [
        'SignIn',
        'MyCalls',
        'IncomingCalls',
        'RingACall',
        'Leads',
        'Funnels',
        'Tickets',
        'AskTheAssistant',
      ]);
      const signedIn = `document.querySelector('#salesgraph-session')?.dataset.signedIn`;
      assert.equal(await page.evaluate(signedIn), 'false');
      // The query builder (GraphiQL's explorer plugin) is there beside the docs.
      assert.ok(
        await page.evaluate(`!!document.querySelector('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]')`),
        'the explorer button',
      );

      // Sign in: ▶ on the first tab, with the variables it came with.
      await page.click('.graphiql-execute-button');
      await page.waitFor('the response carries an access token', `(${editorText})('.graphiql-response').includes('"accessToken"')`);
      await page.waitFor('the badge says who is signed in', `${signedIn} === 'true'`);
      assert.match(await page.evaluate(`document.querySelector('#salesgraph-session').textContent`), /Signed in as admin \(ADMIN\)/);

      // The calls query, which needs a signed-in user: no header typed, the answer has no error.
      await openTab(page, 'MyCalls', 'query MyCalls');
      await page.click('.graphiql-execute-button');
      const response = `(${editorText})('.graphiql-response')`;
      await page.waitFor('the calls answer', `${response}.includes('"totalCount"')`);
      assert.doesNotMatch(await page.evaluate(response), /"errors"/);
      assert.equal((await page.evaluate(`(${editorText})('.graphiql-editor-tool')`)).trim(), '', 'no header was typed');

      // The subscription tab: the token goes in the subscribe message, and a ringing call arrives.
      await openTab(page, 'IncomingCalls', 'subscription IncomingCalls');
      const live = whenListening(product);
      await page.click('.graphiql-execute-button');
      await live();
      const created = await graphql(url, 'mutation { createCall(input: {callerNumber: "+74957654321"}) { id } }', undefined, {
        token: adminToken,
      });
      assert.ok(created.data?.createCall?.id, JSON.stringify(created.errors));
      await page.waitFor('the incoming call in the response', `${response}.includes('"callerNumber": "+74957654321"')`, 10_000);
      const subscribe = socketLog.find((line) => line.startsWith('sent') && line.includes('"type":"subscribe"'));
      assert.match(subscribe ?? '', /"Authorization":"Bearer /, 'the subscribe message carried the token');

      // A link to an operation (?query=) opens it beside the examples on a first visit.
      await page.evaluate('localStorage.clear()');
      loaded = page.once('Page.loadEventFired');
      await page.send('Page.navigate', { url: `${url}/graphql?query=${encodeURIComponent('{ authStatus { authenticated role } }')}` });
      await loaded;
      await page.waitFor('the linked query is the active tab', `(${editorText})('.graphiql-query-editor', true).includes('authStatus')`);
      assert.equal((await page.evaluate(tabTitles)).length, 9);
      await page.click('.graphiql-execute-button');
      await page.waitFor('still signed in', `(${editorText})('.graphiql-response').includes('"authenticated": true')`);
      // Sign out forgets the token.
      await page.click('#salesgraph-session button', 'Sign out');
      assert.equal(await page.evaluate(signedIn), 'false');
      await page.click('.graphiql-execute-button');
      await page.waitFor('anonymous again', `(${editorText})('.graphiql-response').includes('"authenticated": false')`);

      assert.deepEqual([...offLoopback], [], 'the playground requested something off loopback');
      assert.deepEqual(exceptions, [], 'the page threw');
    } finally {
      await browser.close();
    }
  },
);

/**
 * Switches to a tab by its title and waits until its query is shown. GraphiQL's tabs are drag-to-reorder
 * items that take a synthesized mouse press for the start of a drag, so the tab's button is clicked as the
 * keyboard would (Enter on a button). GraphiQL re-reads the operation name after a debounce; run before it,
 * it still names the previous tab's operation ("Cannot infer operation"), which no person is quick enough to see.
 */
async function openTab(page: Page, title: string, shown: string): Promise<void> {
  const clicked = await page.evaluate(
    `(() => { const tab = [...document.querySelectorAll('.graphiql-tab-button')].find((b) => b.textContent.trim() === ${JSON.stringify(title)}); tab?.click(); return !!tab; })()`,
  );
  assert.ok(clicked, `no tab titled ${title}`);
  await page.waitFor(`the ${title} tab is shown`, `(${editorText})('.graphiql-query-editor', true).includes(${JSON.stringify(shown)})`);
  await sleep(1_000);
}

/** Opens GraphiQL's Headers tab and types `headers` into its editor as JSON, like a user. */
async function typeHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.click('.graphiql-editor-tools button', 'Headers');
  await page.waitFor('the headers editor is shown', `!!(${visibleEditor})('.graphiql-editor-tool')`);
  await page.click(`(${visibleEditor})('.graphiql-editor-tool')`);
  await page.send('Input.insertText', { text: JSON.stringify(headers) });
  const headersText = `(${editorText})('.graphiql-editor-tool', true)`;
  const tail = JSON.stringify(Object.values(headers).at(-1)!.slice(-16));
  await page.waitFor('the headers editor holds the typed headers', `${headersText}.includes(${tail})`);
  assert.deepEqual(JSON.parse(await page.evaluate(headersText)), headers, 'the headers editor holds exactly the typed JSON');
}
