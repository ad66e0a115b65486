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
