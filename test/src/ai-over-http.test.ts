import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Product } from '@salesgraph/gateway';
import { newOrganization, type Account } from './support/accounts.js';
import { graphql, rest } from './support/client.js';
import { extraGateway } from './support/extra-gateway.js';
import { OpenAIStandIn, words } from './support/openai.js';
import { stack, type Stack } from './support/stack.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

/**
 * The ai subgraph reached as docker-compose deploys it: over HTTP, its streams over graphql-ws. A second
 * gateway over the stack's own subgraphs stands for that deployment.
 */
describe('ai: streamed answers when the gateway reaches the ai subgraph over the network', () => {
  let s: Stack;
  let gateway: Product;
  let admin: Account;
  let provider: OpenAIStandIn;
  let sdk: OpenAI;
  const KEY = 'sk-over-http-provider-key';

  before(async () => {
    s = await stack();
    gateway = await extraGateway(s, { settings: s.settings });
    admin = await newOrganization(s.url);
    provider = await OpenAIStandIn.start({ requiredKey: KEY, models: ['gpt-4o-mini'] });
    const created = await graphql(
      gateway.url,
      `
        mutation ($input: CreateLlmProviderInput!) {
          createLlmProvider(input: $input) {
            id
          }
        }
      `,
      { input: { name: 'Stand-in', slug: 'standin', baseUrl: provider.url, apiKey: KEY, defaultModel: 'gpt-4o-mini' } },
      { token: admin.token },
    );
    assert.ok(created.data, JSON.stringify(created.errors));
    sdk = new OpenAI({ apiKey: admin.token, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await gateway?.close();
    await provider?.close();
  });

  it('streams /v1/chat/completions, and a client that leaves stops the provider', async () => {
    provider.reply = words(20);
    let text = '';
    for await (const chunk of await sdk.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    }))
      text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, words(20));

    provider.reset();
    provider.reply = words(200);
    provider.chunkDelayMs = 30;
    try {
      let pieces = 0;
      for await (const chunk of await sdk.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'long' }],
        stream: true,
      })) {
        if (chunk.choices[0]?.delta?.content && ++pieces === 3) break;
      }
      assert.equal((await provider.waitForAbort((c) => c.path === '/v1/chat/completions', 5_000)).aborted, true);
    } finally {
      provider.chunkDelayMs = 0;
    }
  });

  it('answers a refused stream with its status, and streams the subscription over graphql-ws', async () => {
    provider.reset();
    const unknown = await rest(gateway.url, 'POST', '/v1/chat/completions', {
      token: admin.token,
      body: { model: 'no-such-model', messages: [{ role: 'user', content: 'x' }], stream: true },
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /Unknown model "no-such-model"/);

    provider.failNext(500, { times: 5 });
    const down = await rest(gateway.url, 'POST', '/v1/chat/completions', {
      token: admin.token,
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
    });
    assert.equal(down.status, 503);
    assert.match(down.body.detail, /standin/);

    // A provider that breaks off mid-stream: the client reads an error event, then the stream ends.
    provider.reset();
    provider.reply = words(20);
    provider.breakStreamAfter(3);
    let received = '';
    const broken = await (async () => {
      for await (const chunk of await sdk.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }))
        received += chunk.choices[0]?.delta?.content ?? '';
    })().catch((error: unknown) => error);
    assert.ok(broken instanceof OpenAI.APIError, String(broken));
    assert.equal(received, words(3));

    provider.reset();
    provider.reply = words(8);
    const events = subscribe<{ chatCompletionStream: { delta?: string; done?: boolean } }>(wsClient(gateway.url, bearer(admin.token)), {
      query: `subscription($input: ChatCompletionInput!) { chatCompletionStream(input: $input) }`,
      variables: { input: { model: 'gpt-4o-mini', messages: [{ role: 'USER', content: 'Hi' }] } },
    });
    let text = '';
    for (;;) {
      const { data, errors } = await events.next();
      assert.ok(data, JSON.stringify(errors));
      if (data.chatCompletionStream.done) break;
      text += data.chatCompletionStream.delta ?? '';
    }
    assert.equal(text, words(8));
  });
});
