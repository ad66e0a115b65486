import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

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
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const hops = [socketAddress, ...forwarded.reverse()];
  for (let i = 0; i < hops.length - 1; i++) {
    if (!trust(hops[i], i)) return addressOr(hops[i], socketAddress);
  }
  return addressOr(hops.at(-1), socketAddress);
}

/**
 * `candidate` when it is an IP address, else `fallback` (the socket's own): a forwarded header is the
 * client's to write, and what it says travels into limits, logs and session records.
 */
export function addressOr(candidate: string | undefined, fallback: string): string {
  return candidate && isIP(candidate) ? candidate : fallback;
}
