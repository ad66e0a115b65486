import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits, type AuditFail, type AuditResult } from 'graphql-http';
import { stack } from './support/stack.js';

/**
 * The GraphQL door conforms to the GraphQL-over-HTTP spec: no audit of graphql-http's server suite ends
 * in `error` (a failed MUST). Warnings (failed SHOULDs) and notices (unsupported MAYs) are printed only.
 */
test('GraphQL over HTTP: no graphql-http server audit fails', async () => {
  const { url } = await stack();
  // The audits send ~60 anonymous requests: pose as a client of their own (the test stack trusts
  // X-Forwarded-For) so they neither trip nor eat the per-IP rate limit shared with other tests.
  const fetchFn: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-for', '198.51.100.80');
    return fetch(input, { ...init, headers });
  };

  const results: AuditResult[] = [];
  for (const audit of serverAudits({ url: `${url}/graphql`, fetchFn })) results.push(await audit.fn());

  const failed = results.filter((result): result is AuditFail => result.status !== 'ok');
  const passed = results.length - failed.length;
  console.log(`graphql-http: ${passed} of ${results.length} audits pass`);
  for (const result of failed) {
    const body = result.status === 'error' ? ` — ${result.response.status} ${(await result.response.text()).slice(0, 300)}` : '';
    console.log(`  [${result.status}] ${result.name}: ${result.reason}${body}`);
  }

  const errors = failed.filter((result) => result.status === 'error').map((result) => `${result.name}: ${result.reason}`);
  assert.deepEqual(errors, [], `${errors.length} MUST audits of graphql-http fail`);
});
