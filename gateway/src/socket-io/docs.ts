import type { Router } from 'express';
import { cachePolicy, CachePolicy } from '../responses.js';
import { CLIENT_ACTIONS, SERVER_EVENTS } from './seed-002.js';
import { ERROR_EVENT, SOCKET_IO_PATH } from './server.js';

/** Where the protocol's page is served; the OpenAPI document's description links to it. */
export const SOCKET_IO_DOCS_PATH = '/docs/socket-io';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** `code` spans of the tables' descriptions. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/**
 * Seed 002's Socket.IO protocol as a page: events are not paths, so the OpenAPI document cannot list them.
 * Made from the same tables the server runs, so it names every event and body the server takes.
 */
export function socketIoPage(): string {
  const actions = CLIENT_ACTIONS.map(
    ({ name, route }) =>
      `<tr><td><code>${name}</code></td><td>${inline(route.summary)}; as <code>${route.method.toUpperCase()} ${route.path}</code> with the call id in <code>callId</code></td><td><pre>${escape(
        JSON.stringify({ callId: { type: 'integer' }, ...(route.body?.properties ?? {}) }, null, 1),
      )}</pre>${route.body?.required?.length ? `required: callId, ${route.body.required.join(', ')}` : 'required: callId'}</td></tr>`,
  ).join('');
  const events = SERVER_EVENTS.map(({ name, description }) => `<tr><td><code>${name}</code></td><td>${inline(description)}</td></tr>`).join(
    '',
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Socket.IO events (seed 002)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}table{border-collapse:collapse}pre{margin:0;font-size:12px}</style></head><body>
<h1>Socket.IO events (seed 002, call CRM)</h1>
<p>Socket.IO 4 at path <code>${SOCKET_IO_PATH}</code> on the gateway's port (<code>io('http://host:4000')</code>). Behind several gateway replicas use
<code>transports: ['websocket']</code> or sticky sessions (long-polling keeps state in one process).</p>
<h2>Authentication</h2>
<p>Emit <code>authenticate</code> with <code>{userId, token}</code> (an access token; <code>userId</code>, if given, must be the token's user) or
<code>{apiKey}</code>; the handshake's <code>auth: {token}</code> works too. The answer is <code>authenticated</code>
<code>{success: true, userId, organizationId, role}</code>, or <code>${ERROR_EVENT}</code> with the seed's error body and a disconnect.
Until then the socket receives nothing and its actions are refused (<code>UNAUTHORIZED</code>); a socket that has not authenticated within
10 s is disconnected, as is one whose token expires or is revoked.</p>
<h2>Client events</h2>
<p>Each runs the same GraphQL mutation as the REST route named (roles, organization, rate limit, <code>CONFLICT</code> when a call no longer rings).
With an acknowledgement callback (<code>socket.emit(event, body, callback)</code> or <code>emitWithAck</code>) the answer is
<code>{success: true, data: call}</code> or <code>{success: false, error: {code, message, details}}</code> (codes: <code>VALIDATION_ERROR</code>,
<code>UNAUTHORIZED</code>, <code>FORBIDDEN</code>, <code>CALL_NOT_FOUND</code>, <code>CONFLICT</code>, <code>RATE_LIMITED</code>); without one,
only a failure is told, as <code>${ERROR_EVENT}</code> with the error body and <code>event</code>.</p>
<table><tr><th>event</th><th>what</th><th>body</th></tr>${actions}</table>
<h2>Server events</h2>
<p>What a GraphQL subscriber with the same credential would get: your organization only, and a plain user only the calls assigned to or
answered by them. <code>call</code> is a call as <code>GET /api/calls</code> lists it.</p>
<table><tr><th>event</th><th>payload</th></tr>${events}</table>
</body></html>`;
}

export function mountSocketIoDocs(router: Router): void {
  const page = socketIoPage();
  router.get(SOCKET_IO_DOCS_PATH, (_req, res) => {
    cachePolicy(res, CachePolicy.publicDocument);
    res.type('html').send(page);
  });
}
