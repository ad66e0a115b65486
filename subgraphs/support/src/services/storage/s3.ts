import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Settings } from '@salesgraph/platform';
import type { FileStore } from './store.js';

/**
 * A failed S3 request other than "no such key". Its message names the operation, the bucket, the key and
 * what S3 answered, and never the credentials; the SDK's error is not kept as `cause` for the same reason.
 */
export class FileStoreError extends Error {
  constructor(
    message: string,
    /** The S3 error code (`AccessDenied`, `NoSuchBucket`, …) or the network error's name. */
    readonly code: string,
    /** The HTTP status S3 answered with, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FileStoreError';
  }
}

/**
 * Objects in an S3 bucket, at AWS or any S3 API (MinIO, Ceph, …) addressed path-style
 * (`<endpoint>/<bucket>/<key>`).
 */
export class S3FileStore implements FileStore {
  readonly kind = 's3';
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly secrets: string[];

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.secrets = [settings.secretAccessKey];
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: true,
      // Bounded like every outbound call: 5 s to connect, 60 s for a request (seed 003's upload timeout). The
      // SDK retries what failed transiently (its standard mode, 3 attempts): every call here is idempotent.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Checksums only where an operation requires them (none of these do). Since 3.729 the SDK's default
      // adds a CRC32 header to every upload (an aws-chunked body with a checksum trailer for streams) and
      // asks for checksums back, which S3-compatible servers other than AWS do not all accept. A Buffer
      // body's SHA-256 is still part of the signature (x-amz-content-sha256), which the server checks.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, content: Buffer, contentType: string): Promise<void> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: content,
      ContentType: contentType,
      ContentLength: content.length,
    });
    try {
      await this.client.send(command);
    } catch (error) {
      throw this.failure('PutObject', key, error);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (isNoSuchKey(error)) return null;
      throw this.failure('GetObject', key, error);
    }
  }

  /** S3 answers 204 for a missing key too; a server that says NoSuchKey instead is taken at its word. */
  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (!isNoSuchKey(error)) throw this.failure('DeleteObject', key, error);
    }
  }

  /** Closes the client's idle connections; the store is not used afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  /** A FileStoreError for `error`, its message without the credentials. */
  private failure(operation: string, key: string, error: unknown): FileStoreError {
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    const code = (error instanceof Error && error.name) || 'Error';
    const detail = error instanceof Error ? error.message : String(error);
    let message = `S3 ${operation} of ${JSON.stringify(key)} in bucket ${JSON.stringify(this.bucket)} failed: ${code}${
      status ? ` (HTTP ${status})` : ''
    }${detail && detail !== code ? `: ${detail}` : ''}`;
    for (const secret of this.secrets) if (secret) message = message.split(secret).join('[secret]');
    return new FileStoreError(message, code, status);
  }
}

/** S3's "no such key": NoSuchKey, or a 404 that is not about the bucket (a HEAD-style answer has no code). */
function isNoSuchKey(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  if (error.name === 'NoSuchKey') return true;
  return error.$metadata.httpStatusCode === 404 && error.name !== 'NoSuchBucket';
}
