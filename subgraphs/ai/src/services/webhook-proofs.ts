import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The fields of a YooMoney notification its `sha1_hash` covers, in the order they are hashed (the secret goes in before `label`). */
export const YOOMONEY_SIGNED_FIELDS = ['notification_type', 'operation_id', 'amount', 'currency', 'datetime', 'sender', 'codepro'] as const;

/**
 * The `sha1_hash` YooMoney sends with a notification: lower-case hex SHA-1 of
 * `notification_type&operation_id&amount&currency&datetime&sender&codepro&notification_secret&label`, over the
 * decoded values exactly as received (`300.00` stays `300.00`, an empty `sender` stays empty).
 */
export function yoomoneyHash(fields: Record<string, string>, notificationSecret: string): string {
  const parts = [...YOOMONEY_SIGNED_FIELDS.map((name) => fields[name] ?? ''), notificationSecret, fields.label ?? ''];
  return createHash('sha1').update(parts.join('&'), 'utf8').digest('hex');
}

/** Whether `given` is the notification's hash; compared in constant time (a malformed value is simply wrong). */
export function yoomoneyVerifies(fields: Record<string, string>, notificationSecret: string, given: string): boolean {
  return sameText(yoomoneyHash(fields, notificationSecret), given.toLowerCase());
}

/** GitHub's `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body under the webhook's secret. */
export function githubSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is the body's signature under `secret`; constant time once the lengths agree. */
export function githubVerifies(body: string | Buffer, secret: string, header: string): boolean {
  return sameText(githubSignature(body, secret), header.trim().toLowerCase());
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // timingSafeEqual throws on different lengths; the length of a hash reveals nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}
