/**
 * The installable web app (docs/web-app.md), HTTP only:
 *
 *   GET /sw.js                  the service worker (scope /; no-cache so updates are seen at once)
 *   GET /offline                the page the worker shows for a page it has not kept (page-cached like any page)
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import { buildServiceWorker, OFFLINE_PATH } from './service-worker.js';
import { offlineMain } from './views.js';

export interface PwaRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
  assets: SiteAssets;
}

/** No parameters; tracking parameters (`?source=pwa`, `utm_*`) are allowed and ignored. */
const NO_QUERY = { querystring: Type.Object({}, { additionalProperties: true }) };

export function registerPwaRoutes(app: FastifyInstance, deps: PwaRoutesDeps): void {
  const { config, site, settings, cache, assets } = deps;
  // Everything the offline page needs, so it shows styled with nothing reachable.
  const worker = buildServiceWorker([OFFLINE_PATH, assets.css, assets.printCss, assets.script]);

  app.get('/sw.js', { schema: NO_QUERY }, async (request, reply) => {
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/')
      .header('etag', worker.etag);
    if (request.headers['if-none-match'] === worker.etag) return reply.code(304).send();
    return reply.send(worker.body);
  });

  app.get(OFFLINE_PATH, { schema: NO_QUERY }, async (request, reply) =>
    respondCached(cache, request, reply, async () => {
      const s = settings.get();
      const body = layout({
        site: s,
        publicUrl: config.publicUrl,
        sections: await site.sections(),
        // Kept on readers' devices for days: a breaking banner would go stale there.
        breaking: null,
        meta: { title: 'You are offline', description: `${s.name} cannot be reached right now.`, canonical: `${config.publicUrl}${OFFLINE_PATH}`, type: 'website', jsonLd: [], feeds: [], noindex: true },
        main: offlineMain(s.name),
        cssHref: assets.css,
        printCssHref: assets.printCss,
        scriptHref: assets.script,
        bodyClass: 'page-offline',
      });
      return { body, tags: ['settings', 'sections'] };
    }),
  );
}
