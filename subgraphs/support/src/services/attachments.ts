import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, ErrorCode, serviceUnavailable, type UploadedFile } from '@salesgraph/platform';
import { Attachment, type Ticket, type TicketMessage } from '../entities/index.js';
import type { FileStore } from './storage/index.js';

/** What uploads may be: their size and the types (as read from the bytes) allowed. */
export interface UploadLimits {
  maxBytes: number;
  allowedTypes: string[];
}

/** A file checked and ready to store. */
export interface CheckedFile {
  name: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}

const MB = 1024 * 1024;
const formatBytes = (bytes: number) => (bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${bytes} bytes`);

/**
 * The type of a file as its bytes say: a known signature (file-type), else UTF-8 text without NUL characters
 * is text (CSV when so named), else unknown. The name and the client's claimed type are never trusted.
 */
export async function sniffType(name: string, content: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(content);
  if (detected) return detected.mime;
  if (content.includes(0)) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return 'application/octet-stream';
  }
  return /\.csv$/i.test(name) ? 'text/csv' : 'text/plain';
}

/**
 * Attachments: checked before anything is stored (size → PAYLOAD_TOO_LARGE, type → UNSUPPORTED_MEDIA_TYPE),
 * written to the file store, recorded in the same transaction as their ticket or message. Bytes stored for a
 * write that then fails are removed again (`storeAll` returns the keys for the caller to clean up).
 */
export class Attachments {
  constructor(
    readonly store: FileStore,
    private readonly limits: () => UploadLimits,
  ) {}

  async check(files: UploadedFile[]): Promise<CheckedFile[]> {
    const { maxBytes, allowedTypes } = this.limits();
    const checked: CheckedFile[] = [];
    for (const file of files) {
      const name = file.filename.replace(/[\r\n"\\/]/g, '_').slice(0, 255) || 'file';
      if (file.content.length > maxBytes) {
        throw new AppError(ErrorCode.PayloadTooLarge, `The file "${name}" is larger than ${formatBytes(maxBytes)}`);
      }
      const contentType = await sniffType(name, file.content);
      if (!allowedTypes.includes(contentType)) {
        throw new AppError(
          ErrorCode.UnsupportedMediaType,
          `The file "${name}" is ${contentType === 'application/octet-stream' ? 'of an unknown type' : contentType}, which is not accepted (accepted: ${allowedTypes.join(', ')})`,
        );
      }
      checked.push({ name, contentType, content: file.content, sha256: createHash('sha256').update(file.content).digest('hex') });
    }
    return checked;
  }

  /**
   * Stores the files and records them for the ticket (and message) inside the caller's transaction. Pushes
   * each stored key into `stored` as soon as it is written, so the caller can remove them if the write fails.
   */
  async storeAll(
    tx: EntityManager,
    ticket: Ticket,
    message: TicketMessage | null,
    files: CheckedFile[],
    stored: string[],
  ): Promise<Attachment[]> {
    const attachments: Attachment[] = [];
    for (const file of files) {
      const attachment = tx.create(Attachment, {
        organizationId: ticket.organizationId,
        ticket,
        message,
        name: file.name,
        contentType: file.contentType,
        size: file.content.length,
        sha256: file.sha256,
        storageKey: '',
      });
      attachment.storageKey = `${ticket.organizationId}/${attachment.id}`;
      try {
        await this.store.put(attachment.storageKey, file.content, file.contentType);
      } catch (error) {
        // The storage's own message stays in the log: it names buckets and keys, not for the client.
        console.warn(`support: a file could not be stored: ${(error as Error).message}`);
        throw serviceUnavailable('The file storage did not accept the files; nothing was saved, try again');
      }
      stored.push(attachment.storageKey);
      attachments.push(attachment);
    }
    return attachments;
  }

  /** Removes stored bytes, for a failed write or a deleted ticket; a failure is logged without the key's owner. */
  async remove(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.store
        .delete(key)
        .catch((error: unknown) => console.warn(`support: a stored file could not be removed: ${(error as Error).message}`));
    }
  }
}
