import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { ConnectionState, MessengerType } from '../types/enums.js';
import { Funnel } from './funnel.entity.js';

/**
 * A messenger account (a Telegram bot, a WhatsApp number) connected to a funnel: seed 003's messenger
 * connections and seed 004's Telegram bots are these rows. The token and the webhook secret are sealed
 * with SECRETS_KEY and never returned; the owner is who created it (seed 004 scopes bots by owner).
 */
export const MessengerConnectionSchema = defineEntity({
  name: 'MessengerConnection',
  tableName: 'messenger_connections',
  indexes: [{ properties: ['organizationId', 'createdAt'] }, { properties: ['funnel'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    ownerUserId: p.integer(),
    /** The funnel its dialogs go to; none for a bot not yet given one (its dialogs then have no funnel). */
    funnel: () => p.manyToOne(Funnel).nullable().deleteRule('set null'),
    messengerType: p.enum(() => MessengerType),
    name: p.string().length(200).nullable(),
    tokenSealed: p.text().hidden(),
    tokenHint: p.string().length(16),
    /** Per-type settings that are not secret (WhatsApp: phoneNumberId). */
    settings: p
      .json<Record<string, string>>()
      .default('{}')
      .onCreate(() => ({})),
    /** Sealed: the secret our webhook URL checks (Telegram's secret token header, WhatsApp's verify token and URL secret). */
    webhookSecretSealed: p.text().hidden(),
    /** Sealed: WhatsApp's app secret, which signs its webhooks (X-Hub-Signature-256). */
    appSecretSealed: p.text().nullable().hidden(),
    isActive: p.boolean().default(true),
    state: p.enum(() => ConnectionState),
    /** The account as the messenger names it (bot @username, phone number), once verified. */
    accountName: p.string().length(200).nullable(),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class MessengerConnection extends MessengerConnectionSchema.class {}
MessengerConnectionSchema.setClass(MessengerConnection);
