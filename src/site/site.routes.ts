/**
 * Reader pages. Every page goes through `sendPage`: served from the page cache
 * when it can be, otherwise rendered, cached with its tags, and sent with
 * validators (ETag, Last-Modified) and CDN-friendly cache headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { PageCache } from '../cache/page-cache.js';
import { PAGE_LIMIT, parsePage, respondCached, serveFromCache, type RenderedPage } from '../cache/respond.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { ArticleCard } from '../newsroom/articles.repository.js';
import { isSlug } from '../newsroom/slug.js';
import { html, raw, type Html } from '../shared/html.js';
import type { ArticleView, SiteService } from './site.service.js';
import type { SiteAssets } from './assets.js';
import { layout, type PageMeta } from './views/layout.js';
import { articleMain, withDateline } from './views/article.js';
import { homeMain } from './views/home.js';
import { archiveIndexMain, authorExtra, listMain } from './views/lists.js';
import { errorMain, errorTitle } from './views/error.js';
import type { ViewContext } from './views/components.js';
import { absolute, articlePath, formatMonth } from './format.js';
import { articleCanonical, breadcrumbLd, modifiedTime, newsArticleLd, organizationLd, personLd } from './seo.js';
import { weaveBody, type BodyInsert } from './body-inserts.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { splitUrl } from '../http/server.js';

/** What a page is, for capabilities that add to whole pages (reader prompts). */
export type PageKind = { type: 'article'; article: ArticleView } | { type: 'home' } | { type: 'section'; sectionSlug: string };
/** Additions to a page around its main content, with the cache tags they depend on and when they change by themselves. */
export type PageExtrasProvider = (page: PageKind) => Promise<{ beforeMain?: Html; afterMain?: Html; endOfBody?: Html; tags: string[]; expiresAt?: number }>;

/** Contributes inserts to an article body (related links, prompts ...): later capabilities register here. */
export type BodyInsertProvider = (article: ArticleView) => Promise<BodyInsert[]> | BodyInsert[];

export interface SiteDeps {
  config: Config;
  site: SiteService;
  settings: SettingsStore;
  cache: PageCache;
  assets: SiteAssets;
  insertProviders: BodyInsertProvider[];
  /** The footer's newsletter sign-up form for the page at a path, with the cache tags it depends on. */
  footerSignup?: (path: string) => Promise<{ html: Html; tags: string[] }>;
  /** Reader prompts on article, home and section pages (src/prompts/). */
  pageExtras?: PageExtrasProvider;
}

export interface SiteRoutes {
  renderErrorPage: (status: number, message: string) => Promise<string>;
  /** An article's page exactly as readers get it (the private preview renders drafts with it). */
  renderArticlePage: (article: ArticleView, path: string) => Promise<RenderedPage>;
}

export function registerSiteRoutes(app: FastifyInstance, deps: SiteDeps): SiteRoutes {
  const { site, settings, cache, config } = deps;

  const ctx = (): ViewContext => ({ timeZone: settings.get().timeZone, language: settings.get().language });

  /** Layout with the shared parts (navigation, breaking banner) and the tags they add. */
  const page = async (
    meta: PageMeta,
    main: ReturnType<typeof html>,
    extra: { currentSection?: string; bodyClass?: string; articleId?: number; kind?: PageKind } = {},
  ) => {
    const [sections, live, signup, extras] = await Promise.all([
      site.sections(),
      site.breaking(),
      deps.footerSignup?.(new URL(meta.canonical).pathname),
      extra.kind ? deps.pageExtras?.(extra.kind) : undefined,
    ]);
    // The breaking story's own page does not link to itself.
    const breaking = live && live.id !== extra.articleId ? live : undefined;
    const body = layout({
      site: settings.get(),
      publicUrl: config.publicUrl,
      sections,
      breaking: breaking ?? null,
      meta,
      main,
      cssHref: deps.assets.css,
      printCssHref: deps.assets.printCss,
      scriptHref: deps.assets.script,
      currentSection: extra.currentSection,
      bodyClass: extra.bodyClass,
      footerSignup: signup?.html,
      beforeMain: extras?.beforeMain,
      afterMain: extras?.afterMain,
      endOfBody: extras?.endOfBody,
    });
    const tags = ['settings', 'sections', 'breaking', ...(signup?.tags ?? []), ...(extras?.tags ?? [])];
    if (breaking) tags.push(`a:${breaking.id}`);
    const breakingEnds = breaking?.breakingUntil ? Date.parse(breaking.breakingUntil) : undefined;
    const expiresAt = breakingEnds !== undefined && extras?.expiresAt !== undefined ? Math.min(breakingEnds, extras.expiresAt) : (breakingEnds ?? extras?.expiresAt);
    return { body, tags, expiresAt };
  };

  const sendPage = (request: FastifyRequest, reply: FastifyReply, render: () => Promise<RenderedPage>) =>
    respondCached(cache, request, reply, render);

  app.addHook('onRequest', serveFromCache(cache));

  const pageNumber = (request: FastifyRequest): number => {
    const raw = (request.query as Record<string, unknown>).page;
    const page = parsePage(raw);
    if (page === undefined) throw new Invalid(`"page" must be a whole number from 1 to ${PAGE_LIMIT}`, [{ path: '/page', message: 'invalid page number' }]);
    return page;
  };

  const latestModified = (cards: readonly ArticleCard[]): string | undefined =>
    cards.map((c) => (c.updatedAt && c.updatedAt > c.publishedAt ? c.updatedAt : c.publishedAt)).sort().at(-1);

  const listMeta = (title: string, description: string, path: string, pageNo: number, pages: number, feedBase: string): PageMeta => ({
    title: pageNo > 1 ? `${title} (page ${pageNo})` : title,
    description,
    canonical: absolute(config.publicUrl, pageNo > 1 ? `${path}?page=${pageNo}` : path),
    type: 'website',
    jsonLd: [],
    feeds: [
      { title: `${title}: RSS`, href: `${feedBase}/feed.xml`, type: 'rss' },
      { title: `${title}: Atom`, href: `${feedBase}/feed.atom`, type: 'atom' },
      { title: `${title}: JSON Feed`, href: `${feedBase}/feed.json`, type: 'json' },
    ],
    prev: pageNo > 1 ? absolute(config.publicUrl, pageNo === 2 ? path : `${path}?page=${pageNo - 1}`) : undefined,
    next: pageNo < pages ? absolute(config.publicUrl, `${path}?page=${pageNo + 1}`) : undefined,
  });

  const siteFeeds = (): PageMeta['feeds'] => [
    { title: `${settings.get().name}: RSS`, href: '/feed.xml', type: 'rss' },
    { title: `${settings.get().name}: Atom`, href: '/feed.atom', type: 'atom' },
    { title: `${settings.get().name}: JSON Feed`, href: '/feed.json', type: 'json' },
  ];

  // Home
  app.get('/', async (request, reply) =>
    sendPage(request, reply, async () => {
      const s = settings.get();
      const ranked = await site.topStories(5);
      const latest = await site.latest(25);
      const top = [...ranked];
      for (const card of latest) {
        if (top.length >= 5) break;
        if (!top.some((t) => t.id === card.id)) top.push(card);
      }
      const shown = new Set(top.map((c) => c.id));
      const sections = [];
      for (const section of await site.sections()) {
        const cards = (await site.latest(8, { sectionId: section.id })).filter((c) => !shown.has(c.id)).slice(0, 4);
        cards.forEach((c) => shown.add(c.id));
        if (cards.length) sections.push({ section, cards });
      }
      const rest = latest.filter((c) => !shown.has(c.id)).slice(0, 10);
      const all = [...top, ...sections.flatMap((s) => s.cards), ...rest];
      const shell = await page(
        {
          title: s.name,
          description: s.description || s.tagline,
          canonical: `${config.publicUrl}/`,
          type: 'website',
          jsonLd: [
            { '@context': 'https://schema.org', '@type': 'WebSite', name: s.name, url: `${config.publicUrl}/`, publisher: { '@id': `${config.publicUrl}/#publisher` } },
            { '@context': 'https://schema.org', ...organizationLd(s, config.publicUrl) },
          ],
          feeds: siteFeeds(),
        },
        homeMain({ top, sections, latest: rest, siteName: s.name }, ctx()),
        { currentSection: '', kind: { type: 'home' } },
      );
      return {
        body: shell.body,
        tags: [...shell.tags, 'list:home', ...all.map((c) => `a:${c.id}`)],
        lastModified: latestModified(all),
        expiresAt: shell.expiresAt,
      };
    }),
  );

  /** An article's page as readers see it; the private preview renders drafts through the same function. */
  const renderArticlePage = async (article: ArticleView, path: string): Promise<RenderedPage> => {
    const s = settings.get();
    const canonical = articleCanonical(article, config.publicUrl);
    const inserts = (await Promise.all(deps.insertProviders.map((p) => p(article)))).flat();
    const woven = weaveBody(withDateline(article.blocks, article.dateline), inserts);
    const image = article.seo.socialImageUrl
      ? { url: absolute(config.publicUrl, article.seo.socialImageUrl), alt: article.card.image?.alt ?? article.card.headline }
      : article.card.image
        ? { url: absolute(config.publicUrl, largestVariant(article.card.image)), width: article.card.image.width, height: article.card.image.height, alt: article.card.image.alt }
        : undefined;
    const crumbs = [{ name: s.name, url: `${config.publicUrl}/` }];
    if (article.card.section) crumbs.push({ name: article.card.section.name, url: absolute(config.publicUrl, `/${article.card.section.slug}`) });
    crumbs.push({ name: article.card.headline, url: absolute(config.publicUrl, path) });
    const modified = modifiedTime(article);
    const breakingUntil = article.card.breakingUntil ? Date.parse(article.card.breakingUntil) : undefined;
    const breakingLive = article.card.breaking && (breakingUntil === undefined || breakingUntil > Date.now());
    const shell = await page(
      {
        title: article.seo.title || article.card.headline,
        description: article.seo.description || article.card.dek || s.description,
        socialTitle: article.seo.socialTitle || article.card.headline,
        socialDescription: article.seo.socialDescription || undefined,
        canonical,
        type: 'article',
        image,
        article: {
          publishedTime: article.card.publishedAt,
          modifiedTime: modified,
          section: article.card.section?.name,
          tags: article.tags.map((t) => t.name),
          authors: article.authors.map((a) => absolute(config.publicUrl, `/author/${a.slug}`)),
        },
        jsonLd: [newsArticleLd(article, s, config.publicUrl, canonical), breadcrumbLd(crumbs)],
        feeds: siteFeeds(),
      },
      articleMain(article, woven.html, s, canonical, ctx(), { breakingLive }),
      { currentSection: article.card.section?.slug, bodyClass: 'page-article', articleId: article.card.id, kind: { type: 'article', article } },
    );
    return {
      body: shell.body,
      tags: [
        ...shell.tags,
        `a:${article.card.id}`,
        ...article.authors.map((a) => `author:${a.id}`),
        ...article.tags.map((t) => `tag:${t.id}`),
        ...(article.card.section ? [`section:${article.card.section.id}`] : []),
        ...inserts.flatMap((i) => i.tags ?? []),
      ],
      lastModified: modified,
      // The page changes when its own breaking flag runs out, even with no write.
      expiresAt: breakingLive && breakingUntil !== undefined ? Math.min(breakingUntil, shell.expiresAt ?? Infinity) : shell.expiresAt,
    };
  };

  // Article
  const articleRoute = async (request: FastifyRequest<{ Params: { section: string; slug: string } }>, reply: FastifyReply) => {
    const { section: sectionSlug, slug } = request.params;
    if (!isSlug(slug) || !isSlug(sectionSlug)) throw new NotFound();
    const found = await site.article(slug);
    if (found.kind === 'moved') return reply.redirect(found.to, 301);
    if (found.kind === 'gone') return sendPage(request, reply, () => errorPage(410, 'This story has been removed'));
    if (found.kind === 'missing') throw new NotFound();
    const article = found.article;
    const path = articlePath(article.card);
    if (path !== splitUrl(request.url)[0]) return reply.redirect(path, 301);
    return sendPage(request, reply, () => renderArticlePage(article, path));
  };
  app.get('/:section/:slug', articleRoute);

  // Author, tag
  app.get('/author/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
    const { slug } = request.params;
    const pageNo = pageNumber(request);
    if (!isSlug(slug)) throw new NotFound();
    const author = await site.author(slug);
    if (!author) throw new NotFound();
    return sendPage(request, reply, async () => {
      const list = await site.list({ authorId: author.id }, pageNo);
      if (pageNo > list.pages) return errorPage(404, 'No such page');
      const avatar = await site.authorAvatar(author);
      const path = `/author/${author.slug}`;
      const meta = listMeta(author.name, author.bio || `Stories by ${author.name}`, path, pageNo, list.pages, path);
      meta.type = 'profile';
      const person = personLd(author, config.publicUrl, avatar ? absolute(config.publicUrl, avatar.src) : undefined);
      meta.jsonLd = [
        { '@context': 'https://schema.org', '@type': 'ProfilePage', url: meta.canonical, dateModified: author.updated_at, mainEntity: person },
        breadcrumbLd([
          { name: settings.get().name, url: `${config.publicUrl}/` },
          { name: author.name, url: absolute(config.publicUrl, path) },
        ]),
      ];
      const extra = authorExtra(
        { name: author.name, title: author.title, bio: author.bio, expertise: parseJson<string[]>(author.expertise, []), social: parseJson<Record<string, string>>(author.social, {}) },
        avatar,
      );
      const shell = await page(meta, listMain({ kicker: 'Author', title: author.name, basePath: path, list, ctx: ctx(), feedHref: `${path}/feed.xml`, extra }));
      return {
        body: shell.body,
        tags: [...shell.tags, `author:${author.id}`, `list:author:${author.id}`, ...list.items.map((c) => `a:${c.id}`)],
        lastModified: latestModified(list.items),
        expiresAt: shell.expiresAt,
      };
    });
  });

  app.get('/tag/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
    const { slug } = request.params;
    const pageNo = pageNumber(request);
    if (!isSlug(slug)) throw new NotFound();
    const tag = await site.tag(slug);
    if (!tag) throw new NotFound();
    return sendPage(request, reply, async () => {
      const list = await site.list({ tagId: tag.id }, pageNo);
      if (pageNo > list.pages) return errorPage(404, 'No such page');
      const path = `/tag/${tag.slug}`;
      const meta = listMeta(tag.name, tag.description || `Stories about ${tag.name}`, path, pageNo, list.pages, path);
      const shell = await page(meta, listMain({ kicker: 'Topic', title: tag.name, intro: tag.description, basePath: path, list, ctx: ctx(), feedHref: `${path}/feed.xml` }));
      return {
        body: shell.body,
        tags: [...shell.tags, `tag:${tag.id}`, `list:tag:${tag.id}`, ...list.items.map((c) => `a:${c.id}`)],
        lastModified: latestModified(list.items),
        expiresAt: shell.expiresAt,
      };
    });
  });

  // Archive
  app.get('/archive', async (request, reply) =>
    sendPage(request, reply, async () => {
      const months = await site.archiveMonths();
      const lang = settings.get().language;
      const shell = await page(
        { title: 'Archive', description: `Every story published by ${settings.get().name}, by month.`, canonical: `${config.publicUrl}/archive`, type: 'website', jsonLd: [], feeds: siteFeeds() },
        archiveIndexMain(months, (y, m) => formatMonth(y, m, lang)),
      );
      return { body: shell.body, tags: [...shell.tags, 'list:archive'], expiresAt: shell.expiresAt };
    }),
  );

  app.get('/archive/:year/:month', async (request: FastifyRequest<{ Params: { year: string; month: string } }>, reply) => {
    const { year, month } = request.params;
    const pageNo = pageNumber(request);
    if (!/^\d{4}$/.test(year) || !/^(0[1-9]|1[0-2])$/.test(month)) throw new NotFound();
    const y = Number(year);
    const m = Number(month);
    if (y < 1900 || y > 2999) throw new NotFound();
    return sendPage(request, reply, async () => {
      const from = new Date(Date.UTC(y, m - 1, 1)).toISOString();
      const before = new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1)).toISOString();
      const list = await site.list({ publishedFrom: from, publishedBefore: before }, pageNo);
      if (list.total === 0 || pageNo > list.pages) return errorPage(404, 'No stories that month');
      const name = formatMonth(y, m, settings.get().language);
      const path = `/archive/${year}/${month}`;
      const meta = listMeta(`Stories from ${name}`, `Stories published in ${name}.`, path, pageNo, list.pages, '');
      const shell = await page(meta, listMain({ kicker: 'Archive', title: name, basePath: path, list, ctx: ctx() }));
      return {
        body: shell.body,
        tags: [...shell.tags, 'list:archive', ...list.items.map((c) => `a:${c.id}`)],
        lastModified: latestModified(list.items),
        expiresAt: shell.expiresAt,
      };
    });
  });

  // A section, or else a standing page (about, policies)
  app.get('/:slug', async (request: FastifyRequest<{ Params: { slug: string } }>, reply) => {
    const { slug } = request.params;
    if (!isSlug(slug)) throw new NotFound();
    const section = await site.section(slug);
    if (!section) {
      const standing = await site.page(slug);
      if (!standing) throw new NotFound();
      return sendPage(request, reply, async () => {
        const blocks = JSON.parse(standing.body_blocks) as { html: string }[];
        const shell = await page(
          { title: standing.title, description: `${standing.title}: ${settings.get().name}`, canonical: absolute(config.publicUrl, `/${standing.slug}`), type: 'website', jsonLd: [], feeds: siteFeeds() },
          html`<article class="standing-page"><h1>${standing.title}</h1><div class="article-body">${blocks.map((b) => raw(b.html))}</div></article>`,
        );
        return { body: shell.body, tags: [...shell.tags, `page:${standing.id}`], lastModified: standing.updated_at, expiresAt: shell.expiresAt };
      });
    }
    const pageNo = pageNumber(request);
    return sendPage(request, reply, async () => {
      const list = await site.list({ sectionId: section.id }, pageNo);
      if (pageNo > list.pages) return errorPage(404, 'No such page');
      const path = `/${section.slug}`;
      const meta = listMeta(section.name, section.description || `${section.name} news from ${settings.get().name}`, path, pageNo, list.pages, path);
      meta.jsonLd = [
        breadcrumbLd([
          { name: settings.get().name, url: `${config.publicUrl}/` },
          { name: section.name, url: absolute(config.publicUrl, path) },
        ]),
      ];
      const shell = await page(meta, listMain({ title: section.name, intro: section.description, basePath: path, list, ctx: ctx(), feedHref: `${path}/feed.xml` }), {
        currentSection: section.slug,
        kind: { type: 'section', sectionSlug: section.slug },
      });
      return {
        body: shell.body,
        tags: [...shell.tags, `section:${section.id}`, `list:section:${section.id}`, ...list.items.map((c) => `a:${c.id}`)],
        lastModified: latestModified(list.items),
        expiresAt: shell.expiresAt,
      };
    });
  });

  async function errorPage(status: number, message: string): Promise<RenderedPage> {
    const body = await renderErrorPage(status, message);
    return { status, body, tags: ['settings', 'sections', 'list:home', 'newsletters'] };
  }

  async function renderErrorPage(status: number, message: string): Promise<string> {
    const latest = status === 404 || status === 410 ? await site.latest(5).catch(() => []) : [];
    const shell = await page(
      { title: errorTitle(status), description: message, canonical: `${config.publicUrl}/`, type: 'website', jsonLd: [], feeds: [], noindex: true },
      errorMain(status, message, latest, ctx()),
    ).catch(() => undefined);
    return shell?.body ?? `<!doctype html><title>${status}</title><h1>${errorTitle(status)}</h1>`;
  }

  return { renderErrorPage, renderArticlePage };
}

function largestVariant(image: { src: string; srcset: string }): string {
  const last = image.srcset.split(',').map((s) => s.trim().split(' ')[0]).filter(Boolean).at(-1);
  return last ?? image.src;
}


function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
