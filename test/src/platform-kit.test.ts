import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { defineEntity, p } from '@mikro-orm/core';
import { IdentitySigner, buildFederatedSchema, defineSubgraph } from '@salesgraph/platform';
import { register, subgraphs } from '@salesgraph/registry';
import { Query, Resolver } from 'type-graphql';
import { stack } from './support/stack.js';

const Probe = defineEntity({ name: 'KitProbe', tableName: 'probes', properties: { id: p.integer().primary() } });

const gatewaySources = fileURLToPath(new URL('../../gateway/src/', import.meta.url));

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return entry === 'generated' ? [] : sourcesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

@Resolver()
class PingResolver {
  @Query(() => String)
  ping() {
    return 'pong';
  }
}

describe('platform kit', () => {
  it('the gateway names no subgraph: no imports of subgraph packages, no lookups by name', () => {
    for (const file of sourcesUnder(gatewaySources)) {
      const text = readFileSync(file, 'utf8');
      for (const { name } of subgraphs) {
        assert.doesNotMatch(text, new RegExp(`@salesgraph/${name}\\b`), `${file} imports the ${name} subgraph`);
        assert.doesNotMatch(
          text,
          new RegExp(`(get|peer|find|has)\\(\\s*['"\`]${name}['"\`]`),
          `${file} looks up the ${name} subgraph by name`,
        );
        assert.doesNotMatch(text, new RegExp(`===\\s*['"\`]${name}['"\`]`), `${file} compares with the ${name} subgraph's name`);
      }
    }
  });

  it('exactly one registered subgraph answers for credentials, and every declared peer is registered', () => {
    assert.equal(subgraphs.filter((s) => s.gateway.credentials).length, 1);
    const names = new Set(subgraphs.map((s) => s.name));
    for (const subgraph of subgraphs) {
      for (const peer of subgraph.peers) assert.ok(names.has(peer), `${subgraph.name} reads from unregistered ${peer}`);
      assert.equal(subgraph.channel, `sg_${subgraph.name}`);
      assert.equal(subgraph.urlVariable, `SUBGRAPH_${subgraph.name.toUpperCase()}_URL`);
    }
  });

  it('the registry refuses a name or a port twice, and the gateway port', () => {
    const [first, second] = subgraphs;
    assert.throws(
      () =>
        register([
          [first, 4101],
          [first, 4102],
        ]),
      /registered twice/,
    );
    assert.throws(
      () =>
        register([
          [first, 4101],
          [second, 4101],
        ]),
      /port 4101 is taken/,
    );
    assert.throws(() => register([[first, 4000]]), /port 4000 is taken/);
  });

  it('refuses a subgraph name that cannot be a schema, channel and variable', () => {
    assert.throws(
      () =>
        defineSubgraph({
          name: 'Bad-Name',
          entities: [],
          migrations: [],
          schema: () => buildFederatedSchema({ resolvers: [PingResolver] }),
        }),
      /lower-case/,
    );
  });

  it('a subgraph reaches only the peers it declared', async () => {
    const asked: string[] = [];
    const module = defineSubgraph({
      name: 'kitprobe',
      entities: [Probe],
      migrations: [],
      schema: (_bus, container) => buildFederatedSchema({ resolvers: [PingResolver], container }),
      peers: ['identity'],
      start: ({ peer }) => {
        peer('identity');
        assert.throws(() => peer('calls'), /without declaring it in peers/);
        return {};
      },
    });
    // The shared stack's database: a module opens its own ORM on it, confined to its own schema.
    const { product, settings } = await stack();
    const server = await module.create({
      db: product.db!,
      settings,
      signer: new IdentitySigner(settings.gatewaySecret),
      peer: (name) => {
        asked.push(name);
        return {} as never;
      },
    });
    await server.stop();
    assert.deepEqual(asked, ['identity']);
  });
});
