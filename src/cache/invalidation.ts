/**
 * Turns content changes into cache invalidations, on this node and, when Redis
 * is configured, on every other node (each node keeps its own page cache and
 * Content API answer cache; both take the same tags).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus } from '../shared/events.js';

const CHANNEL = 'broadsheet:invalidate';

/** Anything that drops its entries by tag (the page cache, the Content API's answer cache). */
export interface TaggedCache {
  invalidate(tags: Iterable<string>): unknown;
}

export interface Invalidator {
  /** Invalidates locally and tells the other nodes. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function createInvalidator(options: {
  caches: readonly TaggedCache[];
  events: EventBus;
  log: Logger;
  redisUrl?: string;
  /** Called for every invalidation, local or remote (e.g. to reload settings). */
  onInvalidate?: (tags: string[]) => void | Promise<void>;
}): Promise<Invalidator> {
  const { caches, events, log, redisUrl, onInvalidate } = options;
  const nodeId = randomUUID();
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;

  // The hooks first (e.g. reloading the settings), then the caches: a render that starts after the caches
  // dropped their entries must already see the reloaded state, or it would store the old one again.
  // (Renders that started earlier are refused by the caches' generation check.)
  const applyLocally = async (tags: string[]) => {
    try {
      await onInvalidate?.(tags);
    } finally {
      for (const cache of caches) cache.invalidate(tags);
    }
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
        if (from !== nodeId && Array.isArray(tags)) {
          applyLocally(tags.map(String)).catch((error: unknown) => log.error({ err: error }, 'could not apply a cache invalidation from another node'));
        }
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
