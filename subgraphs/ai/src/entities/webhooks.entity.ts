import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * A payment that topped up an organization's prepaid AI balance (seed 004's `/webhooks/yoomoney`): what the
 * wallet received in roubles, the rate it was credited at and the USD credited. One row per YooMoney
 * operation, so a repeated notification credits nothing more.
 */
export const AiPaymentSchema = defineEntity({
  name: 'AiPayment',
  tableName: 'payments',
  uniques: [{ properties: ['operationId'] }],
  indexes: [{ properties: ['organizationId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    /** YooMoney's `operation_id`. */
    operationId: p.string().length(100),
    /** `p2p-incoming` (from a wallet) or `card-incoming` (by card). */
    notificationType: p.string().length(40),
    /** What the wallet received (`amount`), in `currency`. */
    amount: p.decimal('number').precision(14).scale(2),
    /** What the payer paid, commission included (`withdraw_amount`), when sent. */
    withdrawAmount: p.decimal('number').precision(14).scale(2).nullable(),
    /** ISO 4217 numeric code; YooMoney wallets receive roubles (643) only. */
    currency: p.string().length(3),
    rubPerUsd: p.decimal('number').precision(14).scale(6),
    creditedUsd: p.decimal('number').precision(14).scale(6),
    /** The payer's wallet number; empty for card payments. */
    sender: p.string().length(40).nullable(),
    /** When YooMoney says the payment was made. */
    paidAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class AiPayment extends AiPaymentSchema.class {}
AiPaymentSchema.setClass(AiPayment);

/**
 * A GitHub webhook of an organization (seed 004's `/webhooks/github`): its secret sealed with SECRETS_KEY
 * (only a hint is returned after creation) and, once known, GitHub's id of the hook, by which deliveries to
 * the bare URL find it.
 */
export const GithubIntegrationSchema = defineEntity({
  name: 'GithubIntegration',
  tableName: 'github_integrations',
  indexes: [{ properties: ['organizationId'] }, { properties: ['hookId'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    name: p.string().length(100),
    secretSealed: p.text().hidden(),
    secretHint: p.string().length(16),
    /** GitHub's `X-GitHub-Hook-ID`: given by an admin, or learned from the first verified delivery. */
    hookId: p.string().length(20).nullable(),
    lastDeliveryAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class GithubIntegration extends GithubIntegrationSchema.class {}
GithubIntegrationSchema.setClass(GithubIntegration);

/**
 * One verified delivery of a CI event (GitHub's `workflow_run`, `deployment_status`, `push`) in the admins'
 * feed: what it was about, summarised from its payload (which is not kept). Unique per integration and
 * delivery id, so GitHub's redeliveries record nothing twice.
 */
export const IntegrationEventSchema = defineEntity({
  name: 'IntegrationEvent',
  tableName: 'integration_events',
  uniques: [{ properties: ['integrationId', 'deliveryId'] }],
  indexes: [{ properties: ['organizationId', 'receivedAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    organizationId: p.uuid(),
    integrationId: p.uuid(),
    /** `X-GitHub-Delivery`. */
    deliveryId: p.string().length(100),
    /** `X-GitHub-Event`. */
    event: p.string().length(40),
    action: p.string().length(40).nullable(),
    /** `owner/name`. */
    repository: p.string().length(200).nullable(),
    ref: p.string().length(255).nullable(),
    sha: p.string().length(64).nullable(),
    /** A run's status, or a deployment's state. */
    status: p.string().length(40).nullable(),
    conclusion: p.string().length(40).nullable(),
    /** A workflow's name and title, a deployment's environment, or the head commit's first line. */
    title: p.string().length(300).nullable(),
    url: p.string().length(500).nullable(),
    /** Who caused it (GitHub login). */
    actor: p.string().length(100).nullable(),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
});
export class IntegrationEvent extends IntegrationEventSchema.class {}
IntegrationEventSchema.setClass(IntegrationEvent);
