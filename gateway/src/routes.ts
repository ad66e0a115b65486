import express, { type RequestHandler, type Response, type Router } from 'express';
import {
  ANONYMOUS,
  ErrorCode,
  log,
  megabytes,
  metrics,
  type HttpRoute,
  type HttpRouteResponse,
  type Identity,
  type StreamInterruption,
  type SubgraphClient,
} from '@salesgraph/platform';
import type { GatewayContext } from './context.js';
import { renderDetailError } from './doors.js';
import { CounterStore } from './counters.js';
import { markDoor } from './request-log.js';
import { RESTARTING, type Drain } from './drain.js';

const routeLog = log.child({ component: 'routes' });

/** A route a subgraph declared, with the client of that subgraph. */
export interface DeclaredRoute {
  route: HttpRoute;
  client: SubgraphClient;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Mounts the HTTP routes the subgraphs declared (webhooks). A route with a `limitKey` counts each request
 * against that key's budget of `perMinute` before any work, signed or not (in `counters`, shared by the
 * gateways on one store); its body reaches the handler as
 * raw text, since webhook signatures are computed over exactly those bytes. Its answer is JSON, text of
 * the content type it names (pages and scripts, such as the web chat widget's), or bytes (a file download).
 */
export function mountDeclaredRoutes(
  router: Router,
  declared: DeclaredRoute[],
  perMinute = 600,
  authenticate?: RequestHandler,
  counters = CounterStore.memory(),
  drain?: Drain,
): void {
  const budget = counters.budget('route', perMinute, 60);
  for (const { route, client } of declared) {
    const limit = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const parse = express.text({ type: () => true, limit });
    // A body over the limit (or one that cannot be read) is the client's mistake, said in the route's shape.
    const body: RequestHandler = (req, res, next) =>
      void parse(req, res, (error?: unknown) => {
        if (!error) return next();
        const tooLarge = (error as { type?: string }).type === 'entity.too.large';
        renderDetailError(
          res,
          tooLarge
            ? { status: 413, code: ErrorCode.PayloadTooLarge, message: `The body is larger than ${megabytes(limit)}` }
            : { status: 400, code: ErrorCode.BadUserInput, message: 'The body could not be read' },
        );
      });
    if (route.authenticated && !authenticate) throw new Error(`${route.path} needs authentication, and the gateway was given none`);
    const admit: RequestHandler[] = route.authenticated && authenticate ? [authenticate] : [];
    // Roles are checked before the body is read: a refused caller is refused as such, whatever it sends.
    const allow: RequestHandler = (_req, res, next) => {
      if (drain?.refuses(res)) return renderDetailError(res, RESTARTING);
      const identity: Identity = route.authenticated ? (res.locals.gatewayContext as GatewayContext).identity : ANONYMOUS;
      if (route.roles && identity.kind === 'anonymous')
        return renderDetailError(res, { status: 401, code: ErrorCode.Unauthenticated, message: 'Authentication required' });
      if (route.roles && !(identity.role && route.roles.includes(identity.role)))
        return renderDetailError(res, { status: 403, code: ErrorCode.Forbidden, message: 'You are not allowed to do this' });
      next();
    };
    const handle: RequestHandler = async (req, res) => {
      // Aborted once the client leaves before the answer is complete ('close' before the end was written).
      const aborted = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) aborted.abort();
      });
      const identity: Identity = route.authenticated ? (res.locals.gatewayContext as GatewayContext).identity : ANONYMOUS;
      const request = {
        params: req.params as Record<string, string>,
        query: firstValues(req.query),
        headers: req.headers,
        body: typeof req.body === 'string' ? req.body : '',
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        identity,
        signal: aborted.signal,
      };
      if (route.limitKey) {
        // The key stands where an address would: the budget follows the sender, not the address it posts from.
        const decision = await budget.take(`${route.path} ${route.limitKey(request)}`);
        if (!decision.allowed) {
          metrics.rateLimited.inc({ limit: 'webhook' });
          res.setHeader('Retry-After', String(decision.retryAfterSeconds));
          const detail = route.limitMessage?.(perMinute) ?? `At most ${perMinute} requests per minute`;
          return void res.status(429).json({ detail });
        }
      }
      try {
        const answer = await route.handle(request, client);
        for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
        if (answer.events) return void (await sendEvents(res, answer, aborted, drain));
        if (/\bframe-ancestors\b/i.test(answer.headers?.['Content-Security-Policy'] ?? '')) res.removeHeader('X-Frame-Options');
        if (Buffer.isBuffer(answer.body)) {
          res.status(answer.status);
          res.setHeader('Content-Type', answer.contentType ?? 'application/octet-stream');
          res.setHeader('Content-Length', String(answer.body.length));
          return void res.end(answer.body);
        }
        if (answer.contentType === undefined) return void res.status(answer.status).json(answer.body);
        res.status(answer.status).type(answer.contentType).send(String(answer.body));
      } catch (error) {
        routeLog.error({ route: route.path, reason: (error as Error).message }, 'declared route failed');
        res.status(503).json({ detail: 'Service unavailable, retry later' });
      }
    };
    // The handler calls its subgraph: a stop waits for it as for any work under way.
    const tracked: RequestHandler = drain
      ? (req, res, next) =>
          drain.run(
            async () => {
              await handle(req, res, next);
            },
            () => renderDetailError(res, RESTARTING),
          )
      : handle;
    router[route.method](route.path, markDoor('route'), ...admit, allow, body, tracked);
  }
}

/** How long a stream cut short at the drain bound may take to send its last frames before its connection is cut. */
export const STREAM_END_MS = 1_000;

/** The last event of a stream the gateway ends early, unless its route says otherwise: the routes' error shape. */
const interruptedEvent = ({ status, code, message }: StreamInterruption) =>
  `data: ${JSON.stringify({ detail: message, error: { message, type: code.toLowerCase(), param: null, code, status } })}\n\n`;

/**
 * Writes Server-Sent Events as they come, waiting for a slow client, until they end or the client leaves. A
 * stopping gateway ends a stream still open at its drain bound (`drain.endStreams`): the route's subscription is
 * stopped (its signal), a last event in the stream's error shape says to retry, and the response ends whole
 * instead of its connection being cut mid-frame.
 */
async function sendEvents(res: Response, answer: HttpRouteResponse, aborted: AbortController, drain?: Drain): Promise<void> {
  res.status(answer.status);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  // Proxies (nginx) would otherwise hold the pieces back.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const iterator = answer.events![Symbol.asyncIterator]();
  // Settles once the stream must end before its events do: the client left, or the gateway ends it.
  let stop!: () => void;
  const stopped = new Promise<'stopped'>((resolve) => (stop = () => resolve('stopped')));
  aborted.signal.addEventListener('abort', stop, { once: true });
  let cutShort = false;
  let ended!: () => void;
  const over = new Promise<void>((resolve) => (ended = resolve));
  const unregister = drain?.stream(async () => {
    cutShort = true;
    stop();
    await over;
  });
  try {
    for (;;) {
      const next = iterator.next();
      // A read still pending when the stream stops settles later, unread.
      next.catch(() => {});
      const result = await Promise.race([next, stopped]);
      if (result === 'stopped' || result.done) break;
      if (!res.write(result.value))
        await Promise.race([new Promise((resolve) => res.once('drain', resolve).once('close', resolve)), stopped]);
    }
  } catch (error) {
    routeLog.error({ reason: (error as Error).message }, 'an event stream failed');
  } finally {
    unregister?.();
  }
  if (cutShort) {
    // Stops the route's subscription upstream; what its producer still yields is not read.
    aborted.abort();
    void iterator.return?.()?.catch(() => {});
    if (!res.destroyed) res.write((answer.interrupted ?? interruptedEvent)(RESTARTING));
  }
  res.end();
  if (!res.writableFinished && !res.destroyed) await new Promise((resolve) => res.once('finish', resolve).once('close', resolve));
  ended();
}

/** Express's parsed query as plain strings: the first value of each parameter, nested forms skipped. */
function firstValues(query: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (typeof first === 'string') values[key] = first;
  }
  return values;
}
