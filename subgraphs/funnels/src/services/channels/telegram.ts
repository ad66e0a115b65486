import { randomBytes } from 'node:crypto';
import { Api, GrammyError, HttpError } from 'grammy';
import {
  ChannelError,
  isObject,
  jsonObjectOf,
  textOf,
  type ChannelCredentials,
  type InboundMessage,
  type MessengerChannel,
} from './channel.js';

/** What Telegram accepts as a webhook's secret_token. */
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{1,256}$/;
/** A bot token as BotFather issues it (`<bot id>:<key>`); anything else would be spliced into the request path. */
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;

/**
 * A secret for a messenger webhook: 43 random characters from `A-Za-z0-9_-`, the alphabet Telegram
 * accepts for secret_token (and fine in a URL path).
 */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface TelegramChannelOptions {
  /** The Bot API server, without a trailing slash (grammy refuses one): `https://api.telegram.org`. */
  apiRoot: string;
  /** Per request; grammy's own default is Telegram's 500 s, too long for a job or a mutation. @default 10000 */
  timeoutMs?: number;
}

/** A Telegram bot driven through the Bot API with grammy's `Api`; one client per call, as the token comes with it. */
export class TelegramChannel implements MessengerChannel {
  private readonly apiRoot: string;
  private readonly timeoutSeconds: number;

  constructor(options: TelegramChannelOptions) {
    this.apiRoot = options.apiRoot.replace(/\/+$/, '');
    this.timeoutSeconds = Math.max(1, Math.ceil((options.timeoutMs ?? 10_000) / 1000));
  }

  async verify(credentials: ChannelCredentials): Promise<{ accountName: string }> {
    const me = await this.call('getMe', (api) => api.getMe(), credentials);
    return { accountName: me.username ? `@${me.username}` : me.first_name };
  }

  async start(credentials: ChannelCredentials, webhook: { url: string; secret: string }): Promise<void> {
    if (!WEBHOOK_SECRET.test(webhook.secret)) {
      throw new ChannelError('permanent', 'A Telegram webhook secret must be 1–256 characters of A-Z, a-z, 0-9, _ and -');
    }
    await this.call(
      'setWebhook',
      (api) => api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: ['message'], drop_pending_updates: false }),
      credentials,
    );
  }

  async stop(credentials: ChannelCredentials): Promise<void> {
    await this.call('deleteWebhook', (api) => api.deleteWebhook(), credentials);
  }

  async send(credentials: ChannelCredentials, chatId: string, text: string): Promise<{ externalMessageId: string }> {
    const sent = await this.call('sendMessage', (api) => api.sendMessage(chatId, text), credentials);
    return { externalMessageId: String(sent.message_id) };
  }

  parseUpdate(body: string): InboundMessage[] {
    const update = jsonObjectOf(body, 'Telegram');
    if (typeof update.update_id !== 'number') throw new ChannelError('permanent', 'The Telegram webhook body is not an update');
    // Only new messages: an edit of an earlier one (edited_message) is not a new answer from the client.
    if (!isObject(update.message)) return [];
    const inbound = inboundOf(update.message);
    return inbound ? [inbound] : [];
  }

  /** Runs one Bot API method, turning grammy's errors into ChannelErrors. */
  private async call<T>(method: string, run: (api: Api) => Promise<T>, credentials: ChannelCredentials): Promise<T> {
    if (!BOT_TOKEN.test(credentials.token)) throw new ChannelError('unauthorized', 'The Telegram token is not a bot token (<id>:<key>)');
    const api = new Api(credentials.token, { apiRoot: this.apiRoot, timeoutSeconds: this.timeoutSeconds });
    try {
      return await run(api);
    } catch (error) {
      throw channelErrorOf(error, method);
    }
  }
}

function channelErrorOf(error: unknown, method: string): unknown {
  if (error instanceof GrammyError) {
    const code = error.error_code;
    const message = `Telegram answered ${method} with ${code}: ${error.description}`;
    if (code === 429 || code >= 500) return new ChannelError('transient', message, error.parameters?.retry_after);
    // 401 for a revoked token, 404 for one that was never a bot's.
    if (code === 401 || code === 404) return new ChannelError('unauthorized', message);
    return new ChannelError('permanent', message);
  }
  if (error instanceof HttpError) {
    // node-fetch's messages hold the request URL and so the token: only their code or type goes out.
    const inner = error.error;
    const timedOut = inner instanceof Error && /^Request to '\w+' timed out/.test(inner.message);
    const cause = timedOut ? inner.message : isObject(inner) ? (textOf(inner.code) ?? textOf(inner.type)) : null;
    return new ChannelError('transient', `Telegram could not be reached for ${method}${cause ? ` (${cause})` : ''}`);
  }
  return error;
}

/** The client's message in a `message` update, or null when it carries no text (a photo, a sticker, a service message). */
function inboundOf(message: Record<string, unknown>): InboundMessage | null {
  const chat = message.chat;
  if (!isObject(chat) || !isId(chat.id) || !isId(message.message_id) || typeof message.date !== 'number') {
    throw new ChannelError('permanent', 'The Telegram update holds a message without chat, message_id or date');
  }
  const from = isObject(message.from) ? message.from : {};
  // A contact the client shares of themself (the "share my phone number" button) answers with their number.
  const contact = isObject(message.contact) ? message.contact : null;
  const ownPhone = contact && contact.user_id !== undefined && contact.user_id === from.id ? phoneOf(contact.phone_number) : null;
  const text = typeof message.text === 'string' && message.text.trim() ? message.text : ownPhone;
  if (!text) return null;
  const name = [textOf(from.first_name), textOf(from.last_name)].filter(Boolean).join(' ');
  return {
    externalChatId: String(chat.id),
    externalMessageId: String(message.message_id),
    text,
    senderName: name || null,
    senderPhone: ownPhone,
    senderUsername: textOf(from.username),
    sentAt: new Date(message.date * 1000),
  };
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** Telegram gives contacts' numbers with or without `+`. */
function phoneOf(value: unknown): string | null {
  const digits = typeof value === 'string' ? value.replace(/[^\d]/g, '') : '';
  return digits ? `+${digits}` : null;
}
