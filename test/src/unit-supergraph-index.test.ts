import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildSchema, parse } from 'graphql';
import { SupergraphIndex } from '@salesgraph/gateway';
import { WELL_DECLARED, callsSupergraph } from './support/supergraph.js';

const schemaFile = (name: string) => readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8');

describe('supergraph index (unit)', () => {
  const { supergraphSdl } = callsSupergraph({ subscriptions: WELL_DECLARED });
  const index = new SupergraphIndex(supergraphSdl);

  it('names the subgraph serving a field by its join__graph name, not the enum value', () => {
    assert.match(supergraphSdl, /CALL_EVENTS @join__graph\(name: "call-events"/);
    assert.equal(index.ownerOf('Subscription', 'incomingCall'), 'call-events');
    assert.equal(index.ownerOf('Query', 'callEvent'), 'call-events');
    assert.equal(index.ownerOf('Query', 'me'), 'people');
  });

  it('takes the owner from the field, else from the type when a single subgraph has it', () => {
    assert.equal(index.ownerOf('Call', 'assignee'), 'people', 'join__field on a type two subgraphs share');
    assert.equal(index.ownerOf('User', 'name'), 'people', 'only join__type');
    assert.equal(index.ownerOf('CallEvent', 'type'), 'call-events');
  });

  it('has no owner for a field several subgraphs serve, nor for what the supergraph lacks', () => {
    assert.equal(index.ownerOf('Call', 'id'), undefined, 'the key both subgraphs resolve');
    assert.equal(index.ownerOf('Nothing', 'here'), undefined);
    assert.equal(index.ownerOf('Query', 'nothing'), undefined);
  });

  it('does not count a subgraph that only references a field (@external)', () => {
    assert.match(supergraphSdl, /status: String! @join__field\(graph: CALL_EVENTS\) @join__field\(graph: PEOPLE, external: true\)/);
    assert.equal(index.ownerOf('Call', 'status'), 'call-events');
  });

  it('reads the lookup each subscription declares (@hydrate), and none where there is none', () => {
    assert.equal(index.hydrationOf('Subscription', 'incomingCall'), 'callEvent');
    assert.equal(index.hydrationOf('Subscription', 'callList'), 'calls');
    assert.equal(index.hydrationOf('Subscription', 'ticks'), undefined);
    assert.equal(index.hydrationOf('Query', 'callEvent'), undefined);
  });

  it('takes a parsed document as well as SDL', () => {
    const parsed = new SupergraphIndex(parse(supergraphSdl));
    assert.equal(parsed.ownerOf('Query', 'me'), 'people');
    assert.equal(parsed.hydrationOf('Subscription', 'incomingCall'), 'callEvent');
  });

  it('reads the committed supergraph: every client subscription has its owner and lookup', () => {
    const real = new SupergraphIndex(schemaFile('supergraph.graphql'));
    assert.equal(real.ownerOf('Query', 'me'), 'identity');
    assert.equal(real.ownerOf('Mutation', 'createCall'), 'calls');
    // Each client subscription: its subgraph, and the query that hydrates its events (lists hydrate by their own name).
    const calls = (hydration = 'callEvent') => ['calls', hydration];
    const expected: Record<string, (string | undefined)[]> = {
      incomingCall: calls(),
      callAnswered: calls(),
      callEnded: calls(),
      callNotesUpdated: calls(),
      callHoldChanged: calls(),
      incomingTransfer: calls(),
      transferInitiated: calls(),
      activeCalls: calls('activeCalls'),
      leadCreated: ['leads', 'lead'],
      leadUpdated: ['leads', 'lead'],
      leadMessageAdded: ['leads', 'conversationMessage'],
      campaignUpdated: ['leads', 'campaign'],
      leadImportProgress: ['leads', 'leadImport'],
      dialogMessageAdded: ['funnels', 'dialogMessage'],
      dialogUpdated: ['funnels', 'dialog'],
      ticketMessageAdded: ['support', 'ticketMessage'],
      ticketUpdated: ['support', 'ticket'],
      widgetMessageAdded: ['funnels', 'widgetMessage'],
      // The answer itself, piece by piece (a scalar): passed on as it is, nothing to hydrate.
      chatCompletionStream: ['ai', undefined],
      chatMessageStream: ['ai', undefined],
      integrationEventReceived: ['ai', 'integrationEvent'],
    };
    const subscriptions = buildSchema(schemaFile('api.graphql')).getSubscriptionType()!.getFields();
    for (const field of Object.values(subscriptions)) {
      assert.ok(expected[field.name], `${field.name} is not listed here: add its owner and hydration`);
      assert.deepEqual(
        [real.ownerOf('Subscription', field.name), real.hydrationOf('Subscription', field.name)],
        expected[field.name],
        field.name,
      );
    }
    // Public (no @authorized): anonymous connections may start it; the others need a caller signed in.
    assert.equal(real.isPublic('Subscription', 'widgetMessageAdded'), true);
    assert.equal(real.isPublic('Subscription', 'dialogMessageAdded'), false);
    assert.equal(real.ownerOf('Subscription', 'credentialsRevoked'), 'identity', 'internal, but owned all the same');
    assert.equal(real.hydrationOf('Subscription', 'credentialsRevoked'), undefined);
  });

  it('reads the committed supergraph: what each subgraph contributes to the screen-pop', () => {
    const real = new SupergraphIndex(schemaFile('supergraph.graphql'));
    const sdl = schemaFile('supergraph.graphql');
    // The phone each contribution requires stays its owner's: the subgraph that requires it only declares it @external.
    assert.equal(real.ownerOf('Call', 'callerE164'), 'calls');
    assert.equal(real.ownerOf('Lead', 'phoneE164'), 'leads');
    assert.equal(real.ownerOf('Lead', 'calls'), 'calls');
    assert.equal(real.ownerOf('Call', 'lead'), 'calls');
    assert.equal(real.ownerOf('Call', 'dialogs'), 'funnels');
    assert.equal(real.ownerOf('Lead', 'dialogs'), 'funnels');
    assert.match(sdl, /\): \[Dialog!\]! @join__field\(graph: FUNNELS, requires: "callerE164"\)/);
    assert.match(sdl, /\): \[Dialog!\]! @join__field\(graph: FUNNELS, requires: "phoneE164"\)/);
  });
});
