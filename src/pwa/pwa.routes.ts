/**
 * The installable web app (docs/web-app.md), HTTP only:
 *
 *   GET /sw.js                  the service worker (scope /; no-cache so updates are seen at once)
 *   GET /offline                the page the worker shows for a page it has not kept (page-cached like any page)
 *   GET /manifest.webmanifest   the web app manifest from the settings (page-cached, tag `settings`)
 *   GET /icons/:hash/:name      the icons made from the logo; a year's cache (the hash changes with them)
 *   GET /icons/apple-touch-icon.png   for iOS, which looks for it at a fixed address
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import { buildServiceWorker, OFFLINE_PATH } from './service-worker.js';
import { offlineMain } from './views.js';
import { AppIcons, ICON_NAMES, type IconName, type IconSet } from './icons.js';
import { buildManifest, MANIFEST_PATH } from './manifest.js';

export interface PwaRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
  assets: SiteAssets;
  /** Where uploaded media is kept (a logo uploaded to the media library is read from there). */
  mediaDir: string;
  log: Logger;
}

/** No parameters; tracking parameters (`?source=pwa`, `utm_*`) are allowed and ignored. */
const NO_QUERY = { querystring: Type.Object({}, { additionalProperties: true }) };
const IconParams = Type.Object({
  hash: Type.String({ pattern: '^[0-9a-f]{12}$' }),
  name: Type.Union(ICON_NAMES.map((n) => Type.Literal(n))),
});
const YEAR = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

export function registerPwaRoutes(app: FastifyInstance, deps: PwaRoutesDeps): void {
  const { config, site, settings, cache, assets } = deps;
  const icons = new AppIcons({ media: deps.mediaDir, publicUrl: config.publicUrl }, deps.log.child({ component: 'pwa' }));
  const currentIcons = (): Promise<IconSet> => {
    const s = settings.get();
    return icons.current({ logoUrl: s.logoUrl, background: s.webApp.backgroundColor });
  };
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

  app.get(MANIFEST_PATH, { schema: NO_QUERY }, async (request, reply) =>
    respondCached(cache, request, reply, async () => {
      const set = await currentIcons();
      return {
        body: JSON.stringify(buildManifest(settings.get(), set)),
        contentType: 'application/manifest+json; charset=utf-8',
        tags: ['settings'],
        // Made from the shipped logo because the configured one failed: rendered again when it is retried.
        expiresAt: set.retryAt,
      };
    }),
  );

  const sendIcon = (reply: FastifyReply, set: IconSet, name: IconName, cacheControl: string) =>
    reply.header('content-type', 'image/png').header('cache-control', cacheControl).header('etag', `"${set.hash}-${name}"`).send(set.files[name]);

  app.get('/icons/apple-touch-icon.png', { schema: NO_QUERY }, async (_request, reply) => sendIcon(reply, await currentIcons(), 'apple-touch-icon.png', 'public, max-age=86400'));

  app.get<{ Params: Static<typeof IconParams> }>('/icons/:hash/:name', { schema: { params: IconParams } }, async (request, reply) => {
    const set = await currentIcons();
    // An older hash (a manifest kept by a CDN for a few minutes after the logo changed) gets today's icon, briefly cached.
    return sendIcon(reply, set, request.params.name, request.params.hash === set.hash ? YEAR : SHORT);
  });
}
