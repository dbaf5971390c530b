/**
 * The Content API's content on SQLite and PostgreSQL: only published,
 * non-future articles (drafts, scheduled and unpublished ones are never
 * listed or found); filters; cursor pages that stay stable while articles are
 * published; `fields` and `include`; one article with its body as HTML and
 * blocks, image variants, related picks and corrections; sections, tags,
 * authors (no email), public site settings (no secrets), search; strong ETags
 * and 304s; malformed parameters as 400s with the JSON error shape; the
 * public OpenAPI document and reference page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { call } from '../accounts/support.js';
import { get, makeKey, signInAdmin } from './support.js';
import type { BodyDoc } from '../../src/newsroom/body.js';

type Json = Record<string, any>;

const richBody = (imageSrc: string): BodyDoc => ({
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: 'The council met ' }, { type: 'text', text: 'late', marks: [{ type: 'bold' }] }, { type: 'text', text: ' and voted.', marks: [{ type: 'link', attrs: { href: '/local/budget' } }] }] },
    { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'What changes' }] },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ferries' }] }] }, { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Docks' }] }] }] },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'We had no choice.' }] }] },
    { type: 'image', attrs: { src: imageSrc, alt: 'The quay at dawn', caption: 'Morning at the quay', credit: 'Photo: Ana' } },
    { type: 'embed', attrs: { url: 'https://www.youtube.com/watch?v=abcdefghijk' } },
    { type: 'paragraph', content: [{ type: 'text', text: 'A <script> stays text.' }] },
  ],
});

for (const dialect of DIALECTS) {
  describe(`content API on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let secret = '';
    let mediaId = 0;
    const ids: Record<string, number> = {};
    const api = (path: string, headers: Record<string, string> = {}) => get(t, secret, path, headers);

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      t.clock.set(new Date('2026-03-01T08:00:00.000Z'));
      room = await makeNewsroom(t.app);
      const admin = await signInAdmin(t);
      secret = (await makeKey(t, admin)).secret;
      const media = await t.app.db.kysely
        .insertInto('media')
        .values({
          storage_key: '2026/03/quay.jpg', mime: 'image/jpeg', width: 1600, height: 900, bytes: 1000, alt: 'Quay', caption: '', credit: '', created_at: '2026-03-01T00:00:00.000Z',
          variants: JSON.stringify([{ width: 640, height: 360, key: '2026/03/quay-640.webp', format: 'webp' }, { width: 320, height: 180, key: '2026/03/quay-320.jpg', format: 'jpeg' }]),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      mediaId = media.id;
      const publish = async (name: string, fields: Record<string, unknown>) => {
        t.clock.advance(60_000);
        ids[name] = (await publishedArticle(t.app, room, { headline: `Story ${name}`, ...fields })).id;
      };
      await publish('budget', { body: richBody('/media/2026/03/quay.jpg'), imageId: mediaId, imageAlt: 'Budget papers', tagIds: [room.tags.housing, room.tags.harbour] });
      await publish('world', { sectionId: room.sections.world, authorIds: [room.authors.ben], label: 'analysis' });
      await publish('breaking', { breaking: true });
      await publish('opinion', { label: 'opinion', tagIds: [] });
      await publish('ferry', {});
      const draft = await t.app.articles.create({ headline: 'Secret draft', sectionId: room.sections.local }, { actor: 'test' });
      ids.draft = draft.id;
      const scheduled = await t.app.articles.create({ headline: 'Tomorrow story' }, { actor: 'test' });
      await t.app.articles.schedule(scheduled.id, new Date('2026-04-01T00:00:00.000Z'), { actor: 'test' });
      ids.scheduled = scheduled.id;
      t.clock.advance(60_000);
      const gone = await publishedArticle(t.app, room, { headline: 'Withdrawn story' });
      await t.app.articles.unpublish(gone.id, { actor: 'test' });
      ids.gone = gone.id;
      await t.app.related.setPicks(ids.budget!, { picks: [{ id: ids.world!, pinned: true }] });
      await t.app.articles.addCorrection(ids.budget!, 'correction', 'An earlier version misstated the vote.', { actor: 'test' });
    });
    after(async () => t?.close());

    test('the list holds only published, non-future articles, newest first', async () => {
      const res = await api('/articles');
      assert.equal(res.status, 200, res.text);
      const headlines = res.json.items.map((a: Json) => a.headline);
      assert.deepEqual(headlines, ['Story ferry', 'Story opinion', 'Story breaking', 'Story world', 'Story budget']);
      assert.ok(!res.text.includes('Secret draft') && !res.text.includes('Tomorrow story') && !res.text.includes('Withdrawn story'));
      assert.equal(res.json.nextCursor, null);
      const first = res.json.items[4];
      assert.equal(first.url, `http://news.test/local/${first.slug}`);
      assert.deepEqual(first.section, { id: room.sections.local, slug: 'local', name: 'Local' });
      assert.deepEqual(first.authors.map((a: Json) => a.name), ['Ana Reyes']);
      assert.equal(first.image.url, 'http://news.test/media/2026/03/quay.jpg');
      assert.equal(first.image.alt, 'Budget papers');
      assert.deepEqual(first.image.variants.map((v: Json) => [v.width, v.format]), [[320, 'jpeg'], [640, 'webp']]);
      assert.equal(first.body, undefined, 'lists leave the body out unless asked');
      for (const ref of [ids.draft, ids.scheduled, ids.gone]) assert.equal((await api(`/articles/${ref}`)).status, 404);
      assert.equal((await api('/articles/secret-draft')).status, 404);
    });

    test('filters: section, tag, author, label, breaking, updated_since', async () => {
      const names = async (query: string) => (await api(`/articles?${query}`)).json.items.map((a: Json) => a.headline);
      assert.deepEqual(await names('section=world'), ['Story world']);
      assert.deepEqual(await names('tag=housing'), ['Story budget']);
      assert.deepEqual(await names('author=ben-okafor'), ['Story world']);
      assert.deepEqual(await names('label=opinion'), ['Story opinion']);
      assert.deepEqual(await names('breaking=true'), ['Story breaking']);
      assert.equal((await names('breaking=false')).length, 4);
      assert.deepEqual(await names('section=nowhere'), [], 'an unknown section matches nothing');
      // The budget story was corrected after the others were published: it changed last.
      const since = (await api('/articles')).json.items[1].modifiedAt;
      assert.deepEqual(await names(`updated_since=${encodeURIComponent(since)}`), ['Story ferry', 'Story opinion', 'Story budget']);
      assert.deepEqual(await names(`sort=modified&updated_since=${encodeURIComponent(since)}`), ['Story opinion', 'Story ferry', 'Story budget']);
    });

    test('cursor pages stay stable while articles are published', async () => {
      const seen: string[] = [];
      let page = await api('/articles?limit=2');
      assert.equal(page.json.items.length, 2);
      seen.push(...page.json.items.map((a: Json) => a.headline));
      // A new story goes out between two pages: it is not on the next page, and nothing repeats or goes missing.
      t.clock.advance(60_000);
      const late = await publishedArticle(t.app, room, { headline: 'Late story' });
      while (page.json.nextCursor) {
        page = await api(`/articles?limit=2&cursor=${page.json.nextCursor}`);
        assert.equal(page.status, 200);
        seen.push(...page.json.items.map((a: Json) => a.headline));
      }
      assert.deepEqual(seen, ['Story ferry', 'Story opinion', 'Story breaking', 'Story world', 'Story budget']);
      assert.equal((await api('/articles?limit=1')).json.items[0].headline, 'Late story', 'a fresh first page shows it');
      await t.app.articles.unpublish(late.id, { actor: 'test' });
    });

    test('fields keep only what is asked; include adds tags, body, related, corrections and full authors', async () => {
      const sparse = await api('/articles?fields=headline,url&limit=1');
      assert.deepEqual(Object.keys(sparse.json.items[0]).sort(), ['headline', 'id', 'url']);
      const rich = await api('/articles?section=local&tag=housing&include=tags,authors,section,related,corrections&fields=headline');
      const item = rich.json.items[0];
      assert.deepEqual(item.tags.map((x: Json) => x.slug), ['housing', 'harbour']);
      assert.equal(item.authors[0].bio, 'Ana covers city hall.');
      assert.equal(item.authors[0].email, undefined);
      assert.equal(item.section.description, 'News from around town');
      assert.deepEqual(item.related.map((r: Json) => [r.headline, r.pinned]), [['Story world', true]]);
      assert.equal(item.corrections[0].body, 'An earlier version misstated the vote.');
    });

    test('one article: body as sanitized HTML and as blocks, image variants, related picks, corrections', async () => {
      const byId = await api(`/articles/${ids.budget}`);
      assert.equal(byId.status, 200, byId.text);
      const article = byId.json.article;
      const bySlug = await api(`/articles/${article.slug}`);
      assert.equal(bySlug.json.article.id, ids.budget);
      assert.match(article.body.html, /<h3>What changes<\/h3>/);
      assert.match(article.body.html, /A &lt;script&gt; stays text\./);
      const types = article.body.blocks.map((b: Json) => b.type);
      assert.deepEqual(types, ['paragraph', 'heading', 'list', 'quote', 'image', 'embed', 'paragraph']);
      const [para, heading, list, quote, image, embed, last] = article.body.blocks;
      assert.deepEqual(para.content, [{ text: 'The council met ' }, { text: 'late', marks: ['bold'] }, { text: ' and voted.', href: 'http://news.test/local/budget' }]);
      assert.deepEqual([heading.level, heading.content[0].text], [3, 'What changes']);
      assert.deepEqual(list.items.map((i: Json) => i.content[0].text), ['Ferries', 'Docks']);
      assert.equal(list.ordered, false);
      assert.equal(quote.paragraphs[0][0].text, 'We had no choice.');
      assert.equal(image.image.url, 'http://news.test/media/2026/03/quay.jpg');
      assert.equal(image.image.alt, 'The quay at dawn');
      assert.equal(image.caption, 'Morning at the quay');
      assert.equal(image.credit, 'Photo: Ana');
      assert.equal(image.image.variants.length, 2, 'a body image from the library has its variants');
      assert.deepEqual([embed.provider, embed.url], ['youtube', 'https://www.youtube.com/watch?v=abcdefghijk']);
      assert.equal(last.content[0].text, 'A <script> stays text.');
      assert.ok(article.body.wordCount > 10);
      assert.deepEqual(article.related.map((r: Json) => r.id), [ids.world]);
      assert.equal(article.corrections.length, 1);
      assert.deepEqual(article.tags.map((x: Json) => x.name), ['Housing', 'Harbour']);

      const trimmed = await api(`/articles/${ids.budget}?include=tags&fields=headline`);
      assert.deepEqual(Object.keys(trimmed.json.article).sort(), ['headline', 'id', 'tags']);
    });

    test('ETag is strong and stable; If-None-Match answers 304; a change makes a new ETag', async () => {
      const first = await api(`/articles/${ids.ferry}`);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^"[A-Za-z0-9_-]{32}"$/);
      assert.equal(first.headers.get('cache-control'), 'private, max-age=60, stale-while-revalidate=300');
      assert.match(first.headers.get('vary') ?? '', /Authorization/);
      assert.equal((await api(`/articles/${ids.ferry}`)).headers.get('etag'), etag);
      const cached = await api(`/articles/${ids.ferry}`, { 'if-none-match': etag! });
      assert.equal(cached.status, 304);
      assert.equal(cached.text, '');
      await t.app.articles.update(ids.ferry!, { dek: 'A new dek' }, { actor: 'test' });
      const changed = await api(`/articles/${ids.ferry}`, { 'if-none-match': etag! });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.equal(changed.json.article.dek, 'A new dek');
    });

    test('malformed parameters are 400s with the JSON error shape, never 500s', async () => {
      for (const query of ['limit=0', 'limit=abc', 'limit=101', 'cursor=%%%', 'cursor=bm90LWpzb24', 'fields=headline,password', 'include=secrets', 'label=gossip', 'updated_since=yesterday', 'breaking=maybe', 'sort=random']) {
        const res = await api(`/articles?${query}`);
        assert.equal(res.status, 400, `${query}: ${res.text}`);
        assert.equal(typeof res.json.error.code, 'string', query);
        assert.equal(typeof res.json.error.message, 'string', query);
        assert.ok(Array.isArray(res.json.error.fields) && res.json.error.fields.length, query);
      }
      const cursor = (await api('/articles?limit=1')).json.nextCursor;
      assert.equal((await api(`/articles?sort=modified&cursor=${cursor}`)).status, 400, 'a cursor of another sort');
      assert.equal((await api('/search')).status, 400, 'search needs q');
      const missing = await api('/nothing-here');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'not_found');
    });

    test('sections, tags, authors (never their email), site settings (never secrets), search', async () => {
      const sections = await api('/sections');
      assert.deepEqual(sections.json.items.map((s: Json) => s.slug), ['local', 'world']);
      assert.equal(sections.json.items[0].articles, 'http://news.test/api/content/v1/articles?section=local');
      const tags = await api('/tags');
      assert.deepEqual(tags.json.items.map((x: Json) => x.slug).sort(), ['harbour', 'housing']);
      await t.app.db.kysely.updateTable('authors').set({ email: 'ana.private@news.test' }).where('id', '=', room.authors.ana).execute();
      const authors = await api('/authors');
      assert.ok(!authors.text.includes('ana.private'), 'no email addresses');
      const ana = authors.json.items.find((a: Json) => a.slug === 'ana-reyes');
      assert.equal(ana.articleCount, 4);
      assert.equal(ana.articles, 'http://news.test/api/content/v1/articles?author=ana-reyes');
      assert.deepEqual(ana.social, { x: 'https://x.com/anareyes' });
      assert.equal((await api('/authors/ana-reyes')).json.author.name, 'Ana Reyes');
      assert.equal((await api('/authors/nobody')).status, 404);

      await t.app.settings.update({ name: 'The Harbour Ledger', social: { ...t.app.settings.get().social, mastodon: 'https://mastodon.example/@ledger' }, appLinks: { ios: 'https://apps.apple.com/app/id1', android: '' }, donations: { ...t.app.settings.get().donations, taxId: 'TAX-SECRET-1', legalName: 'Ledger Trust' } }, t.clock.now().toISOString());
      const site = (await api('/site')).json.site;
      assert.equal(site.name, 'The Harbour Ledger');
      assert.deepEqual(site.social, { mastodon: 'https://mastodon.example/@ledger' });
      assert.deepEqual(site.appLinks, { ios: 'https://apps.apple.com/app/id1' });
      assert.match(site.colours.accent, /^#[0-9a-f]{3,8}$/);
      const siteText = JSON.stringify(site);
      assert.ok(!siteText.includes('TAX-SECRET') && !siteText.includes('Ledger Trust'), 'no receipt or internal settings');

      const found = await api('/search?q=ferry');
      assert.equal(found.status, 200, found.text);
      assert.ok(found.json.items.some((i: Json) => i.headline === 'Story ferry'));
      const hit = found.json.items.find((i: Json) => i.headline === 'Story ferry');
      assert.match(hit.headlineHtml, /<mark>ferry<\/mark>/i);
      assert.equal(hit.article, `http://news.test/api/content/v1/articles/${ids.ferry}`);
      assert.ok(!(await api('/search?q=secret')).text.includes('Secret draft'), 'search never finds drafts');
    });

    test('the OpenAPI document and the reference page are public and escaped', async () => {
      const doc = await call(t, 'GET', '/api/content/v1/openapi.json');
      assert.equal(doc.status, 200);
      assert.equal(doc.json.openapi, '3.0.3');
      assert.ok(doc.json.paths['/api/content/v1/articles/{ref}'].get.parameters.some((p: Json) => p.name === 'ref' && p.in === 'path'));
      assert.ok(doc.json.paths['/api/content/v1/articles'].get.parameters.some((p: Json) => p.name === 'updated_since'));
      assert.ok(doc.json.components.schemas.Error);
      await t.app.settings.update({ name: 'News <script>alert(1)</script>' }, t.clock.now().toISOString());
      const page = await call(t, 'GET', '/developers');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.ok(page.text.includes('News &lt;script&gt;alert(1)&lt;/script&gt; Content API'));
      assert.ok(!page.text.includes('<script>alert(1)'));
      assert.ok(page.text.includes('GET /api/content/v1/articles/{ref}'));
    });
  });
}
