import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';

/** What each test subgraph links: federation, and `@hydrate` composed as the platform does (federation.ts). */
const LINKS = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires", "@inaccessible", "@composeDirective"])
  @link(url: "https://salesgraph.dev/hydrate/v0.1", import: ["@hydrate"])
  @composeDirective(name: "@hydrate")

directive @hydrate(query: String!) on FIELD_DEFINITION
`;

export interface Composed {
  supergraphSdl: string;
  /** What clients see: the schema the gateway plans and hydrates against. */
  apiSchema: GraphQLSchema;
}

/** Composes small subgraphs (name → SDL, without the links) as `npm run schema` does, without booting anything. */
export function compose(subgraphs: Record<string, string>): Composed {
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}/graphql`, typeDefs: parse(`${LINKS}\n${sdl}`) })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

/**
 * Two subgraphs in the shape of the real ones: `call-events` streams events and owns the lookups
 * (`Subscription` fields taken from `subscriptions`, extra `Query` fields from `queries`), `people` adds a
 * federated field to `Call`.
 */
export function callsSupergraph({ subscriptions, queries = '' }: { subscriptions: string; queries?: string }): Composed {
  return compose({
    'call-events': `
      type Query {
        callEvent(id: ID!): CallEvent
        calls(status: String, first: Int = 10): [Call!]!
        call(id: ID!): Call
        ${queries}
      }
      type Call @key(fields: "id") { id: ID! status: String! }
      type CallEvent @key(fields: "id") { id: ID! type: String! call: Call! }
      type Subscription { ${subscriptions} }`,
    people: `
      type Query { me: User }
      type User @key(fields: "id") { id: ID! name: String! }
      type Call @key(fields: "id") { id: ID! status: String! @external assignee: User @requires(fields: "status") }`,
  });
}

/** Subscriptions as a subgraph should declare them: each non-leaf one with its lookup. */
export const WELL_DECLARED = `
  incomingCall: CallEvent! @hydrate(query: "callEvent")
  callList(status: String, first: Int = 10): [Call!]! @hydrate(query: "calls")
  ticks: Int!
  internalFeed: CallEvent! @inaccessible`;
