const FEED_RETRY_MIN_MS = 250;
const FEED_RETRY_MAX_MS = 5_000;

/** What a subgraph's internal feed sends: `{ready: true}` first, once it listens, then notices. */
export interface FeedMessage {
  ready: boolean;
}

export interface FeedFollower<T extends FeedMessage> {
  /** Says what is lost when the feed fails, in its log line (`credential revocation feed`). */
  name: string;
  /** The feed listens from now on (its `ready` message, also after every reconnection). */
  onLive(): void;
  onNotice(notice: Exclude<T, { ready: true }>): void;
  /** The feed ended or failed: notices may be missed until the next `onLive`. */
  onLost(): void;
}

/**
 * Follows a subgraph's feed (a subscription read by the gateway itself), reconnecting with backoff until the
 * returned stop is called. Between a loss and the next `ready`, the follower must not trust what it cached.
 */
export function followFeed<T extends FeedMessage>(open: () => AsyncIterable<T>, follower: FeedFollower<T>): () => void {
  let stopped = false;
  let live = false;
  let current: AsyncIterator<T> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = FEED_RETRY_MIN_MS;
  const follow = async () => {
    try {
      const iterator = open()[Symbol.asyncIterator]();
      current = iterator;
      for (;;) {
        const next = await iterator.next();
        if (next.done || stopped) break;
        if (next.value.ready) {
          live = true;
          delay = FEED_RETRY_MIN_MS;
          follower.onLive();
          continue;
        }
        follower.onNotice(next.value as Exclude<T, { ready: true }>);
      }
    } catch (error) {
      if (!stopped && live) console.error(`${follower.name} lost:`, describe(error));
    }
    live = false;
    follower.onLost();
    if (stopped) return;
    retry = setTimeout(() => void follow(), delay);
    retry.unref();
    delay = Math.min(delay * 2, FEED_RETRY_MAX_MS);
  };
  void follow();
  return () => {
    stopped = true;
    clearTimeout(retry);
    void current?.return?.();
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: number; reason?: string };
  return close.code !== undefined ? `socket closed (${close.code}${close.reason ? ` ${close.reason}` : ''})` : String(error);
}
