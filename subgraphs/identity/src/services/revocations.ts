import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '@salesgraph/platform';

export const CREDENTIALS_REVOKED_TOPIC = 'credentialsRevoked';

/** Which credentials stopped being good (or changed role): a session, every credential of a user, or an API key. */
export interface CredentialRevocation {
  userId?: number;
  sessionId?: string;
  apiKeyId?: string;
}

/**
 * Tells every gateway that credentials changed, so cached sessions and API keys and open sockets are
 * re-checked at once. Announced after the change is written: a gateway that re-checks on the event sees it.
 */
export class Revocations {
  constructor(private readonly bus: EventBus) {}

  announce(em: EntityManager, revocation: CredentialRevocation): Promise<void> {
    return this.bus.publish(em, CREDENTIALS_REVOKED_TOPIC, { ...revocation });
  }
}
