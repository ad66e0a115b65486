import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadSettings } from '@salesgraph/platform';
import { startProduct, type Product } from '@salesgraph/gateway';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql } from './support/client.js';
import { processEnv, startSubgraphProcess, type SubgraphProcess } from './support/processes.js';
import { whenListening } from './support/wait.js';

/**
 * Revocations bite within a second on every door, with the gateway and the identity subgraph in different
 * processes: the next HTTP request is refused and an open socket is closed (1008), or, for a lowered role,
 * keeps only what the new role may see.
 */
const report = (what: string, { http, closed }: { http: number; closed: number }) =>
  console.log(`revocation: ${what} refused the next request after ${http} ms, closed the socket ${closed} ms later`);

const WITHIN_MS = 1_000;
const REVOKED_CLOSE_CODE = 1008;

const INCOMING = `subscription { incomingCall { id call { callerNumber } } }`;
const CREATE_CALL = `mutation($input: CreateCallInput!) { createCall(input: $input) { id } }`;

/** Polls `probe` until it holds; how long that took, or a failure after `ms`. */
async function within(ms: number, what: string, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > ms) assert.fail(`${what} did not happen within ${ms} ms`);
    await sleep(25);
  }
}

/** An open graphql-ws socket with one incomingCall subscription, recording its events and how it closed. */
interface Socket {
  client: Client;
  events: { incomingCall: { call: { callerNumber: string } } }[];
  closeCode?: number;
}

describe('revocation across processes', () => {
  let identityProcess: SubgraphProcess;
  let product: Product;
  let admin: Account;
  const sockets: Socket[] = [];

  before(async () => {
    const env = processEnv('revocation', { SECRETS_KEY: 's'.repeat(40) });
    const identity = await startSubgraphProcess('identity', env);
    identityProcess = identity;
    product = await startProduct({
      settings: loadSettings({ ...process.env, ...env }),
      port: 0,
      inMemory: true,
      trustProxy: true,
      subgraphUrls: { identity: identity.url },
    });
    assert.ok(!product.subgraphs.has('identity'));
    admin = await newOrganization(product.url);
  });

  after(async () => {
    for (const socket of sockets) await socket.client.dispose();
    await product?.close();
    await identityProcess?.stop();
  });

  const me = (credential: { token?: string; apiKey?: string }) =>
    graphql(
      product.url,
      `
        {
          authStatus {
            authenticated
            role
          }
        }
      `,
      {},
      credential.apiKey ? { headers: { 'x-api-key': credential.apiKey } } : { token: credential.token },
    );

  /** Opens a socket with `connectionParams`, subscribes, and waits until the subscription listens for calls. */
  async function openSocket(connectionParams: Record<string, string>): Promise<Socket> {
    const live = whenListening(product);
    const client = createClient({
      url: `${product.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
    });
    const socket: Socket = { client, events: [] };
    client.on('closed', (event) => (socket.closeCode ??= (event as { code: number }).code));
    client.subscribe<Socket['events'][number]>(
      { query: INCOMING },
      {
        next: (result) => void (result.data && socket.events.push(result.data)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    sockets.push(socket);
    await live();
    return socket;
  }

  /** Asserts the revocation made by `revoke` refuses `credential` over HTTP and closes `socket`, each within a second. */
  async function assertRevoked(credential: { token?: string; apiKey?: string }, socket: Socket, revoke: () => Promise<unknown>) {
    assert.equal((await me(credential)).data?.authStatus.authenticated, true, 'works before');
    await revoke();
    const http = await within(WITHIN_MS, 'refusing the next request', async () => codeOf(await me(credential)) === 'UNAUTHENTICATED');
    const closed = await within(WITHIN_MS, 'closing the socket', async () => socket.closeCode !== undefined);
    assert.equal(socket.closeCode, REVOKED_CLOSE_CODE);
    return { http, closed };
  }

  const asAdmin = async (query: string, variables: Record<string, unknown>) => {
    const result = await graphql(product.url, query, variables, { token: admin.token });
    assert.ok(result.data, JSON.stringify(result.errors));
    return result.data;
  };

  it('logout', async () => {
    const user = await newMember(product.url, admin, 'USER');
    const socket = await openSocket({ Authorization: `Bearer ${user.token}` });
    report(
      'logout',
      await assertRevoked(user, socket, () =>
        graphql(
          product.url,
          `
            mutation {
              logout(refreshToken: null)
            }
          `,
          {},
          { token: user.token },
        ),
      ),
    );
  });

  it('password change ends the other sessions', async () => {
    const user = await newMember(product.url, admin, 'USER');
    const other = await graphql(
      product.url,
      `
        mutation ($i: LoginInput!) {
          login(input: $i) {
            accessToken
          }
        }
      `,
      { i: { login: user.username, password: user.password } },
    );
    const otherToken: string = other.data.login.accessToken;
    const socket = await openSocket({ Authorization: `Bearer ${otherToken}` });
    report(
      'password change',
      await assertRevoked({ token: otherToken }, socket, () =>
        graphql(
          product.url,
          `
            mutation ($i: ChangePasswordInput!) {
              changePassword(input: $i)
            }
          `,
          { i: { currentPassword: user.password, newPassword: 'a brand new password' } },
          { token: user.token },
        ),
      ),
    );
    assert.equal((await me(user)).data?.authStatus.authenticated, true, 'the session that changed the password stays');
  });

  it('deactivation', async () => {
    const user = await newMember(product.url, admin, 'MANAGER');
    const socket = await openSocket({ Authorization: `Bearer ${user.token}` });
    report(
      'deactivation',
      await assertRevoked(user, socket, () =>
        asAdmin(`mutation($id: ID!) { updateUser(id: $id, input: {isActive: false}) { id } }`, { id: user.id }),
      ),
    );
  });

  it('deletion', async () => {
    const user = await newMember(product.url, admin, 'USER');
    const socket = await openSocket({ Authorization: `Bearer ${user.token}` });
    report('deletion', await assertRevoked(user, socket, () => asAdmin(`mutation($id: ID!) { deleteUser(id: $id) }`, { id: user.id })));
  });

  it('API key revocation', async () => {
    const created = await graphql(
      product.url,
      `
        mutation {
          createApiKey(input: { name: "wallboard" }) {
            apiKey {
              id
            }
            secret
          }
        }
      `,
      {},
      { token: admin.token },
    );
    const { apiKey, secret } = created.data.createApiKey;
    const socket = await openSocket({ 'X-API-Key': secret });
    report(
      'API key revocation',
      await assertRevoked({ apiKey: secret }, socket, () =>
        asAdmin(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: apiKey.id }),
      ),
    );
  });

  it('a demoted admin loses admin rights at once, and its socket keeps only what a user may see', async () => {
    const demoted = await newMember(product.url, admin, 'ADMIN');
    const socket = await openSocket({ Authorization: `Bearer ${demoted.token}` });
    // As an admin, the socket sees calls assigned to anyone.
    await asAdmin(CREATE_CALL, { input: { callerNumber: '+74950000001', assignedUserId: admin.id } });
    await within(5_000, 'the admin socket to see a colleague’s call', async () => socket.events.length === 1);

    // The socket goes on as a user from a new upstream, filtered for that role: live once it listens.
    const relisted = whenListening(product);
    await asAdmin(`mutation($id: ID!) { updateUser(id: $id, input: {role: USER}) { id } }`, { id: demoted.id });
    const backdoor = () =>
      graphql(
        product.url,
        `
          mutation ($i: CreateUserInput!) {
            createUser(input: $i) {
              id
            }
          }
        `,
        {
          i: {
            email: `backdoor${Date.now()}@example.com`,
            username: `backdoor${Date.now()}`,
            password: 'backdoor password',
            role: 'ADMIN',
          },
        },
        { token: demoted.token },
      );
    const refused = await within(WITHIN_MS, 'refusing admin rights', async () => codeOf(await backdoor()) === 'FORBIDDEN');
    console.log(`revocation: role change refused admin rights after ${refused} ms`);
    assert.equal((await me(demoted)).data?.authStatus.role, 'USER');

    // The socket stays open, as a user: a colleague's call is not shown, its own call is.
    await relisted();
    await asAdmin(CREATE_CALL, { input: { callerNumber: '+74950000002', assignedUserId: admin.id } });
    await asAdmin(CREATE_CALL, { input: { callerNumber: '+74950000003', assignedUserId: demoted.id } });
    await within(5_000, 'the demoted socket to see its own call', async () => socket.events.length === 2);
    // One upstream delivers in commit order: a colleague's call shown would be the second event, not its own.
    assert.deepEqual(
      socket.events.map((e) => e.incomingCall.call.callerNumber),
      ['+74950000001', '+74950000003'],
    );
    assert.equal(socket.closeCode, undefined, 'still open');
  });

  it('keeps known sessions working through an identity outage, and refuses new sign-ins clearly', async () => {
    const user = await newMember(product.url, admin, 'USER');
    const unseen = await newMember(product.url, admin, 'USER');
    assert.equal((await me(user)).data?.authStatus.authenticated, true);
    const calls = (token: string) =>
      graphql(
        product.url,
        `
          {
            calls(first: 1) {
              totalCount
            }
          }
        `,
        {},
        { token },
      );
    assert.ok((await calls(user.token)).data);

    await identityProcess.stop();
    // Served by the calls subgraph: the known session still authenticates from the gateway's cache.
    const during = await calls(user.token);
    assert.ok(during.data, JSON.stringify(during.errors));
    const login = await graphql(
      product.url,
      `
        mutation ($i: LoginInput!) {
          login(input: $i) {
            accessToken
          }
        }
      `,
      { i: { login: user.username, password: user.password } },
    );
    assert.deepEqual([login.status, codeOf(login), login.errors?.[0].extensions?.subgraph], [503, 'SUBGRAPH_UNAVAILABLE', 'identity']);
    // A session this gateway never checked can't be vouched for while identity is away.
    const unknown = await calls(unseen.token);
    assert.deepEqual([unknown.status, codeOf(unknown)], [503, 'SERVICE_UNAVAILABLE']);
  });
});
