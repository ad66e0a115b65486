import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { SupergraphIndex } from './supergraph-index.js';

/** How the events of one Subscription field are hydrated, as its subgraph declared (`@hydrate(query:)`). */
export type Lookup =
  /** Scalars and enums: the event's value as it is. */
  | { kind: 'value' }
  /**
   * An object: the Query field `field(<key>: ID!)`, called with the event's field `key`, and with the
   * subscription's own arguments named in `passed` (e.g. a secret only the subscriber holds).
   */
  | { kind: 'entity'; field: GraphQLField<unknown, unknown>; key: string; passed: string[] }
  /** A list: the Query field `field`, called again with the subscription's own arguments. */
  | { kind: 'list'; field: GraphQLField<unknown, unknown> };

/**
 * The declared lookup of `Subscription.<fieldName>` checked against the API schema (the one hydration
 * queries run against), or what is wrong with it. The planner and the start-up check share it, so a
 * supergraph that passes the check plans every subscription a client can write.
 */
export function lookupOf(apiSchema: GraphQLSchema, index: SupergraphIndex, fieldName: string): Lookup | { problem: string } {
  const subscription = apiSchema.getSubscriptionType();
  const definition = subscription?.getFields()[fieldName];
  const name = `Subscription.${fieldName}`;
  if (!subscription || !definition) return { problem: `${name} is not in the API schema` };
  const type = getNamedType(definition.type);
  const isList = isListType(nullable(definition.type));
  const declared = index.hydrationOf(subscription.name, fieldName);
  if (isLeafType(type)) {
    if (declared === undefined) return { kind: 'value' };
    return { problem: `${name} returns ${type.name}, delivered as it is, but declares @hydrate(query: "${declared}")` };
  }
  if (declared === undefined) return { problem: `${name} returns ${shapeOf(definition.type)} but declares no @hydrate lookup` };

  const says = `${name} declares @hydrate(query: "${declared}")`;
  const field = apiSchema.getQueryType()?.getFields()[declared];
  if (!field) return { problem: `${says} but clients have no Query.${declared}` };
  if (shapeOf(field.type) !== shapeOf(definition.type)) {
    return { problem: `${says} but Query.${declared} returns ${String(field.type)}, not ${shapeOf(definition.type)}` };
  }
  if (isList) {
    const problem = argumentsProblem(definition, field);
    return problem ? { problem: `${says} but ${problem}` } : { kind: 'list', field };
  }

  // The key is its one ID! argument (of several, the one the subscription does not take); any other argument is
  // one of the subscription's, passed on.
  const takenBySubscription = (name: string) => definition.args.some((a) => a.name === name);
  const ids = field.args.filter((a) => String(a.type) === 'ID!');
  const keys = ids.length === 1 ? ids : ids.filter((a) => !takenBySubscription(a.name));
  const passed = field.args.filter((a) => !keys.includes(a));
  if (keys.length !== 1 || passed.some((a) => !takenBySubscription(a.name))) {
    const takes = field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
    return {
      problem: `${says} but Query.${declared} must take exactly one argument of type ID!, besides any of the subscription's own, and takes (${takes})`,
    };
  }
  const problem = passedArgumentsProblem(definition, field, passed);
  if (problem) return { problem: `${says} but ${problem}` };
  const key = keys[0].name;
  const keyField = isObjectType(type) || isInterfaceType(type) ? type.getFields()[key] : undefined;
  if (!keyField || !isLeafType(getNamedType(keyField.type))) {
    return { problem: `${says} but ${type.name} has no scalar field "${key}" for the event to name its ${type.name} by` };
  }
  return { kind: 'entity', field, key, passed: passed.map((a) => a.name) };
}

/**
 * A list is read again with the arguments the client gave the subscription, so the Query field must take
 * each of them, of the same type and default, and need no other.
 */
function argumentsProblem(subscription: GraphQLField<unknown, unknown>, query: GraphQLField<unknown, unknown>): string | undefined {
  const target = `Query.${query.name}`;
  for (const arg of subscription.args) {
    const same = query.args.find((a) => a.name === arg.name);
    if (!same) return `${target} has no argument "${arg.name}" to pass the subscription's on`;
    if (String(same.type) !== String(arg.type))
      return `its argument "${arg.name}" is ${String(arg.type)} and ${target}'s is ${String(same.type)}`;
    if (JSON.stringify(same.defaultValue) !== JSON.stringify(arg.defaultValue))
      return `its argument "${arg.name}" defaults otherwise than ${target}'s`;
  }
  const missing = query.args.find((a) => required(a) && !subscription.args.some((s) => s.name === a.name));
  return missing && `${target} requires an argument "${missing.name}" that the subscription does not take`;
}

/** The subscription's arguments an object lookup also takes are passed on as they are: the same type and default. */
function passedArgumentsProblem(
  subscription: GraphQLField<unknown, unknown>,
  query: GraphQLField<unknown, unknown>,
  passed: readonly GraphQLArgument[],
): string | undefined {
  for (const arg of passed) {
    const same = subscription.args.find((a) => a.name === arg.name)!;
    if (String(same.type) !== String(arg.type))
      return `its argument "${arg.name}" is ${String(same.type)} and Query.${query.name}'s is ${String(arg.type)}`;
    if (JSON.stringify(same.defaultValue) !== JSON.stringify(arg.defaultValue))
      return `its argument "${arg.name}" defaults otherwise than Query.${query.name}'s`;
  }
  return undefined;
}

const required = (arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined;

const nullable = (type: GraphQLType): GraphQLType => (isNonNullType(type) ? type.ofType : type);

/** The type without its non-null marks: `[Call!]!` → `[Call]`; hydration may read null where events don't. */
function shapeOf(type: GraphQLType): string {
  const inner = nullable(type);
  return isListType(inner) ? `[${shapeOf(inner.ofType)}]` : getNamedType(inner).name;
}

/** Every client-visible subscription that can't be hydrated, one message naming each. */
export class SubscriptionHydrationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      [
        `${problems.length} subscription field(s) can't be served:`,
        ...problems.map((p) => `  - ${p}`),
        `A subgraph declares the lookup with @Hydrate('<Query field>') next to @Subscription (@salesgraph/platform).`,
      ].join('\n'),
    );
    this.name = 'SubscriptionHydrationError';
  }
}

/**
 * What is wrong with the subscriptions of a supergraph: each client-visible Subscription field needs a
 * single owning subgraph and, unless it returns a scalar or enum, a usable `@hydrate` lookup. Fields the API
 * schema lacks (`@inaccessible`, like identity's `credentialsRevoked`, which the gateway reads straight from
 * its subgraph) are not planned, so they need none. Pure: composition runs it as well as the gateway.
 */
export function subscriptionHydrationProblems(apiSchema: GraphQLSchema, supergraph: SupergraphIndex | string | DocumentNode): string[] {
  const index = supergraph instanceof SupergraphIndex ? supergraph : new SupergraphIndex(supergraph);
  const subscription = apiSchema.getSubscriptionType();
  const problems: string[] = [];
  for (const fieldName of Object.keys(subscription?.getFields() ?? {})) {
    if (!index.ownerOf(subscription!.name, fieldName)) problems.push(`No single subgraph serves Subscription.${fieldName}`);
    const lookup = lookupOf(apiSchema, index, fieldName);
    if ('problem' in lookup) problems.push(lookup.problem);
  }
  return problems;
}

/** Throws a SubscriptionHydrationError naming every subscription field that can't be served. */
export function assertSubscriptionsHydrate(apiSchema: GraphQLSchema, supergraph: SupergraphIndex | string | DocumentNode): void {
  const problems = subscriptionHydrationProblems(apiSchema, supergraph);
  if (problems.length) throw new SubscriptionHydrationError(problems);
}
