import { Arg, Ctx, Directive, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { integerId, isUuid, readyFirst, type EventBus, type SubgraphContext } from '@salesgraph/platform';
import { AuthSession } from '../entities/index.js';
import { CREDENTIALS_REVOKED_TOPIC, type CredentialRevocation } from '../services/revocations.js';
import { CredentialRevocationType, SessionIdentity } from '../types/credential.type.js';

type Revocation = CredentialRevocation & { ready?: boolean };

/**
 * The gateway's internal view of credentials: whether a session still stands (and with which role), and a
 * feed of revocations. Both are `@inaccessible`: only the gateway, signing as itself, reaches them.
 */
export function credentialResolver(bus: EventBus) {
  @Resolver()
  class CredentialResolver {
    @Directive('@inaccessible')
    @Query(() => SessionIdentity, {
      nullable: true,
      description: 'Internal: the live session of an access token, or null when it no longer stands',
    })
    async sessionIdentity(
      @Arg('sessionId', () => ID) sessionId: string,
      @Arg('userId', () => ID) userId: string,
      @Ctx() { em }: SubgraphContext,
    ): Promise<SessionIdentity | null> {
      if (!isUuid(sessionId)) return null;
      const session = await em.findOne(
        AuthSession,
        { id: sessionId, user: integerId(userId, 'user'), revokedAt: null },
        { populate: ['user'] },
      );
      if (!session || !session.user.isActive) return null;
      return { userId: session.user.id, organizationId: session.user.organization.id, role: session.user.role };
    }

    // No @Hydrate: clients can't select it (@inaccessible), and the gateway reads it itself, straight from
    // this subgraph (authenticate.ts), never through its subscription planner; the check skips such fields.
    @Directive('@inaccessible')
    @Subscription(() => CredentialRevocationType, {
      description: 'Internal: sessions, users and API keys whose credentials were revoked or changed role',
      subscribe: () => readyFirst(bus.pubSub.subscribe(CREDENTIALS_REVOKED_TOPIC) as AsyncIterable<Revocation>, { ready: true }),
    })
    credentialsRevoked(@Root() event: Revocation): CredentialRevocationType {
      return {
        ready: event.ready === true,
        userId: event.userId ?? null,
        sessionId: event.sessionId ?? null,
        apiKeyId: event.apiKeyId ?? null,
      };
    }
  }
  return CredentialResolver;
}
