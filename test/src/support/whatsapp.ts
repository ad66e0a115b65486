import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CallLog, JsonServer, jsonObjectIn, type JsonAnswer } from './stand-in.js';

/** The Graph API version the stand-in serves under, as in `https://graph.facebook.com/v21.0`. */
const VERSION = 'v21.0';

export type WhatsAppOperation = 'sendMessage' | 'getPhoneNumber';

/** One Cloud API call the stand-in received. */
export interface WhatsAppCall {
  operation: WhatsAppOperation;
  phoneNumberId: string;
  /** The bearer token, or null without one. */
  token: string | null;
  body: Record<string, unknown>;
}

/** An error the next call of an operation gets, as the Graph API words it. */
export interface WhatsAppFailure {
  status: number;
  code: number;
  message: string;
  error_subcode?: number;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
}

interface PhoneNumber {
  token: string;
  displayPhoneNumber: string;
}

/**
 * A stand-in WhatsApp Cloud API on loopback, under `/v21.0`: `POST /<phoneNumberId>/messages` and
 * `GET /<phoneNumberId>` with `Authorization: Bearer <token>`. It knows the numbers added with `addNumber`,
 * answers errors in the Graph API's shape (`{error:{message,type,code}}`), records every call, and builds
 * (and signs) the webhook bodies Meta would post.
 */
export class TestWhatsAppApi {
  private readonly log = new CallLog<WhatsAppCall>();
  private readonly numbers = new Map<string, PhoneNumber>();
  private readonly failures = new Map<WhatsAppOperation, WhatsAppFailure[]>();
  private readonly server = new JsonServer((request, body) => this.answer(request, body));
  private nextMessageId = 1;

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** `http://127.0.0.1:<port>/v21.0`: the API root (`WHATSAPP_API_ROOT`). */
  get url(): string {
    return `http://127.0.0.1:${this.server.port}/${VERSION}`;
  }

  /** Every call received, in order. */
  get calls(): readonly WhatsAppCall[] {
    return this.log.all;
  }

  /** A business number reachable with `token`, shown as `displayPhoneNumber` (`+1 555-010-0000`). */
  addNumber(phoneNumberId: string, token: string, displayPhoneNumber: string): void {
    this.numbers.set(phoneNumberId, { token, displayPhoneNumber });
  }

  /** The next call of `operation` (any number) fails with `failure`; several queue up. */
  failNext(operation: WhatsAppOperation, failure: WhatsAppFailure): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), failure]);
  }

  /** The first call (received from now on or earlier) that `match` accepts, within `timeoutMs`. */
  waitFor(match: (call: WhatsAppCall) => boolean, timeoutMs = 10_000): Promise<WhatsAppCall> {
    return this.log.waitFor(match, timeoutMs);
  }

  /** The JSON text Meta posts when `from` (digits, no +) writes `text`, with the sender's profile `name`. */
  inboundBody(from: string, text: string, name = 'Client'): string {
    const [phoneNumberId = '0', number] = [...this.numbers.entries()][0] ?? [];
    const id = `wamid.IN${this.nextMessageId++}`;
    return JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '100000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: number?.displayPhoneNumber.replace(/\D/g, '') ?? '', phone_number_id: phoneNumberId },
                contacts: [{ profile: { name }, wa_id: from }],
                messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
              },
            },
          ],
        },
      ],
    });
  }

  /** X-Hub-Signature-256 as Meta computes it over `body` with the app secret. */
  sign(body: string, appSecret: string): string {
    return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
  }

  close(): Promise<void> {
    this.failures.clear();
    return this.server.close();
  }

  private answer(request: IncomingMessage, raw: string): JsonAnswer {
    const path = new RegExp(`^/${VERSION.replace('.', '\\.')}/(\\d+)(/messages)?$`).exec(request.url ?? '');
    const operation: WhatsAppOperation | undefined =
      path && request.method === 'POST' && path[2]
        ? 'sendMessage'
        : path && request.method === 'GET' && !path[2]
          ? 'getPhoneNumber'
          : undefined;
    if (!path || !operation) return graphError({ status: 400, code: 100, message: 'Unknown path components' });
    const phoneNumberId = path[1];
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? null;
    const body = jsonObjectIn(request, raw);
    this.log.add({ operation, phoneNumberId, token, body: body ?? {} });
    if (!token || ![...this.numbers.values()].some((n) => n.token === token)) {
      return graphError({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    const number = this.numbers.get(phoneNumberId);
    if (!number || number.token !== token) {
      return graphError({
        status: 400,
        code: 100,
        error_subcode: 33,
        message: `Unsupported ${request.method?.toLowerCase()} request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      });
    }
    const failure = this.failures.get(operation)?.shift();
    if (failure) return graphError(failure);
    if (operation === 'getPhoneNumber') {
      return { status: 200, body: { verified_name: 'Test business', display_phone_number: number.displayPhoneNumber, id: phoneNumberId } };
    }
    const text = body?.text as { body?: unknown } | undefined;
    if (
      !body ||
      body.messaging_product !== 'whatsapp' ||
      body.type !== 'text' ||
      typeof text?.body !== 'string' ||
      !/^\d+$/.test(String(body.to))
    ) {
      return graphError({ status: 400, code: 100, message: '(#100) Invalid parameter' });
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.OUT${this.nextMessageId++}` }],
      },
    };
  }
}

const graphError = ({ status, code, message, error_subcode, retryAfter }: WhatsAppFailure): JsonAnswer => ({
  status,
  body: { error: { message, type: 'OAuthException', code, ...(error_subcode !== undefined && { error_subcode }), fbtrace_id: 'AbCdEf' } },
  ...(retryAfter !== undefined && { headers: { 'retry-after': String(retryAfter) } }),
});
