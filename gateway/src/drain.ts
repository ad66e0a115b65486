import type { RequestHandler, Response } from 'express';
import { ErrorCode } from '@salesgraph/platform';
import type { RestError } from './rest/route.js';

/** Seconds a client refused by a stopping gateway is told to wait: another replica answers meanwhile. */
export const RESTART_RETRY_AFTER_SECONDS = 1;

/** The answer to a request a stopping gateway will not serve, rendered by each door in its own shape. */
export const RESTARTING: RestError = {
  status: 503,
  code: ErrorCode.ServiceUnavailable,
  message: 'The server is restarting, retry the request',
  retryAfter: RESTART_RETRY_AFTER_SECONDS,
};

/** A Server-Sent Event stream under way: how to end it early, resolving once it has ended. */
type OpenStream = () => Promise<void>;

/**
 * The gateway's work under way, so that a stop waits for it before stopping what it uses (Apollo, the subgraphs,
 * the database). A closed socket does not end a request: a handler goes on after its client left, and an
 * operation it starts once Apollo stopped fails. So every door runs its work through `run`, and a stop waits
 * (`settle`) for the work itself, not only for the sockets.
 */
export class Drain {
  private stopping = false;
  /** Set by `settle`: from then on no work starts, each door answers RESTARTING instead. */
  private closed = false;
  private readonly running = new Set<Promise<unknown>>();
  private readonly streams = new Set<OpenStream>();

  /** True once the stop began: `/readyz` answers 503, requests arriving from now on are refused. */
  get draining(): boolean {
    return this.stopping;
  }

  begin(): void {
    this.stopping = true;
  }

  /**
   * The app's first handler: a request arriving once the stop began is marked so its door refuses it (in its own
   * shape, see `refuses`), and its connection is closed after the answer, so the client retries on another.
   */
  arrivals(): RequestHandler {
    return (_req, res, next) => {
      if (this.stopping) {
        res.locals.arrivedWhileDraining = true;
        res.setHeader('Connection', 'close');
      }
      next();
    };
  }

  /** Whether the door should answer `res` with RESTARTING: it arrived during the stop, or work can no longer start. */
  refuses(res: Response): boolean {
    return this.closed || res.locals.arrivedWhileDraining === true;
  }

  /**
   * Runs `work` and keeps track of it until it settles, so the stop waits for it; once the stop no longer waits,
   * `refused` answers instead and `work` never starts.
   */
  run<T>(work: () => Promise<T>, refused: () => T): Promise<T> {
    if (this.closed) return Promise.resolve(refused());
    const running = Promise.resolve().then(work);
    const tracked = running.finally(() => this.running.delete(tracked));
    // Its outcome is the caller's; the tracked copy only marks when it is over.
    tracked.catch(() => {});
    this.running.add(tracked);
    return running;
  }

  /** Registers an open event stream until it ends; `end` finishes it early when the drain bound passes. */
  stream(end: OpenStream): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  /** Ends every stream still open (a last event saying to retry, then the end), within `ms`. */
  async endStreams(ms: number): Promise<void> {
    const ending = [...this.streams].map((end) => end());
    this.streams.clear();
    if (!ending.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(ending), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /**
   * Waits until no work runs (work started meanwhile included) or `deadline` (epoch ms) passes, then lets no more
   * start. Whether everything finished in time.
   */
  async settle(deadline: number): Promise<boolean> {
    while (this.running.size && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now()))),
      ]);
      clearTimeout(timer);
    }
    this.closed = true;
    return this.running.size === 0;
  }
}
