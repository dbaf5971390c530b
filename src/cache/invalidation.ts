/**
 * Turns content changes into cache invalidations, on this node and, when Redis
 * is configured, on every other node (each node keeps its own page cache).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus } from '../shared/events.js';
import type { PageCache } from './page-cache.js';

const CHANNEL = 'broadsheet:invalidate';

export interface Invalidator {
  /** Invalidates locally and tells the other nodes. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function createInvalidator(options: {
  cache: PageCache;
  events: EventBus;
  log: Logger;
  redisUrl?: string;
  /** Called for every invalidation, local or remote (e.g. to reload settings). */
  onInvalidate?: (tags: string[]) => void | Promise<void>;
}): Promise<Invalidator> {
  const { cache, events, log, redisUrl, onInvalidate } = options;
  const nodeId = randomUUID();
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;

  const applyLocally = async (tags: string[]) => {
    cache.invalidate(tags);
    await onInvalidate?.(tags);
  };

  if (redisUrl) {
    // Loaded only when configured: ioredis is a noticeable part of start-up time.
    const { Redis: RedisClient } = await import('ioredis');
    publisher = new RedisClient(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    subscriber = new RedisClient(redisUrl, { lazyConnect: true });
    await publisher.connect();
    await subscriber.connect();
    await subscriber.subscribe(CHANNEL);
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { from, tags } = JSON.parse(message) as { from: string; tags: string[] };
        if (from !== nodeId && Array.isArray(tags)) void applyLocally(tags.map(String));
      } catch (error) {
        log.warn({ err: error }, 'ignored a malformed invalidation message');
      }
    });
  }

  const invalidate = async (tags: string[]) => {
    if (!tags.length) return;
    await applyLocally(tags);
    if (publisher) {
      try {
        await publisher.publish(CHANNEL, JSON.stringify({ from: nodeId, tags }));
      } catch (error) {
        log.error({ err: error }, 'could not broadcast a cache invalidation');
      }
    }
  };

  for (const event of ['article.saved', 'article.published', 'article.unpublished', 'content.changed'] as const) {
    events.on(event, (payload) => invalidate(payload.change.tags));
  }

  return {
    invalidate,
    async close() {
      await subscriber?.quit().catch(() => undefined);
      await publisher?.quit().catch(() => undefined);
    },
  };
}
