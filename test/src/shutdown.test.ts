import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { OpenAIStandIn, words } from './support/openai.js';
import { parseLines } from './support/log-lines.js';
import { processEnv, startGatewayProcess, type ProductProcess } from './support/processes.js';
import { loginToken } from './support/stack.js';
import { until } from './support/wait.js';

/** `promise`, or a failure saying what was awaited after `ms`. */
async function within<T>(ms: number, promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const PROVIDER_KEY = 'sk-shutdown-provider-key';

/**
 * The whole product as `npm start` runs it, stopped with SIGTERM while work is under way. A drain bound of 3 s
 * (SHUTDOWN_TIMEOUT_SECONDS 9): the provider's slow answers fit within it, the long streams do not.
 */
describe('stopping: work under way finishes, requests arriving meanwhile are told to retry, open streams end cleanly', () => {
  const started: { provider?: OpenAIStandIn; gateway?: ProductProcess }[] = [];
  after(async () => {
    for (const { provider, gateway } of started) {
      await gateway?.stop();
      await provider?.close();
    }
  });

  async function product(provider: OpenAIStandIn): Promise<ProductProcess> {
    const gateway = await startGatewayProcess(
      processEnv('shutdown', {
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        SHUTDOWN_TIMEOUT_SECONDS: '9',
        OPENAI_BASE_URL: provider.url,
        OPENAI_API_KEY: PROVIDER_KEY,
        LLM_MAX_RETRIES: '0',
      }),
    );
    started.push({ provider, gateway });
    return gateway;
  }

  /** SIGTERM, then resolves once the gateway has begun to stop (it logs so before anything else). */
  async function beginStop(gateway: ProductProcess): Promise<{ exited: Promise<number | null> }> {
    const exited = once(gateway.child, 'exit').then(() => gateway.child.exitCode);
    gateway.child.kill('SIGTERM');
    await until('the gateway to begin stopping', () => parseLines(gateway.output()).some((line) => line.msg === 'shutting down'));
    return { exited };
  }

  const problems = (gateway: ProductProcess) => ({
    errors: parseLines(gateway.output()).filter((line) => typeof line.level === 'number' && line.level >= 50),
    apolloShutdownWarnings: gateway.errorOutput().includes('received during server shutdown'),
  });

  it('lets REST requests whose clients left finish before stopping what they use', async () => {
    const provider = await OpenAIStandIn.start({ requiredKey: PROVIDER_KEY, replyDelayMs: 1_500 });
    const gateway = await product(provider);
    const token = await loginToken(gateway.url, 'admin', 'admin');

    // Slow REST requests (seed 004's chat, answered by a provider taking 1.5 s), whose clients then go away.
    const clients = Array.from({ length: 3 }, () => new AbortController());
    const requests = clients.map((client, i) =>
      fetch(`${gateway.url}/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: `Question ${i}` }),
        signal: client.signal,
      }).catch((error: unknown) => error),
    );
    const asked = () => provider.calls.all.filter((call) => call.path === '/v1/chat/completions');
    await until('the provider to be asked thrice', () => asked().length === 3, 10_000);
    clients.forEach((client) => client.abort());
    await Promise.all(requests);

    const { exited } = await beginStop(gateway);
    assert.equal(await within(15_000, exited, gateway.output), 0, gateway.output().split('\n').slice(-10).join('\n'));
    // The provider answered every request before the process ended: the handlers ran to their end.
    assert.deepEqual(
      asked().map((call) => call.aborted),
      [false, false, false],
    );
    // Nothing failed: no handler ran an operation on a stopped server.
    const { errors, apolloShutdownWarnings } = problems(gateway);
    assert.deepEqual(errors, []);
    assert.equal(apolloShutdownWarnings, false, 'no GraphQL operation was received during the server’s shutdown');
  });

  it('answers a request arriving while it drains with 503 and Retry-After, in the door’s shape', async () => {
    const provider = await OpenAIStandIn.start({ requiredKey: PROVIDER_KEY, replyDelayMs: 1_500 });
    const gateway = await product(provider);
    const token = await loginToken(gateway.url, 'admin', 'admin');
    const { port } = new URL(gateway.url);

    // Clients whose requests are still arriving (headers under way): their connections are busy, so the stop
    // leaves them open. One for a REST route of seed 000, one for GraphQL.
    const arriving = async (head: string) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      let answer = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      const closed = once(socket, 'close');
      socket.write(head);
      return {
        arrive: (rest: string) => socket.write(rest),
        answer: async () => {
          await within(15_000, closed, () => `the connection to close: ${answer}`);
          const [headers, body] = answer.split('\r\n\r\n');
          return { headers, body: JSON.parse(body) as Record<string, unknown> };
        },
      };
    };
    const authorization = `Authorization: Bearer ${token}\r\n`;
    const rest = await arriving(`GET /api/v1/leads/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${authorization}`);
    const query = JSON.stringify({ query: '{ me { username } }' });
    const graphql = await arriving(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${authorization}Content-Type: application/json\r\nContent-Length: ${query.length}\r\n`,
    );
    // A slow request under way keeps the gateway draining meanwhile.
    const slow = fetch(`${gateway.url}/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Anyone there?' }),
    });
    await until('the provider to be asked', () => provider.calls.all.some((call) => call.path === '/v1/chat/completions'), 10_000);

    const { exited } = await beginStop(gateway);
    rest.arrive('\r\n');
    graphql.arrive(`\r\n${query}`);
    const [restAnswer, graphqlAnswer] = await Promise.all([rest.answer(), graphql.answer()]);
    for (const { headers } of [restAnswer, graphqlAnswer]) {
      assert.match(headers, /^HTTP\/1\.1 503 /, headers);
      assert.match(headers, /\r\nRetry-After: 1\r\n/i);
      // The client takes its retry elsewhere.
      assert.match(headers, /\r\nConnection: close\r\n/i);
    }
    // Seed 000's error shape; GraphQL's.
    assert.match(String(restAnswer.body.detail), /restarting/i);
    assert.deepEqual(graphqlAnswer.body, {
      errors: [{ message: 'The server is restarting, retry the request', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    // The request under way still got its answer.
    assert.equal((await slow).status, 200);
    assert.equal(await within(15_000, exited, gateway.output), 0);
    assert.deepEqual(problems(gateway).errors, []);
  });

  it('ends a stream still open at the drain bound with a last error event saying to retry, and lets a short one finish', async () => {
    const provider = await OpenAIStandIn.start({
      requiredKey: PROVIDER_KEY,
      chunkDelayMs: 200,
      // A long answer outlasts the drain bound (3 s); a short one ends within it.
      reply: ({ messages }) => (messages.at(-1)?.content.includes('long') ? words(200) : words(5)),
    });
    const gateway = await product(provider);
    const token = await loginToken(gateway.url, 'admin', 'admin');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const completion = (content: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content }] }),
      });
    const [long, short, seed004] = await Promise.all([
      completion('a long one please'),
      completion('a short one'),
      fetch(`${gateway.url}/admin/chat/stream?message=${encodeURIComponent('a long one please')}`, { headers }),
    ]);
    for (const response of [long, short, seed004]) assert.equal(response.status, 200);
    // Read to the end: a stream cut mid-frame would fail here ("terminated").
    const bodies = [long, short, seed004].map((response) => response.text());

    const { exited } = await beginStop(gateway);
    const [longText, shortText, seed004Text] = await Promise.all(bodies);
    assert.equal(await exited, 0, gateway.output().split('\n').slice(-10).join('\n'));

    const frames = (text: string) =>
      text
        .split('\n\n')
        .filter(Boolean)
        .map((frame) => frame.replace(/^data: /, ''));
    // The short stream finished as usual: its finishing chunk, then [DONE].
    const shortFrames = frames(shortText);
    assert.equal(shortFrames.at(-1), '[DONE]');
    assert.equal((JSON.parse(shortFrames.at(-2)!) as { choices: { finish_reason: string }[] }).choices[0].finish_reason, 'stop');
    assert.ok(!shortText.includes('"error"'));

    // The long ones: what came so far, then an error event in the stream's own shape, then [DONE].
    const longFrames = frames(longText);
    assert.ok(longFrames.length > 3 && longFrames.length < 200, `${longFrames.length} frames`);
    assert.equal(longFrames.at(-1), '[DONE]');
    const { error } = JSON.parse(longFrames.at(-2)!) as { error: { message: string; type: string; code: number } };
    assert.match(error.message, /restarting.*retry/i);
    assert.equal(error.code, 503);
    const seed004Frames = frames(seed004Text);
    assert.equal(seed004Frames.at(-1), '[DONE]');
    assert.match((JSON.parse(seed004Frames.at(-2)!) as { error: string }).error, /restarting.*retry/i);

    assert.deepEqual(problems(gateway).errors, []);
  });
});
