import { createHash, randomBytes } from 'node:crypto';

/** A random opaque secret with a readable prefix, e.g. `sgk_…` for API keys. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Secrets we only ever compare (refresh tokens, API keys) are stored as SHA-256: they are 256-bit random,
 * so a fast hash is safe, and lookup by hash stays an index hit.
 */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
