import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` rule: whether the hop at `address`, `i` hops from us, is a trusted proxy. */
export type TrustProxy = (address: string, i: number) => boolean;

/**
 * The client's address by the same rule Express applies to `req.ip`: walk `X-Forwarded-For` from the
 * nearest hop outwards while the hop is a trusted proxy. Used where Express does not run (WebSocket
 * upgrades), so per-IP limits see the same client on both doors.
 */
export function clientIpOf(request: IncomingMessage, trust: TrustProxy): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const hops = [socketAddress, ...forwarded.reverse()];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i]!, i)) return hops[i]!;
  }
  return hops.at(-1)!;
}
