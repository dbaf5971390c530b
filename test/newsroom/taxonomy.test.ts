/**
 * Sections, tags and authors on SQLite and PostgreSQL: validation, unique and
 * reserved slugs, and the cache tags each change announces.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestClock, assertPostgresReachable, startTestApp, type TestApp } from '../support/apps.js';
import { Invalid, NotFound } from '../../src/shared/errors.js';
import type { App } from '../../src/app.js';

async function invalidPaths(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Invalid, `expected Invalid, got ${String(error)}`);
    return error.fields.map((f) => f.path);
  }
  assert.fail('expected Invalid, but it succeeded');
}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let t: TestApp;
    let app: App;
    const announced: string[][] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock: new TestClock(new Date('2030-01-01T00:00:00Z')), listen: false });
      app = t.app;
      app.events.on('content.changed', ({ change }) => {
        announced.push(change.tags);
      });
    });
    after(async () => {
      await t?.close();
    });
    beforeEach(() => {
      announced.length = 0;
    });

    describe('sections', () => {
      test('created with a slug from the name, announced to the navigation and home page', async () => {
        const s = await app.taxonomy.createSection({ name: '  Arts & Culture ', description: 'Galleries, stages, books', position: 3 });
        assert.equal(s.name, 'Arts & Culture');
        assert.equal(s.slug, 'arts-culture');
        assert.equal(s.position, 3);
        assert.equal((await app.site.section('arts-culture'))?.id, s.id);
        assert.deepEqual(announced, [['sections', 'list:home', 'sitemap']]);
      });

      test('name required and bounded; slugs must be valid, free and not one the site uses', async () => {
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: '   ' })), ['/name']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'x'.repeat(81) })), ['/name']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'Admin' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'Feeds', slug: 'feed' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'Bad', slug: 'Bad Slug' })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'Long', description: 'd'.repeat(501) })), ['/description']);
        await app.taxonomy.createSection({ name: 'Sport' });
        assert.deepEqual(await invalidPaths(app.taxonomy.createSection({ name: 'Sport' })), ['/slug']);
        assert.deepEqual(announced.length, 1, 'rejected sections announce nothing');
      });

      test('renaming a section shows in the navigation at once (the nav cache is dropped)', async () => {
        const s = await app.taxonomy.createSection({ name: 'Busness' });
        assert.ok((await app.site.sections()).some((x) => x.name === 'Busness'));
        await app.taxonomy.updateSection(s.id, { name: 'Business' });
        const nav = await app.site.sections();
        assert.ok(nav.some((x) => x.id === s.id && x.name === 'Business'), JSON.stringify(nav));
        assert.ok(announced.at(-1)!.includes('sections') && announced.at(-1)!.includes(`section:${s.id}`));
      });

      test('changing a section’s slug to one in use or reserved is Invalid, not a server error', async () => {
        const a = await app.taxonomy.createSection({ name: 'Weather' });
        const b = await app.taxonomy.createSection({ name: 'Climate' });
        assert.deepEqual(await invalidPaths(app.taxonomy.updateSection(b.id, { slug: a.slug })), ['/slug']);
        assert.deepEqual(await invalidPaths(app.taxonomy.updateSection(b.id, { slug: 'search' })), ['/slug']);
        assert.equal((await app.site.section('climate'))?.id, b.id, 'unchanged');
        // Keeping its own slug is fine.
        const same = await app.taxonomy.updateSection(b.id, { slug: b.slug, name: 'Climate desk' });
        assert.equal(same.name, 'Climate desk');
      });

      test('updating a missing section is NotFound', async () => {
        await assert.rejects(app.taxonomy.updateSection(99_999, { name: 'x' }), NotFound);
      });
    });

    describe('tags', () => {
      test('creating a tag twice returns the same tag', async () => {
        const a = await app.taxonomy.createTag({ name: 'Elections' });
        const b = await app.taxonomy.createTag({ name: 'elections' });
        assert.equal(a.slug, 'elections');
        assert.equal(b.id, a.id);
        assert.equal((await app.site.allTags()).filter((x) => x.slug === 'elections').length, 1);
      });

      test('tags may use slugs sections cannot (tags live under /tag/)', async () => {
        const tag = await app.taxonomy.createTag({ name: 'Search' });
        assert.equal(tag.slug, 'search');
      });

      test('renaming a tag announces its page, its list and the tag lists; a slug in use is Invalid', async () => {
        const a = await app.taxonomy.createTag({ name: 'Transport' });
        const b = await app.taxonomy.createTag({ name: 'Buses' });
        await app.taxonomy.updateTag(a.id, { name: 'Public transport' });
        assert.deepEqual(announced.at(-1), ['tags', `tag:${a.id}`, `list:tag:${a.id}`]);
        assert.equal((await app.site.tag('transport'))?.name, 'Public transport');
        assert.deepEqual(await invalidPaths(app.taxonomy.updateTag(b.id, { slug: 'transport' })), ['/slug']);
        assert.equal((await app.site.tag('buses'))?.id, b.id);
      });

      test('invalid tag names are rejected', async () => {
        assert.deepEqual(await invalidPaths(app.taxonomy.createTag({ name: '' })), ['/name']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createTag({ name: 'ok', slug: '-x-' })), ['/slug']);
      });
    });

    describe('authors', () => {
      test('an author with title, bio, expertise and social links', async () => {
        const a = await app.taxonomy.createAuthor({
          name: 'Chidi Obi',
          title: 'Courts reporter',
          bio: 'Chidi covers the courts.',
          expertise: ['courts', ' policing '],
          social: { x: 'https://x.com/chidi', mastodon: '' },
        });
        assert.equal(a.slug, 'chidi-obi');
        assert.deepEqual(JSON.parse(a.expertise), ['courts', 'policing']);
        assert.deepEqual(JSON.parse(a.social), { x: 'https://x.com/chidi' }, 'empty links are dropped');
        assert.equal((await app.site.author('chidi-obi'))?.title, 'Courts reporter');
      });

      test('social links must be https and named by network; duplicates and long fields are Invalid', async () => {
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'A One', social: { x: 'javascript:alert(1)' } })), ['/social/x']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'A Two', social: { x: 'http://x.com/a' } })), ['/social/x']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'A Three', social: { 'Bad Key': 'https://x.com/a' } })), ['/social/Bad Key']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'A Four', bio: 'b'.repeat(2001) })), ['/bio']);
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'A Five', expertise: [''] })), ['/expertise']);
        await app.taxonomy.createAuthor({ name: 'Dana Lee' });
        assert.deepEqual(await invalidPaths(app.taxonomy.createAuthor({ name: 'Dana Lee' })), ['/slug']);
        assert.equal((await app.site.allAuthors()).filter((x) => x.name.startsWith('A ')).length, 0, 'nothing half-saved');
      });

      test('updating an author announces the article pages, the author’s list and the author lists', async () => {
        const a = await app.taxonomy.createAuthor({ name: 'Eve Stone' });
        announced.length = 0;
        await app.taxonomy.updateAuthor(a.id, { title: 'Political editor', social: { bluesky: 'https://bsky.app/profile/eve' } });
        assert.deepEqual(announced, [['authors', `author:${a.id}`, `list:author:${a.id}`]]);
        const row = await app.site.author('eve-stone');
        assert.equal(row?.title, 'Political editor');
        assert.deepEqual(JSON.parse(row!.social), { bluesky: 'https://bsky.app/profile/eve' });
        assert.deepEqual(await invalidPaths(app.taxonomy.updateAuthor(a.id, { name: '' })), ['/name']);
      });
    });
  });
}
