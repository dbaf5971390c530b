/**
 * Sitemaps and robots.txt.
 *
 *   /sitemap.xml                 index of the sitemaps below
 *   /sitemaps/articles-<n>.xml   published articles in id order, `articlesPerSitemap` a file
 *   /sitemaps/sections.xml       the home page and every section
 *   /sitemaps/authors.xml        authors with published work
 *   /sitemaps/news.xml           Google News: articles from the last 48 hours (at most 1,000)
 *   /robots.txt                  everything but the newsroom's admin, and where the sitemap is
 *
 * Each is a few batched queries and string building (never a query per URL),
 * cached like pages and invalidated by the `sitemap` tag (announced by every
 * change to a published article, section or author), `list:all` and
 * `settings`. A 50,000-URL article sitemap is read and built in chunks that let
 * other requests run in between (see ArticlesRepository.sitemapEntries).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached, type RenderedPage } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import { mediaUrl } from '../newsroom/media.js';
import { NotFound } from '../shared/errors.js';
import type { SiteService } from './site.service.js';
import { absolute, articlePath } from './format.js';
import { latestTime } from './feeds.xml.js';
import { newsLanguage, renderNewsSitemap, renderSitemapIndex, renderUrls, renderUrlset, URLSET_CLOSE, URLSET_OPEN, type SitemapRef, type SitemapUrl } from './sitemaps.render.js';

export interface SitemapDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
}

/**
 * Sizes of the sitemaps, read on every request. The protocol allows 50,000
 * URLs a file and Google News 1,000 articles from the last two days; tests
 * lower `articlesPerSitemap` to see the paging work.
 */
export const sitemapLimits = {
  articlesPerSitemap: 50_000,
  newsMaxUrls: 1_000,
  newsWindowMs: 48 * 3_600_000,
};

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=utf-8';
const SITEMAP_TAGS = ['sitemap', 'list:all', 'settings'];
const ARTICLE_SITEMAP = /^articles-([1-9]\d{0,6})\.xml$/;
const RENDER_CHUNK = 5_000;

export function registerSitemapRoutes(app: FastifyInstance, deps: SitemapDeps): void {
  const { config, site, settings, cache } = deps;
  const publicUrl = config.publicUrl;
  const url = (path: string) => absolute(publicUrl, path);

  const xml = (request: FastifyRequest, reply: FastifyReply, render: () => Promise<Omit<RenderedPage, 'contentType'>>) =>
    respondCached(cache, request, reply, async () => ({ contentType: SITEMAP_CONTENT_TYPE, ...(await render()) }));

  app.get('/sitemap.xml', async (request, reply) =>
    xml(request, reply, async () => {
      // No <lastmod> per file: an accurate one means reading every article's update
      // times (slow on SQLite, see sitemapEntries), and a wrong one is worse than none.
      // Each URL inside carries its own.
      const count = Math.max(1, Math.ceil((await site.countPublished()) / sitemapLimits.articlesPerSitemap));
      const refs: SitemapRef[] = [];
      for (let i = 1; i <= count; i++) refs.push({ loc: url(`/sitemaps/articles-${i}.xml`) });
      refs.push({ loc: url('/sitemaps/sections.xml') }, { loc: url('/sitemaps/authors.xml') }, { loc: url('/sitemaps/news.xml') });
      return { body: renderSitemapIndex(refs), tags: SITEMAP_TAGS };
    }),
  );

  app.get('/sitemaps/sections.xml', async (request, reply) =>
    xml(request, reply, async () => {
      const [sections, latest] = await Promise.all([site.allSections(), site.latestPublished()]);
      const urls: SitemapUrl[] = [{ loc: `${publicUrl}/`, lastmod: latest.latest ?? undefined }];
      for (const section of sections) urls.push({ loc: url(`/${section.slug}`), lastmod: latestTime(latest.sections.get(section.id), section.updated_at) });
      return { body: renderUrlset(urls), tags: [...SITEMAP_TAGS, 'sections'], lastModified: latestTime(...urls.map((u) => u.lastmod)) };
    }),
  );

  app.get('/sitemaps/authors.xml', async (request, reply) =>
    xml(request, reply, async () => {
      const authors = await site.sitemapAuthors();
      const urls = authors.map((a) => ({ loc: url(`/author/${a.slug}`), lastmod: latestTime(a.latest, a.updatedAt) }));
      return { body: renderUrlset(urls), tags: SITEMAP_TAGS, lastModified: latestTime(...urls.map((u) => u.lastmod)) };
    }),
  );

  app.get('/sitemaps/news.xml', async (request, reply) =>
    xml(request, reply, async () => {
      const { newsWindowMs, newsMaxUrls } = sitemapLimits;
      const rows = await site.newsSitemapArticles(newsWindowMs, newsMaxUrls);
      const s = settings.get();
      const urls = [];
      for (const row of rows) {
        const loc = url(articlePath({ slug: row.slug, section: row.section_slug ? { slug: row.section_slug } : null }));
        if (row.canonical_url && row.canonical_url !== loc) continue; // syndicated: the original belongs in its own site's sitemap
        urls.push({ loc, title: row.headline, published: row.published_at! });
      }
      // Stories age out of the window without any write: render again when the oldest one does.
      const oldest = rows.at(-1)?.published_at;
      return {
        body: renderNewsSitemap({ name: s.name, language: newsLanguage(s.language) }, urls),
        tags: SITEMAP_TAGS,
        lastModified: rows[0]?.published_at ?? undefined,
        expiresAt: oldest ? Date.parse(oldest) + newsWindowMs : undefined,
      };
    }),
  );

  app.get('/sitemaps/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    const match = ARTICLE_SITEMAP.exec(request.params.name);
    if (!match) throw new NotFound();
    const page = Number(match[1]);
    return xml(request, reply, async () => {
      const size = sitemapLimits.articlesPerSitemap;
      const rows = await site.sitemapArticleEntries((page - 1) * size, size);
      if (!rows.length && page > 1) return { status: 404, body: renderUrlset([]), tags: SITEMAP_TAGS };
      let newest: string | undefined;
      const parts = [URLSET_OPEN];
      for (let start = 0; start < rows.length; start += RENDER_CHUNK) {
        // Let other requests run between parts: 50,000 URLs are a lot of string building.
        if (start) await new Promise((resolve) => setImmediate(resolve));
        const urls: SitemapUrl[] = [];
        for (const row of rows.slice(start, start + RENDER_CHUNK)) {
          const loc = url(articlePath({ slug: row.slug, section: row.section_slug ? { slug: row.section_slug } : null }));
          if (row.canonical_url && row.canonical_url !== loc) continue; // another site holds the canonical copy
          const lastmod = latestTime(row.published_at, row.updated_at, row.corrected_at);
          newest = latestTime(newest, lastmod);
          urls.push({ loc, lastmod, images: row.storage_key ? [url(mediaUrl(row.storage_key))] : undefined });
        }
        parts.push(renderUrls(urls));
      }
      parts.push(URLSET_CLOSE);
      const body = parts.join('');
      return { body, tags: SITEMAP_TAGS, lastModified: newest };
    });
  });

  app.get('/robots.txt', async (request, reply) =>
    respondCached(cache, request, reply, async () => ({
      contentType: 'text/plain; charset=utf-8',
      // `/admin$`, `/admin?` and `/admin/` rather than `/admin`, which would also hide a section such as /administration.
      body: ['User-agent: *', 'Allow: /', 'Disallow: /admin$', 'Disallow: /admin?', 'Disallow: /admin/', 'Disallow: /api/admin', '', `Sitemap: ${url('/sitemap.xml')}`, ''].join('\n'),
      tags: ['settings'],
    })),
  );
}
