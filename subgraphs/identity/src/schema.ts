import type { ContainerType } from 'type-graphql';
import { buildFederatedSchema } from '@salesgraph/platform';
import { referenceResolvers } from './references.js';
import { ApiKeyResolver } from './resolvers/api-key.resolver.js';
import { AuthResolver } from './resolvers/auth.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import { PresenceResolver } from './resolvers/presence.resolver.js';
import { UserResolver } from './resolvers/user.resolver.js';
import { OrganizationType } from './types/organization.type.js';
import { UserType } from './types/user.type.js';

/** The identity subgraph's schema; `container` supplies resolver instances (not needed to print the SDL). */
export function buildIdentitySchema(container?: ContainerType) {
  return buildFederatedSchema({
    resolvers: [AuthResolver, UserResolver, ApiKeyResolver, OrganizationResolver, PresenceResolver],
    orphanedTypes: [UserType, OrganizationType],
    referenceResolvers,
    container,
  });
}
