import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from './site.service.js';

export interface SitemapDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
}

export function registerSitemapRoutes(_app: FastifyInstance, _deps: SitemapDeps): void {
  // Written next: sitemap index, article/section/author sitemaps, Google News sitemap, robots.txt.
}
