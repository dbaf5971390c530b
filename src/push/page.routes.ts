/**
 * GET /alerts: where a reader turns breaking-news alerts on, picks topics,
 * changes them or stops (docs/push.md). Nothing asks for permission on load:
 * the page's script does, only when the reader presses the button.
 * The page is the same for everyone, so it is page-cached.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { SiteService } from '../site/site.service.js';
import { versionedAsset, type SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import { html } from '../shared/html.js';
import { alertsMain } from './views.js';
import type { Push } from './module.js';

export const ALERTS_PATH = '/alerts';

export interface AlertsPageDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
  assets: SiteAssets;
  push: Push;
}

export function registerAlertsPage(app: FastifyInstance, deps: AlertsPageDeps): void {
  const { config, site, settings, cache, assets, push } = deps;
  const script = versionedAsset('alerts.js');
  app.get(ALERTS_PATH, { schema: { querystring: Type.Object({}, { additionalProperties: true }) } }, async (request, reply) =>
    respondCached(cache, request, reply, async () => {
      const s = settings.get();
      const [sections, breaking] = await Promise.all([site.sections(), site.breaking()]);
      const body = layout({
        site: s,
        publicUrl: config.publicUrl,
        sections,
        breaking: breaking ?? null,
        meta: { title: 'Breaking news alerts', description: `Notifications from ${s.name} on this device, for the news you choose.`, canonical: `${config.publicUrl}${ALERTS_PATH}`, type: 'website', jsonLd: [], feeds: [] },
        main: alertsMain(s.name, push.keys.publicKey, await push.topics()),
        cssHref: assets.css,
        printCssHref: assets.printCss,
        scriptHref: assets.script,
        bodyClass: 'page-alerts',
        endOfBody: html`<script src="${script}" defer></script>`,
      });
      return { body, tags: ['settings', 'sections', 'breaking'] };
    }),
  );
}
