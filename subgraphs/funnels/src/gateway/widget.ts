import { createHash } from 'node:crypto';
import {
  ANONYMOUS,
  ErrorCode,
  OperationError,
  executeOperation,
  httpStatusOf,
  type HttpRoute,
  type HttpRouteRequest,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import { StartWidgetSessionDocument, WidgetAppearanceDocument } from '../generated/funnels.js';

/**
 * The web chat widget, served by the gateway for each active widget:
 * - `GET /widget/:widgetId`: the chat page, self-contained (no framework, nothing from elsewhere), framed by the
 *   sites the widget allows (`frame-ancestors`);
 * - `GET /widget/:widgetId/embed.js`: what a site includes (`<script src=…/embed.js async>`) to show that page
 *   in an iframe in its corner;
 * - `POST /widget/:widgetId/session` (`{ "name": "…" }`): a new anonymous visitor, `{ visitorToken, widget }`.
 * When the widget names allowed origins, a request whose `Origin` is another site's is refused (403); the
 * page's own requests come from the gateway's origin, and the page is framed only where the widget allows.
 * The page keeps the visitor token in the browser (per widget) and talks to `/graphql` with it: `widgetSend`,
 * `widgetMessages`, and `widgetMessageAdded` over graphql-ws, anonymously. Each address has its own budget
 * per route and minute.
 */

type Appearance = { id: string; title: string; greeting: string | null; allowedOrigins: string[] };

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const limitKey = (request: HttpRouteRequest) => `widget:${request.ip}`;
const limitMessage = (perMinute: number) => `At most ${perMinute} widget requests per minute from one address`;
/** A Host header fit to name the gateway in a policy (anything else is left out). */
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** Whether a request's `Origin` is the gateway's own (the widget's page), by the Host it was sent to. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The `Origin` a request came from, unless it is absent or the gateway's own: the one a widget's origins rule. */
function foreignOrigin(request: HttpRouteRequest): string | null {
  const origin = header(request.headers.origin);
  return origin && !isOwnOrigin(origin, header(request.headers.host)) ? origin : null;
}

/** `scheme://host[:port]` as browsers send it, or null for anything else. */
function originOf(value: string): string | null {
  try {
    const { origin, protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? origin : null;
  } catch {
    return null;
  }
}

const allowedOriginsOf = (widget: Appearance) => widget.allowedOrigins.map(originOf).filter((o) => o !== null);

function originAllowed(widget: Appearance, origin: string | null): boolean {
  if (origin === null || widget.allowedOrigins.length === 0) return true;
  return allowedOriginsOf(widget).includes(originOf(origin) ?? '');
}

/** The subgraph's error as an HTTP status and detail (an unexpected one without its message). */
function failure(error: unknown): { status: number; detail: string } {
  if (!(error instanceof OperationError)) throw error;
  const code = error.code ?? ErrorCode.Internal;
  const status = code === (ErrorCode.Internal as string) ? 500 : httpStatusOf(code);
  return { status, detail: status === 500 ? 'Unexpected error' : error.message };
}

async function appearanceOf(client: SubgraphClient, widgetId: string): Promise<Appearance | { status: number; detail: string }> {
  try {
    return (await executeOperation(client, WidgetAppearanceDocument, { widgetId: widgetId.slice(0, 100) }, ANONYMOUS)).widgetAppearance;
  } catch (error) {
    return failure(error);
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** JSON safe inside a `<script>` element and in a script file alike. */
const jsonForScript = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const PAGE_STYLE = `
*{box-sizing:border-box}html,body{height:100%;margin:0}
body{display:flex;flex-direction:column;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}
header{padding:12px 16px;background:#2557d6;color:#fff;font-weight:600}
#log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f6f8fa}
.message{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor{align-self:flex-end;background:#2557d6;color:#fff}
.agent{align-self:flex-start;background:#fff;border:1px solid #d0d7de}
.greeting{font-style:italic}
#status{min-height:1.4em;padding:0 12px;color:#cf222e;font-size:12px}
form{display:flex;gap:6px;padding:8px;border-top:1px solid #d0d7de}
#name{width:30%}input{flex:1;min-width:0;padding:8px;border:1px solid #d0d7de;border-radius:8px;font:inherit}
button{padding:8px 14px;border:0;border-radius:8px;background:#2557d6;color:#fff;font:inherit;cursor:pointer}
button:disabled{opacity:.6}`;

/**
 * The page's script. Text only ever goes in with `textContent`. The token lives in localStorage (else
 * sessionStorage) under the widget's id, so a reload, or the same site's next visit, continues the chat.
 * graphql-ws (`graphql-transport-ws`) is spoken by hand: connection_init, connection_ack, subscribe, next.
 */
const PAGE_SCRIPT = `
(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('widget-config').textContent);
  const storageKey = 'salesgraph-widget:' + config.widgetId;
  const store = (() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      try { const s = window[name]; s.setItem(storageKey + ':probe', '1'); s.removeItem(storageKey + ':probe'); return s; } catch (e) {}
    }
    const memory = new Map();
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, v), removeItem: (k) => memory.delete(k) };
  })();
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const nameInput = document.getElementById('name');
  const sendButton = document.getElementById('send');
  const statusLine = document.getElementById('status');
  const shown = new Map();
  let token = store.getItem(storageKey);
  let socket = null;
  let retry = 500;

  const setStatus = (text) => { statusLine.textContent = text || ''; };
  function show(message) {
    if (!message || shown.has(message.id)) return;
    const item = document.createElement('div');
    item.className = 'message ' + (message.fromVisitor ? 'visitor' : 'agent');
    item.dataset.id = message.id;
    item.dataset.at = message.createdAt;
    item.textContent = message.text;
    let before = null;
    for (const other of shown.values()) if (other.dataset.at > message.createdAt && (!before || other.dataset.at < before.dataset.at)) before = other;
    log.insertBefore(item, before);
    shown.set(message.id, item);
    log.scrollTop = log.scrollHeight;
  }
  if (config.greeting) {
    const greeting = document.createElement('div');
    greeting.className = 'message agent greeting';
    greeting.textContent = config.greeting;
    log.append(greeting);
  }

  async function graphql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length) {
      const error = new Error(body.errors[0].message);
      error.code = body.errors[0].extensions && body.errors[0].extensions.code;
      throw error;
    }
    return body.data;
  }
  const MESSAGE = 'id text fromVisitor createdAt';

  function forget() {
    token = null;
    store.removeItem(storageKey);
    if (socket) socket.close(1000);
    socket = null;
    nameInput.hidden = false;
  }

  async function history() {
    try {
      const data = await graphql('query($t: String!) { widgetMessages(visitorToken: $t, first: 100) { nodes { ' + MESSAGE + ' } } }', { t: token });
      data.widgetMessages.nodes.slice().reverse().forEach(show);
    } catch (error) {
      if (error.code === 'UNAUTHENTICATED') forget();
      else setStatus(error.message);
    }
  }

  function listen() {
    if (!token || socket) return;
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql', 'graphql-transport-ws');
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        retry = 500;
        ws.send(JSON.stringify({
          id: 'chat',
          type: 'subscribe',
          payload: { query: 'subscription($t: String!) { widgetMessageAdded(visitorToken: $t) { ' + MESSAGE + ' } }', variables: { t: token } },
        }));
        document.body.dataset.live = 'true';
      } else if (message.type === 'next' && message.payload.data) {
        show(message.payload.data.widgetMessageAdded);
      } else if (message.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'error') {
        setStatus(message.payload[0] && message.payload[0].message);
      }
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      document.body.dataset.live = 'false';
      if (!token || event.code === 4401) return;
      // Back after a break: what came meanwhile is read again (shown messages are not repeated).
      setTimeout(() => { listen(); history(); }, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  async function startSession() {
    const response = await fetch(config.base + '/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: nameInput.value.trim() || null }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || 'The chat is not available');
    token = body.visitorToken;
    store.setItem(storageKey, token);
    nameInput.hidden = true;
    listen();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    sendButton.disabled = true;
    setStatus('');
    try {
      if (!token) await startSession();
      let sent;
      try {
        sent = await graphql('mutation($t: String!, $text: String!) { widgetSend(visitorToken: $t, text: $text) { ' + MESSAGE + ' } }', { t: token, text });
      } catch (error) {
        if (error.code !== 'UNAUTHENTICATED') throw error;
        forget();
        await startSession();
        sent = await graphql('mutation($t: String!, $text: String!) { widgetSend(visitorToken: $t, text: $text) { ' + MESSAGE + ' } }', { t: token, text });
      }
      show(sent.widgetSend);
      input.value = '';
    } catch (error) {
      setStatus(error.message);
    } finally {
      sendButton.disabled = false;
      input.focus();
    }
  });

  if (token) {
    nameInput.hidden = true;
    listen();
    history();
  }
  document.body.dataset.ready = 'true';
})();`;

const PAGE_POLICY_HASHES = { script: sha256(PAGE_SCRIPT), style: sha256(PAGE_STYLE) };

function pageOf(widget: Appearance): string {
  const config = jsonForScript({ widgetId: widget.id, base: `/widget/${widget.id}`, greeting: widget.greeting });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(widget.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>${escapeHtml(widget.title)}</header>
<main id="log" aria-live="polite"></main>
<div id="status" role="status"></div>
<form id="composer" autocomplete="off">
<input id="name" maxlength="200" placeholder="Your name" aria-label="Your name">
<input id="text" maxlength="4096" placeholder="Type a message…" aria-label="Message" required>
<button id="send" type="submit">Send</button>
</form>
<script type="application/json" id="widget-config">${config}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The page's policy: its own script and style only, requests to the gateway only, framed where the widget allows. */
function pagePolicy(widget: Appearance, host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  // Origins only (a stored value that is not one is left out), so nothing else can reach the header.
  const ancestors = widget.allowedOrigins.length ? allowedOriginsOf(widget).join(' ') || "'none'" : '*';
  return [
    "default-src 'none'",
    `script-src ${PAGE_POLICY_HASHES.script}`,
    `style-src ${PAGE_POLICY_HASHES.style}`,
    `connect-src 'self'${sockets}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

function embedScriptOf(widget: Appearance): string {
  return `// The chat widget "${widget.id}": shows its page in an iframe in the corner of the page that includes this script.
(() => {
  const id = 'salesgraph-widget-' + ${jsonForScript(widget.id)};
  if (document.getElementById(id)) return;
  const script = document.currentScript;
  const src = new URL(${jsonForScript(`/widget/${widget.id}`)}, script ? script.src : location.href).href;
  const mount = () => {
    const frame = document.createElement('iframe');
    frame.id = id;
    frame.src = src;
    frame.title = ${jsonForScript(widget.title)};
    frame.style.cssText = 'position:fixed;right:16px;bottom:16px;width:360px;height:520px;max-width:calc(100vw - 32px);' +
      'max-height:calc(100vh - 32px);border:0;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.25);background:#fff;z-index:2147483647';
    document.body.appendChild(frame);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
`;
}

const text = (status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}) =>
  ({ status, body, contentType, headers: { 'Cache-Control': 'no-store', ...headers } }) satisfies HttpRouteResponse;

/** The widget a page or script request is for, or the answer refusing it. */
async function widgetFor(request: HttpRouteRequest, client: SubgraphClient): Promise<Appearance | HttpRouteResponse> {
  const widget = await appearanceOf(client, request.params.widgetId ?? '');
  if ('status' in widget) return text(widget.status, widget.status === 404 ? 'This chat is not available' : widget.detail);
  if (!originAllowed(widget, foreignOrigin(request))) return text(403, 'This chat may not be used from this site');
  return widget;
}

export const widgetRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/widget/:widgetId',
    limitKey,
    limitMessage,
    async handle(request, client) {
      const widget = await widgetFor(request, client);
      if ('status' in widget) return widget;
      return text(200, pageOf(widget), 'text/html; charset=utf-8', {
        'Content-Security-Policy': pagePolicy(widget, header(request.headers.host)),
      });
    },
  },
  {
    method: 'get',
    path: '/widget/:widgetId/embed.js',
    limitKey,
    limitMessage,
    async handle(request, client) {
      const widget = await widgetFor(request, client);
      if ('status' in widget) return widget;
      return text(200, embedScriptOf(widget), 'text/javascript; charset=utf-8', {
        'Cache-Control': 'public, max-age=300',
        'Cross-Origin-Resource-Policy': 'cross-origin',
      });
    },
  },
  {
    method: 'post',
    path: '/widget/:widgetId/session',
    maxBodyBytes: 4 * 1024,
    limitKey,
    limitMessage,
    async handle(request, client) {
      let name: unknown = null;
      try {
        name = request.body ? ((JSON.parse(request.body) as { name?: unknown } | null)?.name ?? null) : null;
      } catch {
        return { status: 400, body: { detail: 'Expected a JSON body: { "name": "…" }' } };
      }
      if (name !== null && typeof name !== 'string') return { status: 400, body: { detail: '"name" must be a string' } };
      try {
        const { startWidgetSession: session } = await executeOperation(
          client,
          StartWidgetSessionDocument,
          { widgetId: (request.params.widgetId ?? '').slice(0, 100), name: name?.slice(0, 200) ?? null, origin: foreignOrigin(request) },
          ANONYMOUS,
        );
        return { status: 200, body: session, headers: { 'Cache-Control': 'no-store' } };
      } catch (error) {
        const { status, detail } = failure(error);
        return { status, body: { detail } };
      }
    },
  },
];
