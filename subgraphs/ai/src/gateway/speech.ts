import {
  ANONYMOUS,
  WRITERS,
  executeOperation,
  type HttpRoute,
  type HttpRouteRequest,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import {
  GatewaySpeechAudioDocument,
  GatewaySpeechHealthDocument,
  GatewaySynthesizeSpeechDocument,
  GatewayVoicesDocument,
} from '../generated/ai.js';
import { failureOf, problem } from './streams.js';

/** A JSON object body, or the problem with it (seed 004 validates with 422). */
function jsonObject(body: string): Record<string, unknown> | HttpRouteResponse {
  let json: unknown;
  try {
    json = JSON.parse(body || 'null');
  } catch {
    return problem(400, 'Malformed JSON in request body');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return problem(422, 'The body must be a JSON object');
  return json as Record<string, unknown>;
}

const optionalString = (value: unknown) => value === undefined || value === null || typeof value === 'string';

/** Speaks `text` and answers the WAV, saying which engine spoke it and whether it came from the cache. */
async function speak(
  request: HttpRouteRequest,
  client: SubgraphClient,
  input: { text: string; voice?: string; model?: string; speed?: number },
): Promise<HttpRouteResponse> {
  try {
    const { synthesizeSpeech: s } = await executeOperation(client, GatewaySynthesizeSpeechDocument, { input }, request.identity);
    return {
      status: 200,
      body: Buffer.from(s.base64, 'base64'),
      contentType: 'audio/wav',
      headers: {
        'x-tts-engine': s.engine,
        'x-tts-voice': s.voice,
        'x-tts-cache': s.cached ? 'hit' : 'miss',
        'x-audio-duration': String(s.durationSeconds),
        'cache-control': 'private, no-store',
      },
    };
  } catch (error) {
    return failureOf(error);
  }
}

/** OpenAI's `POST /v1/audio/speech`: `{model, input, voice, response_format?, speed?}` → WAV. */
async function openAiSpeech(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  const body = jsonObject(request.body);
  if ('status' in body && typeof body.status === 'number') return body as HttpRouteResponse;
  const r = body as Record<string, unknown>;
  if (typeof r.input !== 'string' || !r.input.trim()) return problem(422, '"input" must be non-empty text');
  if (!optionalString(r.voice) || !optionalString(r.model)) return problem(422, '"voice" and "model" must be strings');
  if (r.response_format !== undefined && r.response_format !== null && r.response_format !== 'wav')
    return problem(400, `Only "wav" audio is produced, not "${JSON.stringify(r.response_format).slice(0, 20)}"`);
  if (r.speed !== undefined && r.speed !== null && typeof r.speed !== 'number') return problem(422, '"speed" must be a number');
  return speak(request, client, {
    text: r.input,
    voice: (r.voice as string | undefined) ?? undefined,
    model: (r.model as string | undefined) ?? undefined,
    speed: (r.speed as number | undefined) ?? undefined,
  });
}

/** Seed 004's `POST /tts`: `{text, voice_id}` → WAV. */
async function tts(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  const body = jsonObject(request.body);
  if ('status' in body && typeof body.status === 'number') return body as HttpRouteResponse;
  const r = body as Record<string, unknown>;
  if (typeof r.text !== 'string' || !r.text.trim()) return problem(422, '"text" must be non-empty text');
  if (!optionalString(r.voice_id)) return problem(422, '"voice_id" must be a string');
  return speak(request, client, { text: r.text, voice: (r.voice_id as string | undefined) ?? undefined });
}

async function voices(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  try {
    const { voices: list } = await executeOperation(client, GatewayVoicesDocument, {}, request.identity);
    return {
      status: 200,
      body: { voices: list.map((v) => ({ id: v.voice, name: v.name, engine: v.engine, language: v.language, built_in: v.builtIn })) },
    };
  } catch (error) {
    return failureOf(error);
  }
}

/** A spoken reply of `process_call`, to the caller it answered, while its link holds. */
async function replyAudio(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  try {
    const { speechAudio } = await executeOperation(client, GatewaySpeechAudioDocument, { id: request.params.file ?? '' }, request.identity);
    return {
      status: 200,
      body: Buffer.from(speechAudio.base64, 'base64'),
      contentType: 'audio/wav',
      headers: { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' },
    };
  } catch (error) {
    return failureOf(error);
  }
}

const TAG = 'Speech';
const wav = { description: 'WAV audio (RIFF, 16-bit PCM)', contentType: 'audio/wav' };
const refusals = {
  401: 'No or refused credentials',
  422: 'Invalid body',
  503: 'No speech engine is available (the detail says what to configure)',
};

/**
 * Seed 004's speech doors: `POST /tts` and OpenAI's `POST /v1/audio/speech` (WAV, through the caller's provider
 * or espeak-ng), `GET /v1/voices` (presets and engine voices), and `GET /audio/<id>.wav`, the spoken reply of a
 * `process_call` for the caller it answered. `/stt` and `/process_call` take files and are REST routes.
 */
export const speechRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/v1/voices',
    authenticated: true,
    handle: voices,
    docs: {
      tag: TAG,
      summary: 'Voices: presets (anna_ru, marina_ru, yours) and every espeak-ng voice',
      responses: { 200: '{voices: [{id, name}]}', 401: refusals[401] },
    },
  },
  {
    method: 'post',
    path: '/v1/audio/speech',
    authenticated: true,
    roles: WRITERS,
    maxBodyBytes: 64 * 1024,
    handle: openAiSpeech,
    docs: {
      tag: TAG,
      summary: 'Text to speech in OpenAI’s shape; WAV only (response_format "wav" or none)',
      body: {
        type: 'object',
        required: ['input'],
        properties: {
          model: { type: 'string', example: 'tts-1', description: 'espeak-ng for the offline engine' },
          input: { type: 'string', maxLength: 4096, example: 'Привет, это Анна' },
          voice: { type: 'string', example: 'anna_ru' },
          response_format: { type: 'string', enum: ['wav'] },
          speed: { type: 'number', minimum: 0.25, maximum: 4 },
        },
      },
      responses: { 200: wav, 400: 'A format other than wav', ...refusals },
    },
  },
  {
    method: 'post',
    path: '/tts',
    authenticated: true,
    roles: WRITERS,
    maxBodyBytes: 64 * 1024,
    handle: tts,
    docs: {
      tag: TAG,
      summary: 'Text to speech (seed 004): WAV',
      body: {
        type: 'object',
        required: ['text'],
        properties: {
          text: { type: 'string', maxLength: 4096, example: 'Привет, это Анна' },
          voice_id: { type: 'string', example: 'anna_ru' },
        },
      },
      responses: { 200: wav, ...refusals },
    },
  },
  {
    method: 'get',
    path: '/audio/:file',
    authenticated: true,
    handle: replyAudio,
    docs: {
      tag: TAG,
      summary: 'The spoken reply of a process_call (its audio_url), to the caller it answered, for 15 minutes',
      responses: { 200: wav, 401: refusals[401], 404: 'Not yours, expired, or never existed' },
    },
  },
];

/** What `/health` reports of speech and language engines (seed 004 `services.tts|stt|llm`). */
export async function speechHealth(client: SubgraphClient): Promise<Record<string, string>> {
  const { speechHealth: h } = await executeOperation(client, GatewaySpeechHealthDocument, {}, ANONYMOUS);
  return { tts: h.tts, stt: h.stt, llm: h.llm };
}
