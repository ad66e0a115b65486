import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IdentitySigner, Role, type Identity, type SubgraphResponse } from '@salesgraph/platform';
import { SubgraphDataSource } from '@salesgraph/gateway';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { HeldSubgraph, managerIdentity, subgraphFetches } from './support/fetches.js';
import { stack, usingServer } from './support/stack.js';

/**
 * The gateway sends identical subgraph queries under way at once only once, and hands the answer to the callers
 * who read the same thing: the very same identity, or callers of one organization and organization-wide role.
 * Never across organizations or to another caller when the answer depended on who asked.
 */
const LIST = '{ calls(first: 50) { totalCount nodes { id callerNumber assignedUser { id username } } } }';
const CREATE_CALL = 'mutation($input: CreateCallInput!) { createCall(input: $input) { id } }';

interface CallsPage {
  calls: { totalCount: number; nodes: { id: string; callerNumber: string; assignedUser: { id: string; username: string } | null }[] };
}

describe('in-flight sharing of subgraph fetches', () => {
  let url: string;
  const organizations: { admin: Account; managers: Account[]; agents: Account[]; numbers: Set<string> }[] = [];

  before(async () => {
    ({ url } = await stack());
    for (let o = 0; o < 2; o++) {
      const admin = await newOrganization(url);
      const managers = [
        await newMember(url, admin, 'MANAGER'),
        await newMember(url, admin, 'MANAGER'),
        await newMember(url, admin, 'MANAGER'),
      ];
      const agents = [await newMember(url, admin, 'USER'), await newMember(url, admin, 'USER')];
      const numbers = new Set<string>();
      for (let n = 0; n < 6; n++) {
        const callerNumber = `+7495${String(2_000_000 + o * 100 + n)}`;
        const created = await graphql(
          url,
          CREATE_CALL,
          { input: { callerNumber, assignedUserId: agents[n % 2].id } },
          { token: admin.token },
        );
        assert.ok(created.data, JSON.stringify(created.errors));
        numbers.add(callerNumber);
      }
      organizations.push({ admin, managers, agents, numbers });
    }
  });

  it('managers of one organization share one fetch; the other organization never gets their rows', async () => {
    const before = { calls: await subgraphFetches('calls', 'shared'), identity: await subgraphFetches('identity', 'shared') };
    const callers = organizations.flatMap((org, o) =>
      org.managers.flatMap((m) => Array.from({ length: 4 }, () => ({ o, token: m.token }))),
    );
    const answers = await Promise.all(
      callers.map(async ({ o, token }) => ({ o, result: await graphql<CallsPage>(url, LIST, {}, { token }) })),
    );
    for (const { o, result } of answers) {
      assert.ok(result.data, JSON.stringify(result.errors));
      const seen = new Set(result.data.calls.nodes.map((c) => c.callerNumber));
      assert.deepEqual(seen, organizations[o].numbers, `organization ${o} sees exactly its own calls`);
      const ownAgents = new Set(organizations[o].agents.map((a) => a.id));
      for (const call of result.data.calls.nodes)
        assert.ok(ownAgents.has(call.assignedUser!.id), 'assignees come from the same organization');
      assert.equal(
        (result as { extensions?: Record<string, unknown> }).extensions?.callerSpecific,
        undefined,
        'the marker stays between gateway and subgraphs',
      );
    }
    // The embedded database answers without a trip through the event loop, so there requests never overlap.
    if (usingServer) {
      assert.ok(
        (await subgraphFetches('calls', 'shared')) > before.calls,
        `some of ${callers.length} identical lists shared a calls fetch`,
      );
      assert.ok((await subgraphFetches('identity', 'shared')) > before.identity, 'and the assignees’ fetch');
    }
  });

  it('a subgraph marks the answers that depended on who exactly asked', async () => {
    const { product, settings } = await stack();
    const signer = new IdentitySigner(settings.gatewaySecret);
    const ask = async (subgraph: string, account: Account, role: Role, query: string) => {
      const identity: Identity = {
        kind: 'user',
        userId: Number(account.id),
        organizationId: account.organizationId,
        role,
        sessionId: 'session',
      };
      const response = await product.subgraphs.get(subgraph)!.execute({ query }, signer.sign(identity, subgraph, { query }));
      assert.equal(response.body.kind, 'single');
      const { data, errors, extensions } = response.body.singleResult;
      assert.ok(data, JSON.stringify(errors));
      return extensions?.callerSpecific;
    };
    const [org] = organizations;
    assert.equal(await ask('identity', org.managers[0], Role.MANAGER, '{ me { id } }'), true);
    assert.equal(
      await ask('calls', org.managers[0], Role.MANAGER, '{ calls(first: 5) { nodes { id } } }'),
      undefined,
      'a manager’s list is the organization’s',
    );
    assert.equal(
      await ask('calls', org.agents[0], Role.USER, '{ calls(first: 5) { nodes { id } } }'),
      true,
      'an agent’s list is their own',
    );
  });

  it('an answer that depended on who asked is never handed to another caller of the same role', async () => {
    const [org] = organizations;
    const asked = org.managers.flatMap((m) => Array.from({ length: 4 }, () => m));
    const answers = await Promise.all(
      asked.map((m) => graphql<{ me: { id: string } }>(url, '{ me { id username } }', {}, { token: m.token })),
    );
    answers.forEach((result, i) => {
      assert.ok(result.data, JSON.stringify(result.errors));
      assert.equal(result.data.me.id, asked[i].id, 'each manager reads themselves');
    });
  });

  it('callers who see only their own rows share only with themselves', async () => {
    const [org] = organizations;
    const asked = org.agents.flatMap((a) => Array.from({ length: 4 }, () => a));
    const answers = await Promise.all(asked.map((a) => graphql<CallsPage>(url, LIST, {}, { token: a.token })));
    answers.forEach((result, i) => {
      assert.ok(result.data, JSON.stringify(result.errors));
      assert.equal(result.data.calls.totalCount, 3);
      for (const call of result.data.calls.nodes)
        assert.equal(call.assignedUser!.id, asked[i].id, 'an agent sees only calls assigned to them');
    });
  });

  it('writes are never shared, and the next read sees them', async () => {
    const [org] = organizations;
    const callerNumber = `+7495${String(2_000_500)}`;
    const input = { callerNumber, assignedUserId: org.agents[0].id };
    const created = await Promise.all([0, 1].map(() => graphql(url, CREATE_CALL, { input }, { token: org.admin.token })));
    for (const result of created) assert.ok(result.data, JSON.stringify(result.errors));
    assert.notEqual(created[0].data.createCall.id, created[1].data.createCall.id, 'two identical mutations create two calls');
    const after = await graphql<CallsPage>(url, LIST, {}, { token: org.managers[0].token });
    assert.equal(after.data!.calls.nodes.filter((c) => c.callerNumber === callerNumber).length, 2);
    assert.equal(after.data!.calls.totalCount, org.numbers.size + 2);
  });
});

describe('in-flight sharing, fetch by fetch', () => {
  const manager = managerIdentity;
  const agent = (userId: number): Identity => ({ kind: 'user', organizationId: 'o1', userId, role: Role.USER, sessionId: `s${userId}` });
  const fetchAs = (source: SubgraphDataSource, identity: Identity, query = '{ calls { id } }') =>
    source.process({ request: { query, variables: {} }, context: { identity } } as unknown as GraphQLDataSourceProcessOptions<never>);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('joins callers of one organization and role, and hands each its own copy', async () => {
    const held = new HeldSubgraph();
    const source = new SubgraphDataSource(held);
    const answers = [fetchAs(source, manager('o1', 1)), fetchAs(source, manager('o1', 2)), fetchAs(source, manager('o2', 3))];
    await settle();
    assert.equal(held.asked.length, 2, 'one fetch per organization');
    assert.deepEqual(
      held.asked.map((a) => a.as.organizationId),
      ['o1', 'o2'],
    );
    held.asked[0].answer({ data: { calls: [{ id: '1' }] } });
    held.asked[1].answer({ data: { calls: [{ id: '9' }] } });
    const [first, second, other] = await Promise.all(answers);
    assert.deepEqual(first.data, { calls: [{ id: '1' }] });
    assert.deepEqual(second.data, { calls: [{ id: '1' }] });
    assert.notEqual(first.data, second.data, 'copies: shaping one answer cannot change another');
    assert.deepEqual(other.data, { calls: [{ id: '9' }] });
  });

  it('sends its own fetch for a joined caller when the answer was the first caller’s own', async () => {
    const held = new HeldSubgraph();
    const source = new SubgraphDataSource(held);
    const answers = [fetchAs(source, manager('o1', 1), '{ me { id } }'), fetchAs(source, manager('o1', 2), '{ me { id } }')];
    await settle();
    assert.equal(held.asked.length, 1);
    held.asked[0].answer({ data: { me: { id: '1' } }, extensions: { callerSpecific: true } });
    await settle();
    assert.equal(held.asked.length, 2, 'the second manager asks for themselves');
    assert.equal(held.asked[1].as.userId, 2);
    held.asked[1].answer({ data: { me: { id: '2' } }, extensions: { callerSpecific: true } });
    const [first, second] = await Promise.all(answers);
    assert.deepEqual([first.data, second.data], [{ me: { id: '1' } }, { me: { id: '2' } }]);
  });

  it('joins callers who see only their own rows only with themselves, and never joins writes', async () => {
    const held = new HeldSubgraph();
    const source = new SubgraphDataSource(held);
    const write = 'mutation { endCall(id: 1) { id } }';
    const answers = [
      fetchAs(source, agent(1)),
      fetchAs(source, agent(1)),
      fetchAs(source, agent(2)),
      fetchAs(source, manager('o1', 5), write),
      fetchAs(source, manager('o1', 5), write),
    ];
    await settle();
    assert.equal(held.asked.length, 4, 'agent 1 once, agent 2 once, each write');
    for (const asked of held.asked) asked.answer({ data: { ok: asked.as.userId } });
    const results = await Promise.all(answers);
    assert.deepEqual(
      results.map((r) => r.data),
      [{ ok: 1 }, { ok: 1 }, { ok: 2 }, { ok: 5 }, { ok: 5 }],
    );
  });

  it('tells every joined caller the subgraph is unavailable when the fetch failed', async () => {
    const failing = new (class extends HeldSubgraph {
      override execute(): Promise<SubgraphResponse> {
        return Promise.reject(new Error('connection refused'));
      }
    })();
    const source = new SubgraphDataSource(failing);
    const outcomes = await Promise.allSettled([fetchAs(source, manager('o1', 1)), fetchAs(source, manager('o1', 2))]);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.equal((outcome.reason as { extensions?: { code?: string } }).extensions?.code, 'SUBGRAPH_UNAVAILABLE');
    }
  });
});
