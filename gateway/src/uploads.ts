import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import busboy from 'busboy';
import { ErrorCode, fileTooLargeMessage, megabytes, tooManyFilesMessage, uploadLimits, type UploadVariable } from '@salesgraph/platform';
import type { RenderError } from './doors.js';
import type { RestError } from './rest/route.js';

/** How long a multipart request may take to arrive whole (seed 003: 60 s for uploads, 30 s for other requests). */
export const UPLOAD_TIMEOUT_MS = 60_000;
/** The longest text field (`operations`, `map`, a REST form's field). */
const MAX_FIELD_BYTES = 1024 * 1024;

/** The gateway's upload limits: the platform's (`configureUploads`) unless the product's options say otherwise. */
export interface GatewayUploads {
  /** The largest file, in bytes. */
  maxBytes: number;
  /** The most files one GraphQL multipart request carries (a REST route says its own, `RestRoute.uploads`). */
  maxFiles: number;
  /** How long a multipart request may take to arrive. */
  timeoutMs: number;
}

/** The platform's limits in force now, with the 60 s upload deadline. */
export const defaultGatewayUploads = (): GatewayUploads => ({ ...uploadLimits(), timeoutMs: UPLOAD_TIMEOUT_MS });

/** What one read of a multipart body allows. */
export interface MultipartLimits {
  /** The most files. @default 1 */
  maxFiles?: number;
  /** The largest file, in bytes. @default the platform's `uploadLimits().maxBytes` */
  maxFileBytes?: number;
  /** All files together, in bytes. @default maxFiles × maxFileBytes */
  maxTotalBytes?: number;
  /** The most text fields. @default 10 */
  maxFields?: number;
  /** The whole body must arrive within this; a slower one answers 408 and its connection is closed. @default 60 s */
  timeoutMs?: number;
}

/** What a multipart request held: its text fields and its files by form field (in order), read whole. */
export interface MultipartParts {
  fields: Map<string, string>;
  files: Map<string, UploadVariable[]>;
}

const tooLarge = (message: string): RestError => ({ status: 413, code: ErrorCode.PayloadTooLarge, message });
const bad = (message: string): RestError => ({ status: 400, code: ErrorCode.BadUserInput, message });

export const isMultipart = (req: Request) => req.is('multipart/form-data') === 'multipart/form-data';

/**
 * Reads a multipart/form-data body within `limits`. A file over `maxFileBytes` (or files together over
 * `maxTotalBytes`) answers 413 as soon as it goes over, naming the limit in MB; a file more than `maxFiles`,
 * 413 too. After such a refusal the rest of the body is drained, never kept. A body still arriving after
 * `timeoutMs` answers 408: its parsing stops, what was read is dropped and the connection is closed once the
 * answer is sent (draining a slow sender would keep it open). A client that goes away mid-body gets 400.
 */
export function readMultipart(
  req: IncomingMessage & { res?: ServerResponse },
  limits: MultipartLimits = {},
): Promise<MultipartParts | RestError> {
  const maxFiles = limits.maxFiles ?? 1;
  const maxFileBytes = limits.maxFileBytes ?? uploadLimits().maxBytes;
  const maxTotalBytes = limits.maxTotalBytes ?? maxFiles * maxFileBytes;
  const maxFields = limits.maxFields ?? 10;
  const timeoutMs = limits.timeoutMs ?? UPLOAD_TIMEOUT_MS;
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send a file's name as UTF-8 bytes (busboy would read them as Latin-1: "Ð¾Ñ…").
        defParamCharset: 'utf8',
        // busboy stops a file on reaching fileSize: one byte more tells a file of exactly maxFileBytes from a larger one.
        limits: { fileSize: maxFileBytes + 1, files: maxFiles, fields: maxFields, fieldSize: MAX_FIELD_BYTES, parts: maxFields + maxFiles },
      });
    } catch {
      return resolve(bad('Malformed multipart/form-data request'));
    }
    const fields = new Map<string, string>();
    let files = new Map<string, UploadVariable[]>();
    let total = 0;
    let done = false;
    /** Stops reading: what was read is dropped, and the rest of the body is drained (or, with `close`, never read). */
    const refuse = (error: RestError, close = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      files = new Map();
      req.unpipe(parser);
      // Not from inside one of the parser's own callbacks (a refusal on `limit`), which it goes on from.
      setImmediate(() => parser.destroy());
      if (close) {
        req.res?.setHeader('Connection', 'close');
        if (req.res && !req.res.writableFinished) req.res.once('finish', () => req.destroy());
        else req.destroy();
      } else req.resume();
      resolve(error);
    };
    const timer = setTimeout(
      () =>
        refuse({ status: 408, code: ErrorCode.RequestTimeout, message: `The upload did not arrive within ${timeoutMs / 1000} s` }, true),
      timeoutMs,
    );
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(bad(`The field ${name} is longer than ${MAX_FIELD_BYTES} bytes`));
      else fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      const filename = info.filename ?? 'upload';
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Over its own limit, the file is refused on `limit`, by name.
        if (done || size > maxFileBytes) return;
        total += chunk.length;
        if (total > maxTotalBytes) return refuse(tooLarge(`The files are larger than ${megabytes(maxTotalBytes)} together`));
        chunks.push(chunk);
      });
      stream.on('limit', () => refuse(tooLarge(fileTooLargeMessage(filename, maxFileBytes))));
      // A refusal destroys the parser, which ends the file being read with an error: already answered.
      stream.on('error', () => undefined);
      stream.on('end', () => {
        if (done || stream.truncated) return;
        const list = files.get(name) ?? [];
        list.push({ filename, mimeType: info.mimeType, base64: Buffer.concat(chunks).toString('base64') });
        files.set(name, list);
      });
    });
    parser.on('filesLimit', () => refuse(tooLarge(tooManyFilesMessage(maxFiles))));
    parser.on('partsLimit', () => refuse(bad('Too many parts in the multipart request')));
    parser.on('fieldsLimit', () => refuse(bad(`At most ${maxFields} fields in the multipart request`)));
    parser.on('error', () => refuse(bad('Malformed multipart/form-data request')));
    parser.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ fields, files });
    });
    // The client went away (or the server cut the connection) before the body ended.
    req.on('close', () => {
      if (!req.readableEnded) refuse(bad('The request ended before its body did'), true);
    });
    req.pipe(parser);
  });
}

/** Sets `value` at a dotted path such as `variables.file` or `variables.files.0` of `target`. */
function place(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split('.');
  let node: unknown = target;
  for (const key of keys.slice(0, -1)) {
    if (!node || typeof node !== 'object' || ['__proto__', 'constructor', 'prototype'].includes(key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  const last = keys.at(-1)!;
  if (!node || typeof node !== 'object' || !(last in node) || ['__proto__', 'constructor', 'prototype'].includes(last)) return false;
  (node as Record<string, unknown>)[last] = value;
  return true;
}

/** The JSON request a GraphQL multipart request stands for: `operations` with each file put where `map` says. */
export function operationsOf({ fields, files }: MultipartParts): { operations: Record<string, unknown> } | RestError {
  let operations: unknown;
  let map: unknown;
  try {
    operations = JSON.parse(fields.get('operations') ?? '');
    map = JSON.parse(fields.get('map') ?? '{}');
  } catch {
    return bad('A GraphQL multipart request needs the fields operations and map, as JSON');
  }
  if (!operations || typeof operations !== 'object' || Array.isArray(operations))
    return bad('operations must be one GraphQL request (batches are not accepted)');
  if (!map || typeof map !== 'object' || Array.isArray(map)) return bad('map must be an object of file field → paths');
  for (const [field, paths] of Object.entries(map as Record<string, unknown>)) {
    const held = files.get(field) ?? [];
    if (held.length !== 1) return bad(`map names the file ${field}, which the request holds ${held.length ? 'more than once' : 'not'}`);
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && place(operations as Record<string, unknown>, p, held[0])))
      return bad(`map places the file ${field} at a path the operations do not have (give it as a null variable)`);
  }
  return { operations: operations as Record<string, unknown> };
}

/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) at `/graphql`:
 * the files are read here (within `uploads`) and forwarded inside the variables, so subgraphs receive them
 * through any client. Like Apollo's CSRF prevention, a multipart request needs `Apollo-Require-Preflight` or
 * `X-Apollo-Operation-Name`; without one it is refused before its body is read.
 */
export function multipartBody(render: RenderError, uploads: GatewayUploads = defaultGatewayUploads()): RequestHandler {
  return async (req, res, next) => {
    if (!isMultipart(req)) return next();
    if (!req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name'])
      return render(res, bad('A multipart request needs a non-empty Apollo-Require-Preflight or X-Apollo-Operation-Name header'));
    const parts = await readMultipart(req, { maxFiles: uploads.maxFiles, maxFileBytes: uploads.maxBytes, timeoutMs: uploads.timeoutMs });
    if ('status' in parts) return render(res, parts);
    const request = operationsOf(parts);
    if ('status' in request) return render(res, request);
    req.body = request.operations;
    next();
  };
}
