import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import merge from 'lodash.merge';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, Kind, getNamedType, parse,
  type DocumentNode, type GraphQLInputType, type GraphQLSchema,
} from 'graphql';
import { authChecker } from './auth-checker.js';

/** The federation version every subgraph links; must be one composition 2.14 knows. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7",
  import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck' | 'authChecker'> {
  /** `{ TypeName: { __resolveReference } }` for the entities this subgraph resolves. */
  referenceResolvers?: GraphQLResolverMap<any>;
}

/** Builds a Federation 2 subgraph schema from type-graphql resolvers. Needs no database. */
export async function buildFederatedSchema({ referenceResolvers = {}, ...options }: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, authChecker, skipCheck: true, validate: { forbidUnknownValues: false } });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  assertEveryEntityResolves(typeDefs, referenceResolvers);
  const subgraph = buildSubgraphSchema([{
    typeDefs,
    resolvers: merge(createResolversMap(schema), referenceResolvers) as GraphQLResolverMap<any>,
  }]);
  mapEnumDefaults(subgraph);
  return subgraph;
}

/**
 * Every resolvable `@key` type needs its own `__resolveReference`: without one, Apollo hands the
 * representation a caller wrote straight to the type's field resolvers, unchecked and across tenants.
 */
function assertEveryEntityResolves(typeDefs: DocumentNode, referenceResolvers: GraphQLResolverMap<any>): void {
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const resolvable = definition.directives?.some((d) => d.name.value === 'key'
      && !d.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value));
    const resolver = referenceResolvers[definition.name.value] as { __resolveReference?: unknown } | undefined;
    if (resolvable && typeof resolver?.__resolveReference !== 'function') {
      throw new Error(`entity ${definition.name.value} has a @key but no __resolveReference: add a tenant-scoped one to the subgraph's reference resolvers`);
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
