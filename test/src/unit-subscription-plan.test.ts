import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError, parse, print } from 'graphql';
import { SupergraphIndex, planSubscription, type SubscriptionPlan } from '@salesgraph/gateway';
import { WELL_DECLARED, callsSupergraph } from './support/supergraph.js';

/** One printing of a document, so expectations can be written by hand. */
const normal = (query: string) => print(parse(query));

describe('subscription planner (unit)', () => {
  const { apiSchema, supergraphSdl } = callsSupergraph({ subscriptions: WELL_DECLARED });
  const index = new SupergraphIndex(supergraphSdl);
  const plan = (query: string, variables: Record<string, unknown> = {}, operationName?: string): SubscriptionPlan =>
    planSubscription(apiSchema, index, parse(query), operationName, variables);

  it('an object: streams the event key upstream, and hydrates with the declared lookup keyed by it', () => {
    const planned = plan('subscription Ring { incomingCall { id type call { status assignee { name } } } }');
    assert.equal(planned.owner, 'call-events');
    assert.equal(planned.fieldName, 'incomingCall');
    assert.equal(planned.responseKey, 'incomingCall');
    assert.equal(planned.upstream.query, normal('subscription Ring { incomingCall { __typename id } }'));
    assert.deepEqual(planned.upstream.variables, {});
    assert.equal(planned.upstream.operationName, 'Ring');
    assert.ok(planned.hydration.kind === 'entity');
    assert.equal(planned.hydration.keyField, 'id');
    assert.equal(planned.hydration.keyVariable, 'subscriptionKey');
    assert.equal(planned.hydration.operationName, 'Ring');
    assert.equal(
      planned.hydration.query,
      normal(`query Ring($subscriptionKey: ID!) {
      incomingCall: callEvent(id: $subscriptionKey) { id type call { status assignee { name } } }
    }`),
    );
  });

  it('keeps aliases, fragments, directives and variables, taking only what the subscription uses', () => {
    const document = `
      subscription Aliased($withCall: Boolean!) {
        ringing: incomingCall { ...Ev call @include(if: $withCall) { ...CallFields } }
      }
      query Other($first: Int) { calls(first: $first) { ...Unrelated } }
      fragment Ev on CallEvent { eventId: id type }
      fragment CallFields on Call { status }
      fragment Unrelated on Call { id }`;
    const planned = plan(document, { withCall: true, first: 3 }, 'Aliased');
    assert.equal(planned.responseKey, 'ringing');
    assert.equal(planned.fieldName, 'incomingCall');
    // Upstream: no alias, no selection of the client's, so none of its variables.
    assert.equal(planned.upstream.query, normal('subscription Aliased { incomingCall { __typename id } }'));
    assert.deepEqual(planned.upstream.variables, {});
    assert.ok(planned.hydration.kind === 'entity');
    assert.equal(
      planned.hydration.query,
      normal(`
      query Aliased($subscriptionKey: ID!, $withCall: Boolean!) {
        ringing: callEvent(id: $subscriptionKey) { ...Ev call @include(if: $withCall) { ...CallFields } }
      }
      fragment Ev on CallEvent { eventId: id type }
      fragment CallFields on Call { status }`),
    );
    assert.deepEqual(planned.hydration.variables, { withCall: true });
  });

  it('keeps the key variable clear of the client’s own names', () => {
    const planned = plan('subscription($subscriptionKey: Boolean!) { incomingCall { call @include(if: $subscriptionKey) { id } } }', {
      subscriptionKey: false,
    });
    assert.ok(planned.hydration.kind === 'entity');
    assert.equal(planned.hydration.keyVariable, 'subscriptionKey_');
    assert.match(planned.hydration.query, /callEvent\(id: \$subscriptionKey_\)/);
    assert.deepEqual(planned.hydration.variables, { subscriptionKey: false });
  });

  it('an object whose lookup takes some of the subscription’s arguments: passes them on as the client wrote them', () => {
    const composed = callsSupergraph({
      subscriptions: 'mine(secret: String!, type: String): CallEvent! @hydrate(query: "myEvent")',
      queries: 'myEvent(secret: String!, id: ID!): CallEvent',
    });
    const mine = (query: string, variables: Record<string, unknown>) =>
      planSubscription(composed.apiSchema, new SupergraphIndex(composed.supergraphSdl), parse(query), undefined, variables);
    const planned = mine('subscription Mine($s: String!, $t: String) { mine(secret: $s, type: $t) { type } }', { s: 'sesame', t: 'ring' });
    assert.equal(
      planned.upstream.query,
      normal('subscription Mine($s: String!, $t: String) { mine(secret: $s, type: $t) { __typename id } }'),
    );
    assert.ok(planned.hydration.kind === 'entity');
    assert.equal(
      planned.hydration.query,
      normal('query Mine($subscriptionKey: ID!, $s: String!) { mine: myEvent(id: $subscriptionKey, secret: $s) { type } }'),
    );
    assert.deepEqual(planned.hydration.variables, { s: 'sesame' });
    const literal = mine('subscription { mine(secret: "open") { type } }', {});
    assert.ok(literal.hydration.kind === 'entity');
    assert.match(literal.hydration.query, /myEvent\(id: \$subscriptionKey, secret: "open"\)/);
  });

  it('a list: re-reads the declared Query field with the subscription’s arguments, under the client’s key', () => {
    const planned = plan(
      'subscription Board($status: String, $withAssignee: Boolean!) { board: callList(status: $status) { id assignee @include(if: $withAssignee) { name } } }',
      { status: 'incoming', withAssignee: false },
    );
    assert.equal(planned.responseKey, 'board');
    // Upstream gets the arguments (the subgraph filters by them), and selects nothing of the client's.
    assert.equal(planned.upstream.query, normal('subscription Board($status: String) { callList(status: $status) { __typename } }'));
    assert.deepEqual(planned.upstream.variables, { status: 'incoming' });
    assert.ok(planned.hydration.kind === 'list');
    assert.equal(
      planned.hydration.query,
      normal(`
      query Board($status: String, $withAssignee: Boolean!) {
        board: calls(status: $status) { id assignee @include(if: $withAssignee) { name } }
      }`),
    );
    assert.deepEqual(planned.hydration.variables, { status: 'incoming', withAssignee: false });
  });

  it('a list with literal arguments passes them on as they are', () => {
    const planned = plan('subscription { callList(first: 5) { id } }');
    assert.ok(planned.hydration.kind === 'list');
    assert.equal(planned.hydration.query, normal('query { callList: calls(first: 5) { id } }'));
    assert.equal(planned.upstream.query, normal('subscription { callList(first: 5) { __typename } }'));
  });

  it('a scalar: streams the value itself, with nothing to hydrate', () => {
    const planned = plan('subscription Tick { count: ticks }');
    assert.deepEqual(planned.hydration, { kind: 'value' });
    assert.equal(planned.responseKey, 'count');
    assert.equal(planned.upstream.query, normal('subscription Tick { ticks }'));
  });

  it('follows root-level fragments to the one root field', () => {
    const planned = plan('subscription { ...Root } fragment Root on Subscription { incomingCall { id } }');
    assert.equal(planned.fieldName, 'incomingCall');
    assert.ok(planned.hydration.kind === 'entity');
  });

  it('refuses a subscription whose field declares no lookup, naming the field (BAD_REQUEST)', () => {
    const bare = callsSupergraph({ subscriptions: 'callRinging: CallEvent!' });
    assert.throws(
      () =>
        planSubscription(bare.apiSchema, new SupergraphIndex(bare.supergraphSdl), parse('subscription { callRinging { id } }'), undefined),
      (error: unknown) =>
        error instanceof GraphQLError &&
        error.extensions.code === 'BAD_REQUEST' &&
        error.message === 'Subscription.callRinging returns CallEvent but declares no @hydrate lookup',
    );
  });

  it('no longer guesses a lookup by name: a Query field of the same name is not used without a declaration', () => {
    const bare = callsSupergraph({ subscriptions: 'calls(status: String, first: Int = 10): [Call!]!' });
    assert.throws(
      () => planSubscription(bare.apiSchema, new SupergraphIndex(bare.supergraphSdl), parse('subscription { calls { id } }'), undefined),
      /Subscription\.calls returns \[Call\] but declares no @hydrate lookup/,
    );
  });

  it('refuses operations that are not subscriptions, and fields it does not know', () => {
    assert.throws(() => plan('query { me { id } }'), /Not a subscription operation/);
    assert.throws(() => plan('subscription { nope }'), /Unknown subscription field "nope"/);
  });
});
