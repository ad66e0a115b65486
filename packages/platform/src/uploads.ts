import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * The largest file one GraphQL multipart request may carry. The gateway reads the file (refusing more with
 * 413 before reading on) and passes its bytes to the subgraph inside the variables, base64-encoded.
 */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

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
  const content = Buffer.from(upload.base64, 'base64');
  if (content.length > MAX_UPLOAD_BYTES)
    throw new GraphQLError(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`, { extensions: { code: 'PAYLOAD_TOO_LARGE' } });
  return {
    filename: typeof upload.filename === 'string' ? upload.filename.slice(0, 255) : 'upload',
    mimeType: typeof upload.mimeType === 'string' ? upload.mimeType.slice(0, 255) : 'application/octet-stream',
    content,
  };
}

/**
 * `scalar Upload` of the GraphQL multipart request spec. Files come only as variables: the gateway maps each
 * part of the multipart request onto its variable as an {@link UploadVariable}.
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
