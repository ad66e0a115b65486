import { Role } from '../generated/enums.js';
import type { UpdateProfileInput, UserFieldsFragment } from '../generated/graphql.js';
import { BodyMapping } from './body.js';
import type { JsonSchema } from './route.js';

export const nullableString: JsonSchema = { type: 'string', nullable: true };
export const uuid = { type: 'string', format: 'uuid' } satisfies JsonSchema;
export const isoTime: JsonSchema = { type: 'string', format: 'date-time' };
export const dateTime: JsonSchema = { type: 'string', format: 'date-time', nullable: true };
/** Legacy integer ids as the client sends them. */
export const positiveInteger = { type: 'integer', minimum: 1 } satisfies JsonSchema;

/** GraphQL enum names (ADMIN) → the legacy APIs' lower-case values (admin), and back. */
export const lower = <T extends string | null | undefined>(value: T) => value?.toLowerCase() as T;
/** `lower` for a nullable value: null stays null (not undefined, which JSON would leave out). */
export const lowerOrNull = (value: string | null | undefined): string | null => value?.toLowerCase() ?? null;
export const upper = <T extends string | null | undefined>(value: T) => value?.toUpperCase() as T;

/** A GraphQL enum's values (generated from the schema) as the legacy APIs write them: lower-case, in schema order. */
export const legacyValues = <T extends string>(graphqlEnum: Record<string, T>): Lowercase<T>[] =>
  Object.values(graphqlEnum).map((value) => value.toLowerCase() as Lowercase<T>);

/** GraphQL ids of integer-keyed rows ("42") → the legacy APIs' numeric ids (42). */
export const numericId = (id: string | null | undefined): number | null => (id === null || id === undefined ? null : Number(id));
/** The numeric id of a referenced row (`assignedUser { id }`), or null. */
export const refId = (ref: { id: string } | null | undefined): number | null => numericId(ref?.id);
/** A legacy numeric id (already checked as an integer) → a GraphQL ID argument; absent stays absent. */
export const idArg = (id: unknown): string | undefined => (typeof id === 'number' || typeof id === 'string' ? String(id) : undefined);

/** A person's name as the legacy APIs show it: first and last name, or the username without either. */
export const fullName = (user: { firstName: string | null; lastName: string | null; username: string }): string =>
  [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username;

/** A user as seeds 000 and 004 show one: snake_case, numeric id, lower-case role. */
export function userOut(user: UserFieldsFragment) {
  return {
    id: Number(user.id),
    email: user.email,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    full_name: fullName(user),
    role: lower(user.role),
    is_active: user.isActive,
    organization_id: user.organization.id,
    last_login_at: user.lastLoginAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export const ROLES = legacyValues(Role);

export const userSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', example: 1 },
    email: { type: 'string', format: 'email' },
    username: { type: 'string' },
    first_name: { type: 'string', nullable: true },
    last_name: { type: 'string', nullable: true },
    full_name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    is_active: { type: 'boolean' },
    organization_id: { type: 'string', format: 'uuid' },
    last_login_at: { type: 'string', format: 'date-time', nullable: true },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

/** Seed 000's list envelope from an offset window and a total. */
export function pageOf<T>(items: T[], total: number, skip: number, limit: number) {
  return { items, total, page: Math.floor(skip / limit) + 1, size: limit, pages: Math.ceil(total / limit) };
}

export const pageSchema = (items: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    items: { type: 'array', items },
    total: { type: 'integer' },
    page: { type: 'integer' },
    size: { type: 'integer' },
    pages: { type: 'integer' },
  },
});

export const detailSchema: JsonSchema = { type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] };

/** The profile fields seeds 000 and 004 accept (`first_name` → `firstName`…). */
export const profileBody = new BodyMapping<UpdateProfileInput>({
  email: { schema: { type: 'string', format: 'email' } },
  username: { schema: { type: 'string' } },
  firstName: { schema: nullableString },
  lastName: { schema: nullableString },
});

/**
 * A legacy date filter as a GraphQL DateTime: ISO date-times pass through; a bare ISO date
 * ("2024-01-15") means that day's start in UTC, or, as an upper bound, the start of the next day.
 */
export function dateBound(value: unknown, edge: 'from' | 'to'): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const day = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return value;
  if (edge === 'to') day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
