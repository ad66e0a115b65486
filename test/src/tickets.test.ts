import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newMember, newOrganization, type Account } from './support/accounts.js';
import { codeOf, graphql, unique, type GraphQLResult } from './support/client.js';
import { stack, type Stack } from './support/stack.js';
import { until, whenListening } from './support/wait.js';
import { bearer, clients, subscribe, wsClient } from './support/ws.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function ok<T = any>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(url, query, variables, { token });
  assert.ok(result.data, JSON.stringify(result.errors));
  return result.data;
}

const TICKET_FIELDS = `id subject description department status priority messagesCount overdue firstResponseDueAt resolutionDueAt
  firstRespondedAt resolvedAt createdAt requester { id } funnel { id name displayName } attachments { id name contentType size url }`;
const CREATE = `mutation($input: CreateTicketInput!, $files: [Upload!]) { createTicket(input: $input, files: $files) { ${TICKET_FIELDS} } }`;
const ADD_MESSAGE = `mutation($id: ID!, $text: String!, $files: [Upload!]) {
  addTicketMessage(ticketId: $id, text: $text, files: $files) { id role text ticketId attachments { id name contentType size url } }
}`;
const TICKET = `query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`;
const TICKETS = `query($overdue: Boolean, $status: TicketStatus) { tickets(overdue: $overdue, status: $status, first: 200) { totalCount nodes { id subject overdue } } }`;

/** A tiny valid PNG (1×1, transparent): file-type knows it by its signature. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** The start of a Windows executable, whatever its name says. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), randomBytes(512)]);

interface FilePart {
  name: string;
  content: Buffer;
  type?: string;
}

/** A GraphQL multipart request, as Apollo clients send it (with the CSRF preflight header unless told not to). */
async function multipart(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  files: FilePart[],
  { preflight = true }: { preflight?: boolean } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
): Promise<GraphQLResult<any>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { ...variables, files: files.map(() => null) } }));
  form.set('map', JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  files.forEach((file, i) => form.set(String(i), new Blob([file.content], { type: file.type ?? 'application/octet-stream' }), file.name));
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(preflight ? { 'apollo-require-preflight': 'true' } : {}) },
    body: form,
  });
  const text = await response.text();
  let body: object;
  try {
    body = JSON.parse(text) as object;
  } catch {
    body = { raw: text };
  }
  return { ...body, status: response.status, headers: response.headers };
}

const ticketInput = (subject = unique('Printer')) => ({ subject, description: 'It prints blank pages', department: 'TECHNICAL' });

describe('support: tickets, messages and who sees them', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    user = await newMember(s.url, admin, 'USER');
  });

  it('opens a ticket with defaults, SLA deadlines from its priority, and its funnel named through the funnels subgraph', async () => {
    const { createFunnel } = await ok(
      s.url,
      `mutation { createFunnel(input: { name: "${unique('f')}", displayName: "Sales" }) { id } }`,
      {},
      admin.token,
    );
    const { createTicket: ticket } = await ok(s.url, CREATE, { input: { ...ticketInput(), funnelId: createFunnel.id } }, user.token);
    assert.equal(ticket.status, 'OPEN');
    assert.equal(ticket.priority, 'MEDIUM');
    assert.equal(ticket.requester.id, user.id);
    assert.deepEqual(ticket.funnel, { id: createFunnel.id, name: ticket.funnel.name, displayName: 'Sales' });
    assert.equal(ticket.overdue, false);
    const created = Date.parse(ticket.createdAt);
    // medium: 480 minutes to the first response, 4320 to resolution (the defaults).
    assert.equal(Date.parse(ticket.firstResponseDueAt) - created, 480 * 60_000);
    assert.equal(Date.parse(ticket.resolutionDueAt) - created, 4320 * 60_000);

    const stranger = await newOrganization(s.url);
    const foreignFunnel = await ok(
      s.url,
      `mutation { createFunnel(input: { name: "${unique('f')}", displayName: "X" }) { id } }`,
      {},
      stranger.token,
    );
    assert.equal(
      codeOf(await graphql(s.url, CREATE, { input: { ...ticketInput(), funnelId: foreignFunnel.createFunnel.id } }, { token: user.token })),
      'NOT_FOUND',
    );
    assert.equal(codeOf(await graphql(s.url, TICKET, { id: ticket.id }, { token: stranger.token })), 'NOT_FOUND');
    for (const input of [
      { ...ticketInput(), subject: '' },
      { ...ticketInput(), department: 'KITCHEN' },
      { ...ticketInput(), description: '' },
    ]) {
      const code = codeOf(await graphql(s.url, CREATE, { input }, { token: user.token }));
      assert.ok(
        code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_REQUEST',
        `${JSON.stringify(input)}: ${code}`,
      );
    }
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: ticketInput() })), 'UNAUTHENTICATED');
  });

  it('shows requesters their own tickets and managers all; support answers, the requester closes', async () => {
    const { createTicket: ticket } = await ok(s.url, CREATE, { input: ticketInput('Mine') }, user.token);
    const colleague = await newMember(s.url, admin, 'USER');
    assert.equal(codeOf(await graphql(s.url, TICKET, { id: ticket.id }, { token: colleague.token })), 'NOT_FOUND');
    const listed = (await ok(s.url, TICKETS, {}, admin.token)).tickets.nodes.map((t: { id: string }) => t.id);
    assert.ok(listed.includes(ticket.id));

    const { addTicketMessage: asked } = await ok(s.url, ADD_MESSAGE, { id: ticket.id, text: 'Any news?' }, user.token);
    assert.equal(asked.role, 'USER');
    const { addTicketMessage: answered } = await ok(s.url, ADD_MESSAGE, { id: ticket.id, text: 'Replace the cartridge' }, admin.token);
    assert.equal(answered.role, 'SUPPORT');
    const { ticket: read } = await ok(s.url, TICKET, { id: ticket.id }, user.token);
    assert.equal(read.status, 'WAITING');
    assert.equal(read.messagesCount, 2);
    assert.ok(read.firstRespondedAt);

    const UPDATE = `mutation($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { status priority resolvedAt firstResponseDueAt } }`;
    assert.equal(
      codeOf(await graphql(s.url, UPDATE, { id: ticket.id, input: { priority: 'URGENT' } }, { token: user.token })),
      'FORBIDDEN',
    );
    const { updateTicket: urgent } = await ok(s.url, UPDATE, { id: ticket.id, input: { priority: 'URGENT' } }, admin.token);
    assert.ok(Date.parse(urgent.firstResponseDueAt) < Date.parse(read.firstResponseDueAt), 'an urgent ticket is due sooner');
    const { updateTicket: closed } = await ok(s.url, UPDATE, { id: ticket.id, input: { status: 'CLOSED' } }, user.token);
    assert.equal(closed.status, 'CLOSED');
    assert.ok(closed.resolvedAt);
    const guest = await newMember(s.url, admin, 'GUEST');
    assert.equal(codeOf(await graphql(s.url, CREATE, { input: ticketInput() }, { token: guest.token })), 'FORBIDDEN');
  });

  it('streams a new message to the requester and to managers, not to other users', async () => {
    const { createTicket: ticket } = await ok(s.url, CREATE, { input: ticketInput('Live') }, user.token);
    const colleague = await newMember(s.url, admin, 'USER');
    const listening = whenListening(s.product, 'support');
    const requester = subscribe<{ ticketMessageAdded: { text: string; role: string } }>(wsClient(s.url, bearer(user.token)), {
      query: `subscription($id: ID) { ticketMessageAdded(ticketId: $id) { text role } }`,
      variables: { id: ticket.id },
    });
    const outsider = subscribe(wsClient(s.url, bearer(colleague.token)), { query: `subscription { ticketMessageAdded { text } }` });
    const next = requester.next();
    await listening(2);
    await ok(s.url, ADD_MESSAGE, { id: ticket.id, text: 'We are on it' }, admin.token);
    assert.deepEqual((await next).data!.ticketMessageAdded, { text: 'We are on it', role: 'SUPPORT' });
    await assert.rejects(outsider.next(300), /timed out/);
  });
  after(() => Promise.all(clients.map((c) => c.dispose())));
});

describe('support: attachments', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    user = await newMember(s.url, admin, 'USER');
  });

  it('uploads files with a ticket and a message (GraphQL multipart) and downloads them byte for byte, typed by their bytes', async () => {
    const text = Buffer.from('Серийный номер: 12345\n', 'utf8');
    const created = await multipart(s.url, user.token, CREATE, { input: ticketInput('With files') }, [
      { name: 'screen.png', content: PNG, type: 'application/octet-stream' },
      { name: 'notes.txt', content: text, type: 'image/png' },
    ]);
    assert.ok(created.data, JSON.stringify(created.errors));
    const files = created.data.createTicket.attachments as { name: string; contentType: string; size: number; url: string }[];
    assert.deepEqual(
      files.map((f) => [f.name, f.contentType, f.size]),
      [
        ['screen.png', 'image/png', PNG.length],
        ['notes.txt', 'text/plain', text.length],
      ],
    );
    for (const [file, bytes] of [
      [files[0], PNG],
      [files[1], text],
    ] as const) {
      const response = await fetch(`${s.url}${file.url}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type')?.split(';')[0], file.contentType);
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="[^"]*"; filename\*=UTF-8''/);
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(bytes), `${file.name} round-trips`);
    }

    const big = randomBytes(1024 * 1024);
    const withMessage = await multipart(s.url, admin.token, ADD_MESSAGE, { id: created.data.createTicket.id, text: 'Log attached' }, [
      { name: 'log.zip', content: Buffer.concat([Buffer.from('PK\x03\x04'), big]) },
    ]);
    assert.ok(withMessage.data, JSON.stringify(withMessage.errors));
    assert.equal(withMessage.data.addTicketMessage.attachments[0].contentType, 'application/zip');
  });

  it('refuses a disguised executable (415), an oversized file (413), a multipart form without the CSRF header, and anonymous callers', async () => {
    const disguised = await multipart(s.url, user.token, CREATE, { input: ticketInput('Bad file') }, [
      { name: 'photo.png', content: EXE, type: 'image/png' },
    ]);
    assert.equal(codeOf(disguised), 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(disguised.errors![0].message, /photo\.png/);

    const tooBig = await multipart(s.url, user.token, CREATE, { input: ticketInput('Big file') }, [
      { name: 'huge.txt', content: Buffer.alloc(s.settings.support.uploadMaxBytes + 1, 'a') },
    ]);
    assert.ok(tooBig.status === 413 || codeOf(tooBig) === 'PAYLOAD_TOO_LARGE', JSON.stringify(tooBig).slice(0, 300));

    const subject = unique('CSRF');
    const forged = await multipart(
      s.url,
      user.token,
      CREATE,
      { input: ticketInput(subject) },
      [{ name: 'a.txt', content: Buffer.from('x') }],
      {
        preflight: false,
      },
    );
    assert.equal(forged.status, 400);
    const { tickets } = await ok(s.url, TICKETS, {}, user.token);
    assert.ok(!tickets.nodes.some((t: { subject: string }) => t.subject === subject), 'the refused request created nothing');

    const anonymous = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CREATE, variables: { input: ticketInput() } }),
    });
    assert.equal(codeOf((await anonymous.json()) as GraphQLResult<unknown>), 'UNAUTHENTICATED');
  });

  it("serves a file only through a valid, unexpired link that a caller of the ticket's organization got", async () => {
    const created = await multipart(s.url, user.token, CREATE, { input: ticketInput('Private') }, [
      { name: 'a.txt', content: Buffer.from('secret') },
    ]);
    const url = new URL(created.data.createTicket.attachments[0].url as string, s.url);
    const tampered = new URL(url);
    tampered.searchParams.set('signature', '0'.repeat(64));
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const bare = new URL(url.pathname, s.url);
    for (const bad of [tampered, extended, bare]) assert.equal((await fetch(bad)).status, 404, bad.search);

    // Another organization can neither read the ticket (so never gets a link) nor reuse a link to another file.
    const stranger = await newOrganization(s.url);
    assert.equal(codeOf(await graphql(s.url, TICKET, { id: created.data.createTicket.id }, { token: stranger.token })), 'NOT_FOUND');
  });

  it('deletes the files of a deleted ticket, and removes what a failed upload had stored', async () => {
    const created = await multipart(s.url, user.token, CREATE, { input: ticketInput('Short-lived') }, [
      { name: 'a.txt', content: Buffer.from('bye') },
    ]);
    const { id, attachments } = created.data.createTicket as { id: string; attachments: { id: string; url: string }[] };
    const objects = () => [...s.s3.objects.keys()].filter((key) => key.endsWith(attachments[0].id));
    assert.equal(objects().length, 1);
    await ok(s.url, `mutation($id: ID!) { deleteTicket(id: $id) }`, { id }, user.token);
    assert.equal(objects().length, 0);
    assert.equal((await fetch(`${s.url}${attachments[0].url}`)).status, 404);

    // The storage refuses the second file: the first, already stored, is removed and no ticket is left.
    const before = s.s3.objects.size;
    s.s3.refusePutsAfter(1);
    const subject = unique('Half');
    const failed = await multipart(s.url, user.token, CREATE, { input: ticketInput(subject) }, [
      { name: 'one.txt', content: Buffer.from('one') },
      { name: 'two.txt', content: Buffer.from('two') },
    ]);
    s.s3.acceptPuts();
    assert.equal(codeOf(failed), 'SERVICE_UNAVAILABLE');
    await until('the first file to be removed', () => s.s3.objects.size === before);
    const { tickets } = await ok(s.url, TICKETS, {}, user.token);
    assert.ok(!tickets.nodes.some((t: { subject: string }) => t.subject === subject));
  });
});

describe('support: SLA deadlines', () => {
  let s: Stack;
  let admin: Account;
  let user: Account;
  before(async () => {
    s = await stack();
    admin = await newOrganization(s.url);
    user = await newMember(s.url, admin, 'USER');
  });
  after(() => Promise.all(clients.map((c) => c.dispose())));

  it('flags and lists an urgent ticket nobody answered in time, with an event; an answered one stays on time', async () => {
    // The test stack gives urgent tickets 0.02 minutes (1.2 s) to the first response.
    const listening = whenListening(s.product, 'support');
    const updates = subscribe<{ ticketUpdated: { id: string; overdue: boolean; firstResponseBreachedAt: string | null } }>(
      wsClient(s.url, bearer(admin.token)),
      { query: `subscription { ticketUpdated { id overdue firstResponseBreachedAt } }` },
    );
    await listening();
    const { createTicket: late } = await ok(s.url, CREATE, { input: { ...ticketInput('Late'), priority: 'URGENT' } }, user.token);
    const { createTicket: answered } = await ok(s.url, CREATE, { input: { ...ticketInput('Answered'), priority: 'URGENT' } }, user.token);
    await ok(s.url, ADD_MESSAGE, { id: answered.id, text: 'Looking' }, admin.token);

    let event;
    do event = (await updates.next(10_000)).data!.ticketUpdated;
    while (event.id !== late.id || !event.overdue);
    assert.ok(event.firstResponseBreachedAt);
    const overdue = (await ok(s.url, TICKETS, { overdue: true }, admin.token)).tickets.nodes.map((t: { id: string }) => t.id);
    assert.ok(overdue.includes(late.id));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { ticket } = await ok(s.url, `query($id: ID!) { ticket(id: $id) { firstResponseBreachedAt } }`, { id: answered.id }, admin.token);
    assert.equal(ticket.firstResponseBreachedAt, null);
  });
});
