import type { WebSocket } from 'ws';

export interface SlowSocketOptions {
  /** Bytes a socket may hold unsent. @default 4 MiB */
  maxBufferedBytes?: number;
  /** How long it may stay over that before it is dropped. @default 10_000 */
  graceMs?: number;
  /** @default 1_000 */
  checkEveryMs?: number;
}

/**
 * Terminates sockets whose unsent data (`bufferedAmount`) stays over a threshold: a client that stopped
 * reading. Each subscription has at most one message in flight, so this is the last line of defence.
 */
export function watchSlowSockets(
  clients: () => Iterable<WebSocket>,
  { maxBufferedBytes = 4 * 1024 * 1024, graceMs = 10_000, checkEveryMs = 1_000 }: SlowSocketOptions = {},
): () => void {
  const over = new WeakMap<WebSocket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of clients()) {
      if (socket.bufferedAmount <= maxBufferedBytes) {
        over.delete(socket);
        continue;
      }
      const since = over.get(socket) ?? now;
      over.set(socket, since);
      // A close frame would queue behind the backlog; the client is not reading anyway.
      if (now - since >= graceMs) socket.terminate();
    }
  }, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
