import { ORGANIZATION_WIDE, type Identity } from '@salesgraph/platform';

/** The whole identity: what only the very same caller (user or API key, in any of its sessions) shares. */
export const exactIdentity = (i: Identity) => [i.kind, i.organizationId, i.role, i.userId, i.apiKeyId].join(':');

/**
 * Callers who read the same thing, for sharing an answer between them. Access in this product is by organization
 * and role, plus ownership for roles that see only their own rows: callers of an organization-wide role (admin,
 * analyst, manager) share a view (`shared`), whose answers must be checked for `callerSpecific` (a resolver read
 * who exactly asked); anyone else shares only with the very same identity, session and address, where any answer
 * fits.
 */
export function viewOf(identity: Identity): { key: string; shared: boolean } {
  const shared = identity.kind !== 'anonymous' && identity.role !== undefined && ORGANIZATION_WIDE.includes(identity.role);
  return shared
    ? { key: `view:${identity.organizationId}:${identity.role}`, shared }
    : { key: `exact:${exactIdentity(identity)}:${identity.sessionId}:${identity.ip}`, shared };
}
