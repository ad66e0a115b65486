import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema, entityChangesResolver, type EventBus } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { ApiKeyResolver } from './resolvers/api-key.resolver.js';
import { AuthResolver } from './resolvers/auth.resolver.js';
import { credentialResolver } from './resolvers/credential.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import { PresenceResolver } from './resolvers/presence.resolver.js';
import { TrustedDocumentResolver } from './resolvers/trusted-document.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { OrganizationType } from './types/organization.type.js';
import { UserType } from './types/user.type.js';

/** The identity subgraph's schema; the credential and entity change feeds read `bus`; `container` supplies resolver instances. */
export function buildIdentitySchema(bus: EventBus, container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [
      AuthResolver,
      UserResolver,
      ApiKeyResolver,
      OrganizationResolver,
      PresenceResolver,
      TrustedDocumentResolver,
      credentialResolver(bus),
      entityChangesResolver(bus, 'identity'),
    ],
    orphanedTypes: [UserType, OrganizationType],
    referenceResolvers,
    pubSub: bus.pubSub,
    container,
  });
}
