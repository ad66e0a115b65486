import { registerEnumType } from 'type-graphql';

/** The roles of seeds 000 and 004. */
export enum Role {
  ADMIN = 'admin',
  ANALYST = 'analyst',
  MANAGER = 'manager',
  USER = 'user',
  WEB = 'web',
  GUEST = 'guest',
}

registerEnumType(Role, { name: 'Role', description: 'What a user may do: admin > analyst/manager > user/web > guest (read-only)' });

export const ALL_ROLES = Object.values(Role);
/** Everyone but guests, who are read-only (seed 004 `require_not_guest`). */
export const WRITERS = ALL_ROLES.filter((r) => r !== Role.GUEST);
/** "Analysts and admins" (seed 000). */
export const ANALYSTS = [Role.ADMIN, Role.ANALYST];
/** Roles that see every row of their organization rather than only their own. */
export const ORGANIZATION_WIDE = [Role.ADMIN, Role.ANALYST, Role.MANAGER];

const RANK: Record<Role, number> = { admin: 4, analyst: 3, manager: 3, user: 2, web: 2, guest: 1 };

/** Whether `actor` may hand out `granted` (to an API key or a new user): never above one's own rank. */
export function mayGrant(actor: Role, granted: Role): boolean {
  return actor === Role.ADMIN || RANK[granted] < RANK[actor] || granted === actor;
}

/**
 * The role a credential acts with when it claims `claimed` and the user now has `current`: the lower of the
 * two (a promotion waits for the next sign-in), or undefined when they differ at one rank (analyst and
 * manager): neither is below the other, so the credential no longer stands.
 */
export function effectiveRole(claimed: Role, current: Role): Role | undefined {
  if (claimed === current) return claimed;
  if (RANK[current] === RANK[claimed]) return undefined;
  return RANK[current] < RANK[claimed] ? current : claimed;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as string[]).includes(value);
}
