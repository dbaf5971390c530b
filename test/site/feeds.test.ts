/**
 * RSS, Atom and JSON Feed over real HTTP, on SQLite and PostgreSQL: what each
 * feed holds (site, section, author, tag), that the XML parses, full content
 * with absolute URLs, stable ids across edits, cache validators, and that
 * publishing and unpublishing re-render the feeds through cache invalidation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';

const PUBLIC = 'http://news.test';

async function get(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(t.url + path, { redirect: 'manual', headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Fetches and parses an RSS or Atom feed, checking it is well-formed XML first. */
async function xmlFeed(t: TestApp, path: string) {
  const res = await get(t, path);
  assert.equal(res.status, 200, `${path} answers 200`);
  assert.equal(XMLValidator.validate(res.body), true, `${path} is well-formed XML`);
  return { res, feed: parseFeed(res.body) };
}

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: { name: string; url?: string }[];
  tags?: string[];
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  language: string;
  authors: { name: string; url?: string }[];
  items: JsonFeedItem[];
}

/** Fetches a JSON Feed and checks the structure JSON Feed 1.1 requires. */
async function jsonFeed(t: TestApp, path: string): Promise<JsonFeed> {
  const res = await get(t, path);
  assert.equal(res.status, 200, `${path} answers 200`);
  assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
  const feed = JSON.parse(res.body) as JsonFeed;
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(typeof feed.title, 'string');
  assert.match(feed.home_page_url, /^http:\/\/news\.test\//);
  assert.equal(feed.feed_url, PUBLIC + path);
  assert.equal(feed.language, 'en');
  assert.ok(Array.isArray(feed.authors) && feed.authors.length > 0, 'feed authors');
  assert.ok(Array.isArray(feed.items));
  for (const item of feed.items) {
    assert.equal(typeof item.id, 'string');
    assert.ok(item.id.length > 0);
    assert.match(item.url, /^http:\/\/news\.test\//);
    assert.equal(typeof item.title, 'string');
    assert.equal(typeof item.content_html, 'string');
    assert.ok(!Number.isNaN(Date.parse(item.date_published)), 'date_published is a date');
    assert.ok(!Number.isNaN(Date.parse(item.date_modified)), 'date_modified is a date');
    assert.ok(Array.isArray(item.authors) && item.authors.length > 0 && item.authors.every((a) => typeof a.name === 'string'), 'item authors');
    assert.equal((item as unknown as Record<string, unknown>).author, undefined, 'no JSON Feed 1.0 `author`');
  }
  return feed;
}

const guidOf = (id: number) => `tag:news.test,2026:article-${id}`;

for (const dialect of DIALECTS) {
  describe(`feeds on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let harbour: { id: number; slug: string; path: string };
    let housing: { id: number; slug: string; path: string };
    let draftId: number;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      await t.app.settings.update({ name: 'The Test Gazette', description: 'News from Port Alder.' }, new Date().toISOString());
      await t.app.invalidator.invalidate(['settings']);
      const media = await t.app.db.kysely
        .insertInto('media')
        .values({
          storage_key: 'photos/harbour.jpg',
          mime: 'image/jpeg',
          width: 1600,
          height: 900,
          bytes: 123_456,
          alt: 'The harbour at dawn',
          caption: 'Boats at rest',
          credit: 'Photo: Ana Reyes',
          variants: '[]',
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await t.app.articles.create(
        {
          headline: 'Council approves harbour budget & <more>',
          dek: 'The vote was 5-2 after a long night.',
          sectionId: room.sections.local,
          bodyHtml:
            '<p>Read <a href="/local/earlier-story">the earlier story</a> or <a href="https://example.org/report">the report</a>.</p>' +
            '<figure><img src="/media/inline.jpg" alt="A chart" width="10" height="10"></figure>' +
            '<p>The final paragraph of the harbour story.</p>',
          dateline: 'PORT ALDER',
          imageId: media.id,
          authorIds: [room.authors.ana, room.authors.ben],
          tagIds: [room.tags.harbour],
        },
        { actor: 'test' },
      );
      const published = await t.app.articles.publish(created.id, { actor: 'test' });
      harbour = { id: published.id, slug: published.slug, path: `/local/${published.slug}` };
      t.clock.advance(60_000);
      housing = await publishedArticle(t.app, room, {
        headline: 'Rents rise again',
        dek: 'A third year of increases.',
        body: paragraphs(3, 'Housing paragraph'),
        sectionId: room.sections.world,
        authorIds: [room.authors.ben],
        tagIds: [room.tags.housing],
      });
      t.clock.advance(60_000);
      await t.app.articles.addCorrection(harbour.id, 'correction', 'An earlier version misstated the vote count.', { actor: 'Editor' });
      const draft = await t.app.articles.create({ headline: 'Draft story never published', sectionId: room.sections.local }, { actor: 'test' });
      draftId = draft.id;
    });
    after(() => t?.close());

    test('RSS 2.0: site feed with full content, people, categories, image and stable guids', async () => {
      const { res, feed } = await xmlFeed(t, '/feed.xml');
      assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
      assert.equal(feed.meta.type, 'rss');
      assert.equal(feed.title, 'The Test Gazette');
      assert.equal(feed.url, `${PUBLIC}/`);
      assert.equal(feed.self, `${PUBLIC}/feed.xml`);
      assert.equal(feed.language, 'en');
      assert.deepEqual(feed.items.map((i) => i.title), ['Rents rise again', 'Council approves harbour budget & <more>'], 'newest first, drafts left out');
      assert.match(res.body, /<guid isPermaLink="false">tag:news\.test,2026:article-\d+<\/guid>/);
      assert.doesNotMatch(res.body, new RegExp(`article-${draftId}<`));

      const item = feed.items.find((i) => i.id === guidOf(harbour.id));
      assert.ok(item, 'guid is the tag URI');
      assert.equal(item.url, PUBLIC + harbour.path);
      assert.equal(item.description, 'The vote was 5-2 after a long night.');
      const content = item.content ?? '';
      assert.match(content, /<span class="dateline">PORT ALDER<\/span> — Read/, 'dateline');
      assert.match(content, /The final paragraph of the harbour story\./, 'the full body, not an excerpt');
      assert.match(content, /href="http:\/\/news\.test\/local\/earlier-story"/, 'relative links made absolute');
      assert.match(content, /href="https:\/\/example\.org\/report"/, 'absolute links kept');
      assert.match(content, /src="http:\/\/news\.test\/media\/inline\.jpg"/, 'relative images made absolute');
      assert.doesNotMatch(content, /(href|src)="\//, 'no relative URL left');
      assert.match(content, /<img src="http:\/\/news\.test\/media\/photos\/harbour\.jpg" alt="The harbour at dawn"/, 'featured image in the content');
      assert.match(content, /An earlier version misstated the vote count\./, 'corrections travel with the story');
      assert.deepEqual(item.authors.map((a) => a.name), ['Ana Reyes', 'Ben Okafor']);
      assert.deepEqual(item.categories.map((c) => c.label), ['Local', 'Harbour']);
      assert.ok(item.published && Math.abs(item.published.getTime() - Date.parse((await t.app.articles.get(harbour.id)).published_at!)) < 1000);
      const enclosure = item.media.find((m) => m.url === `${PUBLIC}/media/photos/harbour.jpg`);
      assert.ok(enclosure, 'image enclosure');
      assert.equal(enclosure.mimeType, 'image/jpeg');
      assert.equal(enclosure.length, 123_456);
      assert.equal(item.image?.url, `${PUBLIC}/media/photos/harbour.jpg`);
    });

    test('Atom: same stories, ids, published and updated times, people and categories', async () => {
      const { res, feed } = await xmlFeed(t, '/feed.atom');
      assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      assert.equal(feed.meta.type, 'atom');
      assert.equal(feed.title, 'The Test Gazette');
      assert.equal(feed.self, `${PUBLIC}/feed.atom`);
      assert.equal(feed.items.length, 2);
      const item = feed.items.find((i) => i.id === guidOf(harbour.id));
      assert.ok(item);
      assert.equal(item.title, 'Council approves harbour budget & <more>');
      assert.equal(item.url, PUBLIC + harbour.path);
      assert.equal(item.description, 'The vote was 5-2 after a long night.');
      assert.match(item.content ?? '', /The final paragraph of the harbour story\./);
      assert.match(item.content ?? '', /href="http:\/\/news\.test\/local\/earlier-story"/);
      assert.ok(item.published && item.updated);
      assert.ok(item.updated.getTime() > item.published.getTime(), 'the correction advanced the updated time');
      assert.deepEqual(item.authors.map((a) => a.name), ['Ana Reyes', 'Ben Okafor']);
      assert.equal(item.authors[0]?.url, `${PUBLIC}/author/ana-reyes`);
      assert.deepEqual(item.categories.map((c) => c.label), ['Local', 'Harbour']);
      assert.ok(item.media.some((m) => m.url === `${PUBLIC}/media/photos/harbour.jpg`), 'image enclosure link');
    });

    test('JSON Feed 1.1: structure, content, image, people and dates', async () => {
      const feed = await jsonFeed(t, '/feed.json');
      assert.equal(feed.title, 'The Test Gazette');
      assert.equal(feed.home_page_url, `${PUBLIC}/`);
      assert.deepEqual(feed.items.map((i) => i.id), [guidOf(housing.id), guidOf(harbour.id)]);
      const item = feed.items[1]!;
      assert.equal(item.url, PUBLIC + harbour.path);
      assert.equal(item.title, 'Council approves harbour budget & <more>');
      assert.equal(item.summary, 'The vote was 5-2 after a long night.');
      assert.match(item.content_html, /The final paragraph of the harbour story\./);
      assert.match(item.content_html, /href="http:\/\/news\.test\/local\/earlier-story"/);
      assert.equal(item.image, `${PUBLIC}/media/photos/harbour.jpg`);
      assert.deepEqual(item.authors, [
        { name: 'Ana Reyes', url: `${PUBLIC}/author/ana-reyes` },
        { name: 'Ben Okafor', url: `${PUBLIC}/author/ben-okafor` },
      ]);
      assert.deepEqual(item.tags, ['Local', 'Harbour']);
      assert.ok(item.date_modified > item.date_published);
    });

    test('section, author and tag feeds hold only their stories, in every format', async () => {
      const cases = [
        { base: '/local', title: 'The Test Gazette: Local', ids: [harbour.id] },
        { base: '/world', title: 'The Test Gazette: World', ids: [housing.id] },
        { base: '/author/ben-okafor', title: 'The Test Gazette: Ben Okafor', ids: [housing.id, harbour.id] },
        { base: '/author/ana-reyes', title: 'The Test Gazette: Ana Reyes', ids: [harbour.id] },
        { base: '/tag/housing', title: 'The Test Gazette: Housing', ids: [housing.id] },
        { base: '/tag/harbour', title: 'The Test Gazette: Harbour', ids: [harbour.id] },
      ];
      for (const c of cases) {
        for (const ext of ['xml', 'atom']) {
          const { feed } = await xmlFeed(t, `${c.base}/feed.${ext}`);
          assert.equal(feed.title, c.title, `${c.base}/feed.${ext} title`);
          assert.equal(feed.url, PUBLIC + c.base, `${c.base}/feed.${ext} links its page`);
          assert.deepEqual(feed.items.map((i) => i.id), c.ids.map(guidOf), `${c.base}/feed.${ext} items`);
        }
        const json = await jsonFeed(t, `${c.base}/feed.json`);
        assert.equal(json.title, c.title);
        assert.equal(json.home_page_url, PUBLIC + c.base);
        assert.deepEqual(json.items.map((i) => i.id), c.ids.map(guidOf), `${c.base}/feed.json items`);
      }
    });

    test('`/:section/feed.xml` wins over the article route, which still serves articles', async () => {
      const feed = await get(t, '/local/feed.xml');
      assert.equal(feed.status, 200);
      assert.match(feed.headers.get('content-type') ?? '', /^application\/rss\+xml/);
      const article = await get(t, harbour.path);
      assert.equal(article.status, 200);
      assert.match(article.headers.get('content-type') ?? '', /^text\/html/);
    });

    test('unknown section, author or tag feeds are 404', async () => {
      for (const path of ['/nowhere/feed.xml', '/nowhere/feed.atom', '/nowhere/feed.json', '/author/nobody/feed.xml', '/author/nobody/feed.json', '/tag/nothing/feed.atom', '/Bad_Slug/feed.xml']) {
        assert.equal((await get(t, path)).status, 404, path);
      }
    });

    test('the feed links pages advertise resolve to feeds of the right type', async () => {
      const types: Record<string, RegExp> = {
        'application/rss+xml': /^application\/rss\+xml/,
        'application/atom+xml': /^application\/atom\+xml/,
        'application/feed+json': /^application\/feed\+json/,
      };
      for (const page of ['/', '/local', '/author/ana-reyes', '/tag/harbour', harbour.path]) {
        const res = await get(t, page);
        assert.equal(res.status, 200, page);
        const links = [...res.body.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g)];
        assert.equal(links.length, 3, `${page} advertises three feeds`);
        for (const [, type, href] of links) {
          const feed = await get(t, href!);
          assert.equal(feed.status, 200, `${page} -> ${href}`);
          assert.match(feed.headers.get('content-type') ?? '', types[type!]!, `${page} -> ${href} is ${type}`);
        }
      }
    });

    test('cache validators and tags: 304 on If-None-Match, Surrogate-Key names the stories', async () => {
      for (const path of ['/feed.xml', '/feed.atom', '/feed.json', '/local/feed.xml', '/author/ana-reyes/feed.json', '/tag/harbour/feed.atom']) {
        const first = await get(t, path);
        const etag = first.headers.get('etag');
        assert.ok(etag, `${path} has an ETag`);
        assert.ok(first.headers.get('last-modified'));
        const again = await get(t, path, { 'if-none-match': etag });
        assert.equal(again.status, 304, `${path} answers 304`);
        assert.equal(again.body, '');
      }
      const keys = (await get(t, '/feed.xml')).headers.get('surrogate-key')?.split(' ') ?? [];
      for (const key of ['settings', 'list:all', `a:${harbour.id}`, `a:${housing.id}`]) assert.ok(keys.includes(key), `surrogate key ${key}`);
      const sectionKeys = (await get(t, '/local/feed.atom')).headers.get('surrogate-key')?.split(' ') ?? [];
      for (const key of ['settings', `list:section:${room.sections.local}`, `a:${harbour.id}`]) assert.ok(sectionKeys.includes(key), `section surrogate key ${key}`);
      assert.equal((await get(t, '/feed.xml')).headers.get('x-cache'), 'HIT');
    });

    test('ids survive a headline and slug change; the link and title follow the edit', async () => {
      const before = await xmlFeed(t, '/feed.xml');
      const beforeItem = before.feed.items.find((i) => i.id === guidOf(harbour.id));
      assert.ok(beforeItem);
      await t.app.articles.update(harbour.id, { headline: 'Harbour budget passes', slug: 'harbour-budget-passes' }, { actor: 'Editor' });
      for (const path of ['/feed.xml', '/feed.atom', '/local/feed.xml']) {
        const { feed } = await xmlFeed(t, path);
        const item = feed.items.find((i) => i.id === guidOf(harbour.id));
        assert.ok(item, `${path} keeps the id`);
        assert.equal(item.title, 'Harbour budget passes', `${path} shows the new headline`);
        assert.equal(item.url, `${PUBLIC}/local/harbour-budget-passes`, `${path} links the new slug`);
      }
      const json = await jsonFeed(t, '/feed.json');
      assert.equal(json.items.find((i) => i.id === guidOf(harbour.id))?.url, `${PUBLIC}/local/harbour-budget-passes`);
    });

    test('unpublishing removes a story from cached feeds; publishing adds one', async () => {
      const warm = ['/feed.xml', '/feed.atom', '/feed.json', '/world/feed.xml', '/author/ben-okafor/feed.json', '/tag/housing/feed.atom'];
      for (const path of warm) await get(t, path);
      assert.equal((await get(t, '/world/feed.xml')).headers.get('x-cache'), 'HIT');

      await t.app.articles.unpublish(housing.id, { actor: 'Editor' });
      for (const path of ['/feed.xml', '/feed.atom', '/world/feed.xml', '/tag/housing/feed.atom']) {
        const { feed } = await xmlFeed(t, path);
        assert.ok(!feed.items.some((i) => i.id === guidOf(housing.id)), `${path} dropped the unpublished story`);
      }
      for (const path of ['/feed.json', '/author/ben-okafor/feed.json']) {
        assert.ok(!(await jsonFeed(t, path)).items.some((i) => i.id === guidOf(housing.id)), `${path} dropped the unpublished story`);
      }

      t.clock.advance(60_000);
      const fresh = await publishedArticle(t.app, room, { headline: 'Ferry returns to service', sectionId: room.sections.world, authorIds: [room.authors.ben], tagIds: [room.tags.housing] });
      for (const path of ['/feed.xml', '/feed.atom', '/world/feed.xml', '/tag/housing/feed.atom']) {
        const { feed } = await xmlFeed(t, path);
        assert.equal(feed.items[0]?.id, guidOf(fresh.id), `${path} leads with the new story`);
        assert.equal(feed.items[0]?.title, 'Ferry returns to service');
      }
      assert.equal((await jsonFeed(t, '/author/ben-okafor/feed.json')).items[0]?.id, guidOf(fresh.id));
    });

    test('a feed holds the latest 30 stories', async () => {
      for (let i = 1; i <= 30; i++) {
        t.clock.advance(1000);
        await publishedArticle(t.app, room, { headline: `Briefing number ${i}`, sectionId: room.sections.world, authorIds: [room.authors.ben], tagIds: [] });
      }
      const { feed } = await xmlFeed(t, '/feed.xml');
      assert.equal(feed.items.length, 30);
      assert.equal(feed.items[0]?.title, 'Briefing number 30');
      assert.equal(feed.items[29]?.title, 'Briefing number 1');
      assert.equal((await jsonFeed(t, '/world/feed.json')).items.length, 30);
    });
  });
}
