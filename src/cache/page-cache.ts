/**
 * The in-process page cache. Each entry carries the cache tags of everything it
 * shows (`a:12`, `author:3`, `list:section:2`, `settings` ...); a write
 * invalidates exactly the entries that carry one of its tags. The same tags go
 * out as `Surrogate-Key`/`Cache-Tag` so a CDN in front can purge the same way.
 *
 * A render that started before an invalidation and ends after it is not
 * stored (it may show the old content): `begin()` hands out a generation that
 * `set()` checks against the tags' last invalidation.
 *
 * The same store keeps other tagged answers too (the Content API's JSON,
 * src/content-api/answer-cache.ts): an entry needs only its bytes and tags.
 */
import { createHash } from 'node:crypto';

/** What the cache needs of an entry: its bytes (for the budget), its tags and when it stops being valid. */
export interface CacheEntry {
  body: Buffer;
  /** The body gzipped once when stored, for the (nearly all) clients that accept it; counted in the budget. */
  gzip?: Buffer;
  tags: readonly string[];
  /** Epoch ms (on the cache's clock) after which the entry must be built again (e.g. a breaking banner expires). */
  expiresAt?: number;
}

export interface CachedPage extends CacheEntry {
  status: number;
  contentType: string;
  etag: string;
  lastModified: string;
  cacheControl: string;
}

export interface PageCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  invalidations: number;
}

const ENTRY_OVERHEAD = 512;

/** Bytes an entry is counted as: its body (and gzipped copy), its key and a fixed allowance for the rest. */
const sizeOf = (key: string, entry: CacheEntry) => entry.body.length + (entry.gzip?.length ?? 0) + key.length + ENTRY_OVERHEAD;

export function etagFor(body: Buffer | string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

export class PageCache<E extends CacheEntry = CachedPage> {
  private readonly entries = new Map<string, E>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly tagGeneration = new Map<string, number>();
  private generation = 0;
  private clearedAt = 0;
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;

  constructor(
    readonly enabled: boolean,
    private readonly maxBytes: number,
    /** The clock entries' `expiresAt` is read on (tests of the Content API move theirs). */
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): E | undefined {
    if (!this.enabled) return undefined;
    const page = this.entries.get(key);
    if (!page) {
      this.misses++;
      return undefined;
    }
    if (page.expiresAt !== undefined && page.expiresAt <= this.now()) {
      this.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, page);
    return page;
  }

  begin(): number {
    return ++this.generation;
  }

  set(key: string, page: E, startedAt: number): boolean {
    if (!this.enabled) return false;
    if (startedAt <= this.clearedAt) return false;
    for (const tag of page.tags) {
      if ((this.tagGeneration.get(tag) ?? 0) >= startedAt) return false;
    }
    this.delete(key);
    const size = sizeOf(key, page);
    if (size > this.maxBytes / 4) return false;
    this.entries.set(key, page);
    this.bytes += size;
    for (const tag of page.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    return true;
  }

  invalidate(tags: Iterable<string>): number {
    const generation = ++this.generation;
    let removed = 0;
    for (const tag of tags) {
      this.tagGeneration.set(tag, generation);
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) {
        if (this.delete(key)) removed++;
      }
    }
    this.invalidations++;
    return removed;
  }

  clear(): void {
    this.clearedAt = ++this.generation;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): PageCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses, invalidations: this.invalidations };
  }

  private delete(key: string): boolean {
    const page = this.entries.get(key);
    if (!page) return false;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, page);
    for (const tag of page.tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}
