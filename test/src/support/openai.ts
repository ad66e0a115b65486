import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallLog } from './stand-in.js';

/** One request the stand-in received. `aborted` turns true when the client went away before the answer ended. */
export interface OpenAICall {
  method: string;
  /** The path with its query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, or undefined when there was none or it did not parse. */
  body: Record<string, unknown> | undefined;
  /** The text fields of a multipart body (transcriptions), and its file. */
  form?: { fields: Record<string, string>; file?: HeardFile };
  aborted: boolean;
}

/** A file a transcription request carried, as the stand-in received it. */
export interface HeardFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** A chat message as the stand-in reads it: the text parts of its content joined. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** What a scripted reply function gets. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export type ChatReply = string | ((request: ChatRequest) => string);

export interface OpenAIStandInOptions {
  /** Model ids `GET /v1/models` lists and chat completions accept (others get OpenAI's 404). */
  models?: string[];
  /** When set, every request needs `Authorization: Bearer <requiredKey>` (401 otherwise). */
  requiredKey?: string;
  reply?: ChatReply;
  chunkDelayMs?: number;
  /** Pause before a plain (unstreamed) completion is answered: a provider that takes its time. */
  replyDelayMs?: number;
  /** Whether it offers `/v1/audio/speech` (a provider without it answers 404, as OpenAI does for an unknown URL). */
  speaks?: boolean;
  /** The text `/v1/audio/transcriptions` answers, or a function of the file. */
  transcript?: string | ((file: HeardFile) => string);
}

export interface FailureOptions {
  /** How many requests in a row get it (1). */
  times?: number;
  /** Sent as the `retry-after-ms` header. */
  retryAfterMs?: number;
  /** The JSON body instead of OpenAI's error body for the status. */
  body?: unknown;
  /** The error message in OpenAI's error body. */
  message?: string;
}

interface Failure {
  status: number;
  retryAfterMs?: number;
  body: unknown;
}

interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** `n` words (`w1 w2 … wn`): as a reply, a stream of `n` content chunks. */
export function words(n: number): string {
  return Array.from({ length: n }, (_, i) => `w${i + 1}`).join(' ');
}

/** The chunks a reply streams in: one word each, with the whitespace before it, so they join back to the text. */
export function chunksOf(text: string): string[] {
  return text.split(/(?<=\S)(?=\s)/).filter((chunk) => chunk !== '');
}

/**
 * A stand-in OpenAI-compatible API on loopback (`url` ends in `/v1`, as the SDK's baseURL): `GET /v1/models`,
 * `GET /v1/models/<id>` and `POST /v1/chat/completions`, plain or streamed (server-sent events), in OpenAI's
 * shapes and error bodies. The reply is scripted (`reply`), by default `Echo: <last user message>`. Every
 * request is recorded in `calls`, with `aborted` set when the client disconnected before the answer ended.
 * On demand it fails (`failNext`), never answers (`stallNext`) or breaks a stream midway (`breakStreamAfter`).
 */
export class OpenAIStandIn {
  /** Every request received, in order. */
  readonly calls = new CallLog<OpenAICall>();
  models: string[];
  requiredKey: string | undefined;
  /** The assistant's answer: a text, or a function of the request. */
  reply: ChatReply;
  /** Pause between two streamed content chunks. */
  chunkDelayMs: number;
  replyDelayMs: number;
  speaks: boolean;
  transcript: string | ((file: HeardFile) => string);

  private readonly server: Server;
  private port = 0;
  private failures: Failure[] = [];
  private stalls = 0;
  private breaks: number[] = [];
  private readonly stalled = new Set<ServerResponse>();
  private nextId = 1;

  private constructor(options: OpenAIStandInOptions) {
    this.models = options.models ?? ['gpt-4o-mini', 'gpt-4o'];
    this.requiredKey = options.requiredKey;
    this.reply = options.reply ?? echo;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.replyDelayMs = options.replyDelayMs ?? 0;
    this.speaks = options.speaks ?? false;
    this.transcript = options.transcript ?? 'Привет, это Анна';
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => void this.receive(request, response, Buffer.concat(chunks)));
    });
  }

  static async start(options: OpenAIStandInOptions = {}): Promise<OpenAIStandIn> {
    const standIn = new OpenAIStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** `http://127.0.0.1:<port>/v1`: the SDK's baseURL (`OPENAI_BASE_URL`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The next `times` requests (1) get `status` with OpenAI's error body for it (or `body`). */
  failNext(status: number, { times = 1, retryAfterMs, body, message }: FailureOptions = {}): void {
    const failure = { status, retryAfterMs, body: body ?? { error: errorFor(status, message) } };
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /** The next `times` requests (1) are read and never answered, until the client gives up or `close()`. */
  stallNext({ times = 1 }: { times?: number } = {}): void {
    this.stalls += times;
  }

  /** The next streamed completion ends after `chunks` content chunks with an error event instead of its end. */
  breakStreamAfter(chunks: number): void {
    this.breaks.push(chunks);
  }

  /** The first call (received from now on or earlier) that `match` accepts, within `timeoutMs`. */
  waitFor(match: (call: OpenAICall) => boolean, timeoutMs = 10_000): Promise<OpenAICall> {
    return this.calls.waitFor(match, timeoutMs);
  }

  /** The first call the client abandoned (matching `match`, if given), within `timeoutMs`. */
  waitForAbort(match: (call: OpenAICall) => boolean = () => true, timeoutMs = 10_000): Promise<OpenAICall> {
    return this.calls.waitFor((call) => call.aborted && match(call), timeoutMs);
  }

  /** Forgets pending failures, stalls and breaks and the calls received; the reply, models and key stay. */
  reset(): void {
    this.clearModes();
    this.calls.clear();
  }

  /** Stops listening and ends every connection, stalled ones included (`calls` stays readable). */
  close(): Promise<void> {
    this.clearModes();
    for (const response of this.stalled) response.socket?.destroy();
    this.stalled.clear();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private clearModes(): void {
    this.failures = [];
    this.stalls = 0;
    this.breaks = [];
  }

  private async receive(request: IncomingMessage, response: ServerResponse, bytes: Buffer): Promise<void> {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const raw = bytes.toString('utf8');
    const body = parseObject(raw);
    const form = request.headers['content-type']?.startsWith('multipart/form-data') ? await formOf(request, bytes) : undefined;
    const call: OpenAICall = { method, path, headers: request.headers, body, form, aborted: false };
    response.on('close', () => {
      this.stalled.delete(response);
      if (response.writableFinished) return;
      call.aborted = true;
      this.calls.changed();
    });
    this.calls.add(call);

    if (this.requiredKey !== undefined && request.headers.authorization !== `Bearer ${this.requiredKey}`) {
      return sendError(response, 401, errorFor(401));
    }
    const failure = this.failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(failure.retryAfterMs) };
      return sendJson(response, failure.status, failure.body, headers);
    }
    if (this.stalls > 0) {
      this.stalls--;
      this.stalled.add(response);
      return;
    }

    const route = path.split('?')[0];
    if (method === 'GET' && route === '/v1/models') {
      return sendJson(response, 200, { object: 'list', data: this.models.map(model) });
    }
    const modelId = /^\/v1\/models\/([^/]+)$/.exec(route)?.[1];
    if (method === 'GET' && modelId !== undefined) {
      const id = decodeURIComponent(modelId);
      return this.models.includes(id) ? sendJson(response, 200, model(id)) : sendError(response, 404, modelNotFound(id));
    }
    if (method === 'POST' && route === '/v1/chat/completions') return this.complete(request, response, raw, body);
    if (method === 'POST' && route === '/v1/audio/speech' && this.speaks) return this.speak(response, body);
    if (method === 'POST' && route === '/v1/audio/transcriptions') return this.hear(response, form);
    sendError(response, 404, {
      message: `Invalid URL (${method} ${route})`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  }

  /** A tone as long as the text would take to say (60 ms a character), 16 kHz mono WAV. */
  private speak(response: ServerResponse, body: Record<string, unknown> | undefined): void {
    if (typeof body?.input !== 'string' || typeof body.voice !== 'string' || typeof body.model !== 'string') {
      return sendError(response, 400, {
        message: 'input, voice and model are required',
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    }
    if (body.response_format !== undefined && body.response_format !== 'wav') {
      return sendError(response, 400, { message: 'the stand-in speaks wav only', type: 'invalid_request_error', param: null, code: null });
    }
    const wav = toneWav(body.input.length * 0.06);
    response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length });
    response.end(wav);
  }

  private hear(response: ServerResponse, form: OpenAICall['form']): void {
    if (!form?.file || !form.fields.model) {
      return sendError(response, 400, { message: 'file and model are required', type: 'invalid_request_error', param: null, code: null });
    }
    const text = typeof this.transcript === 'function' ? this.transcript(form.file) : this.transcript;
    sendJson(response, 200, { text });
  }

  private async complete(
    request: IncomingMessage,
    response: ServerResponse,
    raw: string,
    body: Record<string, unknown> | undefined,
  ): Promise<void> {
    if (!body) {
      return sendError(response, 400, {
        message: raw
          ? 'We could not parse the JSON body of your request. (HINT: This likely means you aren\u2019t using your HTTP library correctly.)'
          : 'you must provide a model parameter',
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    }
    if (typeof body.model !== 'string' || !body.model) {
      return sendError(response, 400, {
        message: 'you must provide a model parameter',
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
    }
    const messages = messagesOf(body.messages);
    if (!messages?.length) {
      return sendError(response, 400, {
        message: messages ? "[] is too short - 'messages'" : "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: messages ? null : 'missing_required_parameter',
      });
    }
    if (!this.models.includes(body.model)) return sendError(response, 404, modelNotFound(body.model));

    const chat: ChatRequest = { model: body.model, messages, stream: body.stream === true, body, headers: request.headers };
    const text = typeof this.reply === 'function' ? this.reply(chat) : this.reply;
    const chunks = chunksOf(text);
    const promptTokens = messages.reduce((sum, message) => sum + wordCount(message.content), 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: chunks.length, total_tokens: promptTokens + chunks.length };
    const id = `chatcmpl-standin${this.nextId++}`;
    const created = Math.floor(Date.now() / 1000);

    if (!chat.stream) {
      if (this.replyDelayMs > 0) await sleep(this.replyDelayMs);
      if (response.destroyed) return;
      return sendJson(response, 200, {
        id,
        object: 'chat.completion',
        created,
        model: chat.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      });
    }
    const options = body.stream_options;
    const includeUsage = typeof options === 'object' && options !== null && (options as Record<string, unknown>).include_usage === true;
    void this.stream(response, { id, created, model: chat.model, chunks, usage, includeUsage, breakAfter: this.breaks.shift() });
  }

  private async stream(
    response: ServerResponse,
    job: { id: string; created: number; model: string; chunks: string[]; usage: object; includeUsage: boolean; breakAfter?: number },
  ): Promise<void> {
    const gone = () => response.destroyed || response.writableEnded;
    const chunk = (delta: object, finishReason: string | null) => ({
      id: job.id,
      object: 'chat.completion.chunk',
      created: job.created,
      model: job.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(job.includeUsage && { usage: null }),
    });
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    event(response, chunk({ role: 'assistant', content: '' }, null));
    for (const [i, content] of job.chunks.entries()) {
      if (i > 0 && this.chunkDelayMs > 0) await sleep(this.chunkDelayMs);
      if (gone()) return;
      if (job.breakAfter === i) return breakStream(response);
      event(response, chunk({ content }, null));
    }
    if (job.breakAfter !== undefined) return breakStream(response);
    event(response, chunk({}, 'stop'));
    if (job.includeUsage) {
      event(response, {
        id: job.id,
        object: 'chat.completion.chunk',
        created: job.created,
        model: job.model,
        choices: [],
        usage: job.usage,
      });
    }
    response.end('data: [DONE]\n\n');
  }
}

/** The default reply: `Echo: <the last user message>`. */
export const echo = ({ messages }: ChatRequest): string => {
  const last = messages.findLast((message) => message.role === 'user');
  return `Echo: ${last?.content ?? ''}`.trim();
};

const model = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'stand-in' });

const modelNotFound = (id: string): OpenAIError => ({
  message: `The model \`${id}\` does not exist or you do not have access to it.`,
  type: 'invalid_request_error',
  param: null,
  code: 'model_not_found',
});

function errorFor(status: number, message?: string): OpenAIError {
  const [type, code, text] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.']
      : status === 403
        ? ['invalid_request_error', 'unsupported_country_region_territory', 'Country, region, or territory not supported']
        : status === 404
          ? ['invalid_request_error', null, 'Not found']
          : status === 429
            ? ['requests', 'rate_limit_exceeded', 'Rate limit reached for requests']
            : status >= 500
              ? ['server_error', null, 'The server had an error while processing your request. Sorry about that!']
              : ['invalid_request_error', null, `Request failed with status ${status}`];
  return { message: message ?? text, type, param: null, code };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const sendError = (response: ServerResponse, status: number, error: OpenAIError) => sendJson(response, status, { error });

const event = (response: ServerResponse, data: object) => response.write(`data: ${JSON.stringify(data)}\n\n`);

function breakStream(response: ServerResponse): void {
  event(response, { error: { message: 'The stand-in broke the stream on purpose.', type: 'server_error', param: null, code: null } });
  response.end();
}

/** The fields and the file of a multipart body, read with the platform's own form parser. */
async function formOf(request: IncomingMessage, bytes: Buffer): Promise<OpenAICall['form']> {
  try {
    const data = await new Response(new Uint8Array(bytes), {
      headers: { 'content-type': request.headers['content-type'] ?? '' },
    }).formData();
    const fields: Record<string, string> = {};
    let file: HeardFile | undefined;
    for (const [name, value] of data.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    }
    return { fields, file };
  } catch {
    return undefined;
  }
}

/** `seconds` of a 440 Hz tone as 16-bit mono 16 kHz PCM WAV, written out field by field. */
export function toneWav(seconds: number): Buffer {
  const rate = 16_000;
  const samples = Math.max(1, Math.round(seconds * rate));
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  return wav;
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The messages with their text (string content, or the `text` of content parts), or undefined if not a list. */
function messagesOf(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((item: unknown) => {
    const message = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const content = message.content;
    const text =
      typeof content === 'string'
        ? content
        : Array.isArray(content)
          ? content
              .map((part: unknown) => (typeof part === 'object' && part !== null ? (part as Record<string, unknown>).text : undefined))
              .filter((part): part is string => typeof part === 'string')
              .join(' ')
          : '';
    return { role: typeof message.role === 'string' ? message.role : '', content: text };
  });
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;
