import type { Request, RequestHandler } from 'express';
import busboy from 'busboy';
import { ErrorCode, MAX_UPLOAD_BYTES, type UploadVariable } from '@salesgraph/platform';
import type { RenderError } from './doors.js';
import type { RestError } from './rest/route.js';

/** The most files one multipart request carries. */
const MAX_FILES = 1;
/** The longest `operations` or `map` field. */
const MAX_FIELD_BYTES = 1024 * 1024;

/** What a multipart request held: its text fields and its files, read whole (each within MAX_UPLOAD_BYTES). */
export interface MultipartParts {
  fields: Map<string, string>;
  files: Map<string, UploadVariable>;
}

const tooLarge = (): RestError => ({
  status: 413,
  code: ErrorCode.PayloadTooLarge,
  message: `The file is larger than ${MAX_UPLOAD_BYTES} bytes`,
});
const bad = (message: string): RestError => ({ status: 400, code: ErrorCode.BadUserInput, message });

export const isMultipart = (req: Request) => req.is('multipart/form-data') === 'multipart/form-data';

/**
 * Reads a multipart/form-data body. A file over MAX_UPLOAD_BYTES answers 413 as soon as it goes over (the
 * rest of the body is drained, never kept); more than one file, 413 too.
 */
export function readMultipart(req: Request): Promise<MultipartParts | RestError> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_FILES, fields: 10, fieldSize: MAX_FIELD_BYTES, parts: 12 },
      });
    } catch {
      return resolve(bad('Malformed multipart/form-data request'));
    }
    const fields = new Map<string, string>();
    const files = new Map<string, UploadVariable>();
    let refusal: RestError | undefined;
    const refuse = (error: RestError) => {
      refusal ??= error;
      req.unpipe(parser);
      req.resume();
      resolve(refusal);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) refuse(bad(`The field ${name} is longer than ${MAX_FIELD_BYTES} bytes`));
      else fields.set(name, value);
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => refuse(tooLarge()));
      stream.on('end', () => {
        if (!refusal && !stream.truncated)
          files.set(name, {
            filename: info.filename ?? 'upload',
            mimeType: info.mimeType,
            base64: Buffer.concat(chunks).toString('base64'),
          });
      });
    });
    parser.on('filesLimit', () => refuse({ ...tooLarge(), message: `At most ${MAX_FILES} file per request` }));
    parser.on('partsLimit', () => refuse(bad('Too many parts in the multipart request')));
    parser.on('fieldsLimit', () => refuse(bad('Too many fields in the multipart request')));
    parser.on('error', () => refuse(bad('Malformed multipart/form-data request')));
    parser.on('close', () => resolve(refusal ?? { fields, files }));
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
    const file = files.get(field);
    if (!file) return bad(`map names the file ${field}, which the request does not hold`);
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && place(operations as Record<string, unknown>, p, file)))
      return bad(`map places the file ${field} at a path the operations do not have (give it as a null variable)`);
  }
  return { operations: operations as Record<string, unknown> };
}

/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec) at `/graphql`:
 * the files are read here and forwarded inside the variables, so subgraphs receive them through any client.
 * Like Apollo's CSRF prevention, a multipart request needs `Apollo-Require-Preflight` or
 * `X-Apollo-Operation-Name`; without one it is refused before its body is read.
 */
export function multipartBody(render: RenderError): RequestHandler {
  return async (req, res, next) => {
    if (!isMultipart(req)) return next();
    if (!req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name'])
      return render(res, bad('A multipart request needs a non-empty Apollo-Require-Preflight or X-Apollo-Operation-Name header'));
    const parts = await readMultipart(req);
    if ('status' in parts) return render(res, parts);
    const request = operationsOf(parts);
    if ('status' in request) return render(res, request);
    req.body = request.operations;
    next();
  };
}
