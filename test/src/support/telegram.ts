import type { IncomingMessage } from 'node:http';
import { CallLog, JsonServer, jsonObjectIn, type JsonAnswer } from './stand-in.js';

/** One Bot API call the stand-in received: the token from the path, the method and the JSON body. */
export interface TelegramCall {
  token: string;
  method: string;
  body: Record<string, unknown>;
}

/** An error the next call of a method gets, as Telegram words it. */
export interface TelegramFailure {
  error_code: number;
  description: string;
  /** Seconds, sent as parameters.retry_after (with a 429). */
  retry_after?: number;
}

interface Bot {
  id: number;
  username: string;
  webhook?: { url: string; secret: string };
}

/**
 * A stand-in Telegram Bot API on loopback: `POST /bot<token>/<method>` with a JSON body, answered
 * `{ok, result}` or `{ok:false, error_code, description}` with that HTTP status. It knows the bots added
 * with `addBot`, keeps each one's webhook, records every call, and can deliver updates to a webhook the
 * way Telegram does (`postUpdate`).
 */
export class TestTelegramApi {
  private readonly log = new CallLog<TelegramCall>();
  private readonly bots = new Map<string, Bot>();
  private readonly failures = new Map<string, TelegramFailure[]>();
  private readonly server = new JsonServer((request, body) => this.answer(request, body));
  private nextMessageId = 1;
  private nextUpdateId = 1;

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** `http://127.0.0.1:<port>`: the apiRoot to give grammy (`TELEGRAM_API_ROOT`). */
  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  /** Every call received, in order. */
  get calls(): readonly TelegramCall[] {
    return this.log.all;
  }

  /** Accepts `token` (`<bot id>:<key>`) from now on, as the bot @`username`. */
  addBot(token: string, username: string): void {
    const id = Number(token.split(':')[0]);
    this.bots.set(token, { id: Number.isSafeInteger(id) && id > 0 ? id : this.bots.size + 1, username });
  }

  /** The webhook a bot set (url and secret_token), if any. */
  webhookOf(token: string): { url: string; secret: string } | undefined {
    return this.bots.get(token)?.webhook;
  }

  /** The next call of `method` (any bot) fails with `failure`; several queue up. */
  failNext(method: string, failure: TelegramFailure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  /** The first call (received from now on or earlier) that `match` accepts, within `timeoutMs`. */
  waitFor(match: (call: TelegramCall) => boolean, timeoutMs = 10_000): Promise<TelegramCall> {
    return this.log.waitFor(match, timeoutMs);
  }

  /**
   * Delivers `update` to the bot's webhook as Telegram does: a JSON POST with
   * `X-Telegram-Bot-Api-Secret-Token`, and an update_id when it has none. Answers the webhook's HTTP status.
   */
  async postUpdate(token: string, update: Record<string, unknown>): Promise<number> {
    const webhook = this.webhookOf(token);
    if (!webhook) throw new Error(`the bot ${token.split(':')[0]} has no webhook set`);
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhook.secret },
      body: JSON.stringify({ update_id: this.nextUpdateId++, ...update }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.status;
  }

  /** An update with a private text message from a user (`chatId` is the user's id too). */
  textUpdate(chatId: number, text: string, from: { first_name?: string; last_name?: string; username?: string } = {}) {
    return {
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: from.first_name ?? 'Client' },
        from: { id: chatId, is_bot: false, first_name: 'Client', ...from },
        text,
      },
    };
  }

  close(): Promise<void> {
    this.failures.clear();
    return this.server.close();
  }

  private answer(request: IncomingMessage, raw: string): JsonAnswer {
    const [, token = '', method = ''] = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '') ?? [];
    if (request.method !== 'POST' || !method) return refusal({ error_code: 404, description: 'Not Found' });
    const body = jsonObjectIn(request, raw);
    this.log.add({ token, method, body: body ?? {} });
    const bot = this.bots.get(token);
    if (!bot) return refusal({ error_code: 401, description: 'Unauthorized' });
    if (!body) return refusal({ error_code: 400, description: 'Bad Request: this stand-in reads JSON bodies only' });
    const failure = this.failures.get(method)?.shift();
    if (failure) return refusal(failure);
    switch (method) {
      case 'getMe':
        return ok({ id: bot.id, is_bot: true, first_name: bot.username, username: bot.username, can_join_groups: true });
      case 'setWebhook':
        if (typeof body.url !== 'string') return refusal({ error_code: 400, description: 'Bad Request: bad webhook: URL is empty' });
        bot.webhook = { url: body.url, secret: typeof body.secret_token === 'string' ? body.secret_token : '' };
        return ok(true);
      case 'deleteWebhook':
        bot.webhook = undefined;
        return ok(true);
      case 'sendMessage':
        if (typeof body.text !== 'string' || !body.text.trim()) {
          return refusal({ error_code: 400, description: 'Bad Request: message text is empty' });
        }
        return ok({
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: 'private' },
          from: { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username },
          text: body.text,
        });
      default:
        return refusal({ error_code: 404, description: 'Not Found: method not found' });
    }
  }
}

const ok = (result: unknown): JsonAnswer => ({ status: 200, body: { ok: true, result } });

const refusal = ({ error_code, description, retry_after }: TelegramFailure): JsonAnswer => ({
  status: error_code,
  body: { ok: false, error_code, description, ...(retry_after !== undefined && { parameters: { retry_after } }) },
});
