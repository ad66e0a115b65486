/**
 * The frameworks alone, serving the throughput bench's list: what the product's architecture allows before any
 * code of ours runs. An Apollo Server with `@apollo/gateway` over two subgraphs built as ours are (type-graphql
 * classes, `@apollo/subgraph`), executed in this process by `graphql`'s `execute` on documents parsed and
 * validated once (lighter than our in-process client: no per-subgraph request pipeline, and lighter than the
 * gateway's `LocalGraphQLDataSource`, which parses and validates every fetch). Rows are held in memory: no database, no
 * ORM, no sign-in, no identity signing, no limits, no logs. Its req/s bounds what any work on our own code can
 * reach on this machine.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  Arg,
  buildSchema,
  type BuildSchemaOptions,
  createResolversMap,
  Directive,
  Field,
  ID,
  Int,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
class UserRef {
  @Field(() => ID) id!: string;
}

@ObjectType('Call')
class FloorCall {
  @Field(() => ID) id!: number;
  @Field() callerNumber!: string;
  @Field() status!: string;
  @Field() startedAt!: Date;
  @Field(() => UserRef, { nullable: true }) assignedUser!: UserRef | null;
}

@ObjectType('CallConnection')
class FloorCallConnection {
  @Field(() => [FloorCall]) nodes!: FloorCall[];
  @Field(() => Int) totalCount!: number;
}

@Directive('@key(fields: "id")')
@ObjectType('User')
class FloorUser {
  @Field(() => ID) id!: string;
  @Field() firstName!: string;
  @Field() lastName!: string;
}

const USERS = new Map(
  Array.from({ length: 10 }, (_, n) => [String(n + 1), { id: String(n + 1), firstName: 'MANAGER', lastName: `No. ${n}` }]),
);
const CALLS: FloorCall[] = Array.from({ length: 200 }, (_, n) => ({
  id: n + 1,
  callerNumber: `+7495${1_000_000 + n}`,
  status: 'INCOMING',
  startedAt: new Date(Date.UTC(2026, 10, 1, 9, 0, n)),
  assignedUser: { id: String((n % USERS.size) + 1) },
}));

@Resolver()
class FloorCallsResolver {
  @Query(() => FloorCallConnection)
  calls(@Arg('first', () => Int, { nullable: true }) first: number | null): FloorCallConnection {
    // A fresh array and fresh objects per request, as rows read from a database would be.
    return { nodes: CALLS.slice(0, first ?? 20).map((call) => ({ ...call })), totalCount: CALLS.length };
  }
}

@Resolver()
class FloorUsersResolver {
  @Query(() => FloorUser, { nullable: true })
  user(@Arg('id', () => ID) id: string): FloorUser | null {
    return USERS.get(id) ?? null;
  }
}

async function subgraph(resolvers: BuildSchemaOptions['resolvers'], references = {}): Promise<{ schema: GraphQLSchema; typeDefs: string }> {
  // No field here is @Authorized; the checker is required only because the product's resolvers are loaded beside these.
  const built = await buildSchema({ resolvers, orphanedTypes: [], skipCheck: true, validate: false, authChecker: () => true });
  const typeDefs = `${LINK}\n${printSchemaWithDirectives(built)}`;
  const schema = buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: { ...createResolversMap(built), ...references } as never }]);
  return { schema, typeDefs };
}

/** A subgraph executed in this process, each distinct query parsed and validated once. */
class InProcessSubgraph implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly schema: GraphQLSchema) {}

  async process({ request }: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const query = request.query!;
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      const errors = validate(this.schema, document);
      if (errors.length) return { errors };
      this.documents.set(query, document);
    }
    return execute({ schema: this.schema, document, variableValues: request.variables, contextValue: {} });
  }
}

export interface FrameworkFloor {
  url: string;
  close(): Promise<void>;
}

/** Starts the floor stack on a free loopback port; it answers `{ calls(first:) { nodes { … assignedUser { id firstName lastName } } } }`. */
export async function startFrameworkFloor(): Promise<FrameworkFloor> {
  const calls = await subgraph([FloorCallsResolver]);
  const identity = await subgraph([FloorUsersResolver], {
    User: { __resolveReference: (reference: { id: string }) => USERS.get(reference.id) ?? null },
  });
  const schemas: Record<string, GraphQLSchema> = { calls: calls.schema, identity: identity.schema };
  const composed = composeServices([
    { name: 'calls', url: 'local://calls', typeDefs: parse(calls.typeDefs) },
    { name: 'identity', url: 'local://identity', typeDefs: parse(identity.typeDefs) },
  ]);
  if (composed.errors) throw new Error(`framework floor: composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name }) => new InProcessSubgraph(schemas[name]),
  });
  const apollo = new ApolloServer({ gateway, introspection: false });
  await apollo.start();
  // Node's own HTTP server, read and answered by hand: lighter than the Express integration the product uses.
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: req.method ?? 'POST',
            headers,
            search: '',
            body: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown,
          },
          context: async () => ({}),
        })
        .then(({ status, headers: answerHeaders, body }) => {
          res.statusCode = status ?? 200;
          for (const [name, value] of answerHeaders) res.setHeader(name, value);
          res.end(body.kind === 'complete' ? body.string : '');
        })
        .catch((error: Error) => {
          res.statusCode = 500;
          res.end(error.message);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}
