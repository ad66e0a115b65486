import { registerEnumType } from 'type-graphql';

/** What became of a verified YooMoney notification. */
export enum PaymentOutcome {
  /** The organization's AI balance was topped up. */
  CREDITED = 'CREDITED',
  /** The operation was credited before (YooMoney repeats notifications): nothing changed. */
  REPLAYED = 'REPLAYED',
  /** The wallet's test notification: verified, not credited. */
  TEST = 'TEST',
  /** YooMoney holds the payment (`unaccepted`, or protected by a code): not credited. */
  HELD = 'HELD',
}

/** What became of a verified GitHub delivery. */
export enum GithubDeliveryOutcome {
  RECORDED = 'RECORDED',
  /** The delivery id was recorded before (a redelivery): nothing changed. */
  DUPLICATE = 'DUPLICATE',
  /** GitHub's check that the webhook works. */
  PING = 'PING',
  /** An event the feed does not keep. */
  IGNORED = 'IGNORED',
}

registerEnumType(PaymentOutcome, { name: 'PaymentOutcome', description: 'What became of a verified YooMoney notification' });
registerEnumType(GithubDeliveryOutcome, { name: 'GithubDeliveryOutcome', description: 'What became of a verified GitHub delivery' });
