/**
 * Key rows kept in memory for a few seconds, so a busy app's requests do not
 * each look their key up in the database. A change to a key (revoke, new
 * limit or origins) goes out as the cache tag `apikey:<id>` through the page
 * cache's invalidation channel (src/cache/invalidation.ts): this node forgets
 * the row before the admin's request returns, other nodes when the message
 * arrives through Redis. If a message is lost (Redis down for a moment), the
 * row is read again after KEY_MEMORY_MS at the latest: that is the bound on
 * how long another node may still accept a revoked key.
 *
 * A lookup that started before a key changed is not remembered after it (the
 * page cache's generation check): it may have read the row as it was.
 */
import type { ApiKeyRow } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';

export const KEY_MEMORY_MS = 5_000;
const MAX_KEYS = 1_000;
const TAG_PREFIX = 'apikey:';

export const keyTag = (id: number) => `${TAG_PREFIX}${id}`;

export class KeyMemory {
  private readonly rows = new Map<string, { row: ApiKeyRow; until: number }>();
  private generation = 0;
  private changedAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = KEY_MEMORY_MS,
  ) {}

  /** The row for a secret's hash, while it is fresh. */
  get(secretHash: string): ApiKeyRow | undefined {
    const kept = this.rows.get(secretHash);
    if (!kept) return undefined;
    if (kept.until <= this.clock.now().getTime()) {
      this.rows.delete(secretHash);
      return undefined;
    }
    return kept.row;
  }

  /** Call before reading a row from the database; hand the result to set(). */
  begin(): number {
    return ++this.generation;
  }

  /** Remembers a row read since `startedAt`, unless a key changed meanwhile. */
  set(row: ApiKeyRow, startedAt: number): void {
    if (startedAt <= this.changedAt) return;
    this.rows.delete(row.secret_hash);
    // Only keys that exist are kept (never misses: random secrets must not fill memory), and only so many.
    if (this.rows.size >= MAX_KEYS) {
      const oldest = this.rows.keys().next().value;
      if (oldest !== undefined) this.rows.delete(oldest);
    }
    this.rows.set(row.secret_hash, { row, until: this.clock.now().getTime() + this.ttlMs });
  }

  /** Updates a remembered row in place (its last-used time), keeping its expiry. */
  update(row: ApiKeyRow): void {
    const kept = this.rows.get(row.secret_hash);
    if (kept) kept.row = row;
  }

  /** The invalidation hook: forgets the keys named by `apikey:<id>` tags. */
  invalidate(tags: Iterable<string>): void {
    const ids = new Set<number>();
    for (const tag of tags) if (tag.startsWith(TAG_PREFIX)) ids.add(Number(tag.slice(TAG_PREFIX.length)));
    if (!ids.size) return;
    this.changedAt = ++this.generation;
    for (const [hash, kept] of this.rows) if (ids.has(kept.row.id)) this.rows.delete(hash);
  }
}
