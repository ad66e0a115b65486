import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import merge from 'lodash.merge';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, getNamedType, parse,
  type GraphQLInputType, type GraphQLSchema,
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
  const subgraph = buildSubgraphSchema([{
    typeDefs: parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`),
    resolvers: merge(createResolversMap(schema), referenceResolvers) as GraphQLResolverMap<any>,
  }]);
  mapEnumDefaults(subgraph);
  return subgraph;
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
