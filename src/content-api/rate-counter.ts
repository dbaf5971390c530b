/**
 * Per-key request counts in fixed one-minute windows, shared by every node:
 * in the database by default, in Redis when REDIS_URL is set (one INCR per
 * request instead of a write to the database). Fixed windows let a client
 * spend up to twice its limit across a window boundary; in exchange a request
 * costs one statement and the numbers are easy to explain in RateLimit headers.
 */
import type { Redis } from 'ioredis';
import type { ApiKeyRow } from '../db/schema.js';
import type { ApiKeysRepository } from './keys.repository.js';

/** The key's id (database rows) and secret hash (Redis names: unique even when sites share one Redis). */
export type CountedKey = Pick<ApiKeyRow, 'id' | 'secret_hash'>;

export interface RateCounter {
  /** Counts one request of the key in `minute` and returns that minute's count so far. */
  hit(key: CountedKey, minute: number): Promise<number>;
  close(): Promise<void>;
}

export class DatabaseRateCounter implements RateCounter {
  constructor(private readonly repo: ApiKeysRepository) {}

  async hit(key: CountedKey, minute: number): Promise<number> {
    const count = await this.repo.countRequest(key.id, minute);
    if (count === 1) await this.repo.forgetBefore(key.id, minute);
    return count;
  }

  async close(): Promise<void> {}
}

export class RedisRateCounter implements RateCounter {
  constructor(private readonly redis: Redis) {}

  async hit(key: CountedKey, minute: number): Promise<number> {
    const name = `broadsheet:content-api:rate:${key.secret_hash.slice(0, 24)}:${minute}`;
    // The key outlives its minute a little, so a node whose clock is slightly behind still finds it.
    const results = await this.redis.multi().incr(name).pexpire(name, 120_000).exec();
    const [error, count] = results?.[0] ?? [new Error('no reply from Redis'), 0];
    if (error) throw error;
    return Number(count);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

export async function createRateCounter(options: { redisUrl?: string; repo: ApiKeysRepository }): Promise<RateCounter> {
  if (!options.redisUrl) return new DatabaseRateCounter(options.repo);
  // Loaded only when configured, like the cache invalidation's Redis client.
  const { Redis: RedisClient } = await import('ioredis');
  return new RedisRateCounter(new RedisClient(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 }));
}
