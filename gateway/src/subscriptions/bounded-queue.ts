export interface BoundedQueueOptions<T> {
  /** Items kept at most; when full, the oldest is dropped. */
  capacity: number;
  /** Items with the same key replace each other in place (the newer wins): coalescing. */
  keyOf?: (item: T) => string | undefined;
}

/**
 * A FIFO between a producer that must never block (an upstream subscription) and a consumer that may be
 * slow (hydration, then a client's socket). Memory stays bounded whatever the consumer does: past
 * `capacity` the oldest item is dropped, and items with the same key coalesce.
 */
export class BoundedQueue<T> {
  private items: { key?: string; item: T }[] = [];
  private waiter?: { resolve: (result: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void };
  private ended = false;
  private failure?: { error: unknown };
  /** Items dropped because the queue was full. */
  dropped = 0;
  /** Items that replaced a queued item with the same key. */
  coalesced = 0;

  constructor(private readonly options: BoundedQueueOptions<T>) {
    if (!(options.capacity >= 1)) throw new Error('capacity must be at least 1');
  }

  get size(): number {
    return this.items.length;
  }

  get capacity(): number {
    return this.options.capacity;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    const key = this.options.keyOf?.(item);
    if (key !== undefined) {
      const queued = this.items.find((entry) => entry.key === key);
      if (queued) {
        queued.item = item;
        this.coalesced++;
        return;
      }
    }
    if (this.items.length >= this.options.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push({ key, item });
  }

  /** The next item; once ended, queued items still come out first, then `done` (or the ending error). */
  take(): Promise<IteratorResult<T, undefined>> {
    const next = this.items.shift();
    if (next) return Promise.resolve({ value: next.item, done: false });
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new Error('BoundedQueue supports one consumer'));
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** No more items will come; with `error`, the consumer gets it after the queued items. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    const waiter = this.waiter;
    this.waiter = undefined;
    if (!waiter) return;
    if (error !== undefined) waiter.reject(error);
    else waiter.resolve({ value: undefined, done: true });
  }

  /** Forgets queued items and stays open (they no longer apply). */
  discard(): void {
    this.items = [];
  }

  /** Stops at once, forgetting queued items (the consumer went away). */
  clear(): void {
    this.items = [];
    this.end();
  }
}
