import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { COMPRESSION_THRESHOLD_BYTES } from '@salesgraph/gateway';
import { newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { OpenAIStandIn } from './support/openai.js';
import { stack, type Stack } from './support/stack.js';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they came over the wire (compressed when `content-encoding` says so). */
  bytes: Buffer;
}

/** A request through node:http, which (unlike fetch) neither asks for nor undoes any compression by itself. */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const decoded = ({ headers, bytes }: RawAnswer): string => {
  const encoding = headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  assert.equal(encoding, undefined, `unexpected content-encoding ${encoding}`);
  return bytes.toString('utf8');
};

describe('HTTP behaviour: compression and caching', () => {
  let s: Stack;
  let admin: Account;

  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('compresses a large answer with brotli or gzip as Accept-Encoding asks, and not without it', async () => {
    const plain = await raw(`${s.url}/openapi.json`, { 'accept-encoding': 'identity' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    const document = plain.bytes.toString('utf8');
    assert.ok(document.length > 50_000, 'the OpenAPI document is large');
    assert.match(String(plain.headers.vary), /accept-encoding/i);

    const gzip = await raw(`${s.url}/openapi.json`, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.ok(gzip.bytes.length < plain.bytes.length / 4, `gzip: ${gzip.bytes.length} of ${plain.bytes.length} bytes`);
    assert.equal(decoded(gzip), document);

    const brotli = await raw(`${s.url}/openapi.json`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(brotli.headers['content-encoding'], 'br');
    assert.equal(decoded(brotli), document);

    // GraphQL answers too.
    const query = JSON.stringify({ query: '{ __schema { types { name description } } }' });
    const schema = await raw(`${s.url}/graphql`, { 'content-type': 'application/json', 'accept-encoding': 'gzip' }, 'POST', query);
    assert.equal(schema.status, 200);
    assert.equal(schema.headers['content-encoding'], 'gzip');
    assert.ok(JSON.parse(decoded(schema)).data.__schema.types.length > 10);
  });

  it('sends small answers as they are', async () => {
    const health = await raw(`${s.url}/livez`, { 'accept-encoding': 'gzip, br' });
    assert.equal(health.status, 200);
    assert.ok(health.bytes.length < COMPRESSION_THRESHOLD_BYTES);
    assert.equal(health.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(decoded(health)), { status: 'alive' });
  });

  it('streams Server-Sent Events uncompressed, each event as it is written', async () => {
    const KEY = 'sk-http-behaviour-key';
    const provider = await OpenAIStandIn.start({ requiredKey: KEY, models: ['gpt-4o-mini'] });
    try {
      const created = await graphql(
        s.url,
        'mutation ($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id } }',
        { input: { name: 'Stand-in', slug: 'standin', baseUrl: provider.url, apiKey: KEY, defaultModel: 'gpt-4o-mini' } },
        { token: admin.token },
      );
      assert.ok(created.data, JSON.stringify(created.errors));
      // A provider that sends its second word only much later: the first must reach the client before it.
      provider.reply = 'first second';
      provider.chunkDelayMs = 60_000;
      const aborted = new AbortController();
      const response = await fetch(`${s.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'accept-encoding': 'gzip, br' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
        signal: aborted.signal,
      });
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/event-stream/);
      assert.equal(response.headers.get('content-encoding'), null);
      assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
      const reader = response.body!.getReader();
      let text = '';
      while (!text.includes('first')) {
        const { value, done } = await reader.read();
        assert.ok(!done, `the stream ended before its first word: ${text}`);
        text += new TextDecoder().decode(value);
      }
      assert.ok(!text.includes('second'), 'the second word is still with the provider');
      aborted.abort();
      await reader.cancel().catch(() => undefined);
    } finally {
      provider.chunkDelayMs = 0;
      await provider.close();
    }
  });

  it('answers a REST GET with an ETag, 304 while it holds and a new one once the resource changes', async () => {
    const auth = { authorization: `Bearer ${admin.token}` };
    const first = await raw(`${s.url}/api/v1/leads/`, auth);
    assert.equal(first.status, 200);
    const etag = first.headers.etag;
    assert.ok(etag, 'an ETag');
    assert.equal(first.headers['cache-control'], 'private, no-cache');
    assert.match(String(first.headers.vary), /authorization/i);

    const again = await raw(`${s.url}/api/v1/leads/`, { ...auth, 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.bytes.length, 0);
    assert.equal(again.headers.etag, etag);

    const created = await raw(
      `${s.url}/api/v1/leads/`,
      { ...auth, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ name: 'ETag lead', email: 'etag@example.com', source: 'website' }),
    );
    assert.equal(created.status, 201, created.bytes.toString());
    assert.equal(created.headers['cache-control'], 'no-store', 'a write is kept nowhere');
    const changed = await raw(`${s.url}/api/v1/leads/`, { ...auth, 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.equal(JSON.parse(decoded(changed)).items[0].name, 'ETag lead');
  });

  it('sets Cache-Control per kind of answer', async () => {
    const policy = async (path: string, headers: Record<string, string> = {}) =>
      (await raw(`${s.url}${path}`, headers)).headers['cache-control'];
    assert.equal(await policy('/health'), 'no-store');
    assert.equal(await policy('/openapi.json'), 'public, max-age=300');
    assert.equal(await policy('/docs'), 'public, max-age=300');
    assert.equal(await policy('/docs/assets/swagger-ui.css'), 'public, max-age=3600');
    assert.equal(await policy('/api/v1/leads/'), 'no-store', 'a refusal (401) is kept nowhere');
    const graphqlAnswer = await raw(`${s.url}/graphql`, { 'content-type': 'application/json' }, 'POST', '{"query":"{ __typename }"}');
    assert.equal(graphqlAnswer.headers['cache-control'], 'no-store');
  });
});
