import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import merge from 'lodash.merge';
import { buildSchema, createResolversMap, Directive, type BuildSchemaOptions } from 'type-graphql';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  Kind,
  getNamedType,
  parse,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { authChecker } from './auth-checker.js';
import type { SubgraphContext } from './context.js';
import { declarationsOf, type Declarations } from './declarations.js';
import { badInput } from './errors.js';
import { requireRole } from './identity.js';
import type { Role } from './roles.js';
import { StringInputs } from './string-inputs.js';
import { traceRootFields } from './tracing.js';

/**
 * The federation version every subgraph links (one composition 2.14 knows), and the platform's own
 * directives, composed into the supergraph for the gateway to read there: `@authorized`, the roles a root
 * field requires (so the gateway can tell who may call an operation), and `@hydrate`, how the gateway turns
 * a subscription's events into the subscriber's selection (see `Hydrate`).
 */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
  import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@composeDirective"])
  @link(url: "https://salesgraph.dev/authorized/v0.1", import: ["@authorized"])
  @composeDirective(name: "@authorized")
  @link(url: "https://salesgraph.dev/hydrate/v0.1", import: ["@hydrate"])
  @composeDirective(name: "@hydrate")

"""Who may call a field: one of \`roles\`, or without them anyone signed in (the resolver's @Authorized)"""
directive @authorized(roles: [String!]) on FIELD_DEFINITION

"""
How the gateway reads what a subscription's event stands for, as the subscriber: the Query field \`query\`,
called with the event's field named like its one ID argument, and any other arguments from the subscription's
own (an object), or with the subscription's own arguments (a list)
"""
directive @hydrate(query: String!) on FIELD_DEFINITION`;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Declares how the gateway hydrates the events of a Subscription field, next to its `@Subscription`. A
 * subgraph streams only what identifies an event; the gateway then reads the subscriber's whole selection,
 * federated fields included, through the Query field named here:
 * - an object result: `@Hydrate('callEvent')` calls `Query.callEvent(id: ID!)` with the event's `id` (the
 *   event's field named like that one argument); any other argument of the lookup is one of the subscription's,
 *   passed on as the client gave it (`widgetMessage(visitorToken: String!, id: ID!)` for
 *   `widgetMessageAdded(visitorToken:)`: a secret of the subscriber's that the lookup checks again);
 * - a list result: `@Hydrate('activeCalls')` calls `Query.activeCalls` again with the subscription's arguments.
 *
 * Scalar and enum results need none. Composition (`npm run schema`) and the gateway's start check that every
 * client-visible subscription has a lookup that fits.
 */
export function Hydrate(query: string): MethodDecorator {
  if (!GRAPHQL_NAME.test(query)) throw new Error(`@Hydrate needs the name of a Query field, not "${query}"`);
  return Directive(`@hydrate(query: ${JSON.stringify(query)})`);
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck' | 'authChecker'> {
  /** `{ TypeName: { __resolveReference } }` for the entities this subgraph resolves. */
  referenceResolvers?: GraphQLResolverMap<SubgraphContext>;
}

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers. Needs no database. Every root field
 * refuses a caller its `@Authorized` excludes, then strings its declarations do not allow (`StringInputs`),
 * before the resolver runs; each String argument's description states its limit.
 */
export async function buildFederatedSchema({ referenceResolvers = {}, ...options }: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, authChecker, skipCheck: true, validate: { forbidUnknownValues: false } });
  const declarations = declarationsOf(options.resolvers.filter((r) => typeof r === 'function'));
  const strings = new StringInputs(declarations.stringLimits);
  strings.describe(schema);
  const typeDefs = withAuthorized(parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`), declarations.roles);
  assertEveryEntityResolves(typeDefs, referenceResolvers);
  const subgraph = buildSubgraphSchema([
    {
      typeDefs,
      resolvers: merge(createResolversMap(schema), referenceResolvers) as GraphQLResolverMap<SubgraphContext>,
    },
  ]);
  mapEnumDefaults(subgraph);
  guardRootFields(subgraph, declarations, strings);
  traceRootFields(subgraph);
  return subgraph;
}

/** Marks each root field that has `@Authorized` with `@authorized(roles: …)`. */
function withAuthorized(document: DocumentNode, roles: Declarations['roles']): DocumentNode {
  const directive = (required: Role[]): ConstDirectiveNode => ({
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'authorized' },
    arguments: required.length
      ? [
          {
            kind: Kind.ARGUMENT,
            name: { kind: Kind.NAME, value: 'roles' },
            value: { kind: Kind.LIST, values: required.map((r) => ({ kind: Kind.STRING, value: r })) },
          },
        ]
      : [],
  });
  return visit(document, {
    ObjectTypeDefinition(type) {
      if (!ROOT_TYPES.has(type.name.value)) return undefined;
      return {
        ...type,
        fields: type.fields?.map((field) => {
          const required = roles.get(`${type.name.value}.${field.name.value}`);
          return required ? { ...field, directives: [...(field.directives ?? []), directive(required)] } : field;
        }),
      };
    },
  });
}

/**
 * Wraps every root field with its checks: the caller's role (`@Authorized`, checked here again so that one who
 * may not call a field hears that, not something about their input), then the strings of its arguments.
 */
function guardRootFields(schema: GraphQLSchema, { roles }: Declarations, strings: StringInputs): void {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const required = roles.get(`${root!.name}.${field.name}`);
      const check = (args: Record<string, unknown>, context: SubgraphContext) => {
        if (required) requireRole(context.identity, required.length ? required : undefined);
        const problems = strings.problems(root!.name, field.name, field.args, args);
        if (problems.length) throw badInput(`Invalid input: ${problems.map((p) => `${p.field} ${p.message}`).join(', ')}`, problems);
      };
      const guarded =
        (
          resolver: GraphQLFieldResolver<unknown, SubgraphContext, Record<string, unknown>>,
        ): GraphQLFieldResolver<unknown, SubgraphContext, Record<string, unknown>> =>
        (source, args, context, info) => {
          check(args, context);
          return resolver(source, args, context, info);
        };
      // A subscription is checked once when it starts, not on every event it delivers.
      if (root === schema.getSubscriptionType()) {
        if (field.subscribe) field.subscribe = guarded(field.subscribe);
      } else if (field.resolve) {
        field.resolve = guarded(field.resolve);
      }
    }
  }
}

/**
 * Every resolvable `@key` type needs its own `__resolveReference`: without one, Apollo hands the
 * representation a caller wrote straight to the type's field resolvers, unchecked and across tenants.
 */
function assertEveryEntityResolves(typeDefs: DocumentNode, referenceResolvers: GraphQLResolverMap<SubgraphContext>): void {
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const resolvable = definition.directives?.some(
      (d) =>
        d.name.value === 'key' &&
        !d.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value),
    );
    const resolver = referenceResolvers[definition.name.value] as { __resolveReference?: unknown } | undefined;
    if (resolvable && typeof resolver?.__resolveReference !== 'function') {
      throw new Error(
        `entity ${definition.name.value} has a @key but no __resolveReference: add a tenant-scoped one to the subgraph's reference resolvers`,
      );
    }
  }
}

/**
 * Rebuilt from SDL, enum arguments keep their defaults as enum *names* (`USER`) while explicit values arrive
 * as the internal values (`user`); this maps the defaults to internal values too, so both agree.
 */
function mapEnumDefaults(schema: GraphQLSchema): void {
  const fix = (holder: { type: GraphQLInputType; defaultValue?: unknown }) => {
    const type = getNamedType(holder.type);
    if (!(type instanceof GraphQLEnumType) || typeof holder.defaultValue !== 'string') return;
    const value = type.getValue(holder.defaultValue);
    if (value) holder.defaultValue = value.value;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
      for (const field of Object.values(type.getFields())) field.args.forEach(fix);
    } else if (type instanceof GraphQLInputObjectType) {
      Object.values(type.getFields()).forEach(fix);
    }
  }
}
