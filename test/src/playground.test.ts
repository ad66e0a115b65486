import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { graphql } from './support/client.js';
import { stack, tempDir } from './support/stack.js';
import { whenListening } from './support/wait.js';

/**
 * The playground in a real browser (Debian's headless chromium, driven over the Chrome DevTools
 * Protocol): the self-hosted GraphiQL loads without any request leaving loopback, renders its editors,
 * and runs operations against the gateway, anonymously and with an Authorization header, subscriptions
 * (graphql-ws on the same path) included.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipBrowser = process.env.SKIP_BROWSER_TESTS === '1';
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
    assert.ok(
      existsSync(CHROMIUM),
      `no chromium at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium), point CHROMIUM_PATH at one, or set SKIP_BROWSER_TESTS=1 to skip the browser tests`,
    );
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
    assert.ok(
      existsSync(CHROMIUM),
      `no chromium at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium), point CHROMIUM_PATH at one, or set SKIP_BROWSER_TESTS=1 to skip the browser tests`,
    );
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

interface NetworkWatch {
  /** Off-loopback requests and WebSockets (requests are failed; WebSockets are not interceptable, but seen). */
  offLoopback: Set<string>;
  requested: string[];
  /** URLs of the WebSockets the page opened. */
  sockets: string[];
  /** The WebSockets' handshakes, frames and closes, secrets redacted, for failure messages. */
  socketLog: string[];
  exceptions: string[];
}

/**
 * Every request of the page (and of its workers) is held until checked: loopback goes on, anything else
 * is failed and remembered. Network events double-check what the interception may not see (WebSockets).
 */
function watchNetwork(cdp: Cdp, secrets: string[] = []): NetworkWatch {
  const watch: NetworkWatch = { offLoopback: new Set(), requested: [], sockets: [], socketLog: [], exceptions: [] };
  const isLocal = (href: string) => {
    const { protocol, hostname } = new URL(href);
    return protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1';
  };
  const redact = (text: string) => secrets.reduce((out, secret) => out.replaceAll(secret, '<redacted>'), text);
  cdp.on('Fetch.requestPaused', ({ requestId, request }, sessionId) => {
    if (isLocal(request.url)) return void cdp.send('Fetch.continueRequest', { requestId }, sessionId).catch(() => {});
    watch.offLoopback.add(request.url);
    void cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }, sessionId).catch(() => {});
  });
  cdp.on('Network.requestWillBeSent', ({ request }) => {
    watch.requested.push(request.url);
    if (!isLocal(request.url)) watch.offLoopback.add(request.url);
  });
  cdp.on('Network.webSocketCreated', ({ requestId, url }) => {
    watch.sockets.push(url);
    watch.socketLog.push(`created ${requestId} ${url}`);
    if (!isLocal(url)) watch.offLoopback.add(url);
  });
  cdp.on('Network.webSocketWillSendHandshakeRequest', ({ requestId, request }) => {
    watch.socketLog.push(
      `handshake ${requestId} protocol=${request.headers?.['Sec-WebSocket-Protocol'] ?? '-'} origin=${request.headers?.Origin ?? '-'}`,
    );
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', ({ requestId, response }) => {
    watch.socketLog.push(
      `handshake response ${requestId} ${response.status} protocol=${response.headers?.['Sec-WebSocket-Protocol'] ?? response.headers?.['sec-websocket-protocol'] ?? '-'}`,
    );
  });
  cdp.on('Network.webSocketFrameSent', ({ requestId, response }) =>
    watch.socketLog.push(`sent ${requestId} ${redact(response.payloadData)}`),
  );
  cdp.on('Network.webSocketFrameReceived', ({ requestId, response }) =>
    watch.socketLog.push(`received ${requestId} ${redact(response.payloadData)}`),
  );
  cdp.on('Network.webSocketFrameError', ({ requestId, errorMessage }) => watch.socketLog.push(`error ${requestId} ${errorMessage}`));
  cdp.on('Network.webSocketClosed', ({ requestId }) => watch.socketLog.push(`closed ${requestId}`));
  cdp.on('Runtime.exceptionThrown', ({ exceptionDetails }) =>
    watch.exceptions.push(exceptionDetails.exception?.description ?? exceptionDetails.text),
  );
  return watch;
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

interface Chromium {
  cdp: Cdp;
  close(): Promise<void>;
}

/** Starts headless chromium on a fresh profile with DevTools on an ephemeral port. */
async function launchChromium(): Promise<Chromium> {
  const profile = tempDir('salesgraph-chromium-');
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools URL within 15 s:\n${stderr}`)), 15_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`chromium exited (${code}) before DevTools was up:\n${stderr}`))));
  }).catch((error) => {
    kill(child);
    throw error;
  });
  const cdp = await Cdp.connect(endpoint);
  return {
    cdp,
    async close() {
      await cdp.send('Browser.close').catch(() => {});
      cdp.close();
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      if (!gone) {
        kill(child);
        await exited;
      }
    },
  };
}

/** Ends chromium's process group (it was started detached, in a group of its own). */
function kill(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the DevTools Protocol client below passes on untyped protocol JSON (no protocol types installed) */
type Listener = (params: any, sessionId?: string) => void;

/** A minimal Chrome DevTools Protocol client over the browser's WebSocket, with flat sessions. */
class Cdp {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse((raw as Buffer).toString());
      if (message.id !== undefined) {
        const call = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
        else call?.resolve(message.result);
      } else {
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params, message.sessionId);
      }
    });
    ws.on('close', () => {
      for (const call of this.pending.values()) call.reject(new Error(`${call.method}: DevTools connection closed`));
      this.pending.clear();
    });
  }

  static async connect(endpoint: string): Promise<Cdp> {
    const ws = new WebSocket(endpoint, { perMessageDeflate: false });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Cdp(ws);
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    });
  }

  on(method: string, listener: Listener): () => void {
    const set = this.listeners.get(method) ?? new Set();
    this.listeners.set(method, set.add(listener));
    return () => set.delete(listener);
  }

  close() {
    this.ws.close();
  }

  /**
   * Opens a tab with request interception, network, page and runtime events on, and the same on every
   * worker it starts (workers wait for the debugger until they are set up).
   */
  async openPage(): Promise<Page> {
    this.on('Target.attachedToTarget', ({ sessionId, targetInfo, waitingForDebugger }) => {
      void (async () => {
        if (targetInfo.type !== 'page') {
          await this.send('Network.enable', {}, sessionId).catch(() => {});
          await this.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId).catch(() => {});
          await this.send('Runtime.enable', {}, sessionId).catch(() => {});
        }
        if (waitingForDebugger) await this.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      })();
    });
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
    await page.send('Network.enable');
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    return page;
  }
}

class Page {
  constructor(
    private readonly cdp: Cdp,
    readonly sessionId: string,
  ) {}

  send(method: string, params: object = {}): Promise<any> {
    return this.cdp.send(method, params, this.sessionId);
  }

  once(method: string): Promise<any> {
    return new Promise((resolve) => {
      const off = this.cdp.on(method, (params, sessionId) => {
        if (sessionId !== this.sessionId) return;
        off();
        resolve(params);
      });
    });
  }

  async evaluate(expression: string): Promise<any> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`evaluating ${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  /** Polls `expression` until it is truthy. */
  async waitFor(what: string, expression: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.evaluate(expression)) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Clicks with the mouse in the middle of an element: the first match of a CSS selector (whose text
   * is `text`, when given), or the element an expression evaluates to (when it starts with a paren).
   */
  async click(target: string, text?: string): Promise<void> {
    const find = target.startsWith('(')
      ? target
      : `[...document.querySelectorAll(${JSON.stringify(target)})].find((el) => ${text === undefined ? 'true' : `el.textContent.trim() === ${JSON.stringify(text)}`})`;
    const box = await this.evaluate(
      `(() => { const el = ${find}; if (!el) return null; const r = el.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`,
    );
    assert.ok(box, `nothing to click at ${target}${text === undefined ? '' : ` "${text}"`}`);
    for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
