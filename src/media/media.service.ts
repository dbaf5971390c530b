/**
 * The media library's rules: an upload becomes a library item only when every
 * one of its files is stored (files first, then the database row; on any
 * failure the files written so far are removed, so nothing is half-stored);
 * identical uploads are one item; editing the words about an image (alt text,
 * caption, credit) re-renders the pages that show it.
 */
import type { Logger } from 'pino';
import type { MediaRow } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { Invalid, NotFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import { parseVariants } from '../newsroom/media.js';
import { processImage } from './images.js';
import type { MediaRepository, MediaUsage } from './media.repository.js';
import type { MediaStorage } from './storage.js';

export interface MediaServiceDeps {
  media: MediaRepository;
  storage: MediaStorage;
  events: EventBus;
  clock: Clock;
  log: Logger;
  /** Refuse images with more pixels than this (decompression bombs). */
  maxPixels?: number;
}

export interface UploadInput {
  data: Buffer;
  filename: string;
  uploadedBy: number | null;
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface MediaText {
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface MediaItem {
  id: number;
  url: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  filename: string;
  alt: string;
  caption: string;
  credit: string;
  uploadedBy: number | null;
  createdAt: string;
  variants: { width: number; height: number; format: string; url: string }[];
}

/**
 * Decoding and encoding an upload keeps libuv's small thread pool busy for a second or more; a few at a time per
 * process leaves threads for everything else (file reads, password hashing). Waiting uploads queue in order.
 */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so a newcomer can never squeeze in between.
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export const TEXT_LIMITS = { alt: 1000, caption: 2000, credit: 300 } as const;

/** A file name as shown in the library: no folders, no control characters, at most 200 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
}

function cleanText(input: MediaText, strict: boolean): MediaText {
  const out: MediaText = {};
  const problems: { path: string; message: string }[] = [];
  for (const field of ['alt', 'caption', 'credit'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      problems.push({ path: `/${field}`, message: 'must be text' });
      continue;
    }
    const text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
    if (text.length > TEXT_LIMITS[field]) {
      if (strict) problems.push({ path: `/${field}`, message: `must be at most ${TEXT_LIMITS[field]} characters` });
      out[field] = text.slice(0, TEXT_LIMITS[field]);
    } else out[field] = text;
  }
  if (problems.length) throw new Invalid('Some fields are not valid', problems);
  return out;
}

export class MediaService {
  private readonly processing = new Limiter(2);

  constructor(private readonly deps: MediaServiceDeps) {}

  toItem(row: MediaRow): MediaItem {
    const { storage } = this.deps;
    return {
      id: row.id,
      url: storage.url(row.storage_key),
      mime: row.mime,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      filename: row.filename,
      alt: row.alt,
      caption: row.caption,
      credit: row.credit,
      uploadedBy: row.uploaded_by,
      createdAt: row.created_at,
      variants: parseVariants(row.variants).map((v) => ({ width: v.width, height: v.height, format: v.format, url: storage.url(v.key) })),
    };
  }

  async get(id: number): Promise<MediaRow> {
    const row = await this.deps.media.byId(id);
    if (!row) throw new NotFound(`No image with id ${id}`);
    return row;
  }

  /** Stores an uploaded image. `created` is false when the same file was uploaded before: that item is returned unchanged. */
  async upload(input: UploadInput): Promise<{ row: MediaRow; created: boolean }> {
    const { media, storage, clock, log } = this.deps;
    const text = cleanText({ alt: input.alt, caption: input.caption, credit: input.credit }, true);
    const now = clock.now();
    const image = await this.processing.run(() => processImage(input.data, { now, maxPixels: this.deps.maxPixels }));
    const existing = await media.byHash(image.hash);
    if (existing) return { row: existing, created: false };

    const main = image.variants.filter((v) => v.format === image.fallback).at(-1)!;
    const written: string[] = [];
    try {
      for (const variant of image.variants) {
        written.push(variant.key);
        await storage.put(variant.key, variant.data, variant.contentType);
      }
      const id = await media.insert({
        storage_key: main.key,
        mime: `image/${image.fallback}`,
        width: main.width,
        height: main.height,
        bytes: input.data.length,
        alt: text.alt ?? '',
        caption: text.caption ?? '',
        credit: text.credit ?? '',
        variants: JSON.stringify(image.variants.map(({ width, height, key, format }) => ({ width, height, key, format }))),
        filename: cleanFilename(input.filename),
        content_hash: image.hash,
        uploaded_by: input.uploadedBy,
        created_at: now.toISOString(),
      });
      return { row: (await media.byId(id))!, created: true };
    } catch (error) {
      // The same file uploaded at the same moment by someone else wins the unique hash: its files are ours too, keep them.
      const winner = await media.byHash(image.hash).catch(() => undefined);
      const keep = new Set(winner ? parseVariants(winner.variants).map((v) => v.key) : []);
      await Promise.all(
        written
          .filter((key) => !keep.has(key))
          .map((key) => storage.delete(key).catch((err: unknown) => log.error({ err, key }, 'could not remove a file of a failed upload'))),
      );
      if (winner) return { row: winner, created: false };
      throw error;
    }
  }

  async list(query: { q?: string; page?: number; perPage?: number }): Promise<{ items: MediaItem[]; total: number; page: number; perPage: number }> {
    const perPage = Math.min(100, Math.max(1, query.perPage ?? 30));
    const page = Math.max(1, query.page ?? 1);
    const { items, total } = await this.deps.media.list({ q: query.q?.slice(0, 200), limit: perPage, offset: (page - 1) * perPage });
    return { items: items.map((row) => this.toItem(row)), total, page, perPage };
  }

  /** Changes alt text, caption or credit, and re-renders every page showing the image. */
  async updateText(id: number, patch: MediaText): Promise<MediaRow> {
    const row = await this.get(id);
    const clean = cleanText(patch, true);
    await this.deps.media.update(id, clean);
    const [usage, authors] = await Promise.all([this.deps.media.usage(row), this.deps.media.authorIds(id)]);
    const tags = [...usage.map((u) => `a:${u.id}`), ...authors.map((a) => `author:${a}`)];
    if (tags.length) await this.deps.events.emit('content.changed', { change: { tags } });
    return (await this.deps.media.byId(id))!;
  }

  async usage(id: number): Promise<MediaUsage[]> {
    return this.deps.media.usage(await this.get(id));
  }
}
