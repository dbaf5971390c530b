/**
 * The Admin API for newsroom content over real HTTP on SQLite and PostgreSQL:
 * articles (list, read, create, edit with optimistic concurrency, publish,
 * schedule, unpublish, review requests, corrections, revisions, bulk),
 * sections, tags, authors, settings, the home page's top stories and the
 * OpenAPI document, signed in as different roles.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, type Newsroom } from '../support/fixtures.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { sql } from 'kysely';
import type { NewArticleRow } from '../../src/db/schema.js';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`admin API for newsroom content on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let admin: Signed;
    let editor: Signed;
    let author: Signed;
    let author2: Signed;
    let contributor: Signed;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      const sign = async (role: Parameters<typeof createStaff>[1]) => {
        const s = await createStaff(t, role);
        return signIn(t, s.email, s.password);
      };
      admin = await sign('admin');
      editor = await sign('editor');
      author = await sign('author');
      author2 = await sign('author');
      contributor = await sign('contributor');
    });
    after(async () => {
      await t?.close();
    });

    const as = (who: Signed, method: string, path: string, body?: unknown) =>
      call(t, method, `/api/admin${path}`, { cookie: who.cookie, csrf: who.csrf, body: body ?? (method === 'GET' ? undefined : {}) });

    const create = async (who: Signed, fields: Record<string, unknown> = {}) => {
      const res = await as(who, 'POST', '/articles', { headline: 'A test story', body: paragraphs(2), sectionId: room.sections.local, authorIds: [room.authors.ana], ...fields });
      assert.equal(res.status, 201, res.text);
      return res.json;
    };

    test('create, read and edit an article; the byline, tags, body and version come back', async () => {
      const created = await create(author, { headline: 'Harbour dredging begins', tagIds: [room.tags.harbour], dek: 'Work starts Monday.' });
      assert.equal(created.status, 'draft');
      assert.equal(created.version, 1);
      assert.equal(created.createdBy, author.user.id);
      assert.deepEqual(created.authorIds, [room.authors.ana]);
      assert.deepEqual(created.tagIds, [room.tags.harbour]);
      assert.equal(created.body.type, 'doc');
      const got = await as(author, 'GET', `/articles/${created.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.json.headline, 'Harbour dredging begins');
      assert.deepEqual(got.json.corrections, []);
      const patched = await as(author, 'PATCH', `/articles/${created.id}`, { version: 1, headline: 'Harbour dredging begins at dawn' });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.version, 2);
      assert.equal(patched.json.headline, 'Harbour dredging begins at dawn');
    });

    test('validation errors name the fields (400)', async () => {
      const res = await as(editor, 'POST', '/articles', { headline: '', sectionId: 999_999 });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.code, 'invalid');
      assert.ok(res.json.error.fields.some((f: { path: string }) => f.path === '/headline'), res.text);
      const bad = await as(editor, 'POST', '/articles', { headline: 'Fine', sectionId: 999_999, tagIds: [room.tags.housing, 888_888] });
      assert.equal(bad.status, 400);
      const paths = bad.json.error.fields.map((f: { path: string }) => f.path);
      assert.ok(paths.includes('/sectionId') && paths.includes('/tagIds/1'), bad.text);
      const a = await create(editor);
      const noVersion = await as(editor, 'PATCH', `/articles/${a.id}`, { headline: 'No version' });
      assert.equal(noVersion.status, 400);
      assert.ok(noVersion.json.error.fields.some((f: { path: string; message: string }) => /version/.test(f.path + f.message)), noVersion.text);
      const unknownField = await as(editor, 'PATCH', `/articles/${a.id}`, { version: 1, headlien: 'Typo' });
      assert.equal(unknownField.status, 400, unknownField.text);
      assert.ok(unknownField.json.error.fields.some((f: { path: string }) => f.path === '/headlien'), unknownField.text);
      assert.equal((await as(editor, 'GET', '/articles/999999')).status, 404);
      assert.equal((await as(editor, 'GET', '/articles/abc')).status, 400);
      const badBody = await as(editor, 'PATCH', `/articles/${a.id}`, { version: 1, body: { type: 'doc', content: [{ text: 42 }] } });
      assert.equal(badBody.status, 400, badBody.text);
      assert.ok(badBody.json.error.fields.some((f: { path: string }) => f.path.startsWith('/body')), badBody.text);
      const badQuery = await as(editor, 'GET', '/articles?pageSize=500');
      assert.equal(badQuery.status, 400);
      assert.ok(badQuery.json.error.fields.some((f: { path: string }) => f.path.includes('pageSize')), badQuery.text);
    });

    test('a stale version answers 409 with who changed it, when, and the current version', async () => {
      const a = await create(author);
      const first = await as(editor, 'PATCH', `/articles/${a.id}`, { version: 1, dek: 'Edited by the desk' });
      assert.equal(first.status, 200, first.text);
      const stale = await as(author, 'PATCH', `/articles/${a.id}`, { version: 1, dek: 'My own edit' });
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.json.error.code, 'conflict');
      assert.equal(stale.json.error.details.changedBy, 'Editor Person');
      assert.equal(stale.json.error.details.currentVersion, 2);
      assert.ok(stale.json.error.details.changedAt);
      assert.match(stale.json.error.message, /Editor Person/);
    });

    test('contributors write drafts and submit them for review, but cannot publish (403)', async () => {
      const a = await create(contributor);
      const publish = await as(contributor, 'POST', `/articles/${a.id}/publish`, {});
      assert.equal(publish.status, 403);
      assert.equal(publish.json.error.code, 'forbidden');
      const submitted = await as(contributor, 'POST', `/articles/${a.id}/submit`, { version: 1 });
      assert.equal(submitted.status, 200, submitted.text);
      assert.ok(submitted.json.reviewRequestedAt);
      const queue = await as(editor, 'GET', '/articles?review=true');
      assert.ok(queue.json.items.some((i: { id: number }) => i.id === a.id));
      const published = await as(editor, 'POST', `/articles/${a.id}/publish`, {});
      assert.equal(published.status, 200, published.text);
      assert.equal(published.json.status, 'published');
      assert.equal(published.json.reviewRequestedAt, null, 'publishing clears the review request');
      const edit = await as(contributor, 'PATCH', `/articles/${a.id}`, { version: published.json.version, dek: 'Sneaky' });
      assert.equal(edit.status, 403, 'contributors cannot change a live article, even their own');
    });

    test("authors edit and publish their own articles, not someone else's (403)", async () => {
      const mine = await create(author);
      const theirs = await create(author2);
      assert.equal((await as(author, 'PATCH', `/articles/${theirs.id}`, { version: 1, dek: 'Nope' })).status, 403);
      assert.equal((await as(author, 'POST', `/articles/${theirs.id}/publish`, {})).status, 403);
      const ok = await as(author, 'POST', `/articles/${mine.id}/publish`, {});
      assert.equal(ok.status, 200, ok.text);
      const correction = await as(author, 'POST', `/articles/${mine.id}/corrections`, { kind: 'correction', text: 'Fixed a name.' });
      assert.equal(correction.status, 403, 'corrections are for editors');
      assert.equal((await as(author, 'PATCH', `/articles/${mine.id}`, { version: ok.json.version, topRank: 1 })).status, 403, 'ranking is for editors');
      // A revision saved while the article was ranked does not let its author re-rank it by restoring.
      await as(editor, 'PUT', '/home/top-stories', { articleIds: [mine.id] });
      const saved = await as(author, 'PATCH', `/articles/${mine.id}`, { version: ok.json.version, dek: 'While ranked' });
      assert.equal(saved.json.topRank, 1);
      await as(editor, 'PUT', '/home/top-stories', { articleIds: [] });
      const revisions = await as(author, 'GET', `/articles/${mine.id}/revisions`);
      const restored = await as(author, 'POST', `/articles/${mine.id}/revisions/${revisions.json.items[0].id}/restore`, {});
      assert.equal(restored.status, 200, restored.text);
      assert.equal(restored.json.dek, 'While ranked');
      assert.equal(restored.json.topRank, null);
    });

    test('schedule, unpublish, corrections, revisions and restoring one', async () => {
      const a = await create(editor, { headline: 'Original headline' });
      const at = new Date(t.clock.now().getTime() + 2 * HOUR).toISOString();
      const scheduled = await as(editor, 'POST', `/articles/${a.id}/publish`, { at });
      assert.equal(scheduled.status, 200, scheduled.text);
      assert.equal(scheduled.json.status, 'scheduled');
      assert.equal(scheduled.json.scheduledAt, at);
      const past = await as(editor, 'POST', `/articles/${a.id}/publish`, { at: 'not a time' });
      assert.equal(past.status, 400);
      const cancelled = await as(editor, 'POST', `/articles/${a.id}/unpublish`, {});
      assert.equal(cancelled.json.status, 'draft');
      const published = await as(editor, 'POST', `/articles/${a.id}/publish`, {});
      assert.equal(published.json.status, 'published');
      const edited = await as(editor, 'PATCH', `/articles/${a.id}`, { version: published.json.version, headline: 'Changed headline' });
      assert.equal(edited.status, 200);
      const corr = await as(editor, 'POST', `/articles/${a.id}/corrections`, { kind: 'correction', text: 'An earlier version misspelt the mayor.' });
      assert.equal(corr.status, 201, corr.text);
      assert.equal(corr.json.kind, 'correction');
      const revisions = await as(editor, 'GET', `/articles/${a.id}/revisions`);
      assert.equal(revisions.status, 200);
      assert.ok(revisions.json.items.length >= 5);
      const original = revisions.json.items.find((r: { version: number }) => r.version === 1);
      const current = await as(editor, 'GET', `/articles/${a.id}`);
      assert.equal(current.json.corrections.length, 1);
      const restored = await as(editor, 'POST', `/articles/${a.id}/revisions/${original.id}/restore`, { version: current.json.version });
      assert.equal(restored.status, 200, restored.text);
      assert.equal(restored.json.headline, 'Original headline');
      assert.equal(restored.json.version, current.json.version + 1);
    });

    test('the list filters, sorts, pages and counts per status', async () => {
      const tag = `Zq${dialect}`;
      const one = await create(editor, { headline: `${tag} alpha 100% sure`, sectionId: room.sections.world, label: 'analysis', authorIds: [room.authors.ben] });
      await create(editor, { headline: `${tag} beta`, sectionId: room.sections.world });
      await as(editor, 'POST', `/articles/${one.id}/publish`, {});
      const res = await as(editor, 'GET', `/articles?q=${tag}&sort=headline&direction=asc`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.items.map((i: { headline: string }) => i.headline), [`${tag} alpha 100% sure`, `${tag} beta`]);
      assert.equal(res.json.counts.all, 2);
      assert.equal(res.json.counts.published, 1);
      assert.equal(res.json.counts.draft, 1);
      assert.equal(res.json.total, 2);
      const item = res.json.items[0];
      assert.deepEqual(item.section, { id: room.sections.world, slug: 'world', name: 'World' });
      assert.deepEqual(item.authors.map((a: { name: string }) => a.name), ['Ben Okafor']);
      assert.equal(item.label, 'analysis');
      assert.ok(item.publishedAt && item.savedAt && item.version);
      const published = await as(editor, 'GET', `/articles?q=${tag}&status=published`);
      assert.equal(published.json.total, 1);
      assert.equal(published.json.counts.draft, 1, 'counts ignore the status filter: they label the tabs');
      assert.equal((await as(editor, 'GET', `/articles?q=${encodeURIComponent('100%')}`)).json.items.length, 1, '% is literal');
      assert.equal((await as(editor, 'GET', `/articles?q=${encodeURIComponent('100_')}`)).json.items.length, 0, '_ is literal');
      assert.equal((await as(editor, 'GET', `/articles?q=${tag.toUpperCase()}`)).json.counts.all, 2, 'case-insensitive');
      assert.equal((await as(editor, 'GET', `/articles?q=${tag}&authorId=${room.authors.ben}`)).json.total, 1);
      assert.equal((await as(editor, 'GET', `/articles?q=${tag}&label=analysis`)).json.total, 1);
      assert.equal((await as(editor, 'GET', `/articles?q=${tag}&sectionId=${room.sections.local}`)).json.total, 0);
      const mine = await create(author, { headline: `${tag} gamma by the author` });
      const own = await as(author, 'GET', `/articles?q=${tag}&mine=true`);
      assert.deepEqual(own.json.items.map((i: { id: number }) => i.id), [mine.id]);
      await as(editor, 'POST', '/articles/bulk', { action: 'delete', ids: [mine.id] });
      const paged = await as(editor, 'GET', `/articles?q=${tag}&sort=headline&pageSize=1&page=2`);
      assert.deepEqual(paged.json.items.map((i: { headline: string }) => i.headline), [`${tag} beta`]);
    });

    test('sections, tags and authors: everyone lists, editors create and update, authors may not', async () => {
      assert.equal((await as(contributor, 'GET', '/sections')).status, 200);
      assert.equal((await as(author, 'POST', '/sections', { name: 'Sport' })).status, 403);
      const section = await as(editor, 'POST', '/sections', { name: `Sport ${dialect}` });
      assert.equal(section.status, 201, section.text);
      const renamed = await as(editor, 'PATCH', `/sections/${section.json.id}`, { name: 'Sports' });
      assert.equal(renamed.json.name, 'Sports');
      const bad = await as(editor, 'POST', '/sections', { name: 'x', slug: 'Not A Slug' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.fields[0].path, '/slug');
      const tag = await as(editor, 'POST', '/tags', { name: 'Elections' });
      assert.equal(tag.status, 201);
      assert.equal((await as(editor, 'PATCH', `/tags/${tag.json.id}`, { description: 'Votes' })).json.description, 'Votes');
      assert.equal((await as(editor, 'PATCH', '/tags/999999', { description: 'x' })).status, 404);
      const person = await as(editor, 'POST', '/authors', { name: 'Cleo Grant', title: 'Reporter', expertise: ['courts'] });
      assert.equal(person.status, 201, person.text);
      const updated = await as(editor, 'PATCH', `/authors/${person.json.id}`, { bio: 'Covers the courts.' });
      assert.equal(updated.json.bio, 'Covers the courts.');
      assert.deepEqual(updated.json.expertise, ['courts']);
      assert.ok((await as(author, 'GET', '/authors')).json.items.some((a: { name: string }) => a.name === 'Cleo Grant'));
      assert.equal((await as(author, 'POST', '/tags', { name: 'Mine' })).status, 403);
    });

    test('settings: admins read and change them (validated), editors may not', async () => {
      assert.equal((await as(editor, 'GET', '/settings')).status, 403);
      const got = await as(admin, 'GET', '/settings');
      assert.equal(got.status, 200);
      assert.equal(got.json.name, 'Broadsheet');
      const changed = await as(admin, 'PATCH', '/settings', { tagline: 'News you can use', social: { x: 'https://x.com/news' } });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json.tagline, 'News you can use');
      assert.equal(changed.json.social.x, 'https://x.com/news');
      const bad = await as(admin, 'PATCH', '/settings', { timeZone: 'Mars/Olympus' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.fields[0].path, '/timeZone');
      const unknown = await as(admin, 'PATCH', '/settings', { nmae: 'typo' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json.error.fields[0].path, '/nmae');
    });

    test('top stories: set in order, others cleared, and the home page shows that order', async () => {
      const ids: number[] = [];
      for (const name of ['Kestrel', 'Osprey', 'Heron']) {
        const a = await create(editor, { headline: `${name} ${dialect} story` });
        await as(editor, 'POST', `/articles/${a.id}/publish`, {});
        ids.push(a.id);
      }
      assert.equal((await as(author, 'PUT', '/home/top-stories', { articleIds: ids })).status, 403);
      const first = await as(editor, 'PUT', '/home/top-stories', { articleIds: [ids[2], ids[0]] });
      assert.equal(first.status, 200, first.text);
      const home1 = await (await fetch(`${t.url}/`)).text();
      assert.ok(home1.indexOf(`Heron ${dialect}`) < home1.indexOf(`Kestrel ${dialect}`), 'rank 1 first');
      const second = await as(editor, 'PUT', '/home/top-stories', { articleIds: [ids[1], ids[0]] });
      assert.deepEqual(second.json.articleIds, [ids[1], ids[0]]);
      const heron = await as(editor, 'GET', `/articles/${ids[2]}`);
      assert.equal(heron.json.topRank, null, 'no longer ranked');
      const home2 = await (await fetch(`${t.url}/`)).text();
      assert.ok(home2.indexOf(`Osprey ${dialect}`) < home2.indexOf(`Kestrel ${dialect}`), 'the cached home page was invalidated');
      const unknown = await as(editor, 'PUT', '/home/top-stories', { articleIds: [ids[0], 999_999] });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json.error.fields[0].path, '/articleIds/1');
      assert.deepEqual((await as(editor, 'GET', '/home/top-stories')).json.articleIds, [ids[1], ids[0]], 'nothing changed');
    });

    test('bulk: unpublish makes pages 410; delete removes drafts and unpublishes the rest; all or nothing on permissions', async () => {
      const a = await create(editor, { headline: `Bulk one ${dialect}` });
      const p = await as(editor, 'POST', `/articles/${a.id}/publish`, {});
      const page = `/local/${p.json.slug}`;
      assert.equal((await fetch(`${t.url}${page}`)).status, 200);
      const draft = await create(editor, { headline: `Bulk draft ${dialect}` });
      const mine = await create(author);
      const refused = await as(author, 'POST', '/articles/bulk', { action: 'delete', ids: [mine.id, draft.id] });
      assert.equal(refused.status, 403);
      assert.equal((await as(editor, 'GET', `/articles/${mine.id}`)).status, 200, 'nothing was deleted');
      const res = await as(editor, 'POST', '/articles/bulk', { action: 'unpublish', ids: [a.id, draft.id, 999_999] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.results, [
        { id: a.id, result: 'unpublished' },
        { id: draft.id, result: 'unchanged' },
        { id: 999_999, result: 'not_found' },
      ]);
      assert.equal((await fetch(`${t.url}${page}`)).status, 410);
      const del = await as(editor, 'POST', '/articles/bulk', { action: 'delete', ids: [draft.id, a.id] });
      assert.deepEqual(del.json.results, [
        { id: draft.id, result: 'deleted' },
        { id: a.id, result: 'unchanged' },
      ]);
      assert.equal((await as(editor, 'GET', `/articles/${draft.id}`)).status, 404);
      assert.equal((await fetch(`${t.url}${page}`)).status, 410, 'ever-published articles are never deleted');
      const own = await as(author, 'POST', '/articles/bulk', { action: 'delete', ids: [mine.id] });
      assert.deepEqual(own.json.results, [{ id: mine.id, result: 'deleted' }]);
    });

    test('requests without the CSRF token are refused (403); malformed JSON 400; oversize 413; signed out 401', async () => {
      const noCsrf = await call(t, 'POST', '/api/admin/articles', { cookie: editor.cookie, body: { headline: 'x' } });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.json.error.code, 'csrf');
      const malformed = await call(t, 'POST', '/api/admin/articles', { cookie: editor.cookie, csrf: editor.csrf, raw: '{"headline": ' });
      assert.equal(malformed.status, 400);
      const huge = JSON.stringify({ headline: 'Big', bodyHtml: `<p>${'x'.repeat(t.config.bodyLimitBytes)}</p>` });
      const oversize = await call(t, 'POST', '/api/admin/articles', { cookie: editor.cookie, csrf: editor.csrf, raw: huge });
      assert.equal(oversize.status, 413);
      assert.equal(oversize.json.error.code, 'too_large');
      assert.equal((await call(t, 'GET', '/api/admin/articles')).status, 401);
      const form = await call(t, 'POST', '/api/admin/articles', { cookie: editor.cookie, csrf: editor.csrf, raw: 'headline=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 415);
    });

    test('the OpenAPI document describes the Admin API to signed-in staff', async () => {
      assert.equal((await call(t, 'GET', '/api/admin/openapi.json')).status, 401);
      const res = await as(contributor, 'GET', '/openapi.json');
      assert.equal(res.status, 200, res.text);
      assert.match(res.json.openapi, /^3\./);
      assert.ok(res.json.paths['/api/admin/articles'].get);
      assert.ok(res.json.paths['/api/admin/articles/{id}'].patch);
      assert.ok(res.json.paths['/api/admin/home/top-stories'].put);
      assert.ok(!Object.keys(res.json.paths).some((p) => !p.startsWith('/api/admin')), 'reader routes are not described');
    });
  });
}

/** Fills the articles table directly (the services would take minutes): a newsroom's archive. */
async function fillArchive(t: TestApp, room: Newsroom, n: number): Promise<void> {
  const db = t.app.db.kysely;
  const statuses = ['published', 'published', 'published', 'published', 'draft', 'unpublished', 'scheduled'] as const;
  const start = Date.parse('2020-01-01T00:00:00Z');
  const batch = 500;
  for (let from = 0; from < n; from += batch) {
    const rows: NewArticleRow[] = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      const status = statuses[i % statuses.length]!;
      const at = new Date(start + i * 60_000).toISOString();
      rows.push({
        slug: `archive-${i}`,
        headline: `Archive story number ${i} about ${i % 3 ? 'the harbour' : 'city hall'}`,
        dek: 'A dek of ordinary length for a story in the archive.',
        body_doc: JSON.stringify(paragraphs(6)),
        body_blocks: JSON.stringify(Array.from({ length: 6 }, (_, k) => ({ type: 'paragraph', html: `<p>Paragraph ${k} of a long story body that fills the row.</p>` }))),
        word_count: 300,
        label: 'news',
        dateline: '',
        status,
        section_id: i % 2 ? room.sections.local : room.sections.world,
        published_at: status === 'draft' ? null : at,
        first_published_at: status === 'draft' ? null : at,
        version: 1,
        created_at: at,
        saved_at: at,
        breaking: 0,
        image_alt: '',
        image_caption: '',
        image_credit: '',
        seo_title: '',
        seo_description: '',
        social_title: '',
        social_description: '',
        social_image_url: '',
        canonical_url: '',
      });
    }
    const inserted = await db.insertInto('articles').values(rows).returning('id').execute();
    await db
      .insertInto('article_authors')
      .values(inserted.map((r, k) => ({ article_id: r.id, author_id: k % 2 ? room.authors.ana : room.authors.ben, position: 0 })))
      .execute();
  }
  // A real archive has been vacuumed by autovacuum long since; a freshly bulk-loaded table has no visibility
  // map yet, so PostgreSQL could not answer counts from the indexes alone. VACUUM cannot run in a transaction.
  if (t.dialect === 'postgres') await sql`vacuum analyze articles`.execute(db);
  else await sql`analyze`.execute(db);
}

// Speed at 50,000 articles is measured by `npm run bench` (bench/admin-list.ts), never asserted here:
// test machines are shared and noisy. This suite checks that the list stays correct at archive scale.
const ARCHIVE = 3_000;

for (const dialect of DIALECTS) {
  describe(`admin article list over a large archive on ${dialect}`, () => {
    let t: TestApp;
    let editor: Signed;
    let room: Newsroom;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      await fillArchive(t, room, ARCHIVE);
      const s = await createStaff(t, 'editor');
      editor = await signIn(t, s.email, s.password);
    });
    after(async () => {
      await t?.close();
    });

    const list = async (path: string) => {
      const res = await call(t, 'GET', `/api/admin${path}`, { cookie: editor.cookie });
      assert.equal(res.status, 200, res.text);
      return res;
    };

    test('the first page: most recently saved first, with counts per status', async () => {
      const res = await list('/articles');
      assert.equal(res.json.items.length, 20);
      assert.equal(res.json.counts.all, ARCHIVE);
      assert.equal(res.json.items[0].slug, `archive-${ARCHIVE - 1}`);
      assert.ok(res.json.items[0].authors.length === 1 && res.json.items[0].section);
    });

    for (const path of ['/articles?status=published', '/articles?status=draft&sort=headline', '/articles?sort=published', '/articles?sectionId=SECTION&status=published', '/articles?page=5&pageSize=100']) {
      test(`${path} answers with items`, async () => {
        const res = await list(path.replace('SECTION', String(room.sections.local)));
        assert.ok(res.json.items.length > 0);
      });
    }

    test('a headline search over the whole archive finds one story or many', async () => {
      const one = await list('/articles?q=number%202345%20');
      assert.equal(one.json.total, 1);
      const dense = await list('/articles?q=the%20harbour');
      assert.equal(dense.json.counts.all, 2_000, 'two in three headlines mention the harbour');
      assert.equal(dense.json.items.length, 20);
    });
  });
}
