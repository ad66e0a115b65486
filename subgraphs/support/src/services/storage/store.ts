/**
 * Where attachment bytes live: local disk by default, any S3-compatible storage when configured. Keys are
 * opaque (`<organizationId>/<attachmentId>`), chosen by the caller; a store never interprets them.
 */
export interface FileStore {
  /** Stores `content` under `key`, replacing anything there. */
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** What it is, for /health and logs: "local" or "s3". */
  readonly kind: 'local' | 's3';
}
