/**
 * Reader prompts on SQLite and PostgreSQL over a real listening server: the
 * Admin API (validation, permission), what article, home and section pages
 * carry (targeting, sponsored exclusion, the no-JavaScript default, the
 * page cache), insert positions beside related links, the events beacon
 * (aggregate counts, bad input, other sites, the rate limit), conversions
 * from a prompt's newsletter form, and the per-variant stats.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { getPage, mainOf, nextIp, postForm } from '../newsletter/support.js';
import { planInserts } from '../../src/site/body-inserts.js';
import { withDateline } from '../../src/site/views/article.js';

const donation = (fields: Record<string, unknown> = {}) => ({
  name: 'Winter appeal',
  kind: 'donation',
  placement: 'inline',
  afterParagraph: 2,
  variants: [
    { key: 'a', weight: 50, heading: 'Keep local news free', body: '<p>Readers like you fund our <strong>reporting</strong>.</p><script>alert(1)</script>', buttonText: 'Give now' },
    { key: 'b', weight: 50, heading: 'Chip in for the newsroom', body: '<p>Every gift counts.</p>', buttonText: 'Donate' },
  ],
  ...fields,
});

/**
 * The prompts in a page: campaign, variant (none for an empty slot the script fills), and
 * whether shown without JavaScript.
 */
function promptsIn(page: string): { id: number; variant?: string; hidden: boolean; tag: string }[] {
  return [...page.matchAll(/<(aside|dialog|div) class="prompt[^"]*" data-prompt="(\d+)"(?: data-variant="([a-z0-9-]+)")?[^>]*?( hidden)?>/g)].map((m) => ({
    tag: m[1]!,
    id: Number(m[2]),
    ...(m[3] ? { variant: m[3] } : {}),
    hidden: Boolean(m[4]),
  }));
}

const beacon = (t: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  call(t, 'POST', '/prompts/events', { body, headers: { 'sec-fetch-site': 'same-origin', origin: 'http://news.test', 'x-forwarded-for': nextIp(), ...headers } });

for (const dialect of DIALECTS) {
  describe(`reader prompts on ${dialect}`, () => {
    let t: TestApp;
    let editor: Signed;
    let author: Signed;
    let room: Newsroom;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { env: { TRUST_PROXY: 'true' } });
      const e = await createStaff(t, 'editor');
      editor = await signIn(t, e.email, e.password);
      const a = await createStaff(t, 'author');
      author = await signIn(t, a.email, a.password);
      room = await makeNewsroom(t.app);
    });
    after(async () => {
      await t?.close();
    });

    const api = (method: string, path: string, body?: unknown, who: Signed = editor) => call(t, method, `/api/admin${path}`, { body, cookie: who.cookie, csrf: who.csrf });

    test('create, change, list and delete; bad input is a 400 naming the field, nothing saved', async () => {
      const created = await api('POST', '/prompts', donation({ name: 'Spring appeal' }));
      assert.equal(created.status, 201, created.text);
      const c = created.json as { id: number; slug: string; variants: { body: string }[]; caps: { dismissDays: number }; targeting: { allowSponsored: boolean } };
      assert.equal(c.slug, 'spring-appeal');
      assert.ok(!c.variants[0]!.body.includes('<script'), 'the body is sanitized');
      assert.ok(c.variants[0]!.body.includes('<strong>reporting</strong>'));
      assert.equal(c.caps.dismissDays, 7);
      assert.equal(c.targeting.allowSponsored, false);

      const changed = await api('PATCH', `/prompts/${c.id}`, { priority: 5, caps: { perDay: 2 }, targeting: { sections: ['local'] } });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json.priority, 5);
      assert.deepEqual(changed.json.caps, { perDay: 2, perWeek: null, total: null, dismissDays: 7 });
      assert.deepEqual(changed.json.targeting.sections, ['local']);

      const bad: [unknown, string][] = [
        [donation({ kind: 'lottery' }), '/kind'],
        [donation({ variants: [] }), '/variants'],
        [donation({ afterParagraph: 0 }), '/afterParagraph'],
        [donation({ caps: { perDay: -1 } }), '/caps/perDay'],
        [donation({ unknown: 1 }), '/unknown'],
        [donation({ kind: 'custom' }), '/variants/0/buttonUrl'],
        [donation({ variants: [{ key: 'a', weight: 0, heading: 'x', body: '', buttonText: 'Give' }] }), '/variants'],
        [donation({ startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }), '/endsAt'],
        [donation({ variants: [{ key: 'a', weight: 1, heading: 'x', body: '', buttonText: 'Go', buttonUrl: 'javascript:alert(1)' }], kind: 'custom' }), '/variants/0/buttonUrl'],
        [donation({ targeting: { readsMin: 5, readsMax: 2 } }), '/targeting/readsMax'],
      ];
      for (const [body, path] of bad) {
        const refused = await api('POST', '/prompts', body);
        assert.equal(refused.status, 400, `${JSON.stringify(body)}: ${refused.text}`);
        assert.ok(JSON.stringify(refused.json).includes(path), `names ${path}: ${refused.text}`);
      }
      assert.equal((await api('PATCH', `/prompts/${c.id}`, { status: 'gone' })).status, 400);
      assert.equal((await api('POST', '/prompts', donation({ name: 'Spring appeal' }))).status, 409, 'the same address name twice');
      assert.equal((await api('GET', '/prompts')).json.items.length, 1, 'nothing half-written');
      assert.equal((await api('GET', '/prompts', undefined, author)).status, 403, 'authors may not manage prompts');

      // Explicit nulls (as the admin's editor sends them) stay null: no limit, not a limit of 0.
      const nulls = await api('PATCH', `/prompts/${c.id}`, {
        startsAt: null,
        endsAt: null,
        caps: { perDay: null, perWeek: null, total: null, dismissDays: 7 },
        targeting: { sections: [], tags: [], labels: [], allowSponsored: false, donor: 'any', subscriber: 'any', readsMin: null, readsMax: null },
      });
      assert.equal(nulls.status, 200, nulls.text);
      assert.deepEqual(nulls.json.caps, { perDay: null, perWeek: null, total: null, dismissDays: 7 });
      assert.equal(nulls.json.targeting.readsMin, null);
      assert.equal(nulls.json.startsAt, null);

      assert.equal((await api('DELETE', `/prompts/${c.id}`)).status, 204);
      assert.equal((await api('GET', `/prompts/${c.id}`)).status, 404);
    });

    test('prompts.manage: editors, admins and the owner manage prompts; authors and contributors get 403 on every route', async () => {
      const created = await api('POST', '/prompts', donation({ name: 'Permission check' }));
      assert.equal(created.status, 201, created.text);
      const id = (created.json as { id: number }).id;
      try {
        const routes: [string, string, unknown?][] = [
          ['GET', '/prompts'],
          ['POST', '/prompts', donation({ name: 'Not allowed' })],
          ['GET', `/prompts/${id}`],
          ['PATCH', `/prompts/${id}`, { priority: 3 }],
          ['GET', `/prompts/${id}/stats`],
          ['POST', '/prompts/preview', donation()],
          ['DELETE', `/prompts/${id}`],
        ];
        const c = await createStaff(t, 'contributor');
        const contributor = await signIn(t, c.email, c.password);
        for (const who of [author, contributor]) {
          for (const [method, path, body] of routes) assert.equal((await api(method, path, body, who)).status, 403, `${method} ${path}`);
          const session = await call(t, 'GET', '/api/admin/session', { cookie: who.cookie });
          assert.equal(session.status, 200, session.text);
          assert.equal(session.json.permissions['prompts.manage'], 'none', 'the admin hides the Prompts screen from them');
        }
        assert.equal((await api('GET', `/prompts/${id}`)).json.priority, 0, 'nothing changed by the refused requests');
        const a = await createStaff(t, 'admin');
        const admin = await signIn(t, a.email, a.password);
        for (const who of [editor, admin]) assert.equal((await api('GET', `/prompts/${id}`, undefined, who)).status, 200);
        assert.equal((await api('PATCH', `/prompts/${id}`, { priority: 4 }, admin)).status, 200);
      } finally {
        await api('DELETE', `/prompts/${id}`);
      }
    });

    test('article pages carry matching prompts; the highest-priority inline one shows without JavaScript; never on sponsored stories', async () => {
      const appeal = (await api('POST', '/prompts', donation({ priority: 10 }))).json as { id: number; slug: string };
      const banner = (await api('POST', '/prompts', { name: 'App banner', kind: 'custom', placement: 'banner', variants: [{ key: 'a', weight: 1, heading: 'Read us on the go', body: '', buttonText: 'Get the app', buttonUrl: '/apps' }] })).json as { id: number };
      const world = (await api('POST', '/prompts', donation({ name: 'World only', priority: 50, targeting: { sections: ['world'] } }))).json as { id: number };
      const donorsOnly = (await api('POST', '/prompts', donation({ name: 'Thank donors', priority: 99, kind: 'custom', placement: 'end', targeting: { donor: 'donor' }, variants: [{ key: 'a', weight: 1, heading: 'Thank you', body: '', buttonText: 'Your gifts', buttonUrl: '/donor' }] }))).json as { id: number };
      try {
        const story = await publishedArticle(t.app, room);
        const page = await getPage(t, story.path);
        assert.equal(page.status, 200);
        const found = promptsIn(page.text);
        const shown = found.filter((p) => !p.hidden);
        assert.deepEqual(shown, [{ tag: 'aside', id: appeal.id, variant: 'a', hidden: false }], 'only the default shows without JavaScript (not the donors-only one)');
        assert.ok(found.some((p) => p.id === banner.id && p.hidden), 'the banner is there for the script to show');
        assert.ok(found.some((p) => p.id === donorsOnly.id && p.hidden));
        assert.deepEqual(found.filter((p) => p.id === appeal.id).map((p) => p.variant), ['a'], 'only the default variant is in the page in full');
        assert.ok(!page.text.includes('Chip in for the newsroom'), 'the other variant’s copy is fetched when chosen, not carried by every page');
        assert.ok(!found.some((p) => p.id === world.id), 'targeted at another section: not in the page');
        assert.ok(page.text.includes(`/donate?campaign=${appeal.slug}&amp;variant=a&amp;article=${story.id}`), 'the donation link carries the campaign, variant and article');
        assert.ok(!page.text.includes('<script>alert'), 'escaped and sanitized');
        assert.match(page.text, /<script type="module" src="\/assets\/prompts\.js\?v=[0-9a-f]{10}"><\/script>/);
        assert.match(page.text, /<script type="application\/json" id="bs-prompts">/);
        // Inline after paragraph 2: the appeal stands between the second and third paragraphs.
        assert.match(mainOf(page.text), /Paragraph 2 of the story[^<]*<\/p>\s*<aside class="prompt prompt-donation prompt-inline" data-prompt="\d+" data-variant="a"/);

        const sponsored = await publishedArticle(t.app, room, { headline: 'A word from our sponsor', label: 'sponsored' });
        assert.deepEqual(promptsIn((await getPage(t, sponsored.path)).text), [], 'sponsored stories carry no prompts');
        await api('PATCH', `/prompts/${appeal.id}`, { targeting: { allowSponsored: true } });
        assert.deepEqual(promptsIn((await getPage(t, sponsored.path)).text).map((p) => p.id), [appeal.id], 'unless the campaign allows it');

        // A cached page changes when a campaign changes.
        await api('PATCH', `/prompts/${appeal.id}`, { status: 'paused' });
        const after = promptsIn((await getPage(t, story.path)).text);
        assert.ok(!after.some((p) => p.id === appeal.id), 'a paused campaign leaves the cached page');
      } finally {
        for (const id of [appeal.id, banner.id, world.id, donorsOnly.id]) await api('DELETE', `/prompts/${id}`);
      }
    });

    test('the copy of a chosen variant comes from one cacheable JSON answer, purged when the campaign changes', async () => {
      const appeal = (await api('POST', '/prompts', donation({ name: 'Copy appeal', priority: 10 }))).json as { id: number; slug: string };
      const app = (await api('POST', '/prompts', { name: 'Copy banner', kind: 'custom', placement: 'banner', variants: [{ key: 'a', weight: 1, heading: 'Read us on the go', body: '', buttonText: 'Get the app', buttonUrl: '/apps' }] })).json as { id: number };
      try {
        const story = await publishedArticle(t.app, room, { headline: 'Copy fetched' });
        const page = await getPage(t, story.path);
        const data = JSON.parse(/<script type="application\/json" id="bs-prompts">([^<]*)<\/script>/.exec(page.text)![1]!) as { v: string; candidates: { id: number }[] };
        assert.match(data.v, /^[\w-]{8}$/, 'the page names the version of its candidates’ copy');
        assert.deepEqual(data.candidates.map((c) => c.id).sort(), [appeal.id, app.id].sort());

        const address = `/prompts/copy/${appeal.id}.b,${app.id}.a?v=${data.v}`;
        const first = await getPage(t, address);
        assert.equal(first.status, 200, first.text);
        assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
        assert.match(first.headers.get('cache-control') ?? '', /^public/, 'the same for every reader: cacheable');
        const copy = JSON.parse(first.text) as Record<string, string>;
        assert.deepEqual(Object.keys(copy), [`${appeal.id}.b`, `${app.id}.a`]);
        assert.match(copy[`${appeal.id}.b`]!, new RegExp(`^<aside class="prompt prompt-donation prompt-inline" data-prompt="${appeal.id}" data-variant="b"`));
        assert.ok(copy[`${appeal.id}.b`]!.includes('Chip in for the newsroom'));
        assert.ok(copy[`${appeal.id}.b`]!.includes(`/donate?campaign=${appeal.slug}&amp;variant=b`), 'the script adds this page’s article to the link');
        assert.ok(!copy[`${appeal.id}.b`]!.includes('<script'), 'sanitized as in the page');
        assert.equal((await getPage(t, address)).headers.get('x-cache'), 'HIT', 'from the page cache');

        await api('PATCH', `/prompts/${appeal.id}`, { variants: [{ key: 'a', weight: 1, heading: 'A', body: '', buttonText: 'Give' }, { key: 'b', weight: 1, heading: 'Now in new words', body: '', buttonText: 'Give' }] });
        const changed = await getPage(t, address);
        assert.equal(changed.headers.get('x-cache'), 'MISS', 'a campaign change purges the copy');
        assert.ok(changed.text.includes('Now in new words'));
        const again = JSON.parse(/<script type="application\/json" id="bs-prompts">([^<]*)<\/script>/.exec((await getPage(t, story.path)).text)![1]!) as { v: string };
        assert.notEqual(again.v, data.v, 'the page names the new version, so browsers fetch the new copy');

        assert.equal((await getPage(t, `/prompts/copy/${appeal.id}.zz`)).status, 404, 'no such variant');
        assert.equal((await getPage(t, `/prompts/copy/999999.a`)).status, 404, 'no such campaign');
        await api('PATCH', `/prompts/${app.id}`, { status: 'paused' });
        assert.equal((await getPage(t, `/prompts/copy/${app.id}.a`)).status, 404, 'a paused campaign is not shown from an old page');
        for (const bad of [`/prompts/copy/${app.id}.a,${appeal.id}.a`, `/prompts/copy/${appeal.id}.a,${appeal.id}.b`, '/prompts/copy/x.a', '/prompts/copy/1.A', `/prompts/copy/${Array.from({ length: 9 }, (_, i) => `${i + 1}.a`).join(',')}`]) {
          const refused = await getPage(t, bad);
          assert.equal(refused.status, 400, `${bad}: ${refused.text.slice(0, 200)}`);
        }
      } finally {
        await api('DELETE', `/prompts/${appeal.id}`);
        await api('DELETE', `/prompts/${app.id}`);
      }
    });

    test('a campaign that has not started is not in the page, and the page expires when it starts', async () => {
      // The page cache keeps time by the real clock: the app's clock is put an hour back, so the
      // start lies ahead for the app and the cached page's expiry has already passed for the cache.
      const realNow = Date.now();
      t.clock.set(new Date(realNow - 3_600_000));
      const later = (await api('POST', '/prompts', donation({ name: 'Later', startsAt: new Date(realNow - 1000).toISOString() }))).json as { id: number };
      try {
        const story = await publishedArticle(t.app, room, { headline: 'Before the campaign' });
        assert.deepEqual(promptsIn((await getPage(t, story.path)).text), [], 'not started yet');
        t.clock.set(new Date(realNow));
        assert.ok(promptsIn((await getPage(t, story.path)).text).some((p) => p.id === later.id), 'rendered again once it runs (the page expired at the start)');
      } finally {
        t.clock.set(new Date());
        await api('DELETE', `/prompts/${later.id}`);
      }
    });

    test('home and section pages carry section/home prompts', async () => {
      const list = (await api('POST', '/prompts', { ...donation({ name: 'Front page appeal', placement: 'list' }), afterParagraph: undefined })).json as { id: number };
      const localOnly = (await api('POST', '/prompts', { ...donation({ name: 'Local page', placement: 'list', kind: 'custom', targeting: { sections: ['local'] } }), variants: [{ key: 'a', weight: 1, heading: 'Tips?', body: '', buttonText: 'Tell us', buttonUrl: '/tips' }] })).json as { id: number };
      try {
        await publishedArticle(t.app, room, { headline: 'For the lists' });
        const home = await getPage(t, '/');
        assert.deepEqual(promptsIn(mainOf(home.text)).filter((p) => !p.hidden).map((p) => p.id), [list.id]);
        assert.ok(!promptsIn(home.text).some((p) => p.id === localOnly.id));
        const local = await getPage(t, '/local');
        assert.ok(promptsIn(mainOf(local.text)).some((p) => p.id === localOnly.id));
        assert.ok(!promptsIn((await getPage(t, '/world')).text).some((p) => p.id === localOnly.id));
      } finally {
        await api('DELETE', `/prompts/${list.id}`);
        await api('DELETE', `/prompts/${localOnly.id}`);
      }
    });

    test('inline prompts and related-story links never share or touch a gap', async () => {
      const a = (await api('POST', '/prompts', donation({ afterParagraph: 2 }))).json as { id: number };
      const n = (await api('POST', '/prompts', donation({ name: 'Second kind', kind: 'custom', afterParagraph: 2, variants: [{ key: 'a', weight: 1, heading: 'More', body: '', buttonText: 'Go', buttonUrl: '/x' }] }))).json as { id: number };
      try {
        const story = await publishedArticle(t.app, room, { headline: 'Gaps' });
        const found = await t.app.site.article(story.slug);
        assert.equal(found.kind, 'found');
        const view = (found as { article: Parameters<typeof t.app.prompts.pages.inserts>[0] }).article;
        const inserts = await t.app.prompts.pages.inserts(view);
        const related = { kind: 'related', afterParagraph: 2, html: '<aside class="related">…</aside>', priority: -1 };
        const blocks = withDateline(view.blocks, view.dateline);
        const plan = planInserts(blocks, [related, ...inserts]);
        const positions = plan.placed.map((p) => p.afterBlock).sort((x, y) => x - y);
        assert.equal(new Set(positions).size, positions.length, 'one insert per gap');
        for (let i = 1; i < positions.length; i++) assert.ok(positions[i]! - positions[i - 1]! >= 1 && blocks.slice(positions[i - 1]! + 1, positions[i]! + 1).some((b) => b.type === 'paragraph'), 'a paragraph between any two inserts');
        assert.ok(plan.placed.some((p) => p.kind === 'related'));
        assert.ok(plan.placed.some((p) => p.kind === 'prompt:donation'));
      } finally {
        await api('DELETE', `/prompts/${a.id}`);
        await api('DELETE', `/prompts/${n.id}`);
      }
    });

    test('the beacon counts events per variant and day in aggregate; bad input is a 400, other sites a 403', async () => {
      const c = (await api('POST', '/prompts', donation({ name: 'Counted' }))).json as { id: number; slug: string };
      try {
        const events = [
          ...Array.from({ length: 4 }, () => ({ campaign: c.id, variant: 'a', type: 'impression' })),
          { campaign: c.id, variant: 'b', type: 'impression' },
          { campaign: c.id, variant: 'a', type: 'click' },
          { campaign: c.id, variant: 'b', type: 'dismiss' },
          { campaign: 999_999, variant: 'a', type: 'impression' },
          { campaign: c.id, variant: 'zzz', type: 'impression' },
        ];
        const sent = await beacon(t, { events });
        assert.equal(sent.status, 204, sent.text);
        await beacon(t, { events: [{ campaign: c.id, variant: 'a', type: 'impression' }] });

        for (const body of [
          { events: [] },
          { events: [{ campaign: c.id, variant: 'a', type: 'purchase' }] },
          { events: [{ campaign: 'x', variant: 'a', type: 'click' }] },
          { events: [{ campaign: c.id, variant: 'a', type: 'click', email: 'reader@example.org' }] },
          { events: Array.from({ length: 51 }, () => ({ campaign: c.id, variant: 'a', type: 'impression' })) },
          [1, 2],
        ]) {
          const refused = await beacon(t, body);
          assert.equal(refused.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${refused.text}`);
        }
        assert.equal((await call(t, 'POST', '/prompts/events', { raw: '{not json', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' } })).status, 400);
        const forged = await beacon(t, { events: [{ campaign: c.id, variant: 'a', type: 'conversion' }] }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
        assert.equal(forged.status, 403);

        // A prompt's newsletter form: the sign-up counts as the variant's conversion.
        await api('POST', '/newsletters', { name: 'Morning Briefing' });
        const signup = await postForm(t, '/newsletters', [['email', 'reader@example.org'], ['newsletters', 'morning-briefing'], ['source', 'article:/local/x'], ['prompt', String(c.id)], ['prompt_variant', 'b']], { ip: nextIp() });
        assert.equal(signup.status, 200, signup.text.slice(0, 300));
        const bot = await postForm(t, '/newsletters', [['email', 'bot@example.org'], ['newsletters', 'morning-briefing'], ['website', 'spam'], ['prompt', String(c.id)], ['prompt_variant', 'b']], { ip: nextIp() });
        assert.equal(bot.status, 200);
        // The donate flow's conversion by slug.
        assert.equal(await t.app.prompts.stats.recordConversion(c.slug, 'a'), true);
        assert.equal(await t.app.prompts.stats.recordConversion('no-such-campaign', 'a'), false);

        const stats = await api('GET', `/prompts/${c.id}/stats`);
        assert.equal(stats.status, 200, stats.text);
        const byVariant = Object.fromEntries((stats.json.variants as { variant: string }[]).map((v) => [v.variant, v]));
        assert.deepEqual(byVariant.a, { variant: 'a', impressions: 5, clicks: 1, dismissals: 0, conversions: 1, conversionRate: 0.2, clickRate: 0.2 });
        assert.deepEqual(byVariant.b, { variant: 'b', impressions: 1, clicks: 0, dismissals: 1, conversions: 1, conversionRate: 1, clickRate: 0 });
        assert.equal(stats.json.days.length, 2, 'one row per variant for today');
        assert.equal((await api('GET', `/prompts/${c.id}/stats?from=2026-13-01`)).status, 400);
        assert.equal((await api('GET', `/prompts/${c.id}/stats?from=2026-12-02&to=2026-12-01`)).status, 400);
      } finally {
        await api('DELETE', `/prompts/${c.id}`);
      }
    });

    test('the beacon is rate-limited per network', async () => {
      const c = (await api('POST', '/prompts', donation({ name: 'Limited' }))).json as { id: number };
      try {
        const ip = nextIp();
        const body = { events: [{ campaign: c.id, variant: 'a', type: 'impression' }] };
        let status = 0;
        for (let i = 0; i < 121 && status !== 429; i++) status = (await beacon(t, body, { 'x-forwarded-for': ip })).status;
        assert.equal(status, 429);
        assert.equal((await beacon(t, body)).status, 204, 'another network is not affected');
      } finally {
        await api('DELETE', `/prompts/${c.id}`);
      }
    });
  });
}
