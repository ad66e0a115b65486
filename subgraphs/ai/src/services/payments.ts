import { createHmac } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import {
  badInput,
  budgetExceeded,
  serviceUnavailable,
  sqlOf,
  unauthenticated,
  unsupportedMediaType,
  uuidOrNothing,
  windowOf,
  type PageArgs,
  type PaymentSettings,
  type SignedIn,
  findPage,
} from '@salesgraph/platform';
import { AiPayment } from '../entities/index.js';
import { PaymentOutcome } from '../types/webhooks.enums.js';
import { YOOMONEY_SIGNED_FIELDS, yoomoneyVerifies } from './webhook-proofs.js';

/** Every field a notification must carry for its hash to be checked (`sender` and `label` may be empty, not absent). */
const REQUIRED_FIELDS = [...YOOMONEY_SIGNED_FIELDS, 'label', 'sha1_hash'] as const;
/** Roubles with at most two decimals, as YooMoney writes them (`300.00`). */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const RUB = '643';

/** An organization's prepaid AI balance in USD: what its payments credited, less what its AI usage cost since the first. */
export interface PrepaidBalance {
  creditedUsd: number;
  spentUsd: number;
  remainingUsd: number;
  since: Date;
}

const usd = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * YooMoney top-ups of the organizations' AI balance. A payment carries in its `label` which organization it
 * is for: the organization id and a tag only this deployment computes (`labelOf`), so a label cannot be made
 * up for an organization nobody asked for one. Roubles are credited in USD at `YOOMONEY_RUB_PER_USD`.
 */
export class Payments {
  constructor(
    private readonly settings: PaymentSettings,
    /** Keys the label tags (SECRETS_KEY): a label is valid on this deployment only. */
    private readonly labelKey: string,
  ) {}

  /** The `label` a payment for `organizationId` carries (at most 64 characters, as YooMoney allows). */
  labelOf(organizationId: string): string {
    return `${organizationId}.${this.tagOf(organizationId)}`;
  }

  /** The organization a label names, if it is one `labelOf` made. */
  organizationOf(label: string): string | undefined {
    const match = /^([0-9a-fA-F-]{36})\.([0-9a-f]{16})$/.exec(label.trim());
    const organizationId = match ? uuidOrNothing(match[1]) : undefined;
    return organizationId && this.tagOf(organizationId) === match![2] ? organizationId : undefined;
  }

  private tagOf(organizationId: string): string {
    return createHmac('sha256', this.labelKey).update(`yoomoney-label:${organizationId}`).digest('hex').slice(0, 16);
  }

  /**
   * One HTTP notification (the raw `application/x-www-form-urlencoded` body): verified by its `sha1_hash`,
   * then credited once per `operation_id`. A wrong or missing hash is UNAUTHENTICATED and nothing is read
   * further; a test notification (the wallet's "Test" button) and a payment YooMoney holds are verified and
   * acknowledged, not credited.
   */
  async receive(em: EntityManager, body: string, contentType: string | null | undefined): Promise<PaymentOutcome> {
    const yoomoney = this.settings.yoomoney;
    if (!yoomoney) throw serviceUnavailable('YooMoney payments are not configured on this server (YOOMONEY_NOTIFICATION_SECRET)');
    if ((contentType ?? '').split(';')[0].trim().toLowerCase() !== 'application/x-www-form-urlencoded')
      throw unsupportedMediaType('A YooMoney notification is application/x-www-form-urlencoded');
    const form = new URLSearchParams(body);
    const fields: Record<string, string> = {};
    // The first value of each field counts, as for every other form this product reads.
    for (const [name, value] of form) if (!Object.hasOwn(fields, name)) fields[name] = value;
    const missing = REQUIRED_FIELDS.filter((name) => !Object.hasOwn(fields, name));
    if (missing.length)
      throw badInput(
        `The notification lacks ${missing.join(', ')}`,
        missing.map((field) => ({ field, message: 'required' })),
      );
    const operation = fields.operation_id.slice(0, 100);
    if (!yoomoneyVerifies(fields, yoomoney.notificationSecret, fields.sha1_hash)) {
      // Neither the hash nor the secret is logged: only what lets an operator find the notification.
      console.warn(`ai: a YooMoney notification (operation ${JSON.stringify(operation)}) failed verification and was ignored`);
      throw unauthenticated('The notification’s sha1_hash does not verify');
    }
    if (fields.test_notification === 'true') return PaymentOutcome.TEST;
    // Protected by a code, or not yet accepted into the wallet: the money has not arrived, so nothing is credited.
    if (fields.unaccepted === 'true' || fields.codepro === 'true') {
      console.warn(`ai: YooMoney holds payment ${JSON.stringify(operation)} (unaccepted or code-protected); it is not credited`);
      return PaymentOutcome.HELD;
    }
    const paid = this.readPayment(fields);
    const organizationId = this.organizationOf(fields.label);
    if (!organizationId) {
      console.warn(
        `ai: YooMoney payment ${JSON.stringify(operation)} names no organization (label ${JSON.stringify(fields.label.slice(0, 64))})`,
      );
      throw badInput('The payment’s label names no organization', [{ field: 'label', message: 'not a label this server issued' }]);
    }
    try {
      return await em.transactional(async (tx) => {
        if (await tx.count(AiPayment, { operationId: paid.operationId })) return PaymentOutcome.REPLAYED;
        tx.create(AiPayment, {
          organizationId,
          ...paid,
          rubPerUsd: yoomoney.rubPerUsd,
          creditedUsd: usd(paid.amount / yoomoney.rubPerUsd),
        });
        await tx.flush();
        return PaymentOutcome.CREDITED;
      });
    } catch (error) {
      // The same notification twice at once: the other one credited it.
      if (error instanceof UniqueConstraintViolationException) return PaymentOutcome.REPLAYED;
      throw error;
    }
  }

  /** A verified notification's payment, or what is wrong with it (BAD_USER_INPUT). */
  private readPayment(fields: Record<string, string>) {
    const problems: { field: string; message: string }[] = [];
    const amountOf = (field: string) => {
      const value = fields[field] ?? '';
      const amount = AMOUNT.test(value) ? Number(value) : NaN;
      if (!(amount > 0)) problems.push({ field, message: 'a positive amount in roubles, such as 300.00' });
      return amount;
    };
    const amount = amountOf('amount');
    const withdrawAmount = fields.withdraw_amount ? amountOf('withdraw_amount') : null;
    if (fields.currency !== RUB) problems.push({ field: 'currency', message: `${RUB} (roubles), the only currency a wallet receives` });
    const paidAt = new Date(fields.datetime);
    if (!/^\d{4}-\d\d-\d\dT/.test(fields.datetime) || Number.isNaN(paidAt.getTime()))
      problems.push({ field: 'datetime', message: 'an ISO 8601 date and time' });
    if (!fields.operation_id || fields.operation_id.length > 100) problems.push({ field: 'operation_id', message: '1–100 characters' });
    if (!['p2p-incoming', 'card-incoming'].includes(fields.notification_type))
      problems.push({ field: 'notification_type', message: 'p2p-incoming or card-incoming' });
    if (fields.sender.length > 40) problems.push({ field: 'sender', message: 'at most 40 characters' });
    if (problems.length) throw badInput(`The notification is malformed: ${problems.map((p) => p.field).join(', ')}`, problems);
    return {
      operationId: fields.operation_id,
      notificationType: fields.notification_type,
      amount,
      withdrawAmount,
      currency: fields.currency,
      sender: fields.sender || null,
      paidAt,
    };
  }

  /** The organization's payments, newest first (admins). */
  async list(em: EntityManager, caller: SignedIn, page: PageArgs) {
    const window = windowOf(page);
    return findPage(em, AiPayment, { organizationId: caller.organizationId }, { orderBy: { createdAt: 'desc', id: 'desc' } }, window);
  }

  /** The prepaid balance, or undefined while the organization has paid nothing (no prepaid balance applies then). */
  async balance(em: EntityManager, organizationId: string): Promise<PrepaidBalance | undefined> {
    const [credit] = await sqlOf(em).execute<{ credited: string | number | null; since: Date | string | null }[]>(
      'select sum(credited_usd) as credited, min(created_at) as since from ai.payments where organization_id = ?',
      [organizationId],
    );
    if (!credit?.since) return undefined;
    const since = new Date(credit.since);
    const [usage] = await sqlOf(em).execute<{ total: string | number | null }[]>(
      'select coalesce(sum(cost), 0) as total from ai.usage_records where organization_id = ? and created_at >= ?',
      [organizationId, since],
    );
    const creditedUsd = usd(Number(credit.credited ?? 0));
    const spentUsd = usd(Number(usage?.total ?? 0));
    return { creditedUsd, spentUsd, remainingUsd: usd(creditedUsd - spentUsd), since };
  }

  /** Refuses (BUDGET_EXCEEDED) a metered call once an organization that has paid has spent what it paid. */
  async check(em: EntityManager, organizationId: string): Promise<void> {
    const balance = await this.balance(em, organizationId);
    if (balance && balance.remainingUsd <= 0)
      throw budgetExceeded(
        `Your organization’s prepaid AI balance is spent (${balance.spentUsd.toFixed(4)} of ${balance.creditedUsd.toFixed(4)} USD); an admin can top it up`,
      );
  }
}
