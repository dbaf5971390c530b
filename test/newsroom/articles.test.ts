/**
 * The newsroom's article rules against a real app on SQLite and PostgreSQL:
 * validation, slugs and redirects, revisions, optimistic concurrency, the
 * publishing workflow, corrections, bylines, and the cache tags announced.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestClock, assertPostgresReachable, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, type Newsroom } from '../support/fixtures.js';
import { docFromParagraphs } from '../../src/newsroom/body.js';
import { Conflict, Invalid, NotFound } from '../../src/shared/errors.js';
import type { App } from '../../src/app.js';
import type { EventMap } from '../../src/shared/events.js';
import { etagFor, type CachedPage } from '../../src/cache/page-cache.js';

const HOUR = 3_600_000;
const START = new Date('2030-03-04T09:00:00.000Z');

type Announced = { event: keyof EventMap; articleId?: number; tags: string[] };

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but it succeeded`);
}

async function invalidPaths(promise: Promise<unknown>): Promise<string[]> {
  return (await rejection(promise, Invalid)).fields.map((f) => f.path).sort();
}

async function countRows(app: App, table: 'articles' | 'revisions' | 'article_redirects' | 'jobs'): Promise<number> {
  const row = await app.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let t: TestApp;
    let app: App;
    let room: Newsroom;
    const clock = new TestClock(START);
    const announced: Announced[] = [];
    let serial = 0;
    /** A unique headline per test, so slugs never collide by accident. */
    const headline = (text = 'Council approves harbour budget') => `${text} ${++serial}`;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock, listen: false });
      app = t.app;
      room = await makeNewsroom(app);
      for (const event of ['article.saved', 'article.published', 'article.unpublished', 'content.changed'] as const) {
        app.events.on(event, (payload) => {
          announced.push({ event, articleId: 'articleId' in payload ? payload.articleId : undefined, tags: payload.change.tags });
        });
      }
    });
    after(async () => {
      await t?.close();
    });
    beforeEach(() => {
      announced.length = 0;
      clock.advance(HOUR);
    });

    async function draft(fields: Record<string, unknown> = {}, actor = 'Ana Reyes') {
      return app.articles.create(
        { headline: headline(), body: paragraphs(3), sectionId: room.sections.local, authorIds: [room.authors.ana], tagIds: [room.tags.harbour], ...fields },
        { actor },
      );
    }

    async function published(fields: Record<string, unknown> = {}) {
      const created = await draft(fields);
      return app.articles.publish(created.id, { actor: 'Desk editor' });
    }

    describe('create validates', () => {
      test('missing, empty and too-long fields are Invalid with their field paths, and nothing is saved', async () => {
        const before = await countRows(app, 'articles');
        assert.deepEqual(await invalidPaths(app.articles.create({ dek: 'No headline' }, { actor: 'a' })), ['/headline']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: '' }, { actor: 'a' })), ['/headline']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'x'.repeat(301) }, { actor: 'a' })), ['/headline']);
        assert.deepEqual(
          await invalidPaths(app.articles.create({ headline: 'ok', dek: 'd'.repeat(601), dateline: 'x'.repeat(121), seoTitle: 's'.repeat(301) }, { actor: 'a' })),
          ['/dateline', '/dek', '/seoTitle'],
        );
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', label: 'gossip' }, { actor: 'a' })), ['/label']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', topRank: 0 }, { actor: 'a' })), ['/topRank']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', authorIds: [1.5] }, { actor: 'a' })), ['/authorIds/0']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', breakingUntil: 'tomorrow' }, { actor: 'a' })), ['/breakingUntil']);
        assert.ok((await invalidPaths(app.articles.create(null, { actor: 'a' }))).length > 0);
        assert.equal(await countRows(app, 'articles'), before);
      });

      test('unknown section, author, tag and image ids are Invalid with paths naming the bad entry', async () => {
        const before = await countRows(app, 'articles');
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', sectionId: 99_999 }, { actor: 'a' })), ['/sectionId']);
        assert.deepEqual(
          await invalidPaths(app.articles.create({ headline: 'ok', authorIds: [room.authors.ana, 99_999], tagIds: [99_998, room.tags.housing] }, { actor: 'a' })),
          ['/authorIds/1', '/tagIds/0'],
        );
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', imageId: 99_999 }, { actor: 'a' })), ['/imageId']);
        const error = await rejection(app.articles.create({ headline: 'ok', authorIds: [99_999] }, { actor: 'a' }), Invalid);
        assert.match(error.fields[0]!.message, /no author with id 99999/);
        assert.equal(await countRows(app, 'articles'), before);
      });

      test('unknown properties are rejected, on create and on update', async () => {
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', status: 'published' }, { actor: 'a' })), ['/status']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', publishedAt: '2020-01-01T00:00:00Z' }, { actor: 'a' })), ['/publishedAt']);
        const created = await draft();
        assert.deepEqual(await invalidPaths(app.articles.update(created.id, { version: 7 }, { actor: 'a' })), ['/version']);
        assert.deepEqual(await invalidPaths(app.articles.update(created.id, { headline: '' }, { actor: 'a' })), ['/headline']);
        assert.equal((await app.articles.get(created.id)).version, 1);
      });

      test('bad slugs, URLs, an invalid body, and body plus bodyHtml are Invalid', async () => {
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', slug: 'Not A Slug' }, { actor: 'a' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', slug: 'double--hyphen' }, { actor: 'a' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', canonicalUrl: 'javascript:alert(1)' }, { actor: 'a' })), ['/canonicalUrl']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', socialImageUrl: 'data:image/png;base64,AA' }, { actor: 'a' })), ['/socialImageUrl']);
        const body = await invalidPaths(app.articles.create({ headline: 'ok', body: { type: 'doc', content: [{ text: 'no type' }] } }, { actor: 'a' }));
        assert.ok(body.includes('/body/content/0/type'), body.join());
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'ok', body: paragraphs(1), bodyHtml: '<p>x</p>' }, { actor: 'a' })), ['/bodyHtml']);
      });

      test('a valid article is saved as a draft with its rendered body, word count and defaults', async () => {
        const created = await app.articles.create(
          { headline: '  Ferry returns to the island  ', dek: ' A long wait ends. ', bodyHtml: '<p>One two <b>three</b>.</p><script>alert(1)</script>' },
          { actor: 'Ana Reyes' },
        );
        assert.equal(created.headline, 'Ferry returns to the island');
        assert.equal(created.dek, 'A long wait ends.');
        assert.equal(created.slug, 'ferry-returns-to-the-island');
        assert.equal(created.status, 'draft');
        assert.equal(created.label, 'news');
        assert.equal(created.version, 1);
        assert.equal(created.published_at, null);
        assert.equal(created.word_count, 3);
        assert.deepEqual(JSON.parse(created.body_blocks), [{ type: 'paragraph', html: '<p>One two <strong>three</strong>.</p>' }]);
        assert.deepEqual((await app.site.article(created.slug)).kind, 'missing', 'a draft is not on the site');
      });
    });

    describe('slugs', () => {
      test('generated from the headline; repeats get -2, -3', async () => {
        const a = await app.articles.create({ headline: 'Storm closes the coast road' }, { actor: 'a' });
        const b = await app.articles.create({ headline: 'Storm closes the coast road' }, { actor: 'a' });
        const c = await app.articles.create({ headline: 'Storm: closes the coast road!' }, { actor: 'a' });
        assert.deepEqual([a.slug, b.slug, c.slug], ['storm-closes-the-coast-road', 'storm-closes-the-coast-road-2', 'storm-closes-the-coast-road-3']);
      });

      test('an explicit duplicate slug is Invalid on create and on update, and changes nothing', async () => {
        const a = await draft({ slug: `taken-slug-${serial}` });
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'Other', slug: a.slug }, { actor: 'a' })), ['/slug']);
        const b = await draft();
        assert.deepEqual(await invalidPaths(app.articles.update(b.id, { slug: a.slug, headline: 'Changed' }, { actor: 'a' })), ['/slug']);
        const after = await app.articles.get(b.id);
        assert.equal(after.slug, b.slug);
        assert.equal(after.headline, b.headline);
        assert.equal(after.version, 1);
      });

      test('renaming a draft leaves no redirect', async () => {
        const a = await draft();
        const redirects = await countRows(app, 'article_redirects');
        await app.articles.update(a.id, { slug: `renamed-draft-${serial}` }, { actor: 'a' });
        assert.equal(await countRows(app, 'article_redirects'), redirects);
        assert.equal((await app.site.article(a.slug)).kind, 'missing');
      });

      test('changing the slug after publication redirects the old slug; changing it back leaves no loop', async () => {
        const a = await published();
        const original = a.slug;
        const renamed = `${original}-renamed`;
        await app.articles.update(a.id, { slug: renamed }, { actor: 'a' });
        assert.deepEqual(await app.site.article(original), { kind: 'moved', to: `/local/${renamed}` });
        const found = await app.site.article(renamed);
        assert.equal(found.kind, 'found');

        // Back to the original: the original slug serves the article again, the
        // second slug redirects to it, and the original is no longer a redirect.
        await app.articles.update(a.id, { slug: original }, { actor: 'a' });
        const back = await app.site.article(original);
        assert.equal(back.kind, 'found');
        assert.equal(back.kind === 'found' && back.article.card.id, a.id);
        assert.deepEqual(await app.site.article(renamed), { kind: 'moved', to: `/local/${original}` });
        const rows = await app.db.kysely.selectFrom('article_redirects').select(['old_slug']).where('article_id', '=', a.id).execute();
        assert.deepEqual(rows.map((r) => r.old_slug).sort(), [renamed]);

        // A third slug: both earlier slugs point at the newest one (no chains).
        const third = `${original}-third`;
        await app.articles.update(a.id, { slug: third }, { actor: 'a' });
        assert.deepEqual(await app.site.article(original), { kind: 'moved', to: `/local/${third}` });
        assert.deepEqual(await app.site.article(renamed), { kind: 'moved', to: `/local/${third}` });

        // Moving the article to another section moves the redirect target too.
        await app.articles.update(a.id, { sectionId: room.sections.world }, { actor: 'a' });
        assert.deepEqual(await app.site.article(original), { kind: 'moved', to: `/world/${third}` });
      });

      test('a new article never takes a slug that still redirects readers to another article', async () => {
        const a = await app.articles.create({ headline: 'Bridge reopens after repairs' }, { actor: 'a' });
        await app.articles.publish(a.id, { actor: 'a' });
        await app.articles.update(a.id, { slug: 'bridge-reopens-after-repairs-on-time' }, { actor: 'a' });
        // Same headline a year later: the old links must keep reaching the first story.
        const b = await app.articles.create({ headline: 'Bridge reopens after repairs' }, { actor: 'a' });
        assert.notEqual(b.slug, 'bridge-reopens-after-repairs');
        assert.deepEqual(await app.site.article('bridge-reopens-after-repairs'), { kind: 'moved', to: '/article/bridge-reopens-after-repairs-on-time' });
        // Taking it explicitly is refused like any other used slug.
        assert.deepEqual(await invalidPaths(app.articles.update(b.id, { slug: 'bridge-reopens-after-repairs' }, { actor: 'a' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.articles.create({ headline: 'x', slug: 'bridge-reopens-after-repairs' }, { actor: 'a' })), ['/slug']);
        // The article itself may go back to its old slug.
        await app.articles.update(a.id, { slug: 'bridge-reopens-after-repairs' }, { actor: 'a' });
        assert.equal((await app.site.article('bridge-reopens-after-repairs')).kind, 'found');
      });

      test('old slugs of an unpublished article answer gone, not a redirect to a missing page', async () => {
        const a = await published();
        await app.articles.update(a.id, { slug: `${a.slug}-v2` }, { actor: 'a' });
        await app.articles.unpublish(a.id, { actor: 'a' });
        assert.deepEqual(await app.site.article(a.slug), { kind: 'gone' });
        assert.deepEqual(await app.site.article(`${a.slug}-v2`), { kind: 'gone' });
      });
    });

    describe('revisions', () => {
      test('every save creates a revision with its version, actor and note', async () => {
        const a = await draft({}, 'Ana Reyes');
        await app.articles.update(a.id, { dek: 'Second draft' }, { actor: 'Ben Okafor' });
        await app.articles.publish(a.id, { actor: 'Desk editor' });
        await app.articles.update(a.id, { headline: 'Sharper headline' }, { actor: 'Desk editor', note: 'headline' });
        await app.articles.addCorrection(a.id, 'correction', 'An earlier version misspelled a name.', { actor: 'Standards editor' });
        await app.articles.unpublish(a.id, { actor: 'Desk editor' });
        const revisions = await app.articles.revisions(a.id);
        assert.equal(revisions.length, 6);
        assert.deepEqual(revisions.map((r) => r.version), [6, 5, 4, 3, 2, 1]);
        assert.deepEqual(revisions.map((r) => r.actor), ['Desk editor', 'Standards editor', 'Desk editor', 'Desk editor', 'Ben Okafor', 'Ana Reyes']);
        assert.equal(revisions[0]!.note, 'Unpublished');
        assert.equal(revisions[1]!.note, 'Added correction');
        assert.equal(revisions[2]!.note, 'headline');
        assert.equal(revisions[3]!.note, 'Published');
        assert.equal((await app.articles.get(a.id)).version, 6);
      });

      test("one person's autosaves within ten minutes fold into one revision; a note, another person or time start a new one", async () => {
        const a = await draft({}, 'Ana Reyes');
        for (const dek of ['One', 'One two', 'One two three']) await app.articles.update(a.id, { dek }, { actor: 'Ana Reyes' });
        let revisions = await app.articles.revisions(a.id);
        assert.deepEqual(revisions.map((r) => r.version), [4, 1], 'v2..v4 are one revision holding the newest state');
        const folded = await app.articlesRepo.revision(a.id, revisions[0]!.id);
        assert.equal(JSON.parse(folded!.snapshot).dek, 'One two three');
        await app.articles.update(a.id, { dek: 'Ben was here' }, { actor: 'Ben Okafor' });
        await app.articles.update(a.id, { dek: 'Ana again' }, { actor: 'Ana Reyes', note: 'tightened' });
        await app.articles.update(a.id, { dek: 'Ana later' }, { actor: 'Ana Reyes' });
        revisions = await app.articles.revisions(a.id);
        assert.deepEqual(revisions.map((r) => r.actor), ['Ana Reyes', 'Ana Reyes', 'Ben Okafor', 'Ana Reyes', 'Ana Reyes']);
        clock.advance(11 * 60 * 1000);
        await app.articles.update(a.id, { dek: 'Ana, eleven minutes on' }, { actor: 'Ana Reyes' });
        await app.articles.update(a.id, { dek: 'Ana, eleven minutes and a bit' }, { actor: 'Ana Reyes' });
        revisions = await app.articles.revisions(a.id);
        assert.equal(revisions.length, 6, 'a new revision after the ten minutes, then folding again');
      });

      test('a rejected save creates no revision', async () => {
        const a = await draft();
        await rejection(app.articles.update(a.id, { sectionId: 99_999 }, { actor: 'x' }), Invalid);
        await rejection(app.articles.update(a.id, { headline: 'late' }, { actor: 'x', expectedVersion: 0 }), Conflict);
        assert.equal((await app.articles.revisions(a.id)).length, 1);
      });

      test('restoring a revision brings back the old headline, body, section and byline as a new version', async () => {
        const a = await draft({ headline: 'Original headline', body: docFromParagraphs(['The original first paragraph.']) });
        await app.articles.update(
          a.id,
          { headline: 'Rewritten headline', body: docFromParagraphs(['A rewrite.', 'With more words in it.']), sectionId: room.sections.world, authorIds: [room.authors.ben] },
          { actor: 'Ben Okafor' },
        );
        const first = (await app.articles.revisions(a.id)).find((r) => r.version === 1)!;
        const restored = await app.articles.restoreRevision(a.id, first.id, { actor: 'Ana Reyes' });
        assert.equal(restored.headline, 'Original headline');
        assert.deepEqual(JSON.parse(restored.body_blocks), [{ type: 'paragraph', html: '<p>The original first paragraph.</p>' }]);
        assert.equal(restored.word_count, 4);
        assert.equal(restored.section_id, room.sections.local);
        assert.equal(restored.version, 3);
        assert.deepEqual(await app.articlesRepo.authorIds(app.db.kysely, a.id), [room.authors.ana]);
        const revisions = await app.articles.revisions(a.id);
        assert.equal(revisions.length, 3, 'history is kept, not rewritten');
        assert.equal(revisions[0]!.note, 'Restored revision 1');
        assert.equal(revisions[0]!.actor, 'Ana Reyes');
        await rejection(app.articles.restoreRevision(a.id, 99_999, { actor: 'x' }), NotFound);
      });

      test('restoring a revision of a published article keeps it published and its URL redirects', async () => {
        const a = await published();
        const firstRevision = (await app.articles.revisions(a.id)).find((r) => r.version === 1)!;
        await app.articles.update(a.id, { slug: `${a.slug}-new`, headline: 'New' }, { actor: 'x' });
        const restored = await app.articles.restoreRevision(a.id, firstRevision.id, { actor: 'x' });
        assert.equal(restored.status, 'published');
        assert.equal(restored.slug, a.slug);
        assert.equal(restored.headline, a.headline);
        assert.equal((await app.site.article(a.slug)).kind, 'found');
        assert.deepEqual(await app.site.article(`${a.slug}-new`), { kind: 'moved', to: `/local/${a.slug}` });
      });
    });

    describe('optimistic concurrency', () => {
      test('two saves from the same version: the second is a Conflict naming who changed it, and loses nothing', async () => {
        const a = await draft();
        await app.articles.update(a.id, { headline: 'Ana’s version' }, { actor: 'Ana Reyes', expectedVersion: 1 });
        const conflict = await rejection(app.articles.update(a.id, { headline: 'Ben’s version' }, { actor: 'Ben Okafor', expectedVersion: 1 }), Conflict);
        assert.match(conflict.message, /Ana Reyes/);
        assert.equal(conflict.details.changedBy, 'Ana Reyes');
        assert.equal(conflict.details.currentVersion, 2);
        assert.equal(conflict.details.yourVersion, 1);
        assert.equal(conflict.details.changedAt, clock.now().toISOString());
        const current = await app.articles.get(a.id);
        assert.equal(current.headline, 'Ana’s version');
        assert.equal(current.version, 2);
        // The app still answers after a conflict (the database was not left waiting).
        const retried = await app.articles.update(a.id, { headline: 'Ben’s version' }, { actor: 'Ben Okafor', expectedVersion: 2 });
        assert.equal(retried.headline, 'Ben’s version');
        assert.equal(retried.version, 3);
      });

      test('simultaneous saves from the same version: exactly one wins', async () => {
        const a = await draft();
        const results = await Promise.allSettled(
          ['Ana Reyes', 'Ben Okafor', 'Desk editor'].map((actor) => app.articles.update(a.id, { dek: `by ${actor}` }, { actor, expectedVersion: 1 })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.equal(lost.length, 2);
        for (const r of lost) assert.ok(r.reason instanceof Conflict, String(r.reason));
        const current = await app.articles.get(a.id);
        assert.equal(current.version, 2);
        assert.equal((await app.articles.revisions(a.id)).length, 2);
      });

      test('publishing from a stale version is a Conflict too', async () => {
        const a = await draft();
        await app.articles.update(a.id, { dek: 'changed' }, { actor: 'Ben Okafor' });
        const conflict = await rejection(app.articles.publish(a.id, { actor: 'Ana Reyes', expectedVersion: 1 }), Conflict);
        assert.equal(conflict.details.changedBy, 'Ben Okafor');
        assert.equal((await app.articles.get(a.id)).status, 'draft');
      });

      test('saving a missing article is NotFound', async () => {
        await rejection(app.articles.update(99_999, { headline: 'x' }, { actor: 'x' }), NotFound);
        await rejection(app.articles.publish(99_999, { actor: 'x' }), NotFound);
      });
    });

    describe('publishing', () => {
      test('publish sets published_at and first_published_at; unpublish is gone; republishing keeps the original time', async () => {
        const a = await draft();
        const publishedAt = clock.now().toISOString();
        const p = await app.articles.publish(a.id, { actor: 'Desk editor' });
        assert.equal(p.status, 'published');
        assert.equal(p.published_at, publishedAt);
        assert.equal(p.first_published_at, publishedAt);
        const found = await app.site.article(a.slug);
        assert.equal(found.kind, 'found');
        assert.equal(found.kind === 'found' && found.article.card.publishedAt, publishedAt);

        clock.advance(2 * HOUR);
        const u = await app.articles.unpublish(a.id, { actor: 'Desk editor' });
        assert.equal(u.status, 'unpublished');
        assert.deepEqual(await app.site.article(a.slug), { kind: 'gone' });
        const listed = await app.site.latest(100);
        assert.ok(!listed.some((c) => c.id === a.id), 'an unpublished article leaves the lists');

        clock.advance(2 * HOUR);
        const r = await app.articles.publish(a.id, { actor: 'Desk editor' });
        assert.equal(r.status, 'published');
        assert.equal(r.published_at, publishedAt);
        assert.equal(r.first_published_at, publishedAt);
        assert.equal((await app.site.article(a.slug)).kind, 'found');
      });

      test('publishing twice is harmless: no new version, no second announcement', async () => {
        const a = await published();
        announced.length = 0;
        const again = await app.articles.publish(a.id, { actor: 'x' });
        assert.equal(again.version, a.version);
        assert.equal(again.published_at, a.published_at);
        assert.deepEqual(announced, []);
      });

      test('publishing with a past time publishes now', async () => {
        const a = await draft();
        const p = await app.articles.publish(a.id, { actor: 'x', at: new Date(clock.now().getTime() - HOUR) });
        assert.equal(p.status, 'published');
        assert.equal(p.published_at, clock.now().toISOString());
      });

      test('a scheduled article is not on the site; scheduling in the past or a published article is refused', async () => {
        const a = await draft();
        const at = new Date(clock.now().getTime() + HOUR);
        const s = await app.articles.publish(a.id, { actor: 'x', at });
        assert.equal(s.status, 'scheduled');
        assert.equal(s.scheduled_at, at.toISOString());
        assert.equal(s.published_at, null);
        assert.deepEqual(await app.site.article(a.slug), { kind: 'missing' });
        assert.deepEqual((await invalidPaths(app.articles.schedule(a.id, new Date(clock.now().getTime() - 1), { actor: 'x' }))), ['/at']);
        const p = await published();
        await rejection(app.articles.schedule(p.id, at, { actor: 'x' }), Conflict);
      });

      test('markUpdated on a published article sets the reader-visible update time', async () => {
        const a = await published();
        assert.equal(a.updated_at, null);
        clock.advance(HOUR);
        await app.articles.update(a.id, { dek: 'quiet fix' }, { actor: 'x' });
        assert.equal((await app.articles.get(a.id)).updated_at, null, 'an unmarked save is not an update');
        clock.advance(HOUR);
        const u = await app.articles.update(a.id, { dek: 'new facts' }, { actor: 'x', markUpdated: true });
        assert.equal(u.updated_at, clock.now().toISOString());
        const found = await app.site.article(a.slug);
        assert.equal(found.kind === 'found' && found.article.card.updatedAt, clock.now().toISOString());
      });
    });

    describe('corrections', () => {
      test('a correction advances updated_at and appears on the article, newest first', async () => {
        const a = await published();
        clock.advance(3 * HOUR);
        const first = await app.articles.addCorrection(a.id, 'correction', '  An earlier version gave the wrong vote count.  ', { actor: 'Standards editor' });
        assert.equal(first.kind, 'correction');
        assert.equal(first.body, 'An earlier version gave the wrong vote count.');
        assert.equal(first.created_at, clock.now().toISOString());
        assert.equal((await app.articles.get(a.id)).updated_at, clock.now().toISOString());

        clock.advance(HOUR);
        await app.articles.addCorrection(a.id, 'clarification', 'The budget covers two years.', { actor: 'Standards editor' });
        const found = await app.site.article(a.slug);
        assert.equal(found.kind, 'found');
        if (found.kind !== 'found') return;
        assert.deepEqual(found.article.corrections.map((c) => [c.kind, c.body]), [
          ['clarification', 'The budget covers two years.'],
          ['correction', 'An earlier version gave the wrong vote count.'],
        ]);
        assert.equal(found.article.card.updatedAt, clock.now().toISOString());
        assert.equal(found.article.card.publishedAt, a.published_at, 'the publication time does not move');
      });

      test('a correction announces the article and the sitemap', async () => {
        const a = await published();
        announced.length = 0;
        await app.articles.addCorrection(a.id, 'update', 'The council has since voted again.', { actor: 'x' });
        assert.equal(announced.length, 1);
        assert.equal(announced[0]!.event, 'article.saved');
        assert.deepEqual(announced[0]!.tags.sort(), [`a:${a.id}`, 'sitemap']);
      });

      test('bad kinds, empty and oversized text are Invalid; a missing article is NotFound', async () => {
        const a = await published();
        assert.deepEqual(await invalidPaths(app.articles.addCorrection(a.id, 'retraction' as never, 'x', { actor: 'x' })), ['/kind']);
        assert.deepEqual(await invalidPaths(app.articles.addCorrection(a.id, 'correction', '   ', { actor: 'x' })), ['/text']);
        assert.deepEqual(await invalidPaths(app.articles.addCorrection(a.id, 'correction', 'x'.repeat(5001), { actor: 'x' })), ['/text']);
        await rejection(app.articles.addCorrection(99_999, 'correction', 'x', { actor: 'x' }), NotFound);
        const found = await app.site.article(a.slug);
        assert.deepEqual(found.kind === 'found' && found.article.corrections, []);
        assert.equal(found.kind === 'found' && found.article.card.updatedAt, null);
      });
    });

    describe('bylines and tags', () => {
      test('bylines keep the order the editor gave, duplicates removed', async () => {
        const a = await published({ authorIds: [room.authors.ben, room.authors.ana, room.authors.ben], tagIds: [room.tags.housing, room.tags.harbour] });
        let found = await app.site.article(a.slug);
        assert.equal(found.kind, 'found');
        if (found.kind !== 'found') return;
        assert.deepEqual(found.article.card.authors.map((b) => b.name), ['Ben Okafor', 'Ana Reyes']);
        assert.deepEqual(found.article.authors.map((b) => b.name), ['Ben Okafor', 'Ana Reyes']);
        assert.deepEqual(found.article.tags.map((tag) => tag.name), ['Housing', 'Harbour']);
        const card = (await app.site.latest(50)).find((c) => c.id === a.id)!;
        assert.deepEqual(card.authors.map((b) => b.name), ['Ben Okafor', 'Ana Reyes']);

        await app.articles.update(a.id, { authorIds: [room.authors.ana, room.authors.ben] }, { actor: 'x' });
        found = await app.site.article(a.slug);
        assert.deepEqual(found.kind === 'found' && found.article.card.authors.map((b) => b.name), ['Ana Reyes', 'Ben Okafor']);
      });
    });

    describe('announced cache tags', () => {
      test('creating and editing a draft announces only the article', async () => {
        const a = await draft();
        await app.articles.update(a.id, { headline: 'Draft edit', sectionId: room.sections.world }, { actor: 'x' });
        assert.deepEqual(announced.map((e) => [e.event, e.articleId, e.tags]), [
          ['article.saved', a.id, [`a:${a.id}`]],
          ['article.saved', a.id, [`a:${a.id}`]],
        ]);
      });

      test('publishing announces the article and every list it joins', async () => {
        const a = await draft({ authorIds: [room.authors.ana, room.authors.ben], tagIds: [room.tags.housing] });
        announced.length = 0;
        await app.articles.publish(a.id, { actor: 'x' });
        assert.equal(announced.length, 1);
        assert.equal(announced[0]!.event, 'article.published');
        assert.equal(announced[0]!.articleId, a.id);
        assert.deepEqual(
          new Set(announced[0]!.tags),
          new Set([
            `a:${a.id}`, 'sitemap', 'list:home', 'list:archive', 'list:all', `list:section:${room.sections.local}`,
            `list:author:${room.authors.ana}`, `list:author:${room.authors.ben}`, `list:tag:${room.tags.housing}`,
          ]),
        );
        assert.ok(!announced[0]!.tags.includes('breaking'), 'not a breaking story');
      });

      test('a plain headline edit of a published article announces a:<id>, not the lists', async () => {
        const a = await published();
        announced.length = 0;
        await app.articles.update(a.id, { headline: 'A better headline', dek: 'and dek', body: paragraphs(2) }, { actor: 'x' });
        assert.equal(announced.length, 1);
        const [event] = announced;
        assert.equal(event!.event, 'article.saved');
        assert.ok(event!.tags.includes(`a:${a.id}`));
        assert.ok(!event!.tags.includes('list:home'), `unexpected list:home in ${event!.tags.join(' ')}`);
        assert.ok(!event!.tags.some((tag) => tag.startsWith('list:')), event!.tags.join(' '));
      });

      test('moving a published article to another section announces both sections’ lists', async () => {
        const a = await published();
        announced.length = 0;
        await app.articles.update(a.id, { sectionId: room.sections.world }, { actor: 'x' });
        const tags = announced[0]!.tags;
        assert.ok(tags.includes(`a:${a.id}`));
        assert.ok(tags.includes(`list:section:${room.sections.local}`), tags.join(' '));
        assert.ok(tags.includes(`list:section:${room.sections.world}`), tags.join(' '));
        assert.ok(tags.includes('list:home'));
      });

      test('changing tags announces the lists of the tags it left and joined', async () => {
        const a = await published({ tagIds: [room.tags.harbour] });
        announced.length = 0;
        await app.articles.update(a.id, { tagIds: [room.tags.housing] }, { actor: 'x' });
        const tags = announced[0]!.tags;
        assert.ok(tags.includes(`list:tag:${room.tags.harbour}`) && tags.includes(`list:tag:${room.tags.housing}`), tags.join(' '));
      });

      test('flagging as breaking announces the breaking banner', async () => {
        const a = await published();
        announced.length = 0;
        await app.articles.update(a.id, { breaking: true }, { actor: 'x' });
        assert.ok(announced[0]!.tags.includes('breaking'), announced[0]!.tags.join(' '));
        announced.length = 0;
        await app.articles.update(a.id, { headline: 'Still breaking' }, { actor: 'x' });
        assert.ok(!announced[0]!.tags.includes('breaking'), 'a headline edit does not touch the banner');
      });

      test('unpublishing announces article.unpublished with the lists it leaves', async () => {
        const a = await published();
        announced.length = 0;
        await app.articles.unpublish(a.id, { actor: 'x' });
        assert.equal(announced.length, 1);
        assert.equal(announced[0]!.event, 'article.unpublished');
        const tags = announced[0]!.tags;
        for (const tag of [`a:${a.id}`, 'list:home', `list:section:${room.sections.local}`, `list:author:${room.authors.ana}`, 'sitemap']) {
          assert.ok(tags.includes(tag), `${tag} missing from ${tags.join(' ')}`);
        }
      });

      test('announced tags empty the page cache entries that carry them', async () => {
        const a = await published();
        const page = (body: string, tags: string[]): CachedPage => ({
          status: 200, body: Buffer.from(body), contentType: 'text/html', etag: etagFor(body), lastModified: new Date().toUTCString(), tags, cacheControl: 'public',
        });
        assert.ok(app.cache.set(`/local/${a.slug}`, page('cached article', [`a:${a.id}`]), app.cache.begin()));
        assert.ok(app.cache.set('/', page('cached home', ['list:home', 'a:999999']), app.cache.begin()));
        await app.articles.update(a.id, { headline: 'Edited' }, { actor: 'x' });
        assert.equal(app.cache.get(`/local/${a.slug}`), undefined, 'the article page was invalidated');
        assert.notEqual(app.cache.get('/'), undefined, 'the home page was left alone');
      });
    });
  });
}
