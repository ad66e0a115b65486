/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import { SeedProcessCallDocument, SeedTranscribeDocument } from '../generated/graphql.js';
import { route, type JsonSchema, type RestRoute } from './route.js';
import { isoTime, uuid } from './shapes.js';

/**
 * Seed 004's speech URLs that take a file: `/stt`, OpenAI's `/v1/audio/transcriptions` and `/process_call`.
 * The file is checked by its bytes in the ai subgraph (a WAV must decode); `/tts`, `/v1/audio/speech` and
 * `/v1/voices` answer audio or lists and are the ai subgraph's routes.
 */
const AUDIO = { maxFiles: 1, required: true };
const language: JsonSchema = {
  type: 'string',
  description: 'The language spoken (ISO 639-1: ru, en), a hint for the provider',
  example: 'ru',
};
const transcription: JsonSchema = {
  type: 'object',
  properties: {
    text: { type: 'string', example: 'Привет, это Анна' },
    provider: { type: 'string', description: 'The provider that transcribed it' },
    model: { type: 'string', example: 'whisper-1' },
    duration: { type: 'number', nullable: true, description: 'Seconds of audio (WAV files)' },
  },
};

export const speechRoutes: RestRoute[] = [
  route({
    method: 'post',
    path: '/stt',
    summary: 'Speech to text through your provider (multipart `file`: WAV, MP3, OGG, FLAC, WebM or M4A)',
    operation: SeedTranscribeDocument,
    uploads: { field: 'file', ...AUDIO, description: 'The audio; its format is read from its bytes, not its name' },
    body: { type: 'object', properties: { language } },
    variables: ({ body, files }) => ({ audio: files[0], language: body.language ?? null }),
    respond: ({ transcribeSpeech: t }) => ({ text: t.text, provider: t.provider, model: t.model, duration: t.durationSeconds }),
    response: transcription,
    otherResponses: { 413: 'The file is over the upload limit', 415: 'Not audio', 503: 'No provider offers speech-to-text' },
  }),
  route({
    method: 'post',
    path: '/v1/audio/transcriptions',
    summary: 'Speech to text in OpenAI’s shape (multipart `file` and `model`)',
    operation: SeedTranscribeDocument,
    uploads: { field: 'file', ...AUDIO },
    body: {
      type: 'object',
      properties: { model: { type: 'string', example: 'whisper-1' }, language, response_format: { type: 'string', enum: ['json'] } },
    },
    variables: ({ body, files }) => ({ audio: files[0], model: body.model ?? null, language: body.language ?? null }),
    respond: ({ transcribeSpeech: t }) => ({ text: t.text }),
    response: { type: 'object', properties: { text: { type: 'string' } } },
    otherResponses: { 413: 'The file is over the upload limit', 415: 'Not audio', 503: 'No provider offers speech-to-text' },
  }),
  route({
    method: 'post',
    path: '/process_call',
    summary:
      'A caller’s audio (multipart `audio`) heard, answered by a persona and spoken; with call_id the exchange joins the call’s transcript',
    operation: SeedProcessCallDocument,
    uploads: { field: 'audio', ...AUDIO, description: 'What the caller said' },
    body: {
      type: 'object',
      properties: {
        persona: { type: 'string', example: 'anna', description: 'Default anna, in your latest conversation with it' },
        session_id: { ...uuid, description: 'A chat session of yours to continue instead' },
        call_id: { ...uuid, description: 'A call to append the transcription and the answer to' },
        analyze: { type: 'boolean', description: 'Analyse the call afterwards (with call_id)' },
        voice: { type: 'string', example: 'anna_ru', description: 'Default: the persona’s voice' },
        language,
      },
    },
    variables: ({ body, files }) => ({
      audio: files[0],
      input: {
        persona: body.persona,
        sessionId: body.session_id ?? null,
        callId: body.call_id ?? null,
        analyze: body.analyze,
        voice: body.voice,
        language: body.language,
      },
    }),
    respond: ({ processCall: p }) => ({
      transcription: p.transcription,
      response: p.response,
      audio_url: p.audioUrl,
      audio_expires_at: p.audioExpiresAt,
      session_id: p.sessionId,
      call_id: p.callId,
    }),
    response: {
      type: 'object',
      properties: {
        transcription: { type: 'string', example: 'Текст звонка' },
        response: { type: 'string', example: 'Ответ секретаря' },
        audio_url: { type: 'string', example: '/audio/3f0c…wav', description: 'The spoken answer (WAV), for you, until audio_expires_at' },
        audio_expires_at: isoTime,
        session_id: uuid,
        call_id: { ...uuid, nullable: true },
      },
    },
    otherResponses: {
      404: 'No such call or session of yours',
      413: 'The file is over the upload limit',
      415: 'Not audio',
      503: 'No provider offers speech-to-text',
    },
  }),
];
