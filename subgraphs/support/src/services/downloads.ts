import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 300;

/**
 * Short-lived signed download links: `/files/<attachmentId>?expires=<epoch seconds>&signature=<hex>`, the
 * signature an HMAC of the id and the expiry under a key derived from SECRETS_KEY. Only a caller who may see
 * the ticket gets one (`Attachment.url`); whoever holds it may download until it expires.
 */
export class DownloadLinks {
  private readonly key: Buffer;

  constructor(secretsKey: string) {
    this.key = createHash('sha256').update(`download-links:${secretsKey}`).digest();
  }

  urlOf(attachmentId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + DOWNLOAD_LINK_SECONDS;
    return `/files/${attachmentId}?expires=${expires}&signature=${this.sign(attachmentId, expires)}`;
  }

  /** Whether a link's signature holds and it has not expired. */
  verify(attachmentId: string, expires: number, signature: string, now = Date.now()): boolean {
    if (!Number.isSafeInteger(expires) || expires * 1000 < now || !/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(Buffer.from(this.sign(attachmentId, expires), 'hex'), Buffer.from(signature, 'hex'));
  }

  private sign(attachmentId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${attachmentId.toLowerCase()}.${expires}`).digest('hex');
  }
}
