/**
 * Sitemaps and robots.txt over real HTTP, on SQLite and PostgreSQL: the index
 * and its paging, every published article (and nothing else) with lastmod and
 * image, sections, authors, the 48-hour Google News sitemap, namespaces, cache
 * validators and invalidation on publish.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { ArticlesService } from '../../src/newsroom/articles.service.js';
import { TaxonomyRepository } from '../../src/newsroom/taxonomy.repository.js';
import { sitemapLimits } from '../../src/site/sitemaps.routes.js';
import { newsLanguage } from '../../src/site/sitemaps.render.js';

const PUBLIC = 'http://news.test';
const PER_SITEMAP = 2;
const HOUR = 3_600_000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ['sitemap', 'url', 'image:image'].includes(name),
});

interface UrlEntry {
  loc: string;
  lastmod?: string;
  'image:image'?: { 'image:loc': string }[];
  'news:news'?: {
    'news:publication': { 'news:name': string; 'news:language': string };
    'news:publication_date': string;
    'news:title': string;
  };
}

async function get(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(t.url + path, { redirect: 'manual', headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Fetches a sitemap, checks it is well-formed XML served as XML, and parses it. */
async function sitemap(t: TestApp, path: string) {
  const res = await get(t, path);
  assert.equal(res.status, 200, `${path} answers 200`);
  assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8', `${path} content type`);
  assert.equal(XMLValidator.validate(res.body), true, `${path} is well-formed XML`);
  return { res, doc: parser.parse(res.body) as Record<string, Record<string, unknown>> };
}

async function urlset(t: TestApp, path: string): Promise<UrlEntry[]> {
  const { doc } = await sitemap(t, path);
  assert.ok(doc.urlset, `${path} is a urlset`);
  assert.equal(doc.urlset['@xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
  return (doc.urlset.url as UrlEntry[] | undefined) ?? [];
}

async function indexLocs(t: TestApp): Promise<string[]> {
  const { doc } = await sitemap(t, '/sitemap.xml');
  assert.ok(doc.sitemapindex, 'a sitemap index');
  assert.equal(doc.sitemapindex['@xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
  return (doc.sitemapindex.sitemap as { loc: string }[]).map((s) => s.loc);
}

/** Every URL of every article sitemap the index lists. */
async function allArticleUrls(t: TestApp): Promise<UrlEntry[]> {
  const locs = (await indexLocs(t)).filter((l) => /\/sitemaps\/articles-\d+\.xml$/.test(l));
  const urls: UrlEntry[] = [];
  for (const loc of locs) urls.push(...(await urlset(t, loc.slice(PUBLIC.length))));
  return urls;
}

for (const dialect of DIALECTS) {
  describe(`sitemaps on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    const published: { id: number; path: string }[] = [];
    let withImage: { id: number; path: string };
    let corrected: { id: number; path: string; at: string };
    let old: { id: number; path: string };
    let unpublished: { id: number; path: string };
    let draftSlug: string;
    const savedLimit = sitemapLimits.articlesPerSitemap;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      sitemapLimits.articlesPerSitemap = PER_SITEMAP;
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      await t.app.settings.update({ name: 'The Test Gazette', language: 'en-GB' }, new Date().toISOString());
      await t.app.invalidator.invalidate(['settings']);

      // Three days ago, through a service whose clock says so (as the demo seed does).
      const then = new Date(t.clock.now().getTime() - 72 * HOUR);
      const past = new ArticlesService({ articles: t.app.articlesRepo, taxonomy: new TaxonomyRepository(t.app.db.kysely), events: t.app.events, jobs: t.app.jobs, clock: { now: () => then } });
      const oldRow = await past.create({ headline: 'Old news from the harbour', sectionId: room.sections.local, authorIds: [room.authors.ben] }, { actor: 'test' });
      await past.publish(oldRow.id, { actor: 'test' });
      old = { id: oldRow.id, path: `/local/${oldRow.slug}` };
      published.push(old);

      const media = await t.app.db.kysely
        .insertInto('media')
        .values({ storage_key: 'photos/ferry.jpg', mime: 'image/jpeg', width: 1200, height: 800, bytes: 5000, alt: 'The ferry', caption: '', credit: '', variants: '[]', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      withImage = await publishedArticle(t.app, room, { headline: 'Ferry returns & <sails>', imageId: media.id, sectionId: room.sections.world });
      published.push(withImage);
      t.clock.advance(60_000);
      const c = await publishedArticle(t.app, room, { headline: 'Council vote corrected' });
      t.clock.advance(60_000);
      const correction = await t.app.articles.addCorrection(c.id, 'correction', 'The vote was 5-2.', { actor: 'Editor' });
      corrected = { ...c, at: correction.created_at };
      published.push(corrected);
      t.clock.advance(60_000);
      published.push(await publishedArticle(t.app, room, { headline: 'No section at all', sectionId: null }));
      published.push(await publishedArticle(t.app, room, { headline: 'Syndicated here', canonicalUrl: 'https://partner.example/story' }));
      unpublished = await publishedArticle(t.app, room, { headline: 'Pulled story' });
      await t.app.articles.unpublish(unpublished.id, { actor: 'Editor' });
      const draft = await t.app.articles.create({ headline: 'Draft never published', sectionId: room.sections.local }, { actor: 'test' });
      draftSlug = draft.slug;
    });
    after(async () => {
      sitemapLimits.articlesPerSitemap = savedLimit;
      await t?.close();
    });

    test('the index lists every article sitemap page plus sections, authors and news', async () => {
      const locs = await indexLocs(t);
      // Five published articles at two a file: three article sitemaps.
      assert.deepEqual(locs, [
        `${PUBLIC}/sitemaps/articles-1.xml`,
        `${PUBLIC}/sitemaps/articles-2.xml`,
        `${PUBLIC}/sitemaps/articles-3.xml`,
        `${PUBLIC}/sitemaps/sections.xml`,
        `${PUBLIC}/sitemaps/authors.xml`,
        `${PUBLIC}/sitemaps/news.xml`,
      ]);
      const { doc } = await sitemap(t, '/sitemap.xml');
      const entries = doc.sitemapindex!.sitemap as { loc: string; lastmod?: string }[];
      assert.equal(entries.length, 6);
      for (const loc of locs) assert.equal((await get(t, loc.slice(PUBLIC.length))).status, 200, loc);
      assert.equal((await get(t, '/sitemaps/articles-4.xml')).status, 404, 'past the last page');
      assert.equal((await get(t, '/sitemaps/articles-0.xml')).status, 404);
      assert.equal((await get(t, '/sitemaps/other.xml')).status, 404);
    });

    test('article sitemaps hold every published article once, in id order, with lastmod and images; no drafts or unpublished stories', async () => {
      const urls = await allArticleUrls(t);
      const locs = urls.map((u) => u.loc);
      const expected = published.filter((p) => p.path !== published[4]!.path).map((p) => PUBLIC + p.path);
      assert.deepEqual(locs, expected, 'published articles by id; the syndicated one (canonical elsewhere) left out');
      assert.ok(!locs.some((l) => l.endsWith(`/${draftSlug}`)), 'no draft');
      assert.ok(!locs.includes(PUBLIC + unpublished.path), 'no unpublished story');
      assert.ok(locs.some((l) => /\/article\/no-section-at-all$/.test(l)), 'articles without a section live under /article/');
      for (const url of urls) assert.ok(url.lastmod && !Number.isNaN(Date.parse(url.lastmod)), `${url.loc} has a lastmod`);
      const imageEntry = urls.find((u) => u.loc === PUBLIC + withImage.path);
      assert.deepEqual(imageEntry?.['image:image'], [{ 'image:loc': `${PUBLIC}/media/photos/ferry.jpg` }]);
      assert.equal(urls.find((u) => u.loc === PUBLIC + corrected.path)?.lastmod, corrected.at, 'lastmod is the latest correction');
      const { doc } = await sitemap(t, '/sitemaps/articles-1.xml');
      assert.equal(doc.urlset!['@xmlns:image'], 'http://www.google.com/schemas/sitemap-image/1.1');
      assert.equal((doc.urlset!.url as UrlEntry[]).length, PER_SITEMAP);
    });

    test('the news sitemap holds only the last 48 hours, with publication, date and title', async () => {
      const { doc, res } = await sitemap(t, '/sitemaps/news.xml');
      assert.equal(doc.urlset!['@xmlns:news'], 'http://www.google.com/schemas/sitemap-news/0.9');
      assert.match(res.body, /<news:title>Ferry returns &amp; &lt;sails&gt;<\/news:title>/, 'titles escaped');
      const urls = (doc.urlset!.url as UrlEntry[]) ?? [];
      const locs = urls.map((u) => u.loc);
      assert.ok(!locs.includes(PUBLIC + old.path), 'the three-day-old story is out');
      assert.ok(!locs.includes(PUBLIC + unpublished.path));
      assert.deepEqual(new Set(locs), new Set([withImage, corrected, published[3]!].map((p) => PUBLIC + p.path)));
      const ferry = urls.find((u) => u.loc === PUBLIC + withImage.path)!;
      assert.deepEqual(ferry['news:news']?.['news:publication'], { 'news:name': 'The Test Gazette', 'news:language': 'en' });
      assert.equal(ferry['news:news']?.['news:title'], 'Ferry returns & <sails>');
      const date = ferry['news:news']!['news:publication_date'];
      assert.ok(t.clock.now().getTime() - Date.parse(date) < 48 * HOUR);
      assert.deepEqual(
        urls.map((u) => u['news:news']!['news:publication_date']),
        urls.map((u) => u['news:news']!['news:publication_date']).sort().reverse(),
        'newest first',
      );
    });

    test('the sections sitemap has the home page and every section; the authors sitemap those with published work', async () => {
      const sections = await urlset(t, '/sitemaps/sections.xml');
      assert.deepEqual(sections.map((u) => u.loc), [`${PUBLIC}/`, `${PUBLIC}/local`, `${PUBLIC}/world`]);
      for (const url of sections) assert.ok(url.lastmod, `${url.loc} has a lastmod`);
      const authors = await urlset(t, '/sitemaps/authors.xml');
      assert.deepEqual(authors.map((u) => u.loc), [`${PUBLIC}/author/ana-reyes`, `${PUBLIC}/author/ben-okafor`]);
    });

    test('robots.txt keeps crawlers out of the admin only, and points at the sitemap', async () => {
      const res = await get(t, '/robots.txt');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
      const lines = res.body.split('\n');
      assert.equal(lines[0], 'User-agent: *');
      assert.ok(lines.includes(`Sitemap: ${PUBLIC}/sitemap.xml`));
      // A small robots.txt matcher (longest match wins; `$` anchors the end) over the rules served.
      const rules = lines
        .map((l) => /^(Allow|Disallow):\s*(\S*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ allow: m[1] === 'Allow', pattern: m[2]! }));
      const allowed = (path: string) => {
        let best: { allow: boolean; length: number } = { allow: true, length: -1 };
        for (const rule of rules) {
          const anchored = rule.pattern.endsWith('$');
          const prefix = anchored ? rule.pattern.slice(0, -1) : rule.pattern;
          const hit = anchored ? path === prefix : path.startsWith(prefix);
          if (hit && (rule.pattern.length > best.length || (rule.pattern.length === best.length && rule.allow))) best = { allow: rule.allow, length: rule.pattern.length };
        }
        return best.allow;
      };
      for (const path of ['/admin', '/admin/', '/admin/articles/3', '/admin?next=/', '/api/admin', '/api/admin/articles']) assert.equal(allowed(path), false, `${path} is disallowed`);
      for (const path of ['/', '/local', '/local/some-story', '/administration', '/feed.xml', '/sitemap.xml', '/api/public']) assert.equal(allowed(path), true, `${path} is allowed`);
    });

    test('validators and tags: 304 on If-None-Match; Surrogate-Key carries sitemap, list:all and settings', async () => {
      for (const path of ['/sitemap.xml', '/sitemaps/articles-1.xml', '/sitemaps/sections.xml', '/sitemaps/authors.xml', '/sitemaps/news.xml', '/robots.txt']) {
        const first = await get(t, path);
        const etag = first.headers.get('etag');
        assert.ok(etag, `${path} has an ETag`);
        assert.equal((await get(t, path, { 'if-none-match': etag })).status, 304, `${path} answers 304`);
      }
      const keys = (await get(t, '/sitemaps/articles-2.xml')).headers.get('surrogate-key')?.split(' ') ?? [];
      for (const key of ['sitemap', 'list:all', 'settings']) assert.ok(keys.includes(key), key);
    });

    test('publishing re-renders the cached sitemaps: the new story appears in the index, an article sitemap and the news sitemap', async () => {
      await indexLocs(t);
      await urlset(t, '/sitemaps/news.xml');
      assert.equal((await get(t, '/sitemaps/news.xml')).headers.get('x-cache'), 'HIT');
      t.clock.advance(60_000);
      const fresh = await publishedArticle(t.app, room, { headline: 'Breaking: bridge reopens', authorIds: [room.authors.ben] });
      const locs = await indexLocs(t);
      assert.ok(locs.includes(`${PUBLIC}/sitemaps/articles-3.xml`));
      assert.ok((await allArticleUrls(t)).some((u) => u.loc === PUBLIC + fresh.path));
      const news = await urlset(t, '/sitemaps/news.xml');
      assert.equal(news[0]?.loc, PUBLIC + fresh.path, 'newest first');

      await t.app.articles.unpublish(fresh.id, { actor: 'Editor' });
      assert.ok(!(await allArticleUrls(t)).some((u) => u.loc === PUBLIC + fresh.path));
      assert.ok(!(await urlset(t, '/sitemaps/news.xml')).some((u) => u.loc === PUBLIC + fresh.path));
    });
  });
}

test('Google News language codes', () => {
  assert.equal(newsLanguage('en'), 'en');
  assert.equal(newsLanguage('en-GB'), 'en');
  assert.equal(newsLanguage('pt-BR'), 'pt');
  assert.equal(newsLanguage('zh-Hant-TW'), 'zh-tw');
  assert.equal(newsLanguage('zh'), 'zh-cn');
});
