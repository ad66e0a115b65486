import {
  WRITERS,
  subscribeOperation,
  type HttpRoute,
  type HttpRouteRequest,
  type HttpRouteResponse,
  type SubgraphClient,
} from '@salesgraph/platform';
import { GatewayChatMessageStreamDocument } from '../generated/ai.js';
import type { ChatStreamEvent } from '../services/chat.js';
import { DONE, failureOf, firstEventOr, frame, problem } from './streams.js';

const PERSONA = /^[a-z0-9_]{1,40}$/;
const MAX_MESSAGE = 20_000;

/** The message to send: from the query (`GET …?message=…&session_id=…&persona=…`) or a JSON body (POST). */
function readMessage(request: HttpRouteRequest): { sessionId: string | null; persona: string | null; content: string } | HttpRouteResponse {
  let fields: Record<string, unknown> = request.query;
  if (request.body) {
    try {
      fields = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return problem(400, 'Malformed JSON in request body');
    }
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return problem(422, 'The body must be a JSON object');
  }
  const { message, session_id: sessionId, persona } = fields;
  if (typeof message !== 'string' || !message.trim()) return problem(422, '"message" is required');
  if (message.length > MAX_MESSAGE) return problem(422, `"message" holds at most ${MAX_MESSAGE} characters`);
  if (sessionId !== undefined && sessionId !== null && typeof sessionId !== 'string') return problem(422, '"session_id" must be a string');
  if (persona !== undefined && persona !== null && (typeof persona !== 'string' || !PERSONA.test(persona)))
    return problem(422, '"persona" must be a persona code');
  return { sessionId: (sessionId as string | undefined) || null, persona: (persona as string | undefined) ?? null, content: message };
}

async function stream(request: HttpRouteRequest, client: SubgraphClient): Promise<HttpRouteResponse> {
  const read = readMessage(request);
  if (!('content' in read)) return read;
  // The scalar's shape is the subgraph's own ChatStreamEvent (codegen types custom scalars as unknown).
  const events = subscribeOperation(client, GatewayChatMessageStreamDocument, read, request.identity) as AsyncIterable<{
    chatMessageStream: ChatStreamEvent;
  }>;
  return firstEventOr(events, request.signal, chunks, ({ message }) => frame({ error: message }) + DONE);
}

/** Seed 004's frames: `{"message": chunk}` pieces, then what answered, then `[DONE]`. */
async function* chunks(first: { chatMessageStream: ChatStreamEvent }, rest: AsyncIterable<{ chatMessageStream: ChatStreamEvent }>) {
  try {
    for (const { chatMessageStream: event } of [first]) yield eventFrame(event);
    for await (const { chatMessageStream: event } of rest) yield eventFrame(event);
  } catch (error) {
    yield frame({ error: failureOf(error).body.detail });
  }
  yield DONE;
}

const eventFrame = (event: ChatStreamEvent) =>
  'delta' in event
    ? frame({ message: event.delta })
    : frame({
        done: true,
        message_id: event.id,
        provider: event.provider,
        model: event.model,
        prompt_tokens: event.promptTokens,
        completion_tokens: event.completionTokens,
      });

/**
 * Seed 004's `/admin/chat/stream`: a message to a session (or to your latest with the persona) answered as
 * Server-Sent Events; both messages are kept in the session. `GET` takes the query, `POST` a JSON body.
 */
const docs = (how: string) => ({
  tag: 'AI Secretary',
  summary: `Send a message to a chat session (or your latest with the persona) and stream the answer as Server-Sent Events (${how})`,
  description: 'Frames: data: {"message": chunk} …, then data: {"done": true, message_id, provider, model, …}, then data: [DONE].',
  responses: {
    200: { description: 'The answer, piece by piece', contentType: 'text/event-stream' },
    401: 'No or refused credentials',
    402: 'An AI budget is spent',
    404: 'No such session of yours',
    422: 'No message, or an invalid persona',
    503: 'The provider failed',
  },
});
const streamFields = [
  { name: 'message', in: 'query', required: true, schema: { type: 'string', maxLength: MAX_MESSAGE } },
  { name: 'session_id', in: 'query', schema: { type: 'string', format: 'uuid' } },
  { name: 'persona', in: 'query', schema: { type: 'string', example: 'anna' } },
];

export const chatStreamRoutes: HttpRoute[] = [
  {
    method: 'get',
    path: '/admin/chat/stream',
    authenticated: true,
    roles: WRITERS,
    handle: stream,
    docs: { ...docs('query parameters'), parameters: streamFields },
  },
  {
    method: 'post',
    path: '/admin/chat/stream',
    authenticated: true,
    roles: WRITERS,
    maxBodyBytes: 256 * 1024,
    handle: stream,
    docs: {
      ...docs('a JSON body'),
      body: {
        type: 'object',
        required: ['message'],
        properties: { message: { type: 'string' }, session_id: { type: 'string', format: 'uuid' }, persona: { type: 'string' } },
      },
    },
  },
];
