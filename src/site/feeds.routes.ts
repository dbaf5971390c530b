import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from './site.service.js';

export interface FeedDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
}

export function registerFeedRoutes(_app: FastifyInstance, _deps: FeedDeps): void {
  // Written next: RSS 2.0, Atom and JSON Feed 1.1 (site-wide, section, author, tag).
}
