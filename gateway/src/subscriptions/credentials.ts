import type { IncomingHttpHeaders } from 'node:http';

/**
 * The credential headers a graphql-ws client sent: in the `connection_init` payload
 * (`{ Authorization: "Bearer …" }`, any key case, or `X-API-Key`), or per subscription in
 * `extensions.headers` (GraphiQL puts its headers editor there). Undefined when there is none.
 */
export function credentialHeaders(source: unknown): IncomingHttpHeaders | undefined {
  if (!source || typeof source !== 'object') return undefined;
  const headers: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (typeof value !== 'string' || !value) continue;
    const name = key.toLowerCase();
    if (name === 'authorization' || name === 'x-api-key') headers[name] = value;
  }
  return headers.authorization || headers['x-api-key'] ? headers : undefined;
}

/**
 * Whether a WebSocket upgrade may proceed, by its `Origin` (cross-site WebSocket hijacking): the CORS
 * origins setting (`*` allows any), the gateway's own origin (the playground), or no Origin at all (not a
 * browser, so no ambient credentials to abuse).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[] | '*'): boolean {
  if (!origin || allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}
