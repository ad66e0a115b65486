import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { parse } from 'graphql';
import {
  ErrorCode,
  UploadScalar,
  attachmentDisposition,
  configureUploads,
  fileTooLargeMessage,
  httpStatusOf,
  uploadLimits,
  type HttpRoute,
  type SubgraphClient,
  type UploadVariable,
} from '@salesgraph/platform';
import {
  mountDeclaredRoutes,
  mountRestApi,
  readMultipart,
  route,
  type MultipartParts,
  type OperationRunner,
  type Product,
  type RestApi,
} from '@salesgraph/gateway';
import { newOrganization, type Account } from './support/accounts.js';
import { graphql } from './support/client.js';
import { extraGateway } from './support/extra-gateway.js';
import { stack, type Stack } from './support/stack.js';
import { bearer } from './support/ws.js';

const MB = 1024 * 1024;
const IMPORT = `mutation($file: Upload!) { importLeads(file: $file) { id status created } }`;
const LEAD_COUNT = `{ leads(first: 1) { totalCount } }`;

/** A multipart body as a browser's FormData encodes it, and its content type. */
async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** A request stream with `body` (written whole, or left open after it when `hang`). */
async function fakeRequest(form: FormData, hang = false): Promise<IncomingMessage> {
  const { body, contentType } = await encode(form);
  const stream = Object.assign(new PassThrough(), { headers: { 'content-type': contentType } });
  if (hang) stream.write(body.subarray(0, body.length - 10));
  else stream.end(body);
  return stream as unknown as IncomingMessage;
}

const file = (bytes: number | string, name: string, type = 'application/octet-stream') =>
  [new Blob([typeof bytes === 'string' ? bytes : Buffer.alloc(bytes, 'a')], { type }), name] as const;

function formWith(files: [field: string, ...file: ReturnType<typeof file>][], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [field, blob, name] of files) form.append(field, blob, name);
  return form;
}

describe('uploads: multipart reading (unit)', () => {
  it('reads several files of one field within the limits, in order, beside text fields', async () => {
    const form = formWith(
      [
        ['files', ...file('first', 'a.txt', 'text/plain')],
        ['files', ...file(MB, 'b.pdf', 'application/pdf')],
        ['files', ...file('третий', 'в.txt', 'text/plain')],
      ],
      { subject: 'Не работает' },
    );
    const parts = (await readMultipart(await fakeRequest(form), { maxFiles: 3, maxFileBytes: MB })) as MultipartParts;
    assert.ok(!('status' in parts), JSON.stringify(parts));
    assert.equal(parts.fields.get('subject'), 'Не работает');
    const files = parts.files.get('files')!;
    assert.deepEqual(
      files.map((f) => [f.filename, f.mimeType, Buffer.from(f.base64, 'base64').length]),
      [
        ['a.txt', 'text/plain', 5],
        ['b.pdf', 'application/pdf', MB],
        ['в.txt', 'text/plain', Buffer.byteLength('третий')],
      ],
    );
  });

  it('refuses a file over the limit with 413, naming the file and the limit in MB', async () => {
    const form = formWith([
      ['files', ...file('small', 'a.txt')],
      ['files', ...file(MB + 1, 'big.pdf')],
    ]);
    assert.deepEqual(await readMultipart(await fakeRequest(form), { maxFiles: 5, maxFileBytes: MB }), {
      status: 413,
      code: ErrorCode.PayloadTooLarge,
      message: 'The file "big.pdf" is larger than 1 MB',
    });
    assert.equal(fileTooLargeMessage('scan.png', 10 * MB), 'The file "scan.png" is larger than 10 MB');
    assert.equal(fileTooLargeMessage('scan.png', 1.5 * MB), 'The file "scan.png" is larger than 1.5 MB');
  });

  it('refuses more files than allowed with 413: one by default, as many as asked otherwise', async () => {
    const two = formWith([
      ['file', ...file('a', 'a.csv')],
      ['file', ...file('b', 'b.csv')],
    ]);
    assert.deepEqual(await readMultipart(await fakeRequest(two)), {
      status: 413,
      code: ErrorCode.PayloadTooLarge,
      message: 'At most 1 file per request',
    });
    const six = formWith(Array.from({ length: 6 }, (_, i) => ['files', ...file('x', `${i}.txt`)] as ['files', Blob, string]));
    const refused = await readMultipart(await fakeRequest(six), { maxFiles: 5 });
    assert.deepEqual(refused, { status: 413, code: ErrorCode.PayloadTooLarge, message: 'At most 5 files per request' });
  });

  it('bounds the files together (maxFiles × the file limit unless given)', async () => {
    const form = formWith([
      ['files', ...file(600 * 1024, 'a.bin')],
      ['files', ...file(600 * 1024, 'b.bin')],
    ]);
    const together = await readMultipart(await fakeRequest(form), { maxFiles: 2, maxFileBytes: MB, maxTotalBytes: MB });
    assert.deepEqual(together, { status: 413, code: ErrorCode.PayloadTooLarge, message: 'The files are larger than 1 MB together' });
    const within = await readMultipart(await fakeRequest(form), { maxFiles: 2, maxFileBytes: MB });
    assert.ok(!('status' in within));
  });

  it('stops a body that does not arrive in time with 408, and keeps none of it', async () => {
    const request = await fakeRequest(formWith([['file', ...file(64 * 1024, 'slow.csv')]]), true);
    const began = performance.now();
    const refused = await readMultipart(request, { timeoutMs: 150 });
    assert.deepEqual(refused, { status: 408, code: ErrorCode.RequestTimeout, message: 'The upload did not arrive within 0.15 s' });
    assert.ok(performance.now() - began < 2_000);
    // No longer read: what still comes is neither parsed nor kept.
    assert.equal(request.listenerCount('data'), 0);
    assert.equal((request as unknown as PassThrough).destroyed, true);
  });
});

describe('uploads: limits and codes of the platform', () => {
  it('maps PAYLOAD_TOO_LARGE to 413, UNSUPPORTED_MEDIA_TYPE to 415 and REQUEST_TIMEOUT to 408', () => {
    assert.equal(httpStatusOf(ErrorCode.PayloadTooLarge), 413);
    assert.equal(httpStatusOf('UNSUPPORTED_MEDIA_TYPE'), 415);
    assert.equal(httpStatusOf(ErrorCode.RequestTimeout), 408);
  });

  it('checks each Upload against the limit configured at start (4 MB and one file by default)', () => {
    // A stack booted earlier in this process configured its own limits (UPLOAD_MAX_BYTES): put them back after.
    const before = uploadLimits();
    assert.deepEqual(configureUploads({}), { maxBytes: 4 * MB, maxFiles: 1 });
    const upload = (bytes: number): UploadVariable => ({
      filename: 'notes.txt',
      mimeType: 'text/plain',
      base64: Buffer.alloc(bytes).toString('base64'),
    });
    try {
      assert.deepEqual(configureUploads({ maxBytes: 1000, maxFiles: 5 }), { maxBytes: 1000, maxFiles: 5 });
      assert.equal(UploadScalar.parseValue(upload(1000)).content.length, 1000);
      assert.throws(
        () => UploadScalar.parseValue(upload(1001)),
        (error: Error & { extensions?: { code?: string } }) =>
          error.extensions?.code === 'PAYLOAD_TOO_LARGE' && error.message === 'The file "notes.txt" is larger than 1000 bytes',
      );
      assert.throws(() => configureUploads({ maxBytes: 0 }), /positive integer/);
    } finally {
      configureUploads(before);
    }
    assert.deepEqual(uploadLimits(), before);
  });
});

const servers: http.Server[] = [];
/** Serves `app` on a free loopback port until the test run ends. */
async function serve(app: express.Express): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('uploads: a REST route that takes files (route table)', () => {
  let url: string;
  let ran: Record<string, unknown>[];
  before(async () => {
    ran = [];
    // The operation is never executed: the runner echoes the variables the route made, as the subgraph would get them.
    const run: OperationRunner = (_query, variables) => {
      ran.push(variables as Record<string, unknown>);
      return Promise.resolve({
        http: { headers: new Map(), status: undefined },
        body: { kind: 'single', singleResult: { data: { echo: variables } } },
      } as never);
    };
    const api: RestApi = {
      seed: 'test',
      title: 'Test',
      validationStatus: 422,
      error: ({ message }) => ({ detail: message }),
      errorSchema: { type: 'object' },
      routes: [
        route<{ echo: { files: UploadVariable[]; subject: string; priority: number } }, unknown>({
          method: 'post',
          path: '/tickets',
          summary: 'A ticket with attachments',
          operation: parse('mutation CreateTicket { __typename }'),
          uploads: { field: 'files', maxFiles: 3 },
          body: {
            type: 'object',
            properties: { subject: { type: 'string' }, priority: { type: 'integer', minimum: 1 } },
            required: ['subject'],
          },
          variables: ({ body, files }) => ({ subject: body.subject, priority: body.priority, files }),
          status: 201,
          respond: ({ echo }) => ({
            subject: echo.subject,
            priority: echo.priority,
            files: echo.files.map((f) => ({ name: f.filename, type: f.mimeType, bytes: Buffer.from(f.base64, 'base64').length })),
          }),
        }),
      ],
    };
    const app = express();
    const pass: express.RequestHandler = (_req, _res, next) => next();
    mountRestApi(app, api, run, () => pass, { of: () => undefined } as never, { maxBytes: MB, maxFiles: 1, timeoutMs: 200 });
    url = await serve(app);
  });

  const post = async (body: FormData | string) => {
    const response = await fetch(`${url}/tickets`, {
      method: 'POST',
      body,
      ...(typeof body === 'string' && { headers: { 'content-type': 'application/json' } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('passes the files of its field as an array, and the other fields as the body, typed by its schema', async () => {
    const form = formWith(
      [
        ['files', ...file('скриншот', 'screen.png', 'image/png')],
        ['files', ...file(MB, 'log.txt', 'text/plain')],
      ],
      { subject: 'Не звонит', priority: '2' },
    );
    const answer = await post(form);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, {
      subject: 'Не звонит',
      priority: 2,
      files: [
        { name: 'screen.png', type: 'image/png', bytes: Buffer.byteLength('скриншот') },
        { name: 'log.txt', type: 'text/plain', bytes: MB },
      ],
    });
  });

  it('takes JSON without files, and checks the body either way', async () => {
    assert.deepEqual(await post(JSON.stringify({ subject: 'Без файлов' })), {
      status: 201,
      body: { subject: 'Без файлов', files: [] },
    });
    const count = ran.length;
    const invalid = await post(formWith([['files', ...file('x', 'x.txt')]], { priority: 'high' }));
    assert.deepEqual(invalid, { status: 422, body: { detail: 'subject: field required; priority: must be an integer' } });
    const stray = await post(formWith([['other', ...file('x', 'x.txt')]], { subject: 'x' }));
    assert.deepEqual(stray, { status: 422, body: { detail: 'other: not a file field (files go in files)' } });
    assert.equal(ran.length, count, 'the operation never ran');
  });

  it('answers 413 over the gateway’s file limit or the route’s file count, before the operation runs', async () => {
    const count = ran.length;
    const big = await post(formWith([['files', ...file(MB + 1, 'dump.zip')]], { subject: 'x' }));
    assert.deepEqual(big, { status: 413, body: { detail: 'The file "dump.zip" is larger than 1 MB' } });
    const many = await post(formWith(Array.from({ length: 4 }, (_, i) => ['files', ...file('x', `${i}.txt`)] as ['files', Blob, string])));
    assert.deepEqual(many, { status: 413, body: { detail: 'At most 3 files per request' } });
    assert.equal(ran.length, count);
  });
});

describe('uploads: binary answers of declared routes', () => {
  it('sends a Buffer as it is, with its type, length and the route’s Content-Disposition', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const download: HttpRoute = {
      method: 'get',
      path: '/files/:name',
      handle: ({ params }) =>
        Promise.resolve({
          status: 200,
          body: bytes,
          contentType: 'image/png',
          headers: { 'Content-Disposition': attachmentDisposition(params.name) },
        }),
    };
    const app = express();
    mountDeclaredRoutes(app, [{ route: download, client: {} as SubgraphClient }]);
    const url = await serve(app);
    const name = 'Отчёт "май" (итог).png';
    const response = await fetch(`${url}/files/${encodeURIComponent(name)}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('content-length'), String(bytes.length));
    const encoded = encodeURIComponent(name).replace('(', '%28').replace(')', '%29');
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="_____ _____ (____).png"; filename*=UTF-8''${encoded}`);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
  });
});

/**
 * Posts the start of a multipart body to `path` and then one byte every 50 ms, as a slow-loris client does;
 * what the server answered and when it closed the connection.
 */
function slowUpload(url: string, path: string, headers: Record<string, string>): Promise<{ response: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  const boundary = 'slow-boundary';
  const began = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let response = '';
    const drip = setInterval(() => socket.writable && socket.write('a'), 50);
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ response, closedAfterMs: performance.now() - began });
    });
    const head = Object.entries({
      Host: `${hostname}:${port}`,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': '10000000',
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
    socket.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\nname\n`,
    );
  });
}

describe('uploads: through the gateway', () => {
  let s: Stack;
  let gateway: Product;
  let org: Account;
  before(async () => {
    s = await stack();
    org = await newOrganization(s.url);
    gateway = await extraGateway(s, { settings: s.settings, uploads: { timeoutMs: 300 } });
  });
  after(async () => {
    await gateway?.close();
  });
  const leadCount = async () => (await graphql(s.url, LEAD_COUNT, {}, { token: org.token })).data.leads.totalCount as number;

  it('refuses a browser-style multipart POST to /graphql without a preflight header, before the resolver runs (CSRF)', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: IMPORT, variables: { file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob(['name\nЧерез CSRF\n'], { type: 'text/csv' }), 'leads.csv');
    const response = await fetch(`${s.url}/graphql`, { method: 'POST', headers: bearer(org.token), body: form });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(await leadCount(), 0, 'importLeads never ran');
  });

  it('answers the REST leads import in seed 000’s shape: 413 naming the limit, 422 without a file', async () => {
    const big = new FormData();
    const limit = s.settings.support.uploadMaxBytes;
    big.set('file', new Blob([Buffer.alloc(limit + 1, 'a')]), 'огромный.csv');
    const tooLarge = await fetch(`${s.url}/api/v1/leads/import`, { method: 'POST', headers: bearer(org.token), body: big });
    assert.equal(tooLarge.status, 413);
    assert.deepEqual(await tooLarge.json(), { detail: `The file "огромный.csv" is larger than ${limit / MB} MB` });

    const two = new FormData();
    two.append('file', new Blob(['name\nА\n']), 'a.csv');
    two.append('file', new Blob(['name\nБ\n']), 'b.csv');
    const many = await fetch(`${s.url}/api/v1/leads/import`, { method: 'POST', headers: bearer(org.token), body: two });
    assert.deepEqual([many.status, await many.json()], [413, { detail: 'At most 1 file per request' }]);

    const none = await fetch(`${s.url}/api/v1/leads/import`, {
      method: 'POST',
      headers: { ...bearer(org.token), 'content-type': 'application/json' },
      body: '{}',
    });
    assert.deepEqual([none.status, await none.json()], [422, { detail: 'file: a file is required' }]);
    assert.equal(await leadCount(), 0);
  });

  it('cuts a slow-loris upload off with 408 after the upload deadline and imports nothing', async () => {
    const rest = await slowUpload(gateway.url, '/api/v1/leads/import', bearer(org.token));
    assert.match(rest.response, /^HTTP\/1\.1 408 /);
    assert.ok(rest.response.includes('{"detail":"The upload did not arrive within 0.3 s"}'), rest.response);
    assert.ok(rest.closedAfterMs < 5_000, `closed after ${Math.round(rest.closedAfterMs)} ms`);

    const graphQL = await slowUpload(gateway.url, '/graphql', { ...bearer(org.token), 'Apollo-Require-Preflight': 'true' });
    assert.match(graphQL.response, /^HTTP\/1\.1 408 /);
    assert.ok(graphQL.response.includes('"code":"REQUEST_TIMEOUT"'), graphQL.response);
    assert.equal(await leadCount(), 0);
  });
});
