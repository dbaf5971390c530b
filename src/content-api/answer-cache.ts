/**
 * The Content API's answer cache: the serialized JSON of an answer and its
 * ETag, kept in process under the route and its normalized query, with the
 * page cache's invalidation tags (`a:12`, `list:all`, `author:3`, `settings`
 * ...). It is a second PageCache store: the same byte budget and LRU order, and
 * the same guard against a build that started before an invalidation being
 * stored after it. Invalidations reach it through src/cache/invalidation.ts,
 * on every node, like the page cache's.
 *
 * Nothing per key is in an entry: the key is not part of the cache key, and
 * the answer's bytes never depend on it. Key check, CORS and the rate limit
 * run on every request before the cache is asked (content.routes.ts).
 */
import { PageCache, type CacheEntry } from '../cache/page-cache.js';
import type { Clock } from '../shared/clock.js';

/**
 * Carried by answers that depend on every article, not only the ones they show
 * (lists by label, by modification time, changed since): no event names it,
 * any article tag (`a:<id>`) drops it.
 */
export const ANY_ARTICLE_TAG = 'api:any-article';

export interface CachedAnswer extends CacheEntry {
  etag: string;
  expiresAt: number;
}

export interface AnswerCacheOptions {
  enabled: boolean;
  maxBytes: number;
  /** The longest an entry is kept without an invalidation: a safety net for changes no event announces. */
  maxAgeMs: number;
}

/**
 * What an answer was built from, noted while it is built: the tags that must
 * drop it and the time it stops being true on its own (a breaking flag that
 * runs out). The service notes into it whether or not the answer is cached.
 */
export class AnswerTags {
  readonly tags = new Set<string>();
  /** Epoch ms; undefined: only the cache's maximum age. */
  expiresAt: number | undefined;

  add(...tags: string[]): this {
    for (const tag of tags) this.tags.add(tag);
    return this;
  }

  expireAt(ms: number): void {
    if (this.expiresAt === undefined || ms < this.expiresAt) this.expiresAt = ms;
  }
}

/**
 * The cache key of a request: the route's path, its path parameters and its
 * validated query, names sorted, without the `key` parameter (it says who
 * asks, not what). Values are the validated ones (`limit=020` and `limit=20`
 * are one entry).
 */
export function answerKey(routePath: string, params: unknown, query: unknown): string {
  const parts: string[] = [];
  for (const [prefix, record] of [['p', params], ['q', query]] as const) {
    if (!record || typeof record !== 'object') continue;
    for (const name of Object.keys(record).sort()) {
      if (prefix === 'q' && name === 'key') continue;
      const value = (record as Record<string, unknown>)[name];
      if (value === undefined) continue;
      parts.push(`${prefix}.${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
  }
  return `${routePath}?${parts.join('&')}`;
}

export class AnswerCache {
  private readonly store: PageCache<CachedAnswer>;
  readonly enabled: boolean;

  constructor(
    private readonly options: AnswerCacheOptions,
    private readonly clock: Clock,
  ) {
    this.enabled = options.enabled;
    // Entry ages are read on the service's clock: the same one the answers' "now" comes from.
    this.store = new PageCache<CachedAnswer>(options.enabled, options.maxBytes, () => clock.now().getTime());
  }

  get(key: string): CachedAnswer | undefined {
    return this.store.get(key);
  }

  /** Call before building an answer; hand the result to set(). */
  begin(): number {
    return this.store.begin();
  }

  /** Stores an answer unless one of its tags was invalidated since `startedAt`; returns the entry either way. */
  set(key: string, answer: { body: Buffer; etag: string }, built: AnswerTags, startedAt: number): CachedAnswer {
    const maxAge = this.clock.now().getTime() + this.options.maxAgeMs;
    const entry: CachedAnswer = {
      body: answer.body,
      etag: answer.etag,
      tags: [...built.tags],
      expiresAt: built.expiresAt === undefined ? maxAge : Math.min(maxAge, built.expiresAt),
    };
    this.store.set(key, entry, startedAt);
    return entry;
  }

  invalidate(tags: Iterable<string>): number {
    const list = [...tags];
    if (list.some((tag) => tag.startsWith('a:'))) list.push(ANY_ARTICLE_TAG);
    return this.store.invalidate(list);
  }

  clear(): void {
    this.store.clear();
  }

  stats() {
    return this.store.stats();
  }
}
