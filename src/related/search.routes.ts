/**
 * The reader search page, GET /search?q=&section=&author=&from=&to=&sort=&page=.
 * HTTP only: reads the query, asks SearchService, renders with the site layout.
 *
 * Not in the page cache: its key is the path and page number only, so every
 * search would share one entry. Browsers and CDNs may keep a result page for a
 * minute (they key on the whole URL); result pages are `noindex`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { SiteService } from '../site/site.service.js';
import type { SiteAssets } from '../site/assets.js';
import { layout } from '../site/views/layout.js';
import { searchHref, searchMain } from '../site/views/search.js';
import type { SearchService } from './search.service.js';

export const SEARCH_CACHE_CONTROL = 'public, max-age=60, s-maxage=60';

export interface SearchRoutesDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  search: SearchService;
  taxonomy: TaxonomyRepository;
  assets: SiteAssets;
}

/** One value per parameter: a repeated `?q=a&q=b` counts as its first value. */
function first(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

export function registerSearchRoutes(app: FastifyInstance, deps: SearchRoutesDeps): void {
  const { config, site, settings, search } = deps;

  app.get('/search', async (request: FastifyRequest, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const rawQuery = first(query.q) ?? '';
    // The page's other parts are read while the search runs (on PostgreSQL over other pooled connections).
    const [results, sections, authors, live] = await Promise.all([
      search.search({
        q: rawQuery,
        section: first(query.section),
        author: first(query.author),
        from: first(query.from),
        to: first(query.to),
        sort: first(query.sort),
        page: first(query.page),
      }),
      site.sections(),
      deps.taxonomy.authors(),
      site.breaking(),
    ]);
    const s = settings.get();
    const title = results.query.text ? `Search: ${results.query.text}` : 'Search';
    const body = layout({
      site: s,
      publicUrl: config.publicUrl,
      sections,
      breaking: live ?? null,
      meta: {
        title,
        description: `Search every story published by ${s.name}.`,
        canonical: `${config.publicUrl}/search`,
        type: 'website',
        jsonLd: [],
        feeds: [],
        noindex: true,
        prev: results.page > 1 && results.items.length ? `${config.publicUrl}${searchHref(results, { page: results.page - 1 })}` : undefined,
        next: results.page < results.pages ? `${config.publicUrl}${searchHref(results, { page: results.page + 1 })}` : undefined,
      },
      main: searchMain({ results, sections, authors: authors.map((a) => ({ slug: a.slug, name: a.name })), ctx: { timeZone: s.timeZone, language: s.language } }, rawQuery),
      cssHref: deps.assets.css,
      printCssHref: deps.assets.printCss,
      scriptHref: deps.assets.script,
      bodyClass: 'page-search',
    });
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', SEARCH_CACHE_CONTROL)
      .header('x-robots-tag', 'noindex')
      .send(body);
  });
}
