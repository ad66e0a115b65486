import type { FileSettings } from '@salesgraph/platform';
import { LocalFileStore } from './local.js';
import { S3FileStore } from './s3.js';
import type { FileStore } from './store.js';

export type { FileStore } from './store.js';
export { InvalidFileKeyError, LocalFileStore } from './local.js';
export { FileStoreError, S3FileStore } from './s3.js';

/** The store `settings.files` describes: its S3 bucket when one is configured, else the folder `dir`. */
export function fileStoreFrom(files: FileSettings): FileStore {
  return files.s3 ? new S3FileStore(files.s3) : new LocalFileStore(files.dir);
}
