import type { ExecutionResult } from 'graphql';
import { BoundedQueue, type BoundedQueueOptions } from './bounded-queue.js';

/**
 * One client subscription: a pump reads the upstream events into a bounded queue as fast as they come
 * (so a slow client never backs up the subgraph), and each `next()` hydrates one queued event, in order.
 * `transform` returns null to skip an event (e.g. not visible to this subscriber).
 *
 * A hand-written async generator rather than `async function*`: `return()` must end the stream at once
 * even while waiting for an event (graphql-ws calls it when the client completes or the socket closes).
 */
export class SubscriptionStream<E> implements AsyncGenerator<ExecutionResult, undefined, unknown> {
  readonly queue: BoundedQueue<E>;
  private upstream?: AsyncIterator<E>;
  private stopped = false;

  constructor(
    source: AsyncIterable<E>,
    private readonly transform: (event: E) => Promise<ExecutionResult | null>,
    queue: BoundedQueueOptions<E>,
    private readonly onStop?: () => void,
  ) {
    this.queue = new BoundedQueue(queue);
    this.upstream = source[Symbol.asyncIterator]();
    void this.pump(this.upstream);
  }

  private async pump(upstream: AsyncIterator<E>): Promise<void> {
    // Each pump serves one upstream; once `switchSource` replaced it, whatever it still yields is dropped.
    const current = () => this.upstream === upstream;
    try {
      for (;;) {
        const next = await upstream.next();
        if (next.done || this.stopped || !current()) break;
        this.queue.push(next.value);
      }
      if (current()) this.queue.end();
    } catch (error) {
      // The subgraph went away: end the client's subscription with an error so it resubscribes and refetches.
      if (current()) this.queue.end(error ?? new Error('upstream subscription failed'));
    }
  }

  /**
   * Goes on from another upstream (the subscriber's role changed): the old one is closed, events it had
   * queued are dropped (they were filtered for the old role), and the stream stays open for the client.
   */
  switchSource(source: AsyncIterable<E>): void {
    if (this.stopped) return;
    const previous = this.upstream;
    this.upstream = source[Symbol.asyncIterator]();
    this.queue.discard();
    previous?.return?.()?.catch(() => {});
    void this.pump(this.upstream);
  }

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    while (!this.stopped) {
      const event = await this.queue.take();
      if (event.done) break;
      const result = await this.transform(event.value);
      if (this.stopped) break;
      if (result) return { value: result, done: false };
    }
    this.stop();
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.stop();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.stop();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.clear();
    this.onStop?.();
    const upstream = this.upstream;
    this.upstream = undefined;
    // Not awaited: an upstream generator may only settle on its next event.
    upstream?.return?.()?.catch(() => {});
  }
}
