import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/** A PBX that reports calls to `/webhooks/telephony/<id>`, signing each event with its secret. */
export const TelephonyIntegrationSchema = defineEntity({
  name: 'TelephonyIntegration',
  tableName: 'telephony_integrations',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid().index(),
    name: p.string().length(100),
    /** The signing secret, sealed with SECRETS_KEY; never returned. */
    secretSealed: p.text().hidden(),
    secretHint: p.string().length(8),
    /** Seconds an incoming call rings before it is missed, for this PBX. */
    ringTimeoutSeconds: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastEventAt: p.datetime().nullable(),
  },
});
export class TelephonyIntegration extends TelephonyIntegrationSchema.class {}
TelephonyIntegrationSchema.setClass(TelephonyIntegration);

/** PBX event ids already handled: a redelivered event is acknowledged and not applied twice. */
export const TelephonyReceiptSchema = defineEntity({
  name: 'TelephonyReceipt',
  tableName: 'telephony_receipts',
  properties: {
    integrationId: p.uuid().primary(),
    eventId: p.string().length(200).primary(),
    callId: p.integer().nullable(),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class TelephonyReceipt extends TelephonyReceiptSchema.class {}
TelephonyReceiptSchema.setClass(TelephonyReceipt);
