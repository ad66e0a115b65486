import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  ChannelError,
  isObject,
  jsonObjectOf,
  textOf,
  type ChannelCredentials,
  type InboundMessage,
  type MessengerChannel,
} from './channel.js';

/**
 * Graph API error codes of throttling, which Meta may answer with a 400 rather than a 429: 4 (app),
 * 80007 (business account), 130429 (throughput), 131048 (spam limit), 131056 (too many to one user).
 */
const THROTTLING_CODES = new Set([4, 80007, 130429, 131048, 131056]);
/** Graph API error code of an invalid or expired access token. */
const INVALID_TOKEN = 190;

export interface WhatsAppChannelOptions {
  /** The Graph API root with its version, without a trailing slash: `https://graph.facebook.com/v21.0`. */
  apiRoot: string;
  /** Per request. @default 10000 */
  timeoutMs?: number;
}

/**
 * A WhatsApp Business number on the Cloud API: the token is a (system user) access token, and
 * `settings.phoneNumberId` names the number messages go out from. Webhooks are set in Meta's console, so
 * start only checks the credentials and stop does nothing.
 */
export class WhatsAppChannel implements MessengerChannel {
  private readonly apiRoot: string;
  private readonly timeoutMs: number;

  constructor(options: WhatsAppChannelOptions) {
    this.apiRoot = options.apiRoot.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async verify(credentials: ChannelCredentials): Promise<{ accountName: string }> {
    const number = await this.request(credentials, 'GET', '');
    const accountName = textOf(number.display_phone_number) ?? textOf(number.verified_name);
    if (!accountName) throw new ChannelError('permanent', 'WhatsApp answered the phone number without display_phone_number');
    return { accountName };
  }

  async start(credentials: ChannelCredentials): Promise<void> {
    await this.verify(credentials);
  }

  async stop(): Promise<void> {}

  async send(credentials: ChannelCredentials, chatId: string, text: string): Promise<{ externalMessageId: string }> {
    if (!/^\d{1,20}$/.test(chatId)) throw new ChannelError('permanent', `"${chatId}" is not a WhatsApp id (a phone number in digits)`);
    const answer = await this.request(credentials, 'POST', '/messages', {
      messaging_product: 'whatsapp',
      to: chatId,
      type: 'text',
      text: { body: text },
    });
    const sent: unknown = Array.isArray(answer.messages) ? answer.messages[0] : undefined;
    const id = isObject(sent) ? textOf(sent.id) : null;
    // Accepted but unnamed: retrying could send the text twice, so this is not transient.
    if (!id) throw new ChannelError('permanent', 'WhatsApp accepted the message without answering its id');
    return { externalMessageId: id };
  }

  parseUpdate(body: string): InboundMessage[] {
    const update = jsonObjectOf(body, 'WhatsApp');
    if (update.object !== 'whatsapp_business_account' || !Array.isArray(update.entry)) {
      throw new ChannelError('permanent', 'The WhatsApp webhook body is not a whatsapp_business_account notification');
    }
    const inbound: InboundMessage[] = [];
    for (const entry of objectsIn(update.entry)) {
      for (const change of objectsIn(entry.changes)) {
        // Delivery and read receipts come as value.statuses, without messages.
        const value = isObject(change.value) ? change.value : {};
        const names = new Map(
          objectsIn(value.contacts).map((contact) => [contact.wa_id, isObject(contact.profile) ? textOf(contact.profile.name) : null]),
        );
        for (const message of objectsIn(value.messages)) {
          const text = message.type === 'text' && isObject(message.text) ? message.text.body : undefined;
          if (typeof text !== 'string' || !text.trim()) continue;
          const from = textOf(message.from);
          const id = textOf(message.id);
          const seconds = Number(message.timestamp);
          if (!from || !/^\d+$/.test(from) || !id || !Number.isFinite(seconds)) {
            throw new ChannelError('permanent', 'The WhatsApp notification holds a message without from, id or timestamp');
          }
          inbound.push({
            externalChatId: from,
            externalMessageId: id,
            text,
            senderName: names.get(from) ?? null,
            senderPhone: `+${from}`,
            senderUsername: null,
            sentAt: new Date(seconds * 1000),
          });
        }
      }
    }
    return inbound;
  }

  /** One Graph API call on the connection's phone number; the JSON object answered, or a ChannelError. */
  private async request(
    credentials: ChannelCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const phoneNumberId = credentials.settings.phoneNumberId;
    // Both go into the request (path, header): a malformed one would be a wrong connection, not a request to make.
    if (!phoneNumberId || !/^\d+$/.test(phoneNumberId)) {
      throw new ChannelError('unauthorized', 'The WhatsApp connection needs its phoneNumberId (digits) in settings');
    }
    if (!/^[\x21-\x7e]+$/.test(credentials.token)) throw new ChannelError('unauthorized', 'The WhatsApp access token is malformed');
    const what = `${method} /${phoneNumberId}${path}`;
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const response = await fetch(`${this.apiRoot}/${phoneNumberId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${credentials.token}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      const problem =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (textOf((error as { cause?: { code?: unknown } }).cause?.code) ?? (error as Error).message);
      throw new ChannelError('transient', `WhatsApp could not be reached for ${what}: ${problem}`);
    }
    const answer = parsed(text);
    if (status >= 200 && status < 300) {
      if (!isObject(answer)) throw new ChannelError('permanent', `WhatsApp answered ${what} with something other than a JSON object`);
      return answer;
    }
    const error = isObject(answer) && isObject(answer.error) ? answer.error : {};
    const details = isObject(error.error_data) ? textOf(error.error_data.details) : null;
    const description = [textOf(error.message) ?? `HTTP ${status}`, details].filter(Boolean).join(': ');
    const message = `WhatsApp answered ${what} with ${status}: ${description}`;
    if (status === 429 || status >= 500 || THROTTLING_CODES.has(error.code as number)) {
      throw new ChannelError('transient', message, secondsOf(retryAfter));
    }
    // Graph answers a phone number id the token cannot see with code 100, subcode 33 ("does not exist").
    const unknownNumber = error.code === 100 && error.error_subcode === 33;
    if (status === 401 || status === 404 || error.code === INVALID_TOKEN || unknownNumber) {
      throw new ChannelError('unauthorized', message);
    }
    throw new ChannelError('permanent', message);
  }
}

/**
 * Whether `header` (X-Hub-Signature-256) is Meta's signature of `body` with the app secret:
 * `sha256=<hex HMAC-SHA256>` of the body exactly as received, so check it before parsing.
 */
export function verifyWhatsAppSignature(body: string | Buffer, header: string | undefined, appSecret: string): boolean {
  const given = header ? /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1] : undefined;
  if (!given || !appSecret) return false;
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

const objectsIn = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isObject) : []);

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A Retry-After of whole seconds (Graph sends no dates). */
function secondsOf(header: string | null): number | undefined {
  const seconds = header && /^\d+$/.test(header.trim()) ? Number(header) : NaN;
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}
