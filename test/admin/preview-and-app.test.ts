/**
 * The server side of the admin app on SQLite and PostgreSQL: the app's files
 * at /admin, the staff-wide site facts, private preview links (a draft as
 * readers will see it, for whoever holds the link, for a week), one revision's
 * fields for comparing, and the newest corrections for the dashboard.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, type Newsroom } from '../support/fixtures.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import fs from 'node:fs';
import path from 'node:path';
import { ensureAdminBuilt } from '../support/admin.js';
import { adminDistDir } from '../../src/admin/admin-app.routes.js';

const DAY = 24 * 3_600_000;

for (const dialect of DIALECTS) {
  describe(`admin app server side on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let editor: Signed;
    let contributor: Signed;
    let staff: { editor: { email: string; password: string }; contributor: { email: string; password: string } };
    /** Fresh sessions (after the clock has moved past their lifetime). */
    const signInAgain = async () => {
      editor = await signIn(t, staff.editor.email, staff.editor.password);
      contributor = await signIn(t, staff.contributor.email, staff.contributor.password);
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      ensureAdminBuilt();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      staff = { editor: await createStaff(t, 'editor'), contributor: await createStaff(t, 'contributor') };
      await signInAgain();
    });
    after(async () => {
      await t?.close();
    });

    const as = (who: Signed, method: string, path: string, body?: unknown) =>
      call(t, method, `/api/admin${path}`, { cookie: who.cookie, csrf: who.csrf, body: body ?? (method === 'GET' ? undefined : {}) });

    test('the admin app is served at /admin and every screen below it; its assets are cached for a year', async () => {
      for (const path of ['/admin', '/admin/articles/12', '/admin/setup']) {
        const res = await call(t, 'GET', path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
        assert.equal(res.headers.get('cache-control'), 'no-cache');
        assert.match(res.headers.get('x-robots-tag') ?? '', /noindex/);
        assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
        assert.match(res.text, /<div id="root">/);
      }
      const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec((await call(t, 'GET', '/admin')).text)?.[1];
      assert.ok(script, 'the page loads its script from /admin/assets/');
      const asset = await call(t, 'GET', script!);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
      assert.equal((await call(t, 'GET', '/admin/assets/no-such-chunk.js')).status, 404);
      // A rebuild while the server runs is picked up: the page never names script files that are gone.
      const indexFile = path.join(adminDistDir, 'index.html');
      const original = fs.readFileSync(indexFile, 'utf8');
      try {
        fs.writeFileSync(indexFile, original.replace('<div id="root">', '<div id="root" data-rebuilt="yes">'));
        const later = new Date(Date.now() + 5000);
        fs.utimesSync(indexFile, later, later);
        assert.match((await call(t, 'GET', '/admin/articles')).text, /data-rebuilt="yes"/);
      } finally {
        fs.writeFileSync(indexFile, original);
      }
    });

    test('every signed-in role reads the site facts the editor needs; signed out gets 401', async () => {
      const res = await as(contributor, 'GET', '/site');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.name, t.app.settings.get().name);
      assert.equal(res.json.timeZone, t.app.settings.get().timeZone);
      assert.equal(res.json.publicUrl, t.app.config.publicUrl);
      assert.equal(res.json.relatedInlineCount, t.app.settings.get().related.inlineCount, 'the editor marks as many picks "inline" as readers see');
      assert.equal((await call(t, 'GET', '/api/admin/site')).status, 401);
    });

    test('a preview link shows a draft exactly as its page will look, privately, for a week', async () => {
      const draft = await as(contributor, 'POST', '/articles', {
        headline: 'Ferry timetable shake-up <script>alert(1)</script>',
        body: paragraphs(3),
        sectionId: room.sections.local,
        authorIds: [room.authors.ana],
      });
      assert.equal(draft.status, 201, draft.text);
      const link = await as(contributor, 'POST', `/articles/${draft.json.id}/preview-link`);
      assert.equal(link.status, 200, link.text);
      assert.ok(link.json.url.startsWith(`${t.app.config.publicUrl}/preview/`), link.json.url);
      // Asking again hands out the same link while it has time left.
      assert.equal((await as(editor, 'POST', `/articles/${draft.json.id}/preview-link`)).json.url, link.json.url);

      const path = new URL(link.json.url).pathname;
      const page = await call(t, 'GET', path); // no cookie: the link is the permission
      assert.equal(page.status, 200, page.text.slice(0, 300));
      assert.match(page.text, /Ferry timetable shake-up &lt;script&gt;/, 'the headline, escaped');
      assert.doesNotMatch(page.text, /<script>alert/);
      assert.match(page.text, /class="preview-notice"[^>]*>This is a preview of a draft/);
      assert.match(page.text, /Ana/, 'the byline renders like on the live page');
      assert.equal(page.headers.get('cache-control'), 'private, no-store');
      assert.match(page.headers.get('x-robots-tag') ?? '', /noindex/);
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      // The draft is still invisible at its public address.
      const publicPath = `/local/${draft.json.slug}`;
      assert.equal((await call(t, 'GET', publicPath)).status, 404);

      // An edit shows in the preview at once (never cached).
      const edited = await as(contributor, 'PATCH', `/articles/${draft.json.id}`, { version: draft.json.version, headline: 'Ferry timetable changes from Monday' });
      assert.equal(edited.status, 200, edited.text);
      assert.match((await call(t, 'GET', path)).text, /Ferry timetable changes from Monday/);

      // Unknown, malformed and expired tokens are plain 404s.
      assert.equal((await call(t, 'GET', '/preview/not-a-token')).status, 404);
      assert.equal((await call(t, 'GET', `/preview/${'A'.repeat(43)}`)).status, 404);
      t.clock.advance(7 * DAY + 1000);
      assert.equal((await call(t, 'GET', path)).status, 404);
      await signInAgain();
      const fresh = await as(contributor, 'POST', `/articles/${draft.json.id}/preview-link`);
      assert.notEqual(fresh.json.url, link.json.url, 'an expired link is replaced');
      assert.equal((await call(t, 'GET', new URL(fresh.json.url).pathname)).status, 200);

      assert.equal((await as(editor, 'POST', '/articles/999999/preview-link')).status, 404);
      assert.equal((await call(t, 'POST', `/api/admin/articles/${draft.json.id}/preview-link`, { body: {} })).status, 401);
    });

    test('one revision comes back with its fields, to compare with the current version', async () => {
      const created = await as(editor, 'POST', '/articles', { headline: 'First headline', body: paragraphs(1) });
      const edited = await as(editor, 'PATCH', `/articles/${created.json.id}`, { version: created.json.version, headline: 'Second headline' });
      assert.equal(edited.status, 200, edited.text);
      const list = await as(editor, 'GET', `/articles/${created.json.id}/revisions`);
      const oldest = list.json.items.at(-1);
      const one = await as(contributor, 'GET', `/articles/${created.json.id}/revisions/${oldest.id}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.fields.headline, 'First headline');
      assert.equal(one.json.version, oldest.version);
      assert.equal((await as(editor, 'GET', `/articles/${created.json.id}/revisions/999999`)).status, 404);
    });

    test('the newest corrections across articles, with their headlines', async () => {
      const created = await as(editor, 'POST', '/articles', { headline: 'Council budget passes', body: paragraphs(2) });
      const published = await as(editor, 'POST', `/articles/${created.json.id}/publish`);
      assert.equal(published.status, 200, published.text);
      const added = await as(editor, 'POST', `/articles/${created.json.id}/corrections`, { kind: 'correction', text: 'An earlier version gave the wrong total.' });
      assert.equal(added.status, 201, added.text);
      const res = await as(contributor, 'GET', '/corrections?limit=5');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.items[0].headline, 'Council budget passes');
      assert.equal(res.json.items[0].text, 'An earlier version gave the wrong total.');
      assert.equal(res.json.items[0].articleId, created.json.id);
      assert.equal((await as(editor, 'GET', '/corrections?limit=0')).status, 400);
    });
  });
}
