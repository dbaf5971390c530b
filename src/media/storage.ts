/**
 * Where media files live. The service talks only to `MediaStorage`, so a
 * store other than the local folder (an S3-compatible bucket) is one more
 * class implementing it. Keys are relative, slash-separated paths such as
 * `2026/11/3f2a9c0d1e2b4a5f-640.webp`; the public URL of a key is the
 * storage's business (`/media/<key>` for the local folder, served by
 * @fastify/static with a year-long immutable cache).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface MediaStorage {
  /** Stores the bytes under `key`, replacing anything there; readers never see a partial file. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The whole file, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  createReadStream(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  /** Where browsers fetch the file. */
  url(key: string): string;
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i;

/** Keys come from our own code, but a storage must never step outside its folder or bucket. */
export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part.startsWith('.')) || key.length > 300) {
    throw new Error(`invalid media storage key ${JSON.stringify(key)}`);
  }
}

/** Files under a local folder (DATA_DIR/media by default), served at `urlPrefix`. */
export class LocalMediaStorage implements MediaStorage {
  constructor(
    readonly root: string,
    private readonly urlPrefix = '/media/',
  ) {}

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Buffer, _contentType: string): Promise<void> {
    const target = this.file(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    // Written next to the target under a dot-name (never served), then renamed: atomic on one file system.
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fsp.writeFile(temp, data, { flag: 'wx' });
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  createReadStream(key: string): Readable {
    return fs.createReadStream(this.file(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fsp.stat(this.file(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.file(key), { force: true });
  }

  url(key: string): string {
    assertValidKey(key);
    return `${this.urlPrefix}${key}`;
  }
}
