import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Meter, Providers } from '@salesgraph/ai';
import { SecretBox, SettingsError, loadSettings, type Settings } from '@salesgraph/platform';
import { OpenAIStandIn } from './support/openai.js';
import { tempDir } from './support/stack.js';

const KEY = 'sk-configured-api-key-4242';
const dataDir = () => tempDir('salesgraph-ai-');
const box = new SecretBox('a secrets key of at least thirty-two characters');

describe('ai: the configured API and prices (unit)', () => {
  let provider: OpenAIStandIn;
  let settings: Settings;

  before(async () => {
    provider = await OpenAIStandIn.start({ requiredKey: KEY, models: ['gpt-4o', 'gpt-4o-mini'] });
    settings = loadSettings({ DATA_DIR: dataDir(), OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: KEY, OPENAI_MODEL: 'gpt-4o' });
  });
  after(() => provider.close());

  it('reaches OPENAI_BASE_URL with OPENAI_API_KEY, and OPENAI_MODEL is its default', async () => {
    const providers = new Providers(box, settings.llm);
    const configured = providers.configured;
    assert.ok(configured, 'configured when the variables are set');
    assert.equal(configured.name, 'openai');
    assert.equal(configured.defaultModel, 'gpt-4o');
    assert.deepEqual(await configured.models(), ['gpt-4o', 'gpt-4o-mini']);

    provider.reply = 'From the configured API';
    const answer = await configured.complete({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(answer.content, 'From the configured API');
    assert.ok(answer.promptTokens > 0 && answer.completionTokens > 0);
    const call = await provider.waitFor((c) => c.path === '/v1/chat/completions');
    assert.equal(call.headers.authorization, `Bearer ${KEY}`);

    const pieces: string[] = [];
    const stream = configured.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    for await (const piece of stream) pieces.push(piece);
    assert.equal(pieces.join(''), 'From the configured API');
    assert.ok(stream.usage().completionTokens > 0);
  });

  it('has none without the variables: the offline provider answers then', () => {
    const offline = new Providers(box, loadSettings({ DATA_DIR: dataDir() }).llm);
    assert.equal(offline.configured, undefined);
    assert.equal(offline.local.name, 'local');
  });

  it('prices usage by AI_PRICES (USD per million tokens), model names with colons included', () => {
    const { llm } = loadSettings({ DATA_DIR: dataDir(), AI_PRICES: 'gpt-4o:2.5/10, llama3:8b:0.1/0.2' });
    assert.deepEqual(llm.prices['llama3:8b'], { prompt: 0.1, completion: 0.2 });
    const meter = new Meter(llm);
    assert.equal(meter.costOf('gpt-4o', { promptTokens: 1_000, completionTokens: 500 }), 0.0075);
    assert.equal(meter.costOf('llama3:8b', { promptTokens: 1_000_000, completionTokens: 0 }), 0.1);
    assert.equal(meter.costOf('unlisted', { promptTokens: 1_000, completionTokens: 1_000 }), 0);
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir(), AI_PRICES: 'gpt-4o:cheap' }),
      (error: unknown) => error instanceof SettingsError && /AI_PRICES/.test(error.message),
    );
    assert.throws(
      () => loadSettings({ DATA_DIR: dataDir(), LLM_TIMEOUT_MS: '0' }),
      (error: unknown) => error instanceof SettingsError && /LLM_TIMEOUT_MS/.test(error.message),
    );
  });
});
