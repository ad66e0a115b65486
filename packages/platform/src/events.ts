import type { EntityManager } from '@mikro-orm/core';
import { AsyncResource } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { sqlOf } from './context.js';
import { currentRequest, inRequest, log, type RequestScope } from './logging.js';
import { metrics } from './metrics.js';
import type { Database } from './database.js';
import { inConsumerSpan, traceHeaders } from './tracing.js';

/** An event as it travels: its topic plus ids (a NOTIFY payload must stay under 8000 bytes). */
export interface BusEvent {
  topic: string;
  [field: string]: unknown;
}

/**
 * Where a NOTIFY payload carries when it was sent, for which request and in which trace (taken off before
 * subscribers see the event): the lag metric, handlers' log lines with the publisher's request id, and handlers'
 * spans in the publisher's trace.
 */
const TRACE = '_trace';
interface EventTrace {
  sentAt: number;
  requestId?: string;
  /** The publisher's W3C trace context (`traceparent`, `tracestate`), when it was traced. */
  context?: Record<string, string>;
}
const traceOf = (): EventTrace => {
  const context = traceHeaders();
  return { sentAt: Date.now(), requestId: currentRequest()?.requestId, ...(Object.keys(context).length && { context }) };
};
const busLog = log.child({ component: 'events' });

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/**
 * The fan-out's EventTarget, keeping account of its listeners: each is one subscription of this process,
 * added when the subscription starts reading, so a listener present is a subscription that gets every
 * event published from then on.
 */
class CountedTarget extends EventTarget {
  readonly listeners = new Map<string, Set<Listener>>();
  added = 0;

  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    super.addEventListener(...args);
    const [type, listener] = args;
    if (!listener) return;
    const listeners = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, listeners);
    if (listeners.has(listener)) return;
    listeners.add(listener);
    this.added++;
  }

  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    super.removeEventListener(...args);
    const [type, listener] = args;
    const listeners = this.listeners.get(type);
    if (listener && listeners?.delete(listener) && listeners.size === 0) this.listeners.delete(type);
  }
}

type Listener = Parameters<EventTarget['addEventListener']>[1];

/**
 * One subgraph's events. `publish` runs `pg_notify` in the writing transaction, so an event leaves only
 * when that transaction commits; `listen` receives them on the same database (a dedicated LISTEN
 * connection on a server, PGlite's own listener when embedded) and fans them out in memory to
 * subscriptions of this process. Delivery is at most once: clients refetch after a reconnect.
 */
export class EventBus {
  /** The in-memory fan-out type-graphql subscriptions read from (`buildSchema({ pubSub })`). */
  readonly pubSub: PubSub<Record<string, [BusEvent]>>;
  private readonly target = new CountedTarget();
  private readonly handlers = new Map<string, Set<(event: BusEvent, scope: RequestScope, context?: Record<string, string>) => void>>();

  constructor(readonly channel: string) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid channel name "${channel}"`);
    // Every open subscription is one listener on its topic: thousands are normal, not a leak.
    setMaxListeners(0, this.target);
    this.pubSub = createPubSub<Record<string, [BusEvent]>>({ eventTarget: this.target });
  }

  /**
   * Calls `handler` with each event of `topic` this process receives once `listen` runs (a service reacting to
   * events, not a subscription: it is not counted by `listening`); returns how to stop. The handler is called
   * synchronously with the delivery, so it hands longer work off; one that throws is logged, the others still run.
   * It runs in the async context it was registered in, never the publisher's: embedded, PGlite delivers a NOTIFY
   * inside the transaction that sent it, whose ORM context would otherwise leak into the handler's work. Only the
   * publisher's request id comes along, so the handler's log lines carry it, and its trace: each call is a span
   * (`event <topic>`, kind consumer) in the publisher's trace, or a new one when the publisher was not traced.
   */
  on(topic: string, handler: (event: BusEvent) => void): () => void {
    const handlers = this.handlers.get(topic) ?? new Set();
    this.handlers.set(topic, handlers);
    const registered = new AsyncResource('EventBus.on');
    const attributes = {
      'messaging.system': 'postgresql',
      'messaging.operation.type': 'process',
      'messaging.destination.name': this.channel,
      'salesgraph.event.topic': topic,
    };
    const bound = (event: BusEvent, scope: RequestScope, context?: Record<string, string>) =>
      registered.runInAsyncScope(() =>
        inRequest(scope, () =>
          inConsumerSpan(`event ${topic}`, context, { ...attributes, 'salesgraph.request_id': scope.requestId }, () => handler(event)),
        ),
      );
    handlers.add(bound);
    return () => {
      handlers.delete(bound);
      if (handlers.size === 0 && this.handlers.get(topic) === handlers) this.handlers.delete(topic);
    };
  }

  /** Subscriptions of this process listening now, on `topic` or on any (metrics, tests). */
  listening(topic?: string): number {
    if (topic !== undefined) return this.target.listeners.get(topic)?.size ?? 0;
    let count = 0;
    for (const listeners of this.target.listeners.values()) count += listeners.size;
    return count;
  }

  /**
   * Subscriptions that ever started listening here; it only grows. Read before subscribing, it tells when
   * that subscription is live (it grew): a wait on the subscription itself, unaffected by others ending.
   */
  get started(): number {
    return this.target.added;
  }

  async publish(em: EntityManager, topic: string, payload: Record<string, unknown> = {}): Promise<void> {
    await sqlOf(em).execute('select pg_notify(?, ?)', [this.channel, JSON.stringify({ ...payload, topic, [TRACE]: traceOf() })]);
  }

  /** Several events of one topic in one statement (a bulk write's), delivered in order. */
  async publishMany(em: EntityManager, topic: string, payloads: Record<string, unknown>[]): Promise<void> {
    if (payloads.length === 0) return;
    if (payloads.length === 1) return this.publish(em, topic, payloads[0]);
    const trace = traceOf();
    const texts = payloads.map((payload) => JSON.stringify({ ...payload, topic, [TRACE]: trace }));
    // A JSON array: the query builder would spread a JS array into separate parameters.
    const sql =
      'select count(pg_notify(?, t.p)) from (select t.p from json_array_elements_text(?::json) with ordinality as t(p, n) order by t.n) t';
    await sqlOf(em).execute(sql, [this.channel, JSON.stringify(texts)]);
  }

  /** Starts receiving; returns how to stop. */
  async listen(db: Database): Promise<() => Promise<void>> {
    if (db.kind === 'pglite') return db.pglite.listen(this.channel, (raw) => this.deliver(raw));
    return this.listenOnServer(db.url);
  }

  private deliver(raw: string): void {
    let event: BusEvent;
    let trace: EventTrace | undefined;
    try {
      ({ [TRACE]: trace, ...event } = JSON.parse(raw) as BusEvent & { [TRACE]?: EventTrace });
    } catch {
      return;
    }
    if (typeof event.topic !== 'string') return;
    if (typeof trace?.sentAt === 'number')
      metrics.eventLag.observe({ channel: this.channel }, Math.max(0, Date.now() - trace.sentAt) / 1000);
    this.pubSub.publish(event.topic, event);
    const handlers = this.handlers.get(event.topic);
    if (!handlers?.size) return;
    // Handlers log and call on as part of the request that published the event.
    const scope = { requestId: trace?.requestId ?? randomUUID() };
    for (const handler of handlers) {
      try {
        handler(event, scope, trace?.context);
      } catch (error) {
        busLog.error({ channel: this.channel, topic: event.topic, reason: (error as Error).message }, 'event handler failed');
      }
    }
  }

  /** A dedicated connection (never the ORM's pool), re-established with backoff and re-LISTENed. */
  private async listenOnServer(url: string): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let closed = false;
    let delay = RECONNECT_MIN_MS;
    let retry: NodeJS.Timeout | undefined;

    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: url });
      next.on('notification', (n) => n.channel === this.channel && n.payload && this.deliver(n.payload));
      next.on('error', () => reconnect(next));
      next.on('end', () => reconnect(next));
      await next.connect();
      await next.query(`LISTEN "${this.channel}"`);
      client = next;
      delay = RECONNECT_MIN_MS;
    };
    const reconnect = (failed: pg.Client) => {
      if (closed || client !== failed) return;
      client = undefined;
      failed.end().catch(() => {});
      schedule();
    };
    const schedule = () => {
      if (closed || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        connect().catch((error: Error) => {
          busLog.error({ channel: this.channel, reason: error.message }, 'event listener could not reconnect');
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          schedule();
        });
      }, delay);
    };

    await connect();
    return async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    };
  }
}
