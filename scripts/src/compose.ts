import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { subscriptionHydrationProblems } from '@salesgraph/gateway';
import { subgraphs } from '@salesgraph/registry';

/**
 * Prints each subgraph's SDL to schema/<name>.graphql, composes them into schema/supergraph.graphql and the
 * client-facing schema/api.graphql. With --check it writes nothing and fails when a committed file is stale.
 */
const check = process.argv.includes('--check');
const root = new URL('../../schema/', import.meta.url);
const outputs = new Map<string, string>();

const services = [];
for (const subgraph of subgraphs) {
  const sdl = printSubgraphSchema(await subgraph.buildSchema());
  outputs.set(`${subgraph.name}.graphql`, sdl);
  // The URL baked into the supergraph is the docker-compose one; the gateway overrides it from the environment.
  services.push({ name: subgraph.name, url: `http://${subgraph.name}:${subgraph.port}/graphql`, typeDefs: parse(sdl) });
}

const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
for (const hint of result.hints) console.warn(`composition hint: ${hint.toString()}`);
const apiSchema = result.schema.toAPISchema().toGraphQLJSSchema();
// The gateway refuses to start on such a supergraph: refuse to write (or pass the check of) one.
const unserved = subscriptionHydrationProblems(apiSchema, result.supergraphSdl);
if (unserved.length) {
  for (const problem of unserved) console.error(`composition error: ${problem}`);
  console.error(`declare a lookup with @Hydrate('<Query field>') next to @Subscription (@salesgraph/platform)`);
  process.exit(1);
}
outputs.set('supergraph.graphql', result.supergraphSdl);
outputs.set('api.graphql', printSchema(apiSchema) + '\n');

let stale = 0;
for (const [file, content] of outputs) {
  const url = new URL(file, root);
  if (!check) writeFileSync(url, content);
  else if (readFileSafe(url) !== content) {
    console.error(`schema/${file} is stale: run "npm run schema" and commit the result`);
    stale++;
  }
}
console.log(check ? `${outputs.size - stale}/${outputs.size} schema files up to date` : `wrote ${outputs.size} files to schema/`);
process.exit(stale ? 1 : 0);

function readFileSafe(url: URL): string | undefined {
  try {
    return readFileSync(url, 'utf8');
  } catch {
    return undefined;
  }
}
