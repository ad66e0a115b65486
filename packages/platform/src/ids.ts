import { badInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a GraphQL ID can be a UUID key: anything else cannot match a row, so needs no query. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** A UUID as stored (lower-case), or undefined for anything that cannot be one (so it matches no row, with no query). */
export const uuidOrNothing = (id: string): string | undefined => (isUuid(id) ? id.toLowerCase() : undefined);

/** Integer keys are PostgreSQL `integer` columns: no row has a larger one, and a larger value fails the query. */
export const MAX_INTEGER_ID = 2 ** 31 - 1;

/**
 * A GraphQL ID as the integer key it must be (`what` names it in the error, `field` the input field, `id` unless
 * given); a malformed id is BAD_USER_INPUT.
 */
export function integerId(id: string | number, what: string, field = 'id'): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0 || n > MAX_INTEGER_ID) {
    throw badInput(`"${id}" is not a ${what} id`, [{ field, message: `must be an integer from 1 to ${MAX_INTEGER_ID}` }]);
  }
  return n;
}
