import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Kind, parse, type ConstDirectiveNode, type StringValueNode } from 'graphql';
import { AccessTokens, IdentitySigner, type Identity } from '@salesgraph/platform';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { queryDatabase, stack, type Stack } from './support/stack.js';

const SUPERGRAPH = new URL('../../schema/supergraph.graphql', import.meta.url);

interface EntityKey {
  subgraph: string;
  typename: string;
  keyField: string;
}

/** Every resolvable `@key` of every subgraph, read from the composed supergraph (so new subgraphs count too). */
function entityKeys(): EntityKey[] {
  const document = parse(readFileSync(SUPERGRAPH, 'utf8'));
  const graphNames = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = value.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')
        ?.value as StringValueNode;
      graphNames.set(value.name.value, name.value);
    }
  }
  const arg = (directive: ConstDirectiveNode, name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const keys: EntityKey[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const key = arg(directive, 'key');
      const resolvable = arg(directive, 'resolvable');
      if (!key || (resolvable?.kind === Kind.BOOLEAN && !resolvable.value)) continue;
      const graph = arg(directive, 'graph');
      const keyField = (key as StringValueNode).value.trim();
      assert.match(keyField, /^\w+$/, `${definition.name.value}: only single-field keys are walked here`);
      keys.push({ subgraph: graphNames.get(graph?.kind === Kind.ENUM ? graph.value : '')!, typename: definition.name.value, keyField });
    }
  }
  return keys;
}

/**
 * Ids of one organization's rows in a subgraph's tables (every table with `id` and `organization_id`), the ids
 * of `typename` it stores of another subgraph's (`lead_id` for Lead), and the organization itself.
 */
async function idsOf(s: Stack, subgraph: string, organizationId: string, typename: string): Promise<string[]> {
  const foreignKey = `${typename.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase()}_id`;
  const tables = await queryDatabase<{ table_name: string; key: string | null }>(
    s,
    `select table_name, max(column_name) filter (where column_name = $2) as key from information_schema.columns
     where table_schema = $1 and column_name in ('id', 'organization_id', $2)
     group by table_name having count(*) filter (where column_name in ('id', 'organization_id')) = 2`,
    [subgraph, foreignKey],
  );
  const ids = new Set<string>([organizationId]);
  for (const { table_name, key } of tables) {
    for (const column of key ? ['id', key] : ['id']) {
      const rows = await queryDatabase<{ id: unknown }>(
        s,
        `select "${column}" as id from "${subgraph}"."${table_name}" where organization_id = $1 and "${column}" is not null limit 50`,
        [organizationId],
      );
      for (const row of rows) ids.add(String(row.id));
    }
  }
  return [...ids];
}

describe('federation: every entity resolves only within its organization', () => {
  it('turns another organization’s representations into null, for every @key of every subgraph', async () => {
    const s = await stack();
    const owner = await newOrganization(s.url);
    const stranger = await newOrganization(s.url);
    // Rows of the owner's organization for the walk to find: a member, a company with a phone, a niche with a
    // campaign and an ad, a lead with a message and an e-mail, a call from the lead's number (with its events
    // and lead), a forecast.
    const member = await newMember(s.url, owner, 'USER');
    const leadRows = await graphql(
      s.url,
      `
        mutation {
          createNiche(input: { name: "Scoped niche" }) {
            id
          }
        }
      `,
      {},
      { token: owner.token },
    );
    assert.ok(leadRows.data, JSON.stringify(leadRows.errors));
    const campaign = await graphql(
      s.url,
      `
        mutation ($n: ID!) {
          createCampaign(input: { nicheId: $n, name: "Scoped campaign", platform: OLX }) {
            id
          }
        }
      `,
      { n: leadRows.data.createNiche.id },
      { token: owner.token },
    );
    assert.ok(campaign.data, JSON.stringify(campaign.errors));
    const ad = await graphql(
      s.url,
      `
        mutation ($c: ID!) {
          createAd(input: { campaignId: $c, title: "Scoped ad" }) {
            id
          }
        }
      `,
      { c: campaign.data.createCampaign.id },
      { token: owner.token },
    );
    assert.ok(ad.data, JSON.stringify(ad.errors));
    const lead = await graphql(
      s.url,
      `
        mutation ($a: ID!) {
          createLead(input: { name: "Scoped lead", phone: "+74957770011", adId: $a }) {
            ... on Lead {
              id
            }
          }
        }
      `,
      { a: ad.data.createAd.id },
      { token: owner.token },
    );
    assert.ok(lead.data?.createLead.id, JSON.stringify(lead.errors));
    const message = await graphql(
      s.url,
      `
        mutation ($l: ID!) {
          addLeadMessage(leadId: $l, input: { message: "Hello", sender: LEAD }) {
            id
          }
        }
      `,
      { l: lead.data.createLead.id },
      { token: owner.token },
    );
    assert.ok(message.data, JSON.stringify(message.errors));
    const email = await graphql(
      s.url,
      `
        mutation ($l: ID!) {
          createOutboundMessage(input: { leadId: $l, toAddress: "scoped@example.test", subject: "Hi", body: "Hello" }) {
            id
          }
        }
      `,
      { l: lead.data.createLead.id },
      { token: owner.token },
    );
    assert.ok(email.data, JSON.stringify(email.errors));
    const made = await Promise.all([
      graphql(
        s.url,
        `
          mutation {
            createCompany(input: { name: "Scoped LLC", phones: [{ phoneNumber: "+74957770011" }] }) {
              id
            }
          }
        `,
        {},
        { token: owner.token },
      ),
      graphql(
        s.url,
        `
          mutation ($u: ID!) {
            createCall(input: { callerNumber: "+74957770011", assignedUserId: $u }) {
              id
            }
          }
        `,
        { u: member.id },
        { token: owner.token },
      ),
      graphql(
        s.url,
        `
          mutation {
            createForecast(input: { name: "Scoped Q1", periodKind: QUARTER, periodStart: "2025-01-01", predictedRevenue: 1 }) {
              id
            }
          }
        `,
        {},
        { token: owner.token },
      ),
    ]);
    for (const result of made) assert.ok(result.data, JSON.stringify(result.errors));
    // A funnel, a client, and a dialog with a message from a Telegram chat.
    const funnel = await graphql(
      s.url,
      `
        mutation {
          createFunnel(input: { name: "scoped", displayName: "Scoped" }) {
            id
          }
        }
      `,
      {},
      { token: owner.token },
    );
    assert.ok(funnel.data, JSON.stringify(funnel.errors));
    const bot = `${Date.now() % 1_000_000_000}:scopedbotkeyAAAAAAAAAAAAAAAA`;
    s.telegram.addBot(bot, 'scoped_bot');
    const connection = await graphql(
      s.url,
      `
        mutation ($t: String!, $f: ID!) {
          createMessengerConnection(input: { messengerType: TELEGRAM, token: $t, funnelId: $f }) {
            state
          }
        }
      `,
      { t: bot, f: funnel.data.createFunnel.id },
      { token: owner.token },
    );
    assert.equal(connection.data?.createMessengerConnection.state, 'RUNNING', JSON.stringify(connection.errors));
    assert.equal(await s.telegram.postUpdate(bot, s.telegram.textUpdate(9_100_001, 'Scoped hello')), 200);
    // A support ticket with a message.
    const ticket = await graphql(
      s.url,
      `
        mutation {
          createTicket(input: { subject: "Scoped", description: "Scoped", department: GENERAL }) {
            id
          }
        }
      `,
      {},
      { token: owner.token },
    );
    assert.ok(ticket.data, JSON.stringify(ticket.errors));
    const reply = await graphql(
      s.url,
      `
        mutation ($t: ID!) {
          addTicketMessage(ticketId: $t, text: "Scoped reply") {
            id
          }
        }
      `,
      { t: ticket.data.createTicket.id },
      { token: owner.token },
    );
    assert.ok(reply.data, JSON.stringify(reply.errors));

    const signer = new IdentitySigner(s.settings.gatewaySecret);
    const tokens = new AccessTokens(s.settings.jwtSecret);
    const identityOf = async (account: Account): Promise<Identity> => {
      const { expiresAt: _expiresAt, ...claims } = await tokens.verify(account.token);
      return { kind: 'user', ...claims };
    };
    const entities = async (as: Identity, { subgraph, typename, keyField }: EntityKey, ids: string[]) => {
      const request = {
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${keyField} } } }`,
        variables: { r: ids.map((id) => ({ __typename: typename, [keyField]: id })) },
      };
      const server = s.product.subgraphs.get(subgraph);
      assert.ok(server, `subgraph ${subgraph} runs in the test stack`);
      const response = await server.execute(request, signer.sign(as, subgraph, request));
      assert.equal(response.body.kind, 'single');
      const { data, errors } = (response.body as { singleResult: { data?: { _entities: unknown[] }; errors?: unknown[] } }).singleResult;
      assert.ok(data, `${typename}: ${JSON.stringify(errors)}`);
      return data._entities;
    };

    const keys = entityKeys();
    assert.ok(keys.length >= 5, `found the entities (${keys.map((k) => k.typename).join(', ')})`);
    const ownerIdentity = await identityOf(owner);
    const strangerIdentity = await identityOf(stranger);
    let representations = 0;
    for (const key of keys) {
      // Ids from every subgraph that declares the type: one that only adds fields to it (funnels' Call and
      // Lead) stores none of its own.
      const ids = [
        ...new Set(
          (
            await Promise.all(
              keys.filter((k) => k.typename === key.typename).map((k) => idsOf(s, k.subgraph, owner.organizationId, key.typename)),
            )
          ).flat(),
        ),
      ];
      representations += ids.length;
      // The same representations do resolve for their own organization: the walk uses real ids.
      const own = await entities(ownerIdentity, key, ids);
      assert.ok(
        own.some((e) => e !== null),
        `${key.typename}: no row of the owner's organization found to walk; create one in this test's setup`,
      );
      const foreign = await entities(strangerIdentity, key, ids);
      assert.deepEqual(
        foreign.filter((e) => e !== null),
        [],
        `${key.typename} of another organization resolved`,
      );
      const anonymous = await entities({ kind: 'anonymous' }, key, ids);
      assert.deepEqual(
        anonymous.filter((e) => e !== null),
        [],
        `${key.typename} resolved for an anonymous caller`,
      );
    }
    console.log(
      `entity scoping: ${keys.length} entity types, ${representations} representations each tried as owner, stranger and anonymous`,
    );
  });
});
