/** The Content API, assembled: keys, their rate counters, the content service, its answer cache and its routes (docs/content-api.md). */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { AdminGuard } from '../accounts/guard.js';
import type { Database } from '../db/schema.js';
import type { ArticlesRepository } from '../newsroom/articles.repository.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { RelatedService } from '../related/related.service.js';
import type { SearchService } from '../related/search.service.js';
import type { Clock } from '../shared/clock.js';
import type { AnswerCache } from './answer-cache.js';
import type { KeyMemory } from './key-memory.js';
import { ContentRepository } from './content.repository.js';
import { registerContentRoutes } from './content.routes.js';
import { ContentService } from './content.service.js';
import { ApiKeysRepository } from './keys.repository.js';
import { registerApiKeyRoutes } from './keys.routes.js';
import { ApiKeysService } from './keys.service.js';
import { createRateCounter, type RateCounter } from './rate-counter.js';

export interface ContentApi {
  keys: ApiKeysService;
  content: ContentService;
  counter: RateCounter;
  cache: AnswerCache;
  register(http: FastifyInstance, guard: AdminGuard): void;
  close(): Promise<void>;
}

export async function createContentApi(deps: {
  kysely: Kysely<Database>;
  articles: ArticlesRepository;
  taxonomy: TaxonomyRepository;
  related: RelatedService;
  search: SearchService;
  settings: SettingsStore;
  clock: Clock;
  publicUrl: string;
  redisUrl?: string;
  /** Built by the app beside the page cache, so the same invalidations reach both. */
  cache: AnswerCache;
  /** Key rows kept for a few seconds, forgotten through the same invalidations (undefined: none kept). */
  keyMemory?: KeyMemory;
  /** The invalidator: announces key changes to every node. */
  announce?: (tags: string[]) => Promise<void>;
}): Promise<ContentApi> {
  const repo = new ApiKeysRepository(deps.kysely);
  const counter = await createRateCounter({ redisUrl: deps.redisUrl, repo });
  const keys = new ApiKeysService({ repo, counter, clock: deps.clock, memory: deps.keyMemory, announce: deps.announce });
  const content = new ContentService({ ...deps, content: new ContentRepository(deps.kysely) });
  return {
    keys,
    content,
    counter,
    cache: deps.cache,
    register(http, guard) {
      registerApiKeyRoutes(http, { keys, guard });
      registerContentRoutes(http, { content, keys, publicUrl: deps.publicUrl, siteName: () => deps.settings.get().name, cache: deps.cache });
    },
    close: () => counter.close(),
  };
}
