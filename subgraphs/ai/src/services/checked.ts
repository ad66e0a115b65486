import { validate } from 'class-validator';
import { badInput } from '@salesgraph/platform';

/**
 * `value` as an instance of the input class `type`, checked against its class-validator rules. A
 * subscription's `subscribe` gets its arguments unchecked (type-graphql validates them when each event is
 * resolved, which a stream of many small events should not pay for), so it checks them once, here.
 */
export async function checked<T extends object>(type: new () => T, value: unknown): Promise<T> {
  const instance = Object.assign(new type(), value);
  // Left-out and null arguments are GraphQL's to refuse (non-null types); the rules apply to the values given.
  const errors = await validate(instance, { forbidUnknownValues: false, skipNullProperties: true, skipUndefinedProperties: true });
  if (errors.length) {
    const fields = errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {}).join('; ') || 'is invalid' }));
    throw badInput(`Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join(', ')}`, fields);
  }
  return instance;
}
