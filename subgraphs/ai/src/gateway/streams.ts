import { ErrorCode, OperationError, httpStatusOf, type HttpRouteResponse, type StreamInterruption } from '@salesgraph/platform';

/** A refusal in seed 004's shape with OpenAI's beside it (its clients read `error.message`). */
export interface Problem extends HttpRouteResponse {
  status: number;
  body: { detail: string; error: { message: string; type: string; param: null; code: string } };
}

export function problem(
  status: number,
  message: string,
  code: string = status === 422 || status === 400 ? ErrorCode.BadUserInput : 'ERROR',
): Problem {
  return { status, body: { detail: message, error: { message, type: code.toLowerCase(), param: null, code } } };
}

/**
 * A subgraph's refusal as its status and message: an operation's error, or the error a subscription's stream
 * ended with (an in-process stream throws the subgraph's own `AppError`, coded). Anything else is a 503 that
 * reveals nothing.
 */
export function failureOf(error: unknown): Problem {
  const coded = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  const code = error instanceof OperationError ? (error.code ?? ErrorCode.Internal) : typeof coded === 'string' ? coded : undefined;
  if (code === undefined) return problem(503, 'The AI service is unavailable, retry later', ErrorCode.ServiceUnavailable);
  const status = httpStatusOf(code);
  return status === 500 ? problem(500, 'Unexpected error', ErrorCode.Internal) : problem(status, (error as Error).message, code);
}

/** One Server-Sent Event carrying `data` as JSON. */
export const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/** The last frame of every stream. */
export const DONE = 'data: [DONE]\n\n';

/**
 * Waits for a subscription's first event before answering: a refusal (unknown model, spent budget, provider
 * down) is then a plain error with its status; after it, the stream, which ends with `interrupted`'s frames when
 * the gateway ends it early (it is stopping). The subscription is stopped when the client goes away (or the
 * gateway ends the stream), at once even while it waits for the provider.
 */
export async function firstEventOr<E>(
  events: AsyncIterable<E>,
  signal: AbortSignal,
  stream: (first: E, rest: AsyncIterable<E>) => AsyncIterable<string>,
  interrupted: (reason: StreamInterruption) => string,
): Promise<HttpRouteResponse> {
  const iterator = events[Symbol.asyncIterator]();
  const stop = () => void iterator.return?.()?.catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  let first: IteratorResult<E>;
  try {
    first = await iterator.next();
  } catch (error) {
    signal.removeEventListener('abort', stop);
    return failureOf(error);
  }
  if (first.done) return problem(503, 'The AI service ended the stream without an answer', ErrorCode.ServiceUnavailable);
  const rest: AsyncIterable<E> = { [Symbol.asyncIterator]: () => iterator };
  return { status: 200, body: null, events: stream(first.value, rest), interrupted };
}
