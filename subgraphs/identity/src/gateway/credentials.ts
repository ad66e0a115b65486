import {
  ANONYMOUS,
  executeOperation,
  isRole,
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
      return {
        [Symbol.asyncIterator]: () => {
          const events = feed[Symbol.asyncIterator]();
          return {
            async next(): Promise<IteratorResult<RevocationNotice>> {
              const next = await events.next();
              if (next.done) return { done: true, value: undefined };
              const { ready, userId, sessionId, apiKeyId } = next.value.credentialsRevoked;
              if (ready) return { done: false, value: { ready: true } };
              return {
                done: false,
                value: {
                  ready: false,
                  userId: userId === null ? undefined : Number(userId),
                  sessionId: sessionId ?? undefined,
                  apiKeyId: apiKeyId ?? undefined,
                },
              };
            },
            async return() {
              await events.return?.();
              return { done: true, value: undefined };
            },
          };
        },
      };
    },
  };
}
