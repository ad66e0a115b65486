import type { AuthChecker } from 'type-graphql';
import { requireRole } from './identity.js';
import type { Role } from './roles.js';
import type { SubgraphContext } from './context.js';

/** `@Authorized()` means "signed in"; `@Authorized(roles)` also checks the role. Throws coded errors. */
export const authChecker: AuthChecker<SubgraphContext, Role> = ({ context }, roles) => {
  requireRole(context.identity, roles.length ? roles : undefined);
  return true;
};
