import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchema, Kind, OperationTypeNode, parse, validate, type OperationDefinitionNode } from 'graphql';
import { loadSettings } from '@salesgraph/platform';
import { createGatewayServer } from '@salesgraph/gateway';
import { subgraphs } from '@salesgraph/registry';
import { graphql } from './support/client.js';
import { stack, tempDir } from './support/stack.js';

/**
 * The doors a front-end team finds first: `GET /` (a page for browsers, an index for API clients) and the
 * playground's example tabs, which must all run as they are shown.
 */

const apiSchema = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));

test('GET / leads a browser to the playground and gives an API client the index of doors', async () => {
  const { url } = await stack();

  const api = await fetch(`${url}/`);
  assert.equal(api.status, 200);
  assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
  assert.match(api.headers.get('vary') ?? '', /Accept/);
  const index = (await api.json()) as { name: string; links: Record<string, string> };
  assert.equal(index.name, 'Salesgraph');
  assert.deepEqual(index.links, {
    playground: '/graphql',
    graphql: '/graphql',
    rest_docs: '/docs',
    rest_reference: '/redoc',
    openapi: '/openapi.json',
    socket_io: '/docs/socket-io',
    health: '/health',
  });
  // Every door it names answers.
  for (const path of new Set(Object.values(index.links))) {
    const door = await fetch(`${url}${path}`, { headers: { accept: 'text/html' } });
    assert.equal(door.status, 200, path);
    await door.arrayBuffer();
  }

  const browser = await fetch(`${url}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
  assert.equal(browser.status, 200);
  assert.match(browser.headers.get('content-type') ?? '', /^text\/html/);
  const page = await browser.text();
  assert.match(page, /<a class="primary" href="\/graphql">Open the playground<\/a>/);
  for (const path of ['/docs', '/redoc', '/openapi.json', '/docs/socket-io', '/health']) assert.ok(page.includes(`href="${path}"`), path);

  // Anything else at the root is still the JSON 404 of unknown routes.
  const unknown = await fetch(`${url}/nowhere`);
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), { detail: 'No route for GET /nowhere' });
});

test('playground examples: sign-in first, one named operation each, all valid, and each runs signed in by the first', async () => {
  const { url, settings } = await stack();
  const examples = subgraphs.flatMap((s) => s.gateway.playground?.(settings) ?? []);
  const operations = examples.map(({ query }) => {
    const document = parse(query);
    assert.deepEqual(validate(apiSchema, document), [], query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    assert.ok(operation?.name, `unnamed example:\n${query}`);
    return operation;
  });
  assert.equal(operations[0].name!.value, 'SignIn');
  const names = operations.map((o) => o.name!.value);
  assert.equal(new Set(names).size, names.length, `tab titles repeat: ${names.join(', ')}`);
  // Every subgraph shows itself in at least one example.
  assert.deepEqual(
    subgraphs.filter((s) => !s.gateway.playground?.(settings).length).map((s) => s.name),
    [],
  );

  const signIn = await graphql(url, examples[0].query, examples[0].variables, { headers: { 'x-forwarded-for': '198.51.100.91' } });
  assert.equal(signIn.errors, undefined, JSON.stringify(signIn.errors));
  const token = (signIn.data as { login: { accessToken: string } }).login.accessToken;

  for (const [i, example] of examples.entries()) {
    if (i === 0 || operations[i].operation === OperationTypeNode.SUBSCRIPTION) continue;
    const result = await graphql(url, example.query, example.variables, { token, headers: { 'x-forwarded-for': '198.51.100.91' } });
    assert.equal(result.status, 200, names[i]);
    assert.equal(result.errors, undefined, `${names[i]}: ${JSON.stringify(result.errors)}`);
  }
});

test('playground examples: the first admin’s password is filled in only while it is the local default', () => {
  const identity = subgraphs.find((s) => s.name === 'identity')!;
  const base = { NODE_ENV: 'test', DATA_DIR: tempDir() };
  const signInOf = (env: Record<string, string>) => identity.gateway.playground!(loadSettings({ ...base, ...env }))[0].variables;

  assert.deepEqual(signInOf({}), { login: 'admin', password: 'admin' });
  assert.deepEqual(signInOf({ ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'a-long-local-password' }), {
    login: 'chief',
    password: 'your password',
  });
});

test('playground: an example that is not one named operation fails the gateway, not a page view', () => {
  assert.throws(
    () =>
      createGatewayServer({
        clients: new Map(),
        production: false,
        supergraphSdl: readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
        playgroundExamples: [{ query: '{ me { id } }' }],
      }),
    /a playground example must be one named operation/,
  );
});
