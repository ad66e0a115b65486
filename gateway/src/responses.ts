import compression from 'compression';
import type { RequestHandler, Response } from 'express';

/** Smaller answers go out as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * gzip or brotli, as the client's `Accept-Encoding` prefers (brotli when it takes both), for answers of at least
 * {@link COMPRESSION_THRESHOLD_BYTES} of a compressible type. Never Server-Sent Events: a compressor holds the
 * pieces back until it has enough to compress, and a stream's client waits for each one. (WebSocket and
 * Socket.IO traffic never passes through Express.)
 */
export function compressResponses(): RequestHandler {
  return compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    filter: (req, res) => {
      if (/^\s*text\/event-stream/i.test(String(res.getHeader('Content-Type') ?? ''))) return false;
      // The default: compressible media types only, and never what says `Cache-Control: no-transform`.
      return compression.filter(req, res);
    },
  });
}

/**
 * Caching policies, set deliberately per kind of answer. Everything starts as `no-store` (health, metrics,
 * GraphQL, errors, webhooks); the rest opt in.
 */
export const CachePolicy = {
  /** Nothing is kept anywhere. */
  none: 'no-store',
  /**
   * A caller's own data (a REST GET): only the caller's browser may keep it, and must ask again before using it,
   * which the `ETag` makes cheap (304 when unchanged).
   */
  privateRevalidate: 'private, no-cache',
  /** The same for everyone and changed only by a deployment (the OpenAPI document, docs pages). */
  publicDocument: 'public, max-age=300',
} as const;

export function cachePolicy(res: Response, policy: (typeof CachePolicy)[keyof typeof CachePolicy]): void {
  res.setHeader('Cache-Control', policy);
  if (policy === CachePolicy.privateRevalidate) res.vary('Authorization').vary('X-API-Key');
}
