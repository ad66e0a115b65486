import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { AppError, ErrorCode } from './errors.js';

/**
 * The default largest file of an upload. The gateway reads each file (refusing more with 413 before reading
 * on) and passes its bytes to the subgraph inside the variables, base64-encoded. The limit in force is
 * {@link uploadLimits}`().maxBytes`, set at start with {@link configureUploads}.
 */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

/** What one request may upload. */
export interface UploadLimits {
  /** The largest file, in bytes. @default MAX_UPLOAD_BYTES (4 MB) */
  maxBytes: number;
  /** The most files one request carries. @default 1 */
  maxFiles: number;
}

/** The most files a request may carry once configured from settings (a ticket's or a message's attachments). */
export const MAX_FILES_PER_REQUEST = 5;

/** The limits a process serves with: `UPLOAD_MAX_BYTES` per file, {@link MAX_FILES_PER_REQUEST} files. */
export const uploadLimitsOf = (settings: { support: { uploadMaxBytes: number } }): UploadLimits => ({
  maxBytes: settings.support.uploadMaxBytes,
  maxFiles: MAX_FILES_PER_REQUEST,
});

const DEFAULT_LIMITS: Readonly<UploadLimits> = Object.freeze({ maxBytes: MAX_UPLOAD_BYTES, maxFiles: 1 });
let limits: Readonly<UploadLimits> = DEFAULT_LIMITS;

/**
 * Sets this process's upload limits, once at start (before the gateway or a subgraph serves): `UploadScalar`
 * checks each file against `maxBytes`, the gateway's multipart reader takes both as its defaults, and a
 * subgraph served on its own port sizes its body limit from them. What is left out keeps the default
 * (4 MB, 1 file); `configureUploads({})` restores the defaults. Returns the limits now in force.
 */
export function configureUploads(given: Partial<UploadLimits>): Readonly<UploadLimits> {
  const next = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  for (const [name, value] of Object.entries(next))
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`upload limit ${name} must be a positive integer, not ${value}`);
  limits = Object.freeze(next);
  return limits;
}

/** The upload limits in force in this process (see {@link configureUploads}). */
export const uploadLimits = (): Readonly<UploadLimits> => limits;

/** A byte count as people read a limit: `4 MB`, `1.5 MB`, or bytes below a hundredth of a megabyte. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 0.01 ? `${Number(mb.toFixed(2))} MB` : `${bytes} bytes`;
}

/** `The file "<name>" is larger than 10 MB`: the same words at the gateway (413) and in the subgraph. */
export const fileTooLargeMessage = (filename: string, maxBytes: number) => `The file "${filename}" is larger than ${megabytes(maxBytes)}`;

/** `At most 5 files per request`. */
export const tooManyFilesMessage = (maxFiles: number) => `At most ${maxFiles} ${maxFiles === 1 ? 'file' : 'files'} per request`;

/**
 * Refuses a list of uploads longer than `maxFiles` (PAYLOAD_TOO_LARGE, 413 over REST): a resolver taking
 * `[Upload!]` calls it, since a scalar sees one file at a time.
 */
export function checkUploadCount(files: readonly unknown[], maxFiles = limits.maxFiles): void {
  if (files.length > maxFiles) throw new AppError(ErrorCode.PayloadTooLarge, tooManyFilesMessage(maxFiles));
}

/**
 * `Content-Disposition` of a file download: `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<name>`
 * (RFC 6266), so a browser saves it under its own name, whatever its script, and never shows it inline.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A file as a resolver receives it. */
export interface UploadedFile {
  filename: string;
  mimeType: string;
  content: Buffer;
}

/** How the gateway writes a file into the variables it forwards: a plain object, so it survives JSON. */
export interface UploadVariable {
  filename: string;
  mimeType: string;
  base64: string;
}

function fromVariable(value: unknown): UploadedFile {
  const upload = value as Partial<UploadVariable> | null;
  if (!upload || typeof upload !== 'object' || typeof upload.base64 !== 'string')
    throw new GraphQLError('Upload must be a file sent as a GraphQL multipart request (multipart/form-data with operations and map)', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  const filename = typeof upload.filename === 'string' ? upload.filename.slice(0, 255) : 'upload';
  // Checked before decoding: base64 of n bytes is at least 4n/3 characters long.
  const { maxBytes } = limits;
  const content = upload.base64.length <= Math.ceil((maxBytes * 4) / 3) + 4 ? Buffer.from(upload.base64, 'base64') : undefined;
  if (!content || content.length > maxBytes)
    throw new GraphQLError(fileTooLargeMessage(filename, maxBytes), { extensions: { code: ErrorCode.PayloadTooLarge } });
  return {
    filename,
    mimeType: typeof upload.mimeType === 'string' ? upload.mimeType.slice(0, 255) : 'application/octet-stream',
    content,
  };
}

/**
 * `scalar Upload` of the GraphQL multipart request spec. Files come only as variables: the gateway maps each
 * part of the multipart request onto its variable as an {@link UploadVariable}. Each file is checked against
 * {@link uploadLimits}`().maxBytes` (PAYLOAD_TOO_LARGE).
 */
export const UploadScalar = new GraphQLScalarType<UploadedFile, never>({
  name: 'Upload',
  description: 'A file, sent as a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)',
  parseValue: fromVariable,
  parseLiteral(ast) {
    throw new GraphQLError(
      `Upload comes only as a variable of a multipart request, not as ${ast.kind === Kind.NULL ? 'null' : 'a literal'}`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  },
  serialize() {
    throw new GraphQLError('Upload is an input only');
  },
});
