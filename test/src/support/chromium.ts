import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { tempDir } from './stack.js';

/**
 * Headless chromium for browser tests (Debian's, driven over the Chrome DevTools Protocol): launched on a
 * fresh profile, every request of its pages watched and anything off loopback stopped.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const skipBrowser = process.env.SKIP_BROWSER_TESTS === '1';
/** Why a browser test can't run here, for its assertion. */
export const NO_CHROMIUM = `no chromium at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium), point CHROMIUM_PATH at one, or set SKIP_BROWSER_TESTS=1 to skip the browser tests`;

export interface NetworkWatch {
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
export function watchNetwork(cdp: Cdp, secrets: string[] = []): NetworkWatch {
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

export interface Chromium {
  cdp: Cdp;
  close(): Promise<void>;
}

/** Starts headless chromium on a fresh profile with DevTools on an ephemeral port. */
export async function launchChromium(): Promise<Chromium> {
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
export class Cdp {
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

export class Page {
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
