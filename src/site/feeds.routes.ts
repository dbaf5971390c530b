/**
 * Feeds: RSS 2.0 (`feed.xml`), Atom (`feed.atom`) and JSON Feed 1.1
 * (`feed.json`) for the whole site, a section, an author and a tag. Each holds
 * the latest published articles in full, and goes through the page cache with
 * the tags of everything it shows, so a write re-renders exactly the feeds it
 * touches. Insert providers add to entries' bodies what the page weaves in
 * (related links, when the site puts them in feeds: `related.inFeeds`), with
 * the tags those inserts carry on the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { ArticleCard, ListFilter } from '../newsroom/articles.repository.js';
import type { RenderedBlock } from '../newsroom/body.js';
import { isSlug } from '../newsroom/slug.js';
import { NotFound } from '../shared/errors.js';
import type { SiteService } from './site.service.js';
import { absolute } from './format.js';
import type { BodyInsert } from './body-inserts.js';
import { feedBlocks, feedEntry } from './feeds.content.js';
import { FEED_CONTENT_TYPES, renderAtom, renderJsonFeed, renderRss, type FeedDocument } from './feeds.render.js';
import { latestTime, tagUri } from './feeds.xml.js';

export interface FeedDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
  insertProviders?: FeedInsertProvider[];
}

/** Contributes inserts to a feed entry's body; answers none for what stays out of feeds. */
export type FeedInsertProvider = (entry: { card: ArticleCard; blocks: RenderedBlock[] }) => Promise<BodyInsert[]> | BodyInsert[];

/** How many articles a feed holds. */
export const FEED_ITEMS = 30;

/** What a feed follows. */
interface FeedScope {
  /** Stable key for the feed's id (not the slug, which can change). */
  key: string;
  title: string;
  description: string;
  /** Path of the HTML page; the feeds live at `${path}/feed.*` ('' for the site). */
  path: string;
  filter: ListFilter;
  tags: string[];
}

const FORMATS = [
  { file: 'feed.xml', contentType: FEED_CONTENT_TYPES.rss, render: renderRss },
  { file: 'feed.atom', contentType: FEED_CONTENT_TYPES.atom, render: renderAtom },
  { file: 'feed.json', contentType: FEED_CONTENT_TYPES.json, render: renderJsonFeed },
] as const;

type Format = (typeof FORMATS)[number];

export function registerFeedRoutes(app: FastifyInstance, deps: FeedDeps): void {
  const { config, site, settings, cache } = deps;
  const providers = deps.insertProviders ?? [];
  const publicUrl = config.publicUrl;

  const siteTitle = (name: string) => `${settings.get().name}: ${name}`;

  const send = (request: FastifyRequest, reply: FastifyReply, format: Format, scope: FeedScope) =>
    respondCached(cache, request, reply, async () => {
      const rows = await site.feedArticles(scope.filter, FEED_ITEMS);
      const ids = rows.map((r) => r.card.id);
      const [tagsOf, correctionsOf] = await Promise.all([site.tagsOfMany(ids), site.correctionsOfMany(ids)]);
      const s = settings.get();
      const ctx = { publicUrl, timeZone: s.timeZone, language: s.language };
      const bodies = await Promise.all(
        rows.map(async (row) => {
          const blocks = feedBlocks(row);
          const inserts = (await Promise.all(providers.map((p) => p({ card: row.card, blocks })))).flat();
          return { blocks, inserts };
        }),
      );
      const entries = rows.map((row, i) => feedEntry(row, tagsOf.get(row.card.id) ?? [], correctionsOf.get(row.card.id) ?? [], ctx, bodies[i]));
      const updated = latestTime(...entries.map((e) => e.updated)) ?? new Date().toISOString();
      const document: FeedDocument = {
        id: tagUri(publicUrl, `feed/${scope.key}`),
        title: scope.title,
        description: scope.description,
        homeUrl: absolute(publicUrl, scope.path || '/'),
        urls: {
          rss: absolute(publicUrl, `${scope.path}/feed.xml`),
          atom: absolute(publicUrl, `${scope.path}/feed.atom`),
          json: absolute(publicUrl, `${scope.path}/feed.json`),
        },
        language: s.language,
        updated,
        publisher: { name: s.name, url: `${publicUrl}/` },
        logoUrl: s.logoUrl ? absolute(publicUrl, s.logoUrl) : undefined,
        entries,
      };
      const tags = new Set(['settings', ...scope.tags]);
      for (const row of rows) {
        tags.add(`a:${row.card.id}`);
        if (row.card.section) tags.add(`section:${row.card.section.id}`);
        for (const author of row.card.authors) tags.add(`author:${author.id}`);
      }
      for (const list of tagsOf.values()) for (const tag of list) tags.add(`tag:${tag.id}`);
      // What the inserts show (e.g. `related:<id>`, `a:<pick>`): the feed re-renders when an entry's picks change.
      for (const body of bodies) for (const insert of body.inserts) for (const tag of insert.tags ?? []) tags.add(tag);
      return {
        body: format.render(document),
        contentType: format.contentType,
        tags: [...tags],
        lastModified: entries.length ? updated : undefined,
      };
    });

  for (const format of FORMATS) {
    app.get(`/${format.file}`, async (request, reply) => {
      const s = settings.get();
      return send(request, reply, format, {
        key: 'site',
        title: s.name,
        description: s.description || s.tagline,
        path: '',
        filter: {},
        tags: ['list:all'],
      });
    });

    // Static segments win over parameters, so `/local/feed.xml` is this route, not an article called "feed.xml".
    app.get(`/:section/${format.file}`, async (request: FastifyRequest<{ Params: { section: string } }>, reply) => {
      const slug = request.params.section;
      const section = isSlug(slug) ? await site.section(slug) : undefined;
      if (!section) throw new NotFound('No such section');
      return send(request, reply, format, {
        key: `section-${section.id}`,
        title: siteTitle(section.name),
        description: section.description || `${section.name} news from ${settings.get().name}`,
        path: `/${section.slug}`,
        filter: { sectionId: section.id },
        tags: [`section:${section.id}`, `list:section:${section.id}`],
      });
    });

    app.get(`/author/:slug/${format.file}`, async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const slug = request.params.slug;
      const author = isSlug(slug) ? await site.author(slug) : undefined;
      if (!author) throw new NotFound('No such author');
      return send(request, reply, format, {
        key: `author-${author.id}`,
        title: siteTitle(author.name),
        description: author.bio || `Stories by ${author.name}`,
        path: `/author/${author.slug}`,
        filter: { authorId: author.id },
        tags: [`author:${author.id}`, `list:author:${author.id}`],
      });
    });

    app.get(`/tag/:slug/${format.file}`, async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const slug = request.params.slug;
      const tag = isSlug(slug) ? await site.tag(slug) : undefined;
      if (!tag) throw new NotFound('No such topic');
      return send(request, reply, format, {
        key: `tag-${tag.id}`,
        title: siteTitle(tag.name),
        description: tag.description || `Stories about ${tag.name}`,
        path: `/tag/${tag.slug}`,
        filter: { tagId: tag.id },
        tags: [`tag:${tag.id}`, `list:tag:${tag.id}`],
      });
    });
  }
}
