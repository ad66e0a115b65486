import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** An object as the stand-in holds it. */
export interface TestS3Object {
  body: Buffer;
  contentType: string;
}

/** One request the stand-in received (after its body was read), whatever it answered. */
export interface TestS3Request {
  method: string;
  /** The object key, decoded; empty for the bucket itself. */
  key: string;
  headers: IncomingMessage['headers'];
  status: number;
}

/**
 * A loopback stand-in for the S3 API, path-style (`/<bucket>/<key>`), one bucket, as much of it as
 * `@aws-sdk/client-s3` uses to put, get and delete objects:
 * - every request must be signed with Signature V4 by `accessKeyId` and `secretAccessKey` (the signature
 *   is checked, and so is the payload hash when the body is signed); a request without an
 *   `AWS4-HMAC-SHA256 Credential=<accessKeyId>/…` authorization is AccessDenied, one whose signature does
 *   not match is SignatureDoesNotMatch (403 both);
 * - `PUT` stores the body and its content type (200 with an ETag). Bodies come plain, or `aws-chunked`
 *   (what the SDK sends for a stream when it adds a checksum: chunks, then trailers such as
 *   `x-amz-checksum-crc32`), which are decoded; `Expect: 100-continue` is answered by Node. A CRC32, SHA-1
 *   or SHA-256 checksum sent as a header or trailer is checked (400 BadDigest when wrong);
 * - `GET`/`HEAD` answer 200 with the body and its content type, or 404 NoSuchKey; `DELETE` answers 204,
 *   missing or not;
 * - another bucket is 404 NoSuchBucket, anything else 501 NotImplemented. Errors are S3's XML
 *   (`<Error><Code>…</Code><Message>…</Message></Error>`).
 */
export class TestS3Server {
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** The bucket's objects by key. */
  readonly objects = new Map<string, TestS3Object>();
  readonly requests: TestS3Request[] = [];
  /** While set, every request is answered with this error (an outage, a full disk). */
  failWith?: { status: number; code: string; message?: string };
  url = '';
  private readonly server: Server;
  /** PUTs that still succeed before every further PUT is refused (see `refusePutsAfter`). */
  private putsLeft?: number;

  constructor(options: { bucket?: string; accessKeyId?: string; secretAccessKey?: string; region?: string } = {}) {
    this.bucket = options.bucket ?? 'attachments';
    this.accessKeyId = options.accessKeyId ?? 'AKIATESTS3STANDIN';
    this.secretAccessKey = options.secretAccessKey ?? randomBytes(30).toString('base64');
    this.region = options.region ?? 'us-east-1';
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const key = keyOf(request, this.bucket);
        let status: number;
        try {
          status = this.handle(request, Buffer.concat(chunks), response);
        } catch (error) {
          status = sendError(response, 500, 'InternalError', (error as Error).message);
        }
        this.requests.push({ method: request.method ?? '', key: key ?? '', headers: request.headers, status });
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What an S3FileStore needs to use this server. */
  get settings(): { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string } {
    return {
      endpoint: this.url,
      region: this.region,
      bucket: this.bucket,
      accessKeyId: this.accessKeyId,
      secretAccessKey: this.secretAccessKey,
    };
  }

  /**
   * After `count` more successful PUTs, refuses every PUT (403, which clients do not retry) until
   * `acceptPuts()`: a storage that fails in the middle of a multi-file upload. Other requests still work.
   */
  refusePutsAfter(count: number): void {
    this.putsLeft = count;
  }

  acceptPuts(): void {
    this.putsLeft = undefined;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Answers one request; the status it answered with. */
  private handle(request: IncomingMessage, raw: Buffer, response: ServerResponse): number {
    const denied = this.checkSignature(request, raw);
    if (denied) return sendError(response, 403, denied.code, denied.message);
    if (this.failWith) return sendError(response, this.failWith.status, this.failWith.code, this.failWith.message ?? this.failWith.code);
    const bucket = decodeURIComponent(pathOf(request).split('/')[1] ?? '');
    if (bucket !== this.bucket)
      return sendError(response, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    const key = keyOf(request, this.bucket);
    if (!key) return sendError(response, 501, 'NotImplemented', 'Only object requests are supported here');
    switch (request.method) {
      case 'PUT': {
        if (this.putsLeft !== undefined && this.putsLeft-- <= 0) return sendError(response, 403, 'AccessDenied', 'Writes refused');
        const body = decodeBody(request, raw);
        if ('code' in body) return sendError(response, 400, body.code, body.message);
        const contentType = request.headers['content-type'] ?? 'binary/octet-stream';
        this.objects.set(key, { body: body.bytes, contentType });
        response.writeHead(200, { etag: etagOf(body.bytes), 'content-length': 0 });
        response.end();
        return 200;
      }
      case 'GET':
      case 'HEAD': {
        const object = this.objects.get(key);
        if (!object) {
          if (request.method === 'HEAD') return send(response, 404, {}, Buffer.alloc(0), true);
          return sendError(response, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
        }
        const headers = { 'content-type': object.contentType, etag: etagOf(object.body), 'last-modified': new Date().toUTCString() };
        return send(response, 200, headers, object.body, request.method === 'HEAD');
      }
      case 'DELETE':
        this.objects.delete(key);
        return send(response, 204, {}, Buffer.alloc(0), true);
      default:
        return sendError(response, 501, 'NotImplemented', `${request.method} is not supported here`);
    }
  }

  /** Why the request's Signature V4 is refused, or undefined when it is good. */
  private checkSignature(request: IncomingMessage, raw: Buffer): { code: string; message: string } | undefined {
    const authorization = request.headers.authorization ?? '';
    const prefix = `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/`;
    if (!authorization.startsWith(prefix)) {
      return { code: 'AccessDenied', message: 'Access Denied: the request is not signed with the known access key' };
    }
    const fields = Object.fromEntries(
      authorization
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((part) => part.trim().split('=', 2) as [string, string]),
    );
    const [, date = '', region = '', service = '', terminator = ''] = (fields.Credential ?? '').split('/');
    const amzDate = header(request, 'x-amz-date');
    const payloadHash = header(request, 'x-amz-content-sha256');
    const signedHeaders = (fields.SignedHeaders ?? '').split(';');
    const mismatch = {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
    if (!amzDate.startsWith(date) || service !== 's3' || terminator !== 'aws4_request' || !signedHeaders.includes('host')) return mismatch;
    if (!payloadHash) return { code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
    const query = [...new URLSearchParams((request.url ?? '').split('?')[1] ?? '')]
      .map(([name, value]) => [rfc3986(name), rfc3986(value)])
      .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const canonicalHeaders = signedHeaders.map((name) => `${name}:${header(request, name).trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonicalRequest = [request.method, pathOf(request), query, canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    let key: Buffer = hmac(`AWS4${this.secretAccessKey}`, date);
    for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
    if (hmac(key, stringToSign).toString('hex') !== fields.Signature) return mismatch;
    if (/^[0-9a-f]{64}$/.test(payloadHash) && sha256(raw) !== payloadHash) {
      return { code: 'XAmzContentSHA256Mismatch', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
    }
    return undefined;
  }
}

/** The request's path as sent (not normalized: a key may hold `..`), still percent-encoded. */
function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0] ?? '/';
}

/** The object key of a path-style request to `bucket`, decoded; undefined for the bucket itself or another bucket. */
function keyOf(request: IncomingMessage, bucket: string): string | undefined {
  const [, first = '', ...rest] = pathOf(request).split('/');
  if (decodeURIComponent(first) !== bucket) return undefined;
  const key = rest.map((segment) => decodeURIComponent(segment)).join('/');
  return key || undefined;
}

/**
 * The object's bytes: the body as sent, or decoded from `aws-chunked` (`<hex size>[;chunk-signature=…]\r\n
 * <bytes>\r\n` … `0\r\n`, then trailer lines and an empty line). Checksums sent as headers or trailers,
 * and the declared decoded length, are checked.
 */
function decodeBody(request: IncomingMessage, raw: Buffer): { bytes: Buffer } | { code: string; message: string } {
  const chunked =
    header(request, 'content-encoding')
      .split(',')
      .some((e) => e.trim() === 'aws-chunked') || header(request, 'x-amz-content-sha256').startsWith('STREAMING-');
  const checksums = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-mode' && typeof value === 'string') checksums.set(name, value);
  }
  let bytes = raw;
  if (chunked) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = raw.indexOf('\r\n', at);
      if (lineEnd < 0) return { code: 'IncompleteBody', message: 'An aws-chunked chunk header is cut short' };
      const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
      if (!Number.isSafeInteger(size) || size < 0) return { code: 'InvalidRequest', message: 'Malformed aws-chunked chunk size' };
      at = lineEnd + 2;
      if (size === 0) break;
      if (raw.length < at + size + 2 || raw.toString('latin1', at + size, at + size + 2) !== '\r\n') {
        return { code: 'IncompleteBody', message: 'An aws-chunked chunk is cut short' };
      }
      parts.push(raw.subarray(at, at + size));
      at += size + 2;
    }
    for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) checksums.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    checksums.delete('x-amz-trailer-signature');
    bytes = Buffer.concat(parts);
    const declared = header(request, 'x-amz-decoded-content-length');
    if (declared && Number(declared) !== bytes.length) {
      return { code: 'IncompleteBody', message: `x-amz-decoded-content-length says ${declared}, the chunks hold ${bytes.length}` };
    }
  }
  for (const [name, expected] of checksums) {
    const actual = checksumOf(name.slice('x-amz-checksum-'.length), bytes);
    if (actual !== undefined && actual !== expected) {
      return { code: 'BadDigest', message: `The ${name} you specified did not match the calculated checksum.` };
    }
  }
  return { bytes };
}

/** The base64 checksum S3 would compute with `algorithm`, or undefined for one the stand-in does not check (CRC32C, CRC64NVME). */
function checksumOf(algorithm: string, bytes: Buffer): string | undefined {
  if (algorithm === 'crc32') {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc32(bytes));
    return value.toString('base64');
  }
  if (algorithm === 'sha1' || algorithm === 'sha256') return createHash(algorithm).update(bytes).digest('base64');
  return undefined;
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Percent-encoding as Signature V4 canonicalizes query strings. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, headOnly = false): number {
  response.writeHead(status, {
    ...headers,
    'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
    ...(status === 204 ? {} : { 'content-length': body.length }),
  });
  response.end(headOnly ? undefined : body);
  return status;
}

function sendError(response: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): number {
  const fields = Object.entries({ Code: code, Message: message, ...extra })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`;
  return send(response, status, { 'content-type': 'application/xml' }, Buffer.from(xml));
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
