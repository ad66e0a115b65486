export type ChannelKind = 'telegram' | 'whatsapp';

/** What a connection holds to talk to its messenger: the token (opened from its sealed form) and per-type settings (WhatsApp: phoneNumberId, optional appSecret). */
export interface ChannelCredentials {
  token: string;
  settings: Record<string, string>;
}

/** One text message a client sent us, normalised from a messenger's update. */
export interface InboundMessage {
  externalChatId: string;
  externalMessageId: string;
  text: string;
  senderName: string | null;
  senderPhone: string | null;
  senderUsername: string | null;
  sentAt: Date;
}

/**
 * A messenger refused or failed a call. `transient`: retry later (after `retryAfterSeconds` when the
 * messenger said); `permanent`: retrying this call cannot help (blocked by the user, chat not found);
 * `unauthorized`: the connection's credentials are wrong, every call will fail until an admin replaces them.
 */
export class ChannelError extends Error {
  constructor(
    readonly kind: 'transient' | 'permanent' | 'unauthorized',
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface MessengerChannel {
  /** Checks the token with the messenger; returns the account's display name (bot @username, WhatsApp number) */
  verify(credentials: ChannelCredentials): Promise<{ accountName: string }>;
  /** Points the messenger's webhook at `url` (Telegram: setWebhook with secret_token, allowed_updates ['message'], drop_pending_updates false). WhatsApp has no API for this (the webhook is configured in Meta's console): verify only. */
  start(credentials: ChannelCredentials, webhook: { url: string; secret: string }): Promise<void>;
  /** Telegram: deleteWebhook. WhatsApp: nothing. */
  stop(credentials: ChannelCredentials): Promise<void>;
  /** Sends a text; returns the messenger's message id. Throws ChannelError: 429/5xx/network → transient (retryAfterSeconds from Telegram's parameters.retry_after or Retry-After), 401/404 bad token → unauthorized, other 4xx (blocked by user, chat not found) → permanent, with the messenger's description in the message. */
  send(credentials: ChannelCredentials, chatId: string, text: string): Promise<{ externalMessageId: string }>;
  /** The text messages in one webhook body (JSON text); non-text updates give []. Throws ChannelError('permanent') on a body that is not the messenger's JSON. */
  parseUpdate(body: string): InboundMessage[];
}

/** The JSON object in a webhook body, or a permanent ChannelError naming the messenger. */
export function jsonObjectOf(body: string, messenger: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ChannelError('permanent', `The ${messenger} webhook body is not JSON`);
  }
  if (!isObject(parsed)) throw new ChannelError('permanent', `The ${messenger} webhook body is not a JSON object`);
  return parsed;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string, or null. */
export const textOf = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);
