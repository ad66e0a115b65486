import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, parse } from 'graphql';
import { Arg, Field, ID, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { EventBus, Hydrate, buildFederatedSchema, type SubgraphClient } from '@salesgraph/platform';
import {
  SchemaRegistry,
  SubscriptionHydrationError,
  assertSubscriptionsHydrate,
  createGatewayServer,
  subscriptionHydrationProblems,
} from '@salesgraph/gateway';
import { WELL_DECLARED, callsSupergraph, type Composed } from './support/supergraph.js';

const schemaFile = (name: string) => readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8');
const problemsOf = ({ apiSchema, supergraphSdl }: Composed) => subscriptionHydrationProblems(apiSchema, supergraphSdl);
/** The problems of a supergraph whose only client subscription is `field`. */
const problemsWith = (field: string, queries?: string) => problemsOf(callsSupergraph({ subscriptions: field, queries }));

describe('subscription lookups are checked (unit)', () => {
  it('passes the committed supergraph, and a well-declared one', () => {
    assert.deepEqual(subscriptionHydrationProblems(buildSchema(schemaFile('api.graphql')), schemaFile('supergraph.graphql')), []);
    assert.deepEqual(problemsOf(callsSupergraph({ subscriptions: WELL_DECLARED })), []);
  });

  it('needs nothing of scalars, nor of subscriptions clients cannot select (@inaccessible)', () => {
    assert.deepEqual(problemsWith('ticks: Int! status: String'), []);
    assert.deepEqual(problemsWith('ticks: Int! internalFeed: CallEvent! @inaccessible'), []);
  });

  it('names an object or list subscription that declares no lookup', () => {
    assert.deepEqual(problemsWith('callRinging: CallEvent!'), [
      'Subscription.callRinging returns CallEvent but declares no @hydrate lookup',
    ]);
    assert.deepEqual(problemsWith('board(status: String): [Call!]!'), [
      'Subscription.board returns [Call] but declares no @hydrate lookup',
    ]);
  });

  it('names a lookup clients cannot call: missing, or @inaccessible', () => {
    assert.deepEqual(problemsWith('callRinging: CallEvent! @hydrate(query: "callEvnt")'), [
      'Subscription.callRinging declares @hydrate(query: "callEvnt") but clients have no Query.callEvnt',
    ]);
    assert.deepEqual(
      problemsWith('callRinging: CallEvent! @hydrate(query: "hiddenEvent")', 'hiddenEvent(id: ID!): CallEvent @inaccessible'),
      ['Subscription.callRinging declares @hydrate(query: "hiddenEvent") but clients have no Query.hiddenEvent'],
    );
  });

  it('names a lookup returning another type, or a list where an object is streamed (and back)', () => {
    assert.deepEqual(problemsWith('callRinging: CallEvent! @hydrate(query: "call")'), [
      'Subscription.callRinging declares @hydrate(query: "call") but Query.call returns Call, not CallEvent',
    ]);
    assert.deepEqual(problemsWith('callRinging: Call! @hydrate(query: "calls")'), [
      'Subscription.callRinging declares @hydrate(query: "calls") but Query.calls returns [Call!]!, not Call',
    ]);
    assert.deepEqual(problemsWith('board: [Call!]! @hydrate(query: "call")'), [
      'Subscription.board declares @hydrate(query: "call") but Query.call returns Call, not [Call]',
    ]);
  });

  it('names an object lookup that does not take exactly one ID! named after a field of the type', () => {
    const takes = (args: string) => problemsWith('callRinging: CallEvent! @hydrate(query: "eventBy")', `eventBy(${args}): CallEvent`);
    assert.deepEqual(takes('id: ID'), [
      'Subscription.callRinging declares @hydrate(query: "eventBy") but Query.eventBy must take exactly one argument of type ID!, besides any of the subscription\'s own, and takes (id: ID)',
    ]);
    assert.deepEqual(takes('id: String!'), [
      'Subscription.callRinging declares @hydrate(query: "eventBy") but Query.eventBy must take exactly one argument of type ID!, besides any of the subscription\'s own, and takes (id: String!)',
    ]);
    assert.deepEqual(takes('id: ID!, type: String'), [
      'Subscription.callRinging declares @hydrate(query: "eventBy") but Query.eventBy must take exactly one argument of type ID!, besides any of the subscription\'s own, and takes (id: ID!, type: String)',
    ]);
    assert.deepEqual(takes('ref: ID!'), [
      'Subscription.callRinging declares @hydrate(query: "eventBy") but CallEvent has no scalar field "ref" for the event to name its CallEvent by',
    ]);
    assert.deepEqual(takes('call: ID!'), [
      'Subscription.callRinging declares @hydrate(query: "eventBy") but CallEvent has no scalar field "call" for the event to name its CallEvent by',
    ]);
  });

  it('passes an object lookup the subscription’s own arguments it takes besides its key (a secret of the subscriber’s)', () => {
    const mine = (subscriptionArgs: string, queryArgs: string) =>
      problemsWith(`mine${subscriptionArgs}: CallEvent! @hydrate(query: "myEvent")`, `myEvent${queryArgs}: CallEvent`);
    assert.deepEqual(mine('(secret: String!)', '(secret: String!, id: ID!)'), []);
    assert.deepEqual(mine('(secret: String!, callId: ID)', '(secret: String!, id: ID!)'), [], 'not every argument need be passed');
    assert.deepEqual(mine('(callId: ID!)', '(callId: ID!, id: ID!)'), [], 'of two ID! arguments, the key is the one not passed');
    assert.deepEqual(mine('(id: ID!)', '(id: ID!)'), [], 'a single ID! is the key, even when the subscription takes one too');
    assert.deepEqual(mine('(secret: String)', '(secret: String!, id: ID!)'), [
      'Subscription.mine declares @hydrate(query: "myEvent") but its argument "secret" is String and Query.myEvent\'s is String!',
    ]);
    assert.deepEqual(mine('(first: Int = 5)', '(first: Int = 10, id: ID!)'), [
      'Subscription.mine declares @hydrate(query: "myEvent") but its argument "first" defaults otherwise than Query.myEvent\'s',
    ]);
    assert.deepEqual(mine('(secret: String!)', '(token: String!, id: ID!)'), [
      'Subscription.mine declares @hydrate(query: "myEvent") but Query.myEvent must take exactly one argument of type ID!, besides any of the subscription\'s own, and takes (token: String!, id: ID!)',
    ]);
    assert.deepEqual(mine('', '(a: ID!, b: ID!)'), [
      'Subscription.mine declares @hydrate(query: "myEvent") but Query.myEvent must take exactly one argument of type ID!, besides any of the subscription\'s own, and takes (a: ID!, b: ID!)',
    ]);
  });

  it('names a list lookup that cannot take the subscription’s arguments as they are', () => {
    const board = (subscriptionArgs: string, queryArgs: string) =>
      problemsWith(`board${subscriptionArgs}: [Call!]! @hydrate(query: "board")`, `board${queryArgs}: [Call!]!`);
    assert.deepEqual(board('(status: String)', '(status: String)'), []);
    assert.deepEqual(board('(status: String)', ''), [
      'Subscription.board declares @hydrate(query: "board") but Query.board has no argument "status" to pass the subscription\'s on',
    ]);
    assert.deepEqual(board('(status: String)', '(status: Int)'), [
      'Subscription.board declares @hydrate(query: "board") but its argument "status" is String and Query.board\'s is Int',
    ]);
    assert.deepEqual(board('(first: Int = 5)', '(first: Int = 10)'), [
      'Subscription.board declares @hydrate(query: "board") but its argument "first" defaults otherwise than Query.board\'s',
    ]);
    assert.deepEqual(board('', '(status: String!)'), [
      'Subscription.board declares @hydrate(query: "board") but Query.board requires an argument "status" that the subscription does not take',
    ]);
    assert.deepEqual(board('(status: String!)', '(status: String!, first: Int)'), [], 'optional extra arguments are left out');
  });

  it('names a scalar subscription that declares a lookup it would never use', () => {
    assert.deepEqual(problemsWith('ticks: Int! @hydrate(query: "calls")'), [
      'Subscription.ticks returns Int, delivered as it is, but declares @hydrate(query: "calls")',
    ]);
  });

  it('throws one error naming every offending field', () => {
    const composed = callsSupergraph({ subscriptions: 'callRinging: CallEvent! ticks: Int! board: [Call!]! @hydrate(query: "nope")' });
    assert.throws(
      () => assertSubscriptionsHydrate(composed.apiSchema, composed.supergraphSdl),
      (error: unknown) => {
        assert.ok(error instanceof SubscriptionHydrationError);
        assert.equal(error.problems.length, 2);
        assert.match(error.message, /Subscription\.callRinging returns CallEvent but declares no @hydrate lookup/);
        assert.match(error.message, /Subscription\.board declares @hydrate\(query: "nope"\)/);
        assert.doesNotMatch(error.message, /ticks/);
        return true;
      },
    );
  });

  it('the gateway refuses such a supergraph when it loads it: its schema registry, and its start', async () => {
    const bad = callsSupergraph({ subscriptions: 'callRinging: CallEvent!' });
    const registry = new SchemaRegistry();
    assert.throws(
      () => registry.update({ apiSchema: bad.apiSchema, coreSupergraphSdl: bad.supergraphSdl }),
      /Subscription\.callRinging returns CallEvent/,
    );
    const current = () => registry.current;
    assert.equal(current(), undefined);

    const clients = new Map(['call-events', 'people'].map((name) => [name, { name } as SubgraphClient]));
    const silenced = console.error;
    console.error = () => undefined; // Apollo Gateway logs what the listener threw before the start fails on it.
    try {
      const apollo = createGatewayServer({
        clients,
        production: false,
        supergraphSdl: bad.supergraphSdl,
        onSchemaLoadOrUpdate: registry.update,
      });
      await assert.rejects(apollo.start(), /Subscription\.callRinging returns CallEvent but declares no @hydrate lookup/);
    } finally {
      console.error = silenced;
    }

    const good = callsSupergraph({ subscriptions: WELL_DECLARED });
    const apollo = createGatewayServer({
      clients,
      production: false,
      supergraphSdl: good.supergraphSdl,
      onSchemaLoadOrUpdate: registry.update,
    });
    await apollo.start();
    try {
      assert.equal(current()?.index.hydrationOf('Subscription', 'incomingCall'), 'callEvent');
    } finally {
      await apollo.stop();
    }
  });
});

@ObjectType('UnitTicket')
class UnitTicket {
  @Field(() => ID) id!: string;
  @Field() title!: string;
}

@Resolver()
class UnitTicketResolver {
  @Query(() => UnitTicket, { nullable: true })
  unitTicket(@Arg('id', () => ID) _id: string): UnitTicket | null {
    return null;
  }

  @Hydrate('unitTicket')
  @Subscription(() => UnitTicket, { topics: 'UNIT_TICKET_OPENED' })
  unitTicketOpened(@Root() ticket: UnitTicket): UnitTicket {
    return ticket;
  }

  @Subscription(() => UnitTicket, { topics: 'UNIT_TICKET_CLOSED' })
  unitTicketClosed(@Root() ticket: UnitTicket): UnitTicket {
    return ticket;
  }
}

describe('@Hydrate (unit)', () => {
  it('puts @hydrate(query:) on the subscription, through composition into the supergraph', async () => {
    const schema = await buildFederatedSchema({ resolvers: [UnitTicketResolver], pubSub: new EventBus('unit_hydrate').pubSub });
    const sdl = printSubgraphSchema(schema);
    assert.match(sdl, /unitTicketOpened: UnitTicket! @hydrate\(query: "unitTicket"\)/);
    const composed = composeServices([{ name: 'tickets', url: 'http://tickets/graphql', typeDefs: parse(sdl) }]);
    assert.equal(composed.errors, undefined, String(composed.errors));
    assert.match(composed.supergraphSdl, /unitTicketOpened: UnitTicket! @hydrate\(query: "unitTicket"\)/);
    assert.deepEqual(subscriptionHydrationProblems(composed.schema.toAPISchema().toGraphQLJSSchema(), composed.supergraphSdl), [
      'Subscription.unitTicketClosed returns UnitTicket but declares no @hydrate lookup',
    ]);
  });

  it('takes only the name of a Query field', () => {
    assert.throws(() => Hydrate('call Event'), /@Hydrate needs the name of a Query field, not "call Event"/);
    assert.throws(() => Hydrate('callEvent(id: 1)'), /not "callEvent\(id: 1\)"/);
  });
});
