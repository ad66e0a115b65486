import { createHmac, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import {
  AppError,
  ErrorCode,
  MAX_INTEGER_ID,
  Role,
  badInput,
  isUuid,
  notFound,
  unauthenticated,
  type SecretBox,
  type SignedIn,
} from '@salesgraph/platform';
import { Call, TelephonyIntegration, TelephonyReceipt } from '../entities/index.js';
import { AnswerAction } from '../types/inputs.js';
import type { CallLifecycle } from './lifecycle.js';
import { CallStatus } from '../types/enums.js';

/** Signed events older or newer than this are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const PBX_EVENT_TYPES = ['ringing', 'answered', 'hangup'] as const;

/** What a PBX sends: one event of one call. */
export interface PbxEvent {
  event_id: string;
  type: (typeof PBX_EVENT_TYPES)[number];
  /** The PBX's id of the call (e.g. its channel or linked id): the same in all events of one call. */
  call_id: string;
  caller?: string;
  callee?: string;
  /** The user (identity id) the call rings for or who answered it. */
  user_id?: number;
}

export type ReceiptStatus = 'processed' | 'duplicate';

/** HMAC-SHA256 over `<timestamp>.<body>`, hex: what the PBX sends in `X-Signature`. */
export function signTelephonyEvent(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

function parseEvent(body: string): PbxEvent {
  let event: Partial<PbxEvent>;
  try {
    event = JSON.parse(body) as Partial<PbxEvent>;
  } catch {
    throw badInput('The body is not JSON');
  }
  const problems: string[] = [];
  if (typeof event.event_id !== 'string' || !event.event_id || event.event_id.length > 200)
    problems.push('event_id: a string of 1–200 characters is required');
  if (!PBX_EVENT_TYPES.includes(event.type as PbxEvent['type'])) problems.push(`type: must be one of ${PBX_EVENT_TYPES.join(', ')}`);
  // The call id is also stored as the call's channel id, which holds 120 characters.
  if (typeof event.call_id !== 'string' || !event.call_id || event.call_id.length > 120)
    problems.push('call_id: a string of 1–120 characters is required');
  if (event.type === 'ringing' && typeof event.caller !== 'string') problems.push('caller: required for ringing');
  for (const name of ['caller', 'callee'] as const) {
    if (event[name] !== undefined && (typeof event[name] !== 'string' || event[name].length > 40))
      problems.push(`${name}: a phone number of at most 40 characters`);
  }
  if (event.user_id !== undefined && (!Number.isSafeInteger(event.user_id) || event.user_id < 0 || event.user_id > MAX_INTEGER_ID))
    problems.push('user_id: must be a user id (0: nobody)');
  // JSON may spell a NUL character (\u0000), which PostgreSQL text cannot hold.
  for (const name of ['event_id', 'call_id', 'caller', 'callee'] as const) {
    if (typeof event[name] === 'string' && event[name].includes('\u0000'))
      problems.push(`${name}: must not contain the NUL character (U+0000)`);
  }
  if (problems.length) throw badInput(`Invalid telephony event: ${problems.join('; ')}`);
  return event as PbxEvent;
}

/**
 * Turns signed PBX events into the same call operations users perform. Idempotent on the event id:
 * a redelivered event is acknowledged as a duplicate and changes nothing.
 */
export class TelephonyWebhook {
  constructor(
    private readonly lifecycle: CallLifecycle,
    private readonly box: SecretBox,
  ) {}

  async receive(
    em: EntityManager,
    integrationId: string,
    timestamp: string,
    signature: string,
    body: string,
  ): Promise<{ status: ReceiptStatus; callId: number | null }> {
    const integration = isUuid(integrationId)
      ? await em.findOne(TelephonyIntegration, { id: integrationId }, { populate: ['secretSealed'] })
      : null;
    if (!integration) throw notFound('Telephony integration');
    this.verify(integration, timestamp, signature, body);
    const event = parseEvent(body);

    const seen = await em.findOne(TelephonyReceipt, { integrationId, eventId: event.event_id });
    if (seen) return { status: 'duplicate', callId: seen.callId ?? null };

    const callId = await this.apply(em, integration, event);
    try {
      em.create(TelephonyReceipt, { integrationId, eventId: event.event_id, callId });
      integration.lastEventAt = new Date();
      await em.flush();
    } catch (error) {
      // A concurrent delivery of the same event got there first.
      if (error instanceof UniqueConstraintViolationException) return { status: 'duplicate', callId };
      throw error;
    }
    return { status: 'processed', callId };
  }

  private verify(integration: TelephonyIntegration, timestamp: string, signature: string, body: string): void {
    const seconds = Number(timestamp);
    if (!Number.isFinite(seconds) || Math.abs(Date.now() / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) {
      throw unauthenticated(`X-Signature-Timestamp must be the current Unix time (±${SIGNATURE_TOLERANCE_SECONDS} s)`);
    }
    const expected = Buffer.from(signTelephonyEvent(this.box.open(integration.secretSealed), timestamp, body), 'hex');
    const given = Buffer.from(signature.replace(/^sha256=/, ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated('Invalid signature');
  }

  private async apply(em: EntityManager, integration: TelephonyIntegration, event: PbxEvent): Promise<number | null> {
    // The PBX acts for the user the event names, with the rights to reach any call of its organization;
    // that user must be one of the integration's organization.
    const actor: SignedIn = { kind: 'apiKey', userId: event.user_id ?? 0, organizationId: integration.organizationId, role: Role.ADMIN };
    if (event.user_id !== undefined) await this.lifecycle.directory.assertExists(actor, event.user_id);
    if (event.type === 'ringing') {
      try {
        const call = await this.lifecycle.create(em, actor, {
          callerNumber: event.caller!,
          receiverNumber: event.callee,
          channelId: event.call_id,
          externalId: event.call_id,
          assignedUserId: event.user_id ? String(event.user_id) : undefined,
          ringTimeoutSeconds: integration.ringTimeoutSeconds ?? undefined,
        });
        return call.id;
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) return null;
        throw error;
      }
    }
    const call = await em.findOne(Call, { organizationId: integration.organizationId, externalId: event.call_id });
    if (!call) throw notFound(`Call ${event.call_id}`);
    // The entity's Opt<CallStatus>, read as the enum it holds.
    const status: CallStatus = call.status;
    try {
      if (event.type === 'answered') await this.lifecycle.answer(em, actor, String(call.id), { action: AnswerAction.ACCEPT });
      else if (status === CallStatus.INCOMING) await this.lifecycle.hangUpRinging(em, actor, String(call.id));
      else if (status === CallStatus.ACCEPTED) await this.lifecycle.end(em, actor, String(call.id));
    } catch (error) {
      // The call already moved on (e.g. answered in the app first): the PBX's view adds nothing.
      if (!(error instanceof AppError && error.extensions.code === ErrorCode.Conflict)) throw error;
    }
    return call.id;
  }
}
