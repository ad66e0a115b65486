import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import wavefile from 'wavefile';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, rest } from './support/client.js';
import { OpenAIStandIn, echo, toneWav } from './support/openai.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';

const CREATE_PROVIDER = `mutation($input: CreateLlmProviderInput!) { createLlmProvider(input: $input) { id slug } }`;
const CREATE_PRESET = `mutation($input: CreateTtsPresetInput!) { createTtsPreset(input: $input) { id slug espeakVoice rate pitch ownerUserId } }`;
const UPDATE_PRESET = `mutation($id: ID!, $input: UpdateTtsPresetInput!) { updateTtsPreset(id: $id, input: $input) { id rate } }`;
const DELETE_PRESET = `mutation($id: ID!) { deleteTtsPreset(id: $id) }`;
const PRESETS = `query { ttsPresets { id slug ownerUserId } }`;
const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id } }`;
const CALL = `query($id: ID!) { call(id: $id) { transcript { speaker text startOffset endOffset } analysis { summary } } }`;

interface Wave {
  fmt: { numChannels: number; sampleRate: number; bitsPerSample: number; audioFormat: number };
  data: { samples: Uint8Array };
}

/** Parses WAV bytes with an independent parser and returns its format and duration in seconds. */
function parseWav(bytes: Buffer) {
  const wave = new wavefile.WaveFile(bytes) as unknown as Wave;
  const frame = wave.fmt.numChannels * (wave.fmt.bitsPerSample / 8);
  return { ...wave.fmt, seconds: wave.data.samples.length / frame / wave.fmt.sampleRate };
}

async function audio(s: Stack, token: string | undefined, path: string, body: unknown) {
  const response = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown>,
  };
}

async function upload(
  s: Stack,
  token: string,
  path: string,
  field: string,
  file: Buffer,
  name: string,
  fields: Record<string, string> = {},
) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  body.append(field, new Blob([new Uint8Array(file)]), name);
  const response = await fetch(`${s.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
}

async function ok(s: Stack, query: string, variables: Record<string, unknown>, token: string) {
  const result = await graphql(s.url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const usageOf = (s: Stack, organizationId: string) =>
  queryDatabase<{ operation: string; provider: string; model: string; object_type: string | null; object_id: string | null }>(
    s,
    'select operation, provider, model, object_type, object_id from ai.usage_records where organization_id = $1 order by created_at, id',
    [organizationId],
  );

describe('ai: speech — TTS, voices and presets, STT through a provider, process_call', () => {
  let s: Stack;
  let admin: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
  });

  it('synthesises Russian and English offline with espeak-ng as valid WAV, and serves a repeated phrase from the cache', async () => {
    const first = await audio(s, admin.token, '/tts', { text: 'Привет, это Анна. Чем могу помочь?', voice_id: 'anna_ru' });
    assert.equal(first.status, 200, first.bytes.toString());
    assert.equal(first.headers.get('content-type'), 'audio/wav');
    assert.equal(first.headers.get('x-tts-engine'), 'espeak-ng');
    assert.equal(first.headers.get('x-tts-cache'), 'miss');
    const wav = parseWav(first.bytes);
    assert.equal(wav.audioFormat, 1, 'PCM');
    assert.equal(wav.numChannels, 1);
    assert.equal(wav.sampleRate, 22050);
    assert.equal(wav.bitsPerSample, 16);
    assert.ok(wav.seconds > 1 && wav.seconds < 10, `a sentence takes a second or more, not ${wav.seconds}`);
    assert.equal(first.bytes.readUInt32LE(4), first.bytes.length - 8, 'the RIFF size is the real one, not espeak’s placeholder');

    const again = await audio(s, admin.token, '/tts', { text: 'Привет, это Анна. Чем могу помочь?', voice_id: 'anna_ru' });
    assert.equal(again.headers.get('x-tts-cache'), 'hit');
    assert.deepEqual(again.bytes, first.bytes);

    const english = await audio(s, admin.token, '/tts', { text: 'Hello, this is Marina speaking.', voice_id: 'marina_en' });
    assert.equal(english.status, 200);
    assert.ok(parseWav(english.bytes).seconds > 0.8);
    const slower = await audio(s, admin.token, '/tts', { text: 'Hello, this is Marina speaking.', voice_id: 'espeak:en-us' });
    assert.equal(slower.headers.get('x-tts-voice'), 'espeak:en-us');
    assert.notDeepEqual(slower.bytes, english.bytes, 'another voice, other audio');
  });

  it('speaks OpenAI’s /v1/audio/speech to the official SDK, and refuses what it cannot do with a clear 4xx', async () => {
    const sdk = new OpenAI({ apiKey: admin.token, baseURL: `${s.url}/v1`, maxRetries: 0 });
    const response = await sdk.audio.speech.create({ model: 'tts-1', voice: 'anna_ru', input: 'Добрый день!', response_format: 'wav' });
    const wav = parseWav(Buffer.from(await response.arrayBuffer()));
    assert.ok(wav.seconds > 0.3, String(wav.seconds));

    await assert.rejects(
      sdk.audio.speech.create({ model: 'tts-1', voice: 'anna_ru', input: 'Добрый день!', response_format: 'mp3' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /wav/.test(error.message),
    );
    await assert.rejects(
      sdk.audio.speech.create({ model: 'tts-1', voice: 'nobody_xx', input: 'Добрый день!' }),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 400 && /Unknown voice "nobody_xx"/.test(error.message),
    );
    const blank = await audio(s, admin.token, '/v1/audio/speech', { input: '   ', voice: 'anna_ru' });
    assert.equal(blank.status, 422);
    assert.match(String(blank.json().detail), /input/);
    const tooLong = await audio(s, admin.token, '/tts', { text: 'а'.repeat(4097) });
    assert.equal(tooLong.status, 400, tooLong.bytes.toString());
    assert.equal((await audio(s, undefined, '/tts', { text: 'Привет' })).status, 401);
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal((await audio(s, guest.token, '/tts', { text: 'Привет' })).status, 403, 'guests read only');
  });

  it('keeps TTS presets per owner: admins share theirs, users keep their own, guests only read, other organizations see none', async () => {
    const user = await newMember(s.url, admin, 'USER');
    const otherUser = await newMember(s.url, admin, 'WEB');
    const guest = await newMember(s.url, admin, 'GUEST');
    const stranger = await newOrganization(s.url);

    const shared = (
      await ok(s, CREATE_PRESET, { input: { slug: 'office_ru', name: 'Офис', espeakVoice: 'ru+m3', rate: 150, pitch: 40 } }, admin.token)
    ).createTtsPreset;
    assert.equal(shared.ownerUserId, null);
    const own = (await ok(s, CREATE_PRESET, { input: { slug: 'mine_en', name: 'Mine', espeakVoice: 'en-us+f2' } }, user.token))
      .createTtsPreset;
    assert.equal(own.ownerUserId, user.id);
    assert.equal(own.rate, 175);

    const slugs = async (token: string) => (await ok(s, PRESETS, {}, token)).ttsPresets.map((p: { slug: string }) => p.slug).sort();
    assert.deepEqual(await slugs(admin.token), ['mine_en', 'office_ru'], 'admins see all of the organization’s');
    assert.deepEqual(await slugs(user.token), ['mine_en', 'office_ru']);
    assert.deepEqual(await slugs(otherUser.token), ['office_ru'], 'not another user’s');
    assert.deepEqual(await slugs(guest.token), ['office_ru'], 'guests read the shared ones');
    assert.deepEqual(await slugs(stranger.token), []);

    const voices = await rest(s.url, 'GET', '/v1/voices', { token: otherUser.token });
    const ids = (voices.body.voices as { id: string; name: string }[]).map((v) => v.id);
    for (const id of ['anna_ru', 'marina_ru', 'office_ru', 'espeak:ru', 'espeak:en-us'])
      assert.ok(ids.includes(id), `${id} in ${ids.join()}`);
    assert.ok(!ids.includes('mine_en'));
    assert.equal((voices.body.voices as { id: string; name: string }[]).find((v) => v.id === 'anna_ru')?.name, 'Анна (Russian)');

    const spoken = await audio(s, user.token, '/tts', { text: 'Проверка', voice_id: 'office_ru' });
    assert.equal(spoken.headers.get('x-tts-voice'), 'office_ru');
    assert.equal((await audio(s, otherUser.token, '/tts', { text: 'Check', voice_id: 'mine_en' })).status, 400, 'not their voice');
    assert.equal((await audio(s, stranger.token, '/tts', { text: 'Проверка', voice_id: 'office_ru' })).status, 400);

    assert.equal(codeOf(await graphql(s.url, UPDATE_PRESET, { id: shared.id, input: { rate: 200 } }, { token: user.token })), 'NOT_FOUND');
    assert.equal(
      codeOf(await graphql(s.url, UPDATE_PRESET, { id: own.id, input: { rate: 200 } }, { token: otherUser.token })),
      'NOT_FOUND',
    );
    assert.equal((await ok(s, UPDATE_PRESET, { id: own.id, input: { rate: 200 } }, admin.token)).updateTtsPreset.rate, 200);
    assert.equal(codeOf(await graphql(s.url, DELETE_PRESET, { id: shared.id }, { token: stranger.token })), 'NOT_FOUND');
    const guestWrite = await graphql(
      s.url,
      CREATE_PRESET,
      { input: { slug: 'g_ru', name: 'G', espeakVoice: 'ru' } },
      { token: guest.token },
    );
    assert.equal(codeOf(guestWrite), 'FORBIDDEN');

    const bad = async (input: Record<string, unknown>, pattern: RegExp, code = 'BAD_USER_INPUT') => {
      const result = await graphql(
        s.url,
        CREATE_PRESET,
        { input: { slug: 'bad_one', name: 'Bad', espeakVoice: 'ru', ...input } },
        { token: user.token },
      );
      assert.equal(codeOf(result), code, JSON.stringify(result.errors));
      assert.match(result.errors![0].message, pattern);
    };
    await bad({ espeakVoice: 'xx+f3' }, /espeak-ng has no voice "xx\+f3"/);
    await bad({ espeakVoice: 'ru+nosuchvariant' }, /no voice/);
    await bad({ espeakVoice: 'ru; rm -rf /' }, /espeakVoice/);
    await bad({ rate: 10 }, /rate/);
    await bad({ pitch: 100 }, /pitch/);
    await bad({ slug: 'anna_ru' }, /built-in/, 'CONFLICT');
    await bad({ slug: 'office_ru' }, /already/, 'CONFLICT');
    assert.deepEqual(await slugs(admin.token), ['mine_en', 'office_ru'], 'nothing half-written');

    assert.equal((await ok(s, DELETE_PRESET, { id: own.id }, user.token)).deleteTtsPreset, own.id);
    assert.deepEqual(await slugs(user.token), ['office_ru']);
  });

  describe('through an OpenAI-compatible provider', () => {
    let provider: OpenAIStandIn;
    let mute: OpenAIStandIn;
    let org: Account;
    before(async () => {
      provider = await OpenAIStandIn.start({
        speaks: true,
        models: ['gpt-4o-mini'],
        transcript: 'Здравствуйте, я хочу записаться на приём',
        // The call analysis asks for JSON; chat gets the echo.
        reply: (request) =>
          request.body.response_format
            ? JSON.stringify({
                summary: 'Клиент хочет записаться.',
                sentiment: 'POSITIVE',
                sentimentScore: 0.6,
                topics: ['запись'],
                nextSteps: ['Записать клиента'],
                keyPhrases: [],
              })
            : echo(request),
      });
      mute = await OpenAIStandIn.start({ models: ['gpt-4o-mini'] });
      org = await newOrganization(s.url);
      await ok(
        s,
        CREATE_PROVIDER,
        { input: { name: 'Speech', slug: 'speech', baseUrl: provider.url, defaultModel: 'gpt-4o-mini' } },
        org.token,
      );
    });
    after(async () => {
      await provider.close();
      await mute.close();
    });

    it('transcription without a provider is a 503 that names what to configure', async () => {
      const result = await upload(s, admin.token, '/stt', 'file', toneWav(1), 'hello.wav');
      assert.equal(result.status, 503);
      assert.match(result.body.detail, /OPENAI_BASE_URL/);
    });

    it('speaks through the provider’s /audio/speech with the preset’s provider voice, and records the usage', async () => {
      const spoken = await audio(s, org.token, '/tts', { text: 'Добрый день', voice_id: 'anna_ru' });
      assert.equal(spoken.status, 200, spoken.bytes.toString());
      assert.equal(spoken.headers.get('x-tts-engine'), 'speech');
      assert.equal(parseWav(spoken.bytes).sampleRate, 16000, 'the provider’s audio');
      const call = await provider.waitFor((c) => c.path === '/v1/audio/speech');
      assert.deepEqual(
        { model: call.body?.model, voice: call.body?.voice, input: call.body?.input, format: call.body?.response_format },
        { model: 'tts-1', voice: 'nova', input: 'Добрый день', format: 'wav' },
      );
      const usage = await usageOf(s, org.organizationId);
      assert.ok(usage.some((u) => u.operation === 'SPEECH' && u.provider === 'speech' && u.model === 'tts-1'));
      const offline = await audio(s, org.token, '/v1/audio/speech', { input: 'Добрый день', voice: 'anna_ru', model: 'espeak-ng' });
      assert.equal(offline.headers.get('x-tts-engine'), 'espeak-ng', 'model espeak-ng asks for the offline engine');
    });

    it('counts provider speech against the organization’s budget: a spent budget refuses it with 402', async () => {
      const thrifty = await newOrganization(s.url);
      await ok(
        s,
        CREATE_PROVIDER,
        { input: { name: 'Speech', slug: 'speech', baseUrl: provider.url, defaultModel: 'gpt-4o-mini' } },
        thrifty.token,
      );
      await ok(
        s,
        `mutation($input: SetAiBudgetInput!) { setAiBudget(input: $input) { id } }`,
        { input: { limitUsd: 0, period: 'TOTAL' } },
        thrifty.token,
      );
      const before = provider.calls.all.length;
      const refused = await audio(s, thrifty.token, '/tts', { text: 'Дорого', voice_id: 'anna_ru' });
      assert.equal(refused.status, 402, refused.bytes.toString());
      assert.match(String(refused.json().detail), /budget/);
      const stt = await upload(s, thrifty.token, '/stt', 'file', toneWav(1), 'a.wav');
      assert.equal(stt.status, 402);
      assert.equal(provider.calls.all.length, before, 'the provider was not asked');
    });

    it('falls back to espeak-ng when the provider has no /audio/speech', async () => {
      const quiet = await newOrganization(s.url);
      await ok(s, CREATE_PROVIDER, { input: { name: 'Mute', slug: 'mute', baseUrl: mute.url, defaultModel: 'gpt-4o-mini' } }, quiet.token);
      const spoken = await audio(s, quiet.token, '/tts', { text: 'Добрый вечер', voice_id: 'marina_ru' });
      assert.equal(spoken.status, 200);
      assert.equal(spoken.headers.get('x-tts-engine'), 'espeak-ng');
      await mute.waitFor((c) => c.path === '/v1/audio/speech');
    });

    it('transcribes an upload checked by its bytes: WAV decoded, other audio by signature, anything else refused', async () => {
      const wav = toneWav(1.5);
      const heard = await upload(s, org.token, '/stt', 'file', wav, 'greeting.wav', { language: 'ru' });
      assert.equal(heard.status, 200, JSON.stringify(heard.body));
      assert.deepEqual(heard.body, {
        text: 'Здравствуйте, я хочу записаться на приём',
        provider: 'speech',
        model: 'whisper-1',
        duration: 1.5,
      });
      const received = await provider.waitFor((c) => c.path === '/v1/audio/transcriptions');
      assert.deepEqual(received.form?.file?.bytes, wav, 'the provider got the file as it was sent');
      assert.equal(received.form?.fields.model, 'whisper-1');
      assert.equal(received.form?.fields.language, 'ru');

      const viaOpenAi = await upload(s, org.token, '/v1/audio/transcriptions', 'file', wav, 'a.wav', { model: 'whisper-1' });
      assert.deepEqual(viaOpenAi.body, { text: 'Здравствуйте, я хочу записаться на приём' });

      const text = await upload(s, org.token, '/stt', 'file', Buffer.from('just some text pretending to be audio'), 'fake.wav');
      assert.equal(text.status, 415, JSON.stringify(text.body));
      assert.match(text.body.detail, /fake\.wav/);
      const broken = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEjunkjunkjunkjunk')]);
      const unreadable = await upload(s, org.token, '/stt', 'file', broken, 'broken.wav');
      assert.equal(unreadable.status, 422, JSON.stringify(unreadable.body));
      assert.match(unreadable.body.detail, /not a readable WAV/);
      const none = await fetch(`${s.url}/stt`, { method: 'POST', headers: { authorization: `Bearer ${org.token}` }, body: new FormData() });
      assert.equal(none.status, 422);
      const usage = await usageOf(s, org.organizationId);
      assert.equal(usage.filter((u) => u.operation === 'TRANSCRIPTION').length, 2, 'refused files never reach the provider');
    });

    it('process_call: hears, answers as the persona, speaks the answer for its owner only, and joins the call’s transcript', async () => {
      const callId = (await ok(s, CREATE_CALL, { input: { callerNumber: '+7 495 123 4567' } }, org.token)).createCall.id as string;
      const done = await upload(s, org.token, '/process_call', 'audio', toneWav(2), 'call.wav', {
        call_id: callId,
        persona: 'anna',
        analyze: 'true',
      });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.transcription, 'Здравствуйте, я хочу записаться на приём');
      assert.equal(done.body.response, 'Echo: Здравствуйте, я хочу записаться на приём', 'the provider’s chat answered');
      assert.equal(done.body.call_id, callId);
      assert.match(done.body.audio_url, /^\/audio\/[0-9a-f-]{36}\.wav$/);
      const chat = await provider.waitFor((c) => c.path === '/v1/chat/completions');
      assert.match(JSON.stringify(chat.body?.messages), /Анна|Anna/, 'the persona’s prompt leads');

      const fetched = await fetch(`${s.url}${done.body.audio_url}`, { headers: { authorization: `Bearer ${org.token}` } });
      assert.equal(fetched.status, 200);
      assert.equal(fetched.headers.get('content-type'), 'audio/wav');
      assert.ok(parseWav(Buffer.from(await fetched.arrayBuffer())).seconds > 0.5);
      const colleague = await newMember(s.url, org, 'ADMIN');
      assert.equal(
        (await fetch(`${s.url}${done.body.audio_url}`, { headers: { authorization: `Bearer ${colleague.token}` } })).status,
        404,
      );
      assert.equal((await fetch(`${s.url}${done.body.audio_url}`)).status, 401);
      await queryDatabase(s, `update ai.speech_audio set expires_at = now() - interval '1 second' where id = $1`, [
        done.body.audio_url.slice('/audio/'.length, -'.wav'.length),
      ]);
      assert.equal(
        (await fetch(`${s.url}${done.body.audio_url}`, { headers: { authorization: `Bearer ${org.token}` } })).status,
        404,
        'expired',
      );

      const call = (await ok(s, CALL, { id: callId }, org.token)).call;
      assert.deepEqual(
        call.transcript.map((t: { speaker: string; text: string }) => [t.speaker, t.text]),
        [
          ['caller', 'Здравствуйте, я хочу записаться на приём'],
          ['assistant', 'Echo: Здравствуйте, я хочу записаться на приём'],
        ],
      );
      assert.equal(call.transcript[0].endOffset, 2);
      assert.equal(call.analysis?.summary, 'Клиент хочет записаться.', 'analysed by the provider');

      const usage = await usageOf(s, org.organizationId);
      const ops = usage.filter((u) => u.object_id === callId || u.object_type === 'CHAT_SESSION').map((u) => u.operation);
      for (const op of ['TRANSCRIPTION', 'CHAT', 'SPEECH']) assert.ok(ops.includes(op), `${op} in ${ops.join()}`);
    });

    it('process_call refuses another organization’s call before any provider is paid', async () => {
      const callId = (await ok(s, CREATE_CALL, { input: { callerNumber: '+7 495 765 4321' } }, admin.token)).createCall.id as string;
      const before = provider.calls.all.length;
      const refused = await upload(s, org.token, '/process_call', 'audio', toneWav(1), 'call.wav', { call_id: callId });
      assert.equal(refused.status, 404, JSON.stringify(refused.body));
      assert.equal(provider.calls.all.length, before);
      const badId = await upload(s, org.token, '/process_call', 'audio', toneWav(1), 'call.wav', { call_id: 'not-a-uuid' });
      assert.equal(badId.status, 422);
    });
  });

  it('/health reports tts, stt and llm from real checks beside the subgraphs', async () => {
    const health = await rest(s.url, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.services.tts, 'running', 'espeak-ng is installed');
    assert.equal(health.body.services.stt, 'unavailable', 'no provider is configured for the deployment');
    assert.equal(health.body.services.llm, 'running', 'the offline provider answers');
    assert.equal(health.body.services.ai, 'running');
    assert.equal(health.body.llm_backend, 'local');
  });
});
