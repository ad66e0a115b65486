import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IdentitySigner, Role, type EntityChangeNotice, type Identity } from '@salesgraph/platform';
import { EntityCache, ENTITY_TTL_MS, SubgraphDataSource } from '@salesgraph/gateway';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { HeldSubgraph, managerIdentity, subgraphFetches } from './support/fetches.js';
import { stack } from './support/stack.js';
import { until } from './support/wait.js';

/**
 * The gateway keeps users and organizations it read from identity between requests, per view, and drops them on
 * the change feed's notices and on writes it sends: an update is visible on the next request, and no organization
 * is ever served another's entity.
 */
const LIST = '{ calls(first: 50) { nodes { callerNumber assignedUser { id firstName username } } } }';
const CREATE_CALL = 'mutation($input: CreateCallInput!) { createCall(input: $input) { id } }';
const UPDATE_USER = 'mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id firstName } }';

interface CallsPage {
  calls: { nodes: { callerNumber: string; assignedUser: { id: string; firstName: string | null; username: string } | null }[] };
}

describe('entity cache: users kept between requests', () => {
  let url: string;
  let admin: Account;
  let manager: Account;
  let agent: Account;
  const callerNumber = '+74957771234';

  const firstNameSeen = async () => {
    const page = await graphql<CallsPage>(url, LIST, {}, { token: manager.token });
    assert.ok(page.data, JSON.stringify(page.errors));
    return page.data.calls.nodes.find((c) => c.callerNumber === callerNumber)?.assignedUser?.firstName;
  };

  before(async () => {
    ({ url } = await stack());
    admin = await newOrganization(url);
    manager = await newMember(url, admin, 'MANAGER');
    agent = await newMember(url, admin, 'USER');
    const created = await graphql(url, CREATE_CALL, { input: { callerNumber, assignedUserId: agent.id } }, { token: admin.token });
    assert.ok(created.data, JSON.stringify(created.errors));
    const named = await graphql(url, UPDATE_USER, { id: agent.id, input: { firstName: 'Agata' } }, { token: admin.token });
    assert.ok(named.data, JSON.stringify(named.errors));
  });

  it('answers the assignees of a repeated list without asking identity again', async () => {
    assert.equal(await firstNameSeen(), 'Agata');
    const [fetched, cached] = [await subgraphFetches('identity', 'ok'), await subgraphFetches('identity', 'cached')];
    assert.equal(await firstNameSeen(), 'Agata');
    assert.equal(await subgraphFetches('identity', 'ok'), fetched, 'no identity fetch the second time');
    assert.equal(await subgraphFetches('identity', 'cached'), cached + 1);
  });

  it('shows an update through the gateway on the very next request', async () => {
    await firstNameSeen();
    const renamed = await graphql(url, UPDATE_USER, { id: agent.id, input: { firstName: 'Agnieszka' } }, { token: admin.token });
    assert.ok(renamed.data, JSON.stringify(renamed.errors));
    assert.equal(await firstNameSeen(), 'Agnieszka');
  });

  it('drops a user written elsewhere (another gateway, a job) once the feed tells it', async () => {
    assert.equal(await firstNameSeen(), 'Agnieszka');
    // Straight to the identity subgraph, as another replica would: this gateway's fetches never see the write.
    const { product, settings } = await stack();
    const query = `mutation { updateUser(id: "${agent.id}", input: { firstName: "Aurelia" }) { id } }`;
    const as: Identity = {
      kind: 'user',
      userId: Number(admin.id),
      organizationId: admin.organizationId,
      role: Role.ADMIN,
      sessionId: 'elsewhere',
    };
    const response = await product.subgraphs
      .get('identity')!
      .execute({ query }, new IdentitySigner(settings.gatewaySecret).sign(as, 'identity', { query }));
    assert.equal(response.body.kind, 'single');
    assert.equal(response.body.singleResult.errors, undefined, JSON.stringify(response.body.singleResult.errors));
    await until('the renamed user to show', async () => (await firstNameSeen()) === 'Aurelia', 2_000);
  });

  it('serves another organization none of these users, even asked by id', async () => {
    const other = await newOrganization(url);
    const page = await graphql<CallsPage>(url, LIST, {}, { token: other.token });
    assert.ok(page.data, JSON.stringify(page.errors));
    assert.ok(!page.data.calls.nodes.some((c) => c.assignedUser?.id === agent.id));
    const foreign = await graphql(url, 'query($id: ID!) { user(id: $id) { id } }', { id: agent.id }, { token: other.token });
    assert.equal(foreign.data?.user ?? null, null);
  });
});

/** A change feed the test writes to. */
class TestFeed {
  private readonly waiting: ((result: IteratorResult<EntityChangeNotice>) => void)[] = [];
  private readonly queued: EntityChangeNotice[] = [];
  push(notice: EntityChangeNotice): void {
    const next = this.waiting.shift();
    if (next) next({ value: notice, done: false });
    else this.queued.push(notice);
  }
  end(): void {
    for (const next of this.waiting.splice(0)) next({ value: undefined, done: true });
  }
  readonly changes = (): AsyncIterable<EntityChangeNotice> => ({
    [Symbol.asyncIterator]: () => ({
      next: () => {
        const queued = this.queued.shift();
        if (queued) return Promise.resolve({ value: queued, done: false });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    }),
  });
}

describe('entity cache, fetch by fetch', () => {
  const USERS =
    'query Users__identity__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id firstName } } }';
  const manager = managerIdentity;
  const user = (id: number) => ({ __typename: 'User', id: String(id) });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const setUp = async () => {
    const held = new HeldSubgraph();
    const feed = new TestFeed();
    const cache = new EntityCache('held', { fields: { User: ['id', 'firstName'] } }).follow(held, feed.changes);
    feed.push({ ready: true });
    await settle();
    const source = new SubgraphDataSource(held, cache);
    const fetchAs = (identity: Identity, ids: number[], query = USERS) =>
      source.process({
        request: { query, variables: { representations: ids.map(user) } },
        context: { identity },
      } as unknown as GraphQLDataSourceProcessOptions<never>);
    /** Answers the latest fetch with a name per representation asked. */
    const answer = (names: Record<string, string>, extensions?: Record<string, unknown>) => {
      const asked = held.asked.at(-1)!;
      const representations = asked.request.variables!.representations as { id: string }[];
      asked.answer({
        data: { _entities: representations.map(({ id }) => ({ id, firstName: names[id] })) },
        ...(extensions && { extensions }),
      });
    };
    return { held, feed, cache, fetchAs, answer };
  };

  it('keeps an entity per organization: another organization asking for the same representation gets its own', async () => {
    const { held, fetchAs, answer } = await setUp();
    const first = fetchAs(manager('o1', 1), [7]);
    await settle();
    answer({ 7: 'Olga' });
    assert.deepEqual((await first).data, { _entities: [{ id: '7', firstName: 'Olga' }] });
    assert.deepEqual((await fetchAs(manager('o1', 2), [7])).data, { _entities: [{ id: '7', firstName: 'Olga' }] }, 'kept for the view');
    assert.equal(held.asked.length, 1);

    const other = fetchAs(manager('o2', 3), [7]);
    await settle();
    assert.equal(held.asked.length, 2, 'the other organization fetches');
    assert.equal(held.asked[1].as.organizationId, 'o2');
    held.asked[1].answer({ data: { _entities: [null] } });
    assert.deepEqual((await other).data, { _entities: [null] });
    assert.deepEqual((await fetchAs(manager('o1', 1), [7])).data, { _entities: [{ id: '7', firstName: 'Olga' }] });
    assert.deepEqual((await fetchAs(manager('o2', 3), [7])).data, { _entities: [null] }, 'its own answer is kept for it');
  });

  it('fetches only the entities it does not hold, and answers in the order asked', async () => {
    const { held, fetchAs, answer } = await setUp();
    const first = fetchAs(manager('o1', 1), [1, 2]);
    await settle();
    answer({ 1: 'Ada', 2: 'Bea' });
    await first;
    const second = fetchAs(manager('o1', 1), [3, 2, 1]);
    await settle();
    assert.deepEqual(held.asked[1].request.variables!.representations, [user(3)]);
    answer({ 3: 'Cid' });
    assert.deepEqual((await second).data, {
      _entities: [
        { id: '3', firstName: 'Cid' },
        { id: '2', firstName: 'Bea' },
        { id: '1', firstName: 'Ada' },
      ],
    });
  });

  it('drops an entity on its notice, an organization on a write sent through it, and keeps no answer that raced either', async () => {
    const { held, feed, fetchAs, answer } = await setUp();
    const load = async (identity: Identity, names: Record<string, string>) => {
      const before = held.asked.length;
      const answered = fetchAs(identity, [1]);
      await settle();
      if (held.asked.length > before) answer(names);
      return (await answered).data;
    };
    await load(manager('o1', 1), { 1: 'Ada' });
    feed.push({ ready: false, typename: 'User', id: '1' });
    await settle();
    assert.deepEqual(await load(manager('o1', 1), { 1: 'Adele' }), { _entities: [{ id: '1', firstName: 'Adele' }] });

    // A write as o1 drops o1's entities; o2's stay.
    await load(manager('o2', 5), { 1: 'Other' });
    const asked = held.asked.length;
    const write = fetchAs(manager('o1', 1), [], 'mutation { touch }');
    await settle();
    held.asked.at(-1)!.answer({ data: { touch: true } });
    await write;
    assert.deepEqual(await load(manager('o1', 1), { 1: 'Adelina' }), { _entities: [{ id: '1', firstName: 'Adelina' }] });
    assert.deepEqual(await load(manager('o2', 5), { 1: 'Nobody' }), { _entities: [{ id: '1', firstName: 'Other' }] });
    assert.equal(held.asked.length, asked + 2, 'the write and o1’s fetch');

    // A fetch under way when a notice comes is answered, but not kept.
    feed.push({ ready: false, typename: 'User', id: '1' });
    await settle();
    const raced = fetchAs(manager('o1', 1), [1]);
    await settle();
    feed.push({ ready: false, typename: 'User', id: '9' });
    await settle();
    answer({ 1: 'Stale' });
    assert.deepEqual((await raced).data, { _entities: [{ id: '1', firstName: 'Stale' }] });
    assert.deepEqual(await load(manager('o1', 1), { 1: 'Fresh' }), { _entities: [{ id: '1', firstName: 'Fresh' }] });
  });

  it('keeps nothing of other fields, of answers that depended on who asked, or while its feed is down', async () => {
    const { held, feed, fetchAs, answer } = await setUp();
    const twice = async (identity: Identity, query: string, extensions?: Record<string, unknown>) => {
      const before = held.asked.length;
      for (let n = 0; n < 2; n++) {
        const answered = fetchAs(identity, [1], query);
        await settle();
        if (held.asked.length > before + n) answer({ 1: 'Ada' }, extensions);
        await answered;
      }
      return held.asked.length - before;
    };
    const withEmail = USERS.replace('firstName', 'firstName email');
    assert.equal(await twice(manager('o1', 1), withEmail), 2, 'email is not a kept field here');
    assert.equal(await twice(manager('o1', 1), USERS, { callerSpecific: true }), 2, 'caller-specific answers are not kept');
    feed.end();
    await settle();
    assert.equal(await twice(manager('o1', 2), USERS), 2, 'nothing kept while the feed is down');
  });

  it('forgets an entity after its time, should a change escape the feed', async () => {
    const cache = new EntityCache('held', { fields: { User: ['id'] } });
    const feed = new TestFeed();
    cache.follow(new HeldSubgraph(), feed.changes);
    feed.push({ ready: true });
    await settle();
    cache.put('k', 'User:1', 'o1', { id: '1' }, cache.mark());
    assert.deepEqual(cache.get('k'), { value: { id: '1' } });
    assert.equal(cache.get('k', Date.now() + ENTITY_TTL_MS), undefined);
    assert.equal(cache.size, 0);
    cache.close();
  });
});
