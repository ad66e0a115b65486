import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { IDENTITY_HEADER, IdentitySigner } from '@salesgraph/platform';
import { OPERATION_LIMITS } from '@salesgraph/gateway';
import { newOrganization } from './support/accounts.js';
import { codeOf, graphql, rest } from './support/client.js';
import { stack, type Stack } from './support/stack.js';

describe('gateway: hardening, health, docs', () => {
  let s: Stack;
  before(async () => (s = await stack()));

  it('refuses too deep, too aliased and too long operations', async () => {
    const fine = await graphql(
      s.url,
      `
        {
          authStatus {
            user {
              organization {
                id
              }
            }
          }
        }
      `,
      {},
      { token: s.adminToken },
    );
    assert.equal(fine.errors, undefined);

    const nest = (depth: number): string => (depth === 0 ? 'id' : `me { ${nest(depth - 1)} }`);
    const deep = await graphql(s.url, `{ ${nest(OPERATION_LIMITS.maxDepth + 1)} }`, {}, { token: s.adminToken });
    assert.equal(deep.status, 400);
    assert.ok(
      deep.errors?.some((e) => /depth/i.test(e.message)),
      JSON.stringify(deep.errors),
    );

    const aliases = `{ ${Array.from({ length: OPERATION_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: authStatus { authenticated }`).join(' ')} }`;
    const aliased = await graphql(s.url, aliases, {});
    assert.equal(aliased.status, 400);
    assert.ok(
      aliased.errors?.some((e) => /alias/i.test(e.message)),
      JSON.stringify(aliased.errors),
    );

    const long = await graphql(s.url, `{ authStatus { ${'authenticated '.repeat(OPERATION_LIMITS.maxTokens)} } }`, {});
    assert.equal(long.status, 400);
    assert.ok(
      long.errors?.some((e) => /token/i.test(e.message)),
      JSON.stringify(long.errors),
    );
  });

  it('blocks cross-site simple requests (CSRF) and oversized bodies', async () => {
    const simple = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ authStatus { authenticated } }')}`);
    assert.equal(simple.status, 400);
    const form = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ authStatus { authenticated } }"}',
    });
    assert.equal(form.status, 400);
    const big = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ authStatus { authenticated } } #${'x'.repeat(1_100_000)}` }),
    });
    assert.equal(big.status, 413);
    const malformed = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code, 'BAD_USER_INPUT');
  });

  it('hides internal fields from clients', async () => {
    const internal = await graphql(
      s.url,
      `
        {
          apiKeyIdentity(secret: "x") {
            userId
          }
        }
      `,
      {},
    );
    assert.equal(codeOf(internal), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('rate-limits anonymous clients per address with 429 and Retry-After', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.23' };
    let limited: Response | undefined;
    for (let i = 0; i < 101 && !limited; i++) {
      const response = await fetch(`${s.url}/admin/auth/status`, { headers });
      if (response.status === 429) limited = response;
      else await response.arrayBuffer();
    }
    assert.ok(limited, 'the 101st anonymous request within a minute is refused');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.match(((await limited.json()) as { detail: string }).detail, /Rate limit/);
    const gql = await graphql(s.url, '{ authStatus { authenticated } }', {}, { headers });
    assert.deepEqual([gql.status, codeOf(gql)], [429, 'RATE_LIMITED']);
    // Another client is unaffected.
    assert.equal((await rest(s.url, 'GET', '/admin/auth/status', { headers: { 'x-forwarded-for': '198.51.100.24' } })).status, 200);
  });

  it('takes a forwarded address only when it is an IP address', async () => {
    const admin = await newOrganization(s.url);
    const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
    for (const forwarded of ['x'.repeat(100), '203.0.113.5, not-an-address', '']) {
      const login = await graphql(
        s.url,
        LOGIN,
        { i: { login: admin.username, password: admin.password } },
        { headers: { 'x-forwarded-for': forwarded } },
      );
      assert.ok(login.data?.login.accessToken, `${forwarded.slice(0, 20)}: ${JSON.stringify(login.errors)}`);
    }
  });

  it('reports real database health on /health and /api/health', async () => {
    const health = await rest(s.url, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.deepEqual([health.body.status, health.body.database, health.body.services.identity], ['healthy', 'connected', 'running']);
    const api = await rest(s.url, 'GET', '/api/health');
    assert.deepEqual([api.status, api.body.status, api.body.services.database, api.body.version], [200, 'healthy', 'connected', '0.1.0']);
  });

  it('serves the OpenAPI document of every REST route, Swagger UI and ReDoc offline', async () => {
    const doc = await rest(s.url, 'GET', '/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/users',
      '/api/v1/users/{user_id}',
      '/admin/auth/login',
      '/admin/auth/change-password',
      '/health',
      '/api/health',
    ]) {
      assert.ok(doc.body.paths[path], `${path} documented`);
    }
    assert.ok(doc.body.paths['/api/v1/users/{user_id}'].delete);
    // Subgraphs' declared routes that document themselves: the OpenAI-compatible API and the chat stream.
    assert.ok(doc.body.paths['/v1/chat/completions'].post.responses['200'].content['text/event-stream']);
    assert.ok(doc.body.paths['/v1/models'].get);
    assert.ok(doc.body.paths['/admin/chat/stream'].get.parameters.some((p: { name: string }) => p.name === 'message'));
    assert.equal(doc.body.paths['/webhooks/telegram/{connectionId}'], undefined, 'a webhook is not for API clients');
    for (const page of ['/docs', '/redoc']) {
      const html = await (await fetch(`${s.url}${page}`)).text();
      assert.ok(!/https?:\/\//.test(html.replace(/http:\/\/www\.w3\.org[^"']*/g, '')), `${page} loads nothing from other hosts`);
      for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        assert.equal((await fetch(`${s.url}${src}`)).status, 200, `${page} asset ${src}`);
      }
    }
  });

  it('answers unknown URLs with 404 JSON', async () => {
    const missing = await rest(s.url, 'GET', '/api/v1/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body.detail, 'string');
  });
});

describe('subgraphs: reachable only through the gateway', () => {
  it('refuses requests without a valid gateway signature', async () => {
    const s = await stack();
    const identity = s.product.subgraphs.get('identity')!;
    const url = await identity.listen(0);
    try {
      const request = { query: '{ _service { sdl } }' };
      const post = (headers: Record<string, string>, body: object = request) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const signer = new IdentitySigner(s.settings.gatewaySecret);
      const unsigned = await post({});
      assert.equal(unsigned.status, 401);
      const forged = await post({ [IDENTITY_HEADER]: new IdentitySigner('x'.repeat(40)).sign({ kind: 'anonymous' }, 'identity', request) });
      assert.equal(forged.status, 401);
      const signed = signer.sign({ kind: 'anonymous' }, 'identity', request);
      assert.equal((await post({ [IDENTITY_HEADER]: signed })).status, 200);
      // A signed identity is good once, for its subgraph and its request only.
      assert.equal((await post({ [IDENTITY_HEADER]: signed })).status, 401, 'replayed');
      assert.equal(
        (await post({ [IDENTITY_HEADER]: signer.sign({ kind: 'anonymous' }, 'calls', request) })).status,
        401,
        'signed for another subgraph',
      );
      const other = { query: '{ __typename }' };
      assert.equal(
        (await post({ [IDENTITY_HEADER]: signer.sign({ kind: 'anonymous' }, 'identity', request) }, other)).status,
        401,
        'signed for another request',
      );
      assert.equal((await post({ [IDENTITY_HEADER]: signer.sign({ kind: 'anonymous' }, 'identity', other) }, other)).status, 200);
    } finally {
      await identity.stopListening();
    }
  });
});
