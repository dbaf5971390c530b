/**
 * Composing a newsletter issue, on SQLite and PostgreSQL over a real listening
 * server: the candidate stories (never drafts, scheduled, future or withdrawn
 * ones; editor's rank first, then at most three per section, newest first),
 * the rendered email (escaping, absolute images with width and alt, dark-mode
 * colours, placeholders, a text part with the same links), the preview, a test
 * email received by a real SMTP server and parsed with mailparser, the
 * permission and the 400s for bad input.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type CallResult, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { Inbox } from './support.js';
import { orderCandidates, suggestSubject } from '../../src/newsletter/digest.js';
import type { DigestRow } from '../../src/newsletter/digest.repository.js';
import { fillPlaceholders } from '../../src/newsletter/render.js';

const HOUR = 60 * 60 * 1000;
const HOSTILE = 'Harbour <script>alert("x")</script> & "friends"';

/** WCAG contrast of two #rrggbb colours, computed here independently of the code under test. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const n = Number.parseInt(hex.slice(1), 16);
    const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

describe('digest order (no database)', () => {
  const row = (id: number, sectionId: number | null, hoursAgo: number, topRank: number | null = null): DigestRow => ({
    id,
    slug: `s${id}`,
    headline: `Story ${id}`,
    dek: '',
    published_at: new Date(Date.UTC(2026, 10, 29, 12) - hoursAgo * HOUR).toISOString(),
    top_rank: topRank,
    section_id: sectionId,
    section_slug: sectionId === null ? null : `sec${sectionId}`,
    section_name: sectionId === null ? null : `Section ${sectionId}`,
    image_alt: '',
    storage_key: null,
    width: null,
    height: null,
    alt: null,
    variants: null,
    mime: null,
  });

  test('a list the quotas would leave short is filled with the held-back stories, newest first', () => {
    const rows = [1, 2, 3, 4, 5, 6].map((id) => row(id, 7, id));
    const { chosen, others } = orderCandidates(rows);
    assert.deepEqual(chosen.map((r) => r.id), [1, 2, 3, 4, 5], 'three from the section, then two more to reach five');
    assert.deepEqual(others.map((r) => r.id), [6]);
  });

  test('never more than twelve stories; ranked stories lead even when old', () => {
    const rows = [...Array.from({ length: 20 }, (_, i) => row(i + 1, i + 1, i + 1)), row(99, 1, 30, 1)];
    const { chosen, others } = orderCandidates(rows);
    assert.equal(chosen.length, 12);
    assert.equal(chosen[0]!.id, 99);
    assert.equal(others.length, 9);
  });

  test('the suggested subject', () => {
    assert.equal(suggestSubject('Top Stories', []), 'Top Stories');
    assert.equal(suggestSubject('Top Stories', [{ headline: 'Ferry returns' }]), 'Top Stories: Ferry returns');
    assert.equal(suggestSubject('Top Stories', [{ headline: 'Ferry\nreturns' }, { headline: 'b' }, { headline: 'c' }]), 'Top Stories: Ferry returns and 2 more');
    assert.ok(suggestSubject('N', [{ headline: 'x'.repeat(500) }]).length <= 200);
  });
});

for (const dialect of DIALECTS) {
  describe(`composing a newsletter on ${dialect}`, () => {
    const inbox = new Inbox();
    let t: TestApp;
    let editor: Signed;
    let room: Newsroom;
    let newsletterId: number;
    const ids: Record<string, number> = {};
    const paths: Record<string, string> = {};

    const api = (method: string, path: string, body?: unknown, who: Signed = editor) => call(t, method, `/api/admin${path}`, { body, cookie: who.cookie, csrf: who.csrf });

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, { env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, MAIL_FROM: 'The Test Gazette <newsroom@news.test>' } });
      room = await makeNewsroom(t.app);
      const staff = await createStaff(t, 'editor');
      editor = await signIn(t, staff.email, staff.password);
      await t.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());

      const created = await api('POST', '/newsletters', { name: 'Top Stories', template: { accentColor: '#ffdd00', logoUrl: '/media/logo.png', intro: 'Good morning.' } });
      assert.equal(created.status, 201, created.text);
      newsletterId = created.json.id;

      const now = t.clock.now().getTime();
      const publishAt = async (key: string, hoursAgo: number, fields: Record<string, unknown>) => {
        t.clock.set(new Date(now - hoursAgo * HOUR));
        const a = await publishedArticle(t.app, room, fields);
        ids[key] = a.id;
        paths[key] = a.path;
      };
      const local = room.sections.local;
      const world = room.sections.world;
      await publishAt('old', 30, { headline: 'Yesterday ferry timetable', sectionId: local });
      for (const [i, hours] of [10, 9, 8, 7, 6].entries()) await publishAt(`L${i + 1}`, hours, { headline: `Local story ${i + 1}`, sectionId: local });
      await publishAt('W1', 5, { headline: 'World story one', sectionId: world, authorIds: [room.authors.ana, room.authors.ben] });
      await publishAt('W2', 4, { headline: 'World story two', sectionId: world });
      await publishAt('unpublished', 3, { headline: 'Withdrawn story', sectionId: world });
      await t.app.articles.unpublish(ids.unpublished!, { actor: 'test' });
      await publishAt('future', 2, { headline: 'Story dated in the future', sectionId: world });
      await t.app.db.kysely.updateTable('articles').set({ published_at: new Date(now + HOUR).toISOString() }).where('id', '=', ids.future!).execute();

      const media = await t.app.db.kysely
        .insertInto('media')
        .values({
          storage_key: 'photos/h.jpg',
          mime: 'image/jpeg',
          width: 2400,
          height: 1350,
          bytes: 1000,
          alt: 'Library alt',
          caption: '',
          credit: '',
          variants: JSON.stringify([
            { width: 600, height: 338, key: 'photos/h-600.jpg', format: 'jpeg' },
            { width: 1200, height: 675, key: 'photos/h-1200.webp', format: 'webp' },
            { width: 1200, height: 675, key: 'photos/h-1200.jpg', format: 'jpeg' },
            { width: 1600, height: 900, key: 'photos/h-1600.jpg', format: 'jpeg' },
          ]),
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await publishAt('H', 1, { headline: HOSTILE, dek: 'A <b>bold</b> dek', sectionId: null, imageId: media.id, imageAlt: 'Boats <at> "dawn"' });
      t.clock.set(new Date(now));

      const draft = await t.app.articles.create({ headline: 'Draft story', sectionId: local }, { actor: 'test' });
      ids.draft = draft.id;
      const scheduled = await t.app.articles.create({ headline: 'Scheduled story', sectionId: local }, { actor: 'test' });
      await t.app.articles.schedule(scheduled.id, new Date(now + 2 * HOUR), { actor: 'test' });
      ids.scheduled = scheduled.id;
      await t.app.articles.setTopStories([ids.W1!, ids.L1!]);
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    test('candidates: published stories of the last day, ranked first, at most three per section, newest first', async () => {
      const res = await api('GET', `/newsletters/${newsletterId}/candidates`);
      assert.equal(res.status, 200, res.text);
      const order = (list: { id: number }[]) => list.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0]);
      assert.deepEqual(order(res.json.items), ['W1', 'L1', 'H', 'W2', 'L5', 'L4']);
      assert.deepEqual(order(res.json.others), ['L3', 'L2'], 'held back by the section quota, newest first');
      for (const hidden of ['old', 'draft', 'scheduled', 'unpublished', 'future']) {
        assert.ok(![...res.json.items, ...res.json.others].some((i: { id: number }) => i.id === ids[hidden]), `${hidden} is not offered`);
      }
      assert.equal(res.json.subject, 'Top Stories: World story one and 5 more');

      const w1 = res.json.items[0];
      assert.equal(w1.url, `http://news.test${paths.W1}`);
      assert.deepEqual(w1.byline, ['Ana Reyes', 'Ben Okafor']);
      assert.equal(w1.section, 'World');
      assert.equal(w1.image, null);
      const h = res.json.items[2];
      assert.equal(h.section, null);
      assert.deepEqual(h.image, { url: 'http://news.test/media/photos/h-1200.jpg', width: 1200, height: 675, alt: 'Boats <at> "dawn"' }, 'a JPEG twice the column width, never WebP');

      const since = new Date(t.clock.now().getTime() - 31 * HOUR).toISOString();
      const wider = await api('GET', `/newsletters/${newsletterId}/candidates?since=${encodeURIComponent(since)}`);
      assert.equal(wider.status, 200, wider.text);
      assert.ok([...wider.json.items, ...wider.json.others].some((i: { id: number }) => i.id === ids.old), 'an earlier since reaches older stories');

      const bad = await api('GET', `/newsletters/${newsletterId}/candidates?since=yesterday`);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.fields[0].path, '/since');
      assert.equal((await api('GET', '/newsletters/999999/candidates')).status, 404);
    });

    test('rendering: escaped text, absolute images with width and alt, dark mode, placeholders, a text part with the links', async () => {
      const rendered = await t.app.newsletters.compose.render(newsletterId, { subject: 'Morning <edition>', intro: 'Line one & <i>two</i>\nstill one\n\nSecond paragraph', itemIds: [ids.H!, ids.W1!] });
      const { html, text } = rendered;
      assert.ok(!html.includes('<script'), 'no script element from the headline');
      assert.ok(html.includes('&lt;script&gt;'), 'the headline is shown as text');
      assert.ok(!html.includes('<b>bold</b>') && html.includes('&lt;b&gt;bold&lt;/b&gt;'));
      assert.ok(!html.includes('<i>two</i>'));
      assert.match(html, /<meta name="color-scheme" content="light dark">/);
      assert.match(html, /@media \(prefers-color-scheme: dark\)/);
      assert.match(html, /class="preheader"[^>]*>Line one &amp; &lt;i&gt;two&lt;\/i&gt; still one/);

      const images = [...html.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
      assert.equal(images.length, 2, 'the logo and the story image');
      for (const img of images) {
        assert.match(img, /src="https?:\/\//, `absolute: ${img}`);
        assert.match(img, /width="\d+"/, `width: ${img}`);
        assert.match(img, /alt="[^"]+"/, `alt: ${img}`);
      }
      assert.ok(images.some((i) => i.includes('src="http://news.test/media/logo.png"') && i.includes('alt="The Test Gazette"')));
      const story = images.find((i) => i.includes('h-1200.jpg'))!;
      assert.match(story, /width="552"/);
      assert.match(story, /alt="Boats &lt;at&gt; &quot;dawn&quot;"/);

      // The accent (#ffdd00) is unreadable on white: section labels use a darker blend of it.
      const sectionColor = /<td class="section" style="[^"]*color: ?(#[0-9a-f]{6})/.exec(html);
      assert.ok(sectionColor, 'section labels are coloured inline');
      assert.ok(contrast(sectionColor[1]!, '#ffffff') >= 4.5, `${sectionColor[1]} reads on white`);

      assert.ok(html.includes('Hello {{name}}'));
      assert.ok(html.includes('href="{{unsubscribe_url}}"') && html.includes('href="{{preferences_url}}"'));
      assert.ok(text.includes('Hello {{name}}\n'));
      assert.ok(text.includes('Unsubscribe: {{unsubscribe_url}}') && text.includes('Manage your newsletters: {{preferences_url}}'));
      assert.ok(text.includes(HOSTILE), 'the text part has the headline as written');
      assert.ok(text.includes(`Read the story: http://news.test${paths.W1}`));
      assert.ok(text.includes('By Ana Reyes and Ben Okafor'));
      assert.ok(text.indexOf(HOSTILE) < text.indexOf('World story one'), 'stories in the order given');
      assert.equal(rendered.subject, 'Morning <edition>');

      const unnamed = fillPlaceholders(rendered, { name: '', unsubscribeUrl: 'https://x.test/u?a=1&b=2', preferencesUrl: 'https://x.test/p' });
      assert.match(unnamed.text, /^Hello ?$/m, 'no name: a plain "Hello"');
      assert.ok(unnamed.html.includes('href="https://x.test/u?a=1&amp;b=2"') && unnamed.text.includes('Unsubscribe: https://x.test/u?a=1&b=2'));
      const named = fillPlaceholders(rendered, { name: '<Bo & "Co">', unsubscribeUrl: 'u', preferencesUrl: 'p' });
      assert.ok(named.html.includes('Hello &lt;Bo &amp; &quot;Co&quot;&gt;') && named.text.includes('Hello <Bo & "Co">'));
    });

    test('preview: the sample reader in the placeholders', async () => {
      const res = await api('POST', `/newsletters/${newsletterId}/preview`, { subject: 'Today', itemIds: [ids.W1!] });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.subject, 'Today');
      assert.ok(!res.json.html.includes('{{') && !res.json.text.includes('{{'), 'every placeholder filled');
      assert.ok(res.json.html.includes('Hello Alex'));
      assert.ok(res.json.html.includes('Good morning.'), "the newsletter's own intro when none is given");
      assert.ok(res.json.text.includes('Unsubscribe: http://news.test/newsletters/unsubscribe/sample'));
      const sample = await fetch(`${t.url}/newsletters/unsubscribe/sample`);
      assert.equal(sample.status, 400, 'the sample link unsubscribes nobody');
    });

    test('a test email arrives with HTML and text parts, "[Test]" before the subject', async () => {
      const res = await api('POST', `/newsletters/${newsletterId}/test-email`, { subject: 'Top Stories: World story one', intro: 'Hi', itemIds: [ids.W1!, ids.H!], to: 'Desk@News.TEST' });
      assert.equal(res.status, 200, res.text);
      const mails = inbox.to('desk@news.test');
      assert.equal(mails.length, 1);
      const mail = mails[0]!;
      assert.equal(mail.subject, '[Test] Top Stories: World story one');
      assert.ok(typeof mail.html === 'string' && mail.html.includes('World story one') && mail.html.includes('Hello Alex'));
      assert.ok(mail.html.includes('href="http://news.test/newsletters/unsubscribe/sample"'));
      assert.ok(mail.text?.includes('Manage your newsletters: http://news.test/newsletters/preferences/sample'));
      assert.ok(mail.text?.includes(HOSTILE));

      const two = await api('POST', `/newsletters/${newsletterId}/test-email`, { subject: 'x', itemIds: [], to: 'a@news.test, b@news.test' });
      assert.equal(two.status, 400, 'one address per test email');
      assert.equal(two.json.error.fields[0].path, '/to');

      let limited: CallResult | undefined;
      for (let i = 0; i < 12 && !limited; i++) {
        const r = await api('POST', `/newsletters/${newsletterId}/test-email`, { subject: 'Again', itemIds: [], to: 'limit@news.test' });
        if (r.status === 429) limited = r;
        else assert.equal(r.status, 200, r.text);
      }
      assert.ok(limited, 'test emails are limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(inbox.to('limit@news.test').length, 9, 'ten an hour per staff member: one went to the desk');
    });

    test('bad input: unknown or unpublished stories named, unknown fields, a missing subject', async () => {
      const res = await api('POST', `/newsletters/${newsletterId}/preview`, { subject: 'x', itemIds: [ids.W1!, 999_999, ids.draft!, ids.future!] });
      assert.equal(res.status, 400, res.text);
      assert.match(res.json.error.message, new RegExp(`999999, ${ids.draft}, ${ids.future}`));
      assert.deepEqual(res.json.error.fields.map((f: { path: string }) => f.path), ['/itemIds/1', '/itemIds/2', '/itemIds/3']);
      const extra = await api('POST', `/newsletters/${newsletterId}/preview`, { subject: 'x', itemIds: [], sendToAll: true });
      assert.equal(extra.status, 400);
      assert.ok(extra.json.error.fields.some((f: { path: string }) => f.path === '/sendToAll'));
      assert.equal((await api('POST', `/newsletters/${newsletterId}/preview`, { itemIds: [] })).status, 400);
      assert.equal((await api('POST', `/newsletters/${newsletterId}/preview`, { subject: 'a\r\nBcc: x@y.z', itemIds: [] })).status, 400);
      assert.equal((await api('POST', `/newsletters/${newsletterId}/test-email`, { subject: 'x', itemIds: [12345678], to: 'ok@news.test' })).status, 400);
      assert.equal(inbox.to('ok@news.test').length, 0);
    });

    test('permission: contributors and authors are refused', async () => {
      for (const role of ['contributor', 'author'] as const) {
        const staff = await createStaff(t, role);
        const who = await signIn(t, staff.email, staff.password);
        assert.equal((await api('GET', `/newsletters/${newsletterId}/candidates`, undefined, who)).status, 403);
        assert.equal((await api('POST', `/newsletters/${newsletterId}/preview`, { subject: 'x', itemIds: [] }, who)).status, 403);
        assert.equal((await api('POST', `/newsletters/${newsletterId}/test-email`, { subject: 'x', itemIds: [], to: 'c@news.test' }, who)).status, 403);
      }
      assert.equal(inbox.to('c@news.test').length, 0);
      assert.equal((await call(t, 'GET', `/api/admin/newsletters/${newsletterId}/candidates`)).status, 401);
    });
  });
}
