import {
  WRITERS,
  executeOperation,
  subscribeOperation,
  type HttpRoute,
  type HttpRouteRequest,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import {
  GatewayAiModelsDocument,
  GatewayChatCompletionDocument,
  GatewayChatCompletionStreamDocument,
  type ChatCompletionInput,
  type ChatRole,
} from '../generated/ai.js';
import type { ChatStreamEvent } from '../services/chat.js';
import { DONE, problem, failureOf, frame, firstEventOr, type Problem } from './streams.js';

/** The OpenAI request's roles we take; `developer` is OpenAI's newer name for `system`. */
const ROLES: Record<string, ChatRole> = { system: 'SYSTEM', developer: 'SYSTEM', user: 'USER', assistant: 'ASSISTANT' };
const MAX_MESSAGES = 200;

interface CompletionRequest {
  input: ChatCompletionInput;
  stream: boolean;
  includeUsage: boolean;
}

/** Reads an OpenAI chat completion request, or says (422, seed 004's validation status) what is wrong with it. */
export function readCompletionRequest(body: string): CompletionRequest | Problem {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return problem(400, 'Malformed JSON in request body');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return problem(422, 'The body must be a JSON object');
  const r = json as Record<string, unknown>;
  if (r.model !== undefined && r.model !== null && (typeof r.model !== 'string' || !r.model))
    return problem(422, '"model" must be a string');
  if (!Array.isArray(r.messages) || r.messages.length === 0) return problem(422, '"messages" must be a non-empty array');
  if (r.messages.length > MAX_MESSAGES) return problem(422, `"messages" holds at most ${MAX_MESSAGES} messages`);
  const messages: ChatCompletionInput['messages'] = [];
  for (const [i, m] of (r.messages as unknown[]).entries()) {
    const message = (m ?? {}) as Record<string, unknown>;
    const role = typeof message.role === 'string' ? ROLES[message.role] : undefined;
    if (!role) return problem(422, `messages[${i}].role must be system, developer, user or assistant`);
    const content = textOf(message.content);
    if (content === undefined) return problem(422, `messages[${i}].content must be text (a string, or text parts)`);
    messages.push({ role, content });
  }
  const maxTokens = r.max_completion_tokens ?? r.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1))
    return problem(422, '"max_tokens" must be a positive integer');
  if (r.temperature !== undefined && r.temperature !== null && typeof r.temperature !== 'number')
    return problem(422, '"temperature" must be a number');
  if (r.stream !== undefined && r.stream !== null && typeof r.stream !== 'boolean') return problem(422, '"stream" must be true or false');
  const options = (r.stream_options ?? {}) as Record<string, unknown>;
  return {
    input: {
      model: r.model ?? null,
      messages,
      maxTokens: (maxTokens as number | undefined) ?? null,
      temperature: r.temperature ?? null,
      persona: typeof r.persona === 'string' ? r.persona : null,
    },
    stream: r.stream === true,
    includeUsage: options.include_usage === true,
  };
}

/** A message's text: a string, or the text of its `{type: "text", text}` parts; undefined for anything else. */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content as unknown[]) {
    const p = (part ?? {}) as Record<string, unknown>;
    if (p.type !== 'text' || typeof p.text !== 'string') return undefined;
    texts.push(p.text);
  }
  return texts.join('\n');
}

const seconds = (date: Date | string) => Math.floor(new Date(date).getTime() / 1000);

async function models(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  try {
    const { aiModels } = await executeOperation(client, GatewayAiModelsDocument, {}, request.identity);
    return {
      status: 200,
      body: {
        object: 'list',
        data: aiModels.map((m) => ({
          id: m.name,
          object: 'model',
          created: seconds(m.created),
          owned_by: m.provider === 'local' ? 'system' : m.provider,
        })),
      },
    };
  } catch (error) {
    return failureOf(error);
  }
}

async function completions(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  const read = readCompletionRequest(request.body);
  if ('status' in read) return read;
  if (!read.stream) {
    try {
      const { createChatCompletion: c } = await executeOperation(
        client,
        GatewayChatCompletionDocument,
        { input: read.input },
        request.identity,
      );
      return {
        status: 200,
        body: {
          id: c.id,
          object: 'chat.completion',
          created: seconds(c.created),
          model: c.model,
          provider: c.provider,
          system_fingerprint: null,
          choices: [{ index: 0, message: { role: 'assistant', content: c.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: c.promptTokens,
            completion_tokens: c.completionTokens,
            total_tokens: c.promptTokens + c.completionTokens,
          },
        },
      };
    } catch (error) {
      return failureOf(error);
    }
  }
  // The scalar's shape is the subgraph's own ChatStreamEvent (codegen types custom scalars as unknown).
  const events = subscribeOperation(client, GatewayChatCompletionStreamDocument, { input: read.input }, request.identity) as AsyncIterable<{
    chatCompletionStream: ChatStreamEvent;
  }>;
  return firstEventOr(
    events,
    request.signal,
    (first, rest) => completionChunks(first, rest, read),
    ({ message, status }) => streamError(message, status) + DONE,
  );
}

/** An error mid-stream (the status is sent already): OpenAI's clients read an event with `error` and throw it. */
const streamError = (message: string, status: number) => frame({ error: { message, type: 'stream_error', code: status } });

/** OpenAI's stream: a role chunk, content chunks, a finishing chunk, the usage chunk when asked, `[DONE]`. */
async function* completionChunks(
  first: { chatCompletionStream: ChatStreamEvent },
  rest: AsyncIterable<{ chatCompletionStream: ChatStreamEvent }>,
  { input, includeUsage }: CompletionRequest,
): AsyncGenerator<string> {
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = input.model ?? 'default';
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    frame({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  yield chunk({ role: 'assistant', content: '' }, null);
  try {
    for await (const { chatCompletionStream: event } of prepend(first, rest)) {
      if ('delta' in event) yield chunk({ content: event.delta }, null);
      else {
        yield chunk({}, 'stop', { provider: event.provider });
        if (includeUsage)
          yield frame({
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            system_fingerprint: null,
            choices: [],
            usage: {
              prompt_tokens: event.promptTokens,
              completion_tokens: event.completionTokens,
              total_tokens: event.promptTokens + event.completionTokens,
            },
          });
      }
    }
  } catch (error) {
    const { status, body } = failureOf(error);
    yield streamError(body.detail, status);
  }
  yield DONE;
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  yield* rest;
}

/**
 * Seed 004's OpenAI-compatible door, for OpenWebUI and any client of OpenAI's API: `GET /v1/models` (each
 * backend's models and every `{persona}-secretary-{backend}`) and `POST /v1/chat/completions`, whole or
 * streamed (`stream: true`, Server-Sent Events in OpenAI's chunk shape). The caller is admitted as on every
 * door; a client that goes away stops the provider's work.
 */
const TAG = 'OpenAI-compatible API';

export const openAiRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/v1/models',
    authenticated: true,
    handle: models,
    docs: {
      tag: TAG,
      summary: 'Models you may use, in OpenAI’s list shape: each backend’s, and {persona}-secretary-{backend} (seed 004)',
      responses: { 200: '{object: "list", data: [{id, object: "model", created, owned_by}]}', 401: 'No or refused credentials' },
    },
  },
  {
    method: 'post',
    path: '/v1/chat/completions',
    authenticated: true,
    roles: WRITERS,
    maxBodyBytes: 4 * 1024 * 1024,
    handle: completions,
    docs: {
      tag: TAG,
      summary: 'A chat completion in OpenAI’s shapes; with stream: true, Server-Sent Events of chat.completion.chunk up to data: [DONE]',
      description:
        'Point OpenWebUI or any OpenAI client here with an access token or API key as its key. `model` is a model or persona model id ' +
        '(GET /v1/models); `persona` (an extension) leads with a persona’s prompt. The answer says what produced it (`provider`: local, ' +
        'openai or a provider’s slug). Errors carry seed 004’s {detail} and OpenAI’s {error}.',
      body: {
        type: 'object',
        required: ['messages'],
        properties: {
          model: { type: 'string', example: 'anna-secretary-local' },
          messages: {
            type: 'array',
            maxItems: 200,
            items: {
              type: 'object',
              properties: { role: { enum: ['system', 'developer', 'user', 'assistant'] }, content: { type: 'string' } },
            },
          },
          stream: { type: 'boolean' },
          stream_options: { type: 'object', properties: { include_usage: { type: 'boolean' } } },
          max_tokens: { type: 'integer', minimum: 1 },
          temperature: { type: 'number', minimum: 0, maximum: 2 },
          persona: { type: 'string' },
        },
      },
      responses: {
        200: {
          description: 'chat.completion (JSON), or chat.completion.chunk events when stream is true',
          contentType: 'text/event-stream',
        },
        400: 'Malformed JSON or an unknown model',
        401: 'No or refused credentials',
        402: 'An AI budget is spent',
        403: 'A guest (read only)',
        422: 'Invalid request',
        429: 'Rate limited (ours or the provider’s)',
        503: 'The provider failed, stalled or refused its key',
      },
    },
  },
];
