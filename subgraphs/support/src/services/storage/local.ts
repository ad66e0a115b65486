import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { FileStore } from './store.js';

/** A key a store refuses: empty, too long, or one that could name a file outside its root. */
export class InvalidFileKeyError extends Error {
  constructor(key: string) {
    super(`Invalid file key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)}`);
    this.name = 'InvalidFileKeyError';
  }
}

/** `/`-separated segments of `[A-Za-z0-9_.-]`, none empty, none starting with a dot (`.`, `..`, hidden and temporary files). */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;
const MAX_KEY_LENGTH = 1024;

/** Files in a folder: a key `a/b` is the file `<root>/a/b`. */
export class LocalFileStore implements FileStore {
  readonly kind = 'local';
  /** Absolute. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /**
   * Writes a temporary file beside the target (a dot-name no key can have), flushed, then renames it over
   * the target: a reader sees the old bytes or the new ones, never part of them.
   */
  async put(key: string, content: Buffer, _contentType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, content, { flag: 'wx', flush: true });
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const path = this.pathOf(key);
    try {
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** The file of `key`, checked to lie inside the root; throws InvalidFileKeyError otherwise. */
  private pathOf(key: string): string {
    if (typeof key !== 'string' || key.length > MAX_KEY_LENGTH || !KEY.test(key)) throw new InvalidFileKeyError(String(key));
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new InvalidFileKeyError(key);
    return path;
  }
}

/** No file there: nothing under that name, a file where a folder of the path should be, or a folder. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
