import {
  ANONYMOUS,
  executeOperation,
  isRole,
  mapEvents,
  subscribeOperation,
  type CredentialAuthority,
  type Identity,
  type RevocationNotice,
  type SubgraphClient,
} from '@salesgraph/platform';
import { ApiKeyIdentityDocument, CredentialsRevokedDocument, SessionIdentityDocument } from '../generated/identity.js';

/**
 * The gateway's credential checks, answered by this subgraph's internal fields (asked anonymously: they
 * take the credential itself as their argument).
 */
export function credentialAuthority(identity: SubgraphClient): CredentialAuthority {
  return {
    async sessionIdentity(sessionId, userId) {
      const { sessionIdentity: found } = await executeOperation(
        identity,
        SessionIdentityDocument,
        { sessionId, userId: String(userId) },
        ANONYMOUS,
      );
      // GraphQL serializes the role as its enum name (ADMIN); identities carry the value (admin).
      const role = found?.role.toLowerCase();
      if (!found || !isRole(role)) return null;
      return { kind: 'user', userId: Number(found.userId), organizationId: found.organizationId, role, sessionId } satisfies Identity;
    },

    async apiKeyIdentity(secret) {
      const { apiKeyIdentity: found } = await executeOperation(identity, ApiKeyIdentityDocument, { secret }, ANONYMOUS);
      const role = found?.role.toLowerCase();
      if (!found || !isRole(role)) return null;
      return {
        kind: 'apiKey',
        apiKeyId: found.apiKeyId,
        userId: Number(found.userId),
        organizationId: found.organizationId,
        role,
      } satisfies Identity;
    },

    revocations(): AsyncIterable<RevocationNotice> {
      const feed = subscribeOperation(identity, CredentialsRevokedDocument, {}, ANONYMOUS);
      return mapEvents(feed, ({ credentialsRevoked: { ready, userId, sessionId, apiKeyId } }): RevocationNotice =>
        ready
          ? { ready: true }
          : {
              ready: false,
              userId: userId === null ? undefined : Number(userId),
              sessionId: sessionId ?? undefined,
              apiKeyId: apiKeyId ?? undefined,
            },
      );
    },
  };
}
