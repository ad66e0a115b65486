import { BoundedQueue } from './bounded-queue.js';

/** Events one tap may hold before its subscription stream takes them (the stream drains at once). */
const TAP_CAPACITY = 100;

interface Entry<E> {
  taps: Set<BoundedQueue<E>>;
  upstream: AsyncIterator<E>;
}

/**
 * Shares one upstream subscription among the client subscriptions that would open the very same one
 * (same subgraph, document, variables and identity): a wallboard on 50 screens, or one user's tabs, cost
 * the subgraph one subscription, and each event is filtered there once, not once per screen.
 */
export class UpstreamHub<E> {
  private readonly entries = new Map<string, Entry<E>>();
  private openedCount = 0;

  /** Upstream subscriptions open now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Upstream subscriptions ever opened; it only grows, so a count taken before a change tells what it opened. */
  get opened(): number {
    return this.openedCount;
  }

  /** A tap on the upstream for `key`, opened with `open` if no tap has it open yet. */
  tap(key: string, open: () => AsyncIterable<E>): AsyncIterable<E> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { taps: new Set(), upstream: open()[Symbol.asyncIterator]() };
      this.entries.set(key, entry);
      this.openedCount++;
      void this.pump(key, entry);
    }
    const queue = new BoundedQueue<E>({ capacity: TAP_CAPACITY });
    entry.taps.add(queue);
    const current = entry;
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => queue.take(),
        return: async () => {
          this.release(key, current, queue);
          return { value: undefined, done: true };
        },
      }),
    };
  }

  private async pump(key: string, entry: Entry<E>): Promise<void> {
    try {
      for (;;) {
        const next = await entry.upstream.next();
        if (next.done) break;
        for (const tap of entry.taps) tap.push(next.value);
      }
      for (const tap of entry.taps) tap.end();
    } catch (error) {
      for (const tap of entry.taps) tap.end(error ?? new Error('upstream subscription failed'));
    } finally {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    }
  }

  private release(key: string, entry: Entry<E>, queue: BoundedQueue<E>): void {
    queue.clear();
    entry.taps.delete(queue);
    if (entry.taps.size > 0) return;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    // Not awaited: an upstream generator may only settle on its next event.
    entry.upstream.return?.()?.catch(() => {});
  }
}
