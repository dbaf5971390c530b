/**
 * The reader site over real HTTP, on SQLite and PostgreSQL: pages, redirects,
 * status codes, metadata, bad input, and the page cache's precise invalidation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';

async function get(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(t.url + path, { redirect: 'manual', headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function jsonLd(body: string): Record<string, unknown>[] {
  return [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

function meta(body: string, property: string): string[] {
  const re = new RegExp(`<meta (?:property|name)="${property.replace(/[:]/g, '\\:')}" content="([^"]*)">`, 'g');
  return [...body.matchAll(re)].map((m) => m[1]!);
}

for (const dialect of DIALECTS) {
  describe(`reader site on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let story: { id: number; slug: string; path: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      await t.app.settings.update(
        {
          name: 'The Test Gazette',
          timeZone: 'America/New_York',
          social: { facebook: 'https://www.facebook.com/testgazette', x: 'https://x.com/testgazette' },
          policies: { corrections: '/corrections-policy', ethics: '/ethics', ownership: '/ownership', about: '' },
        },
        new Date().toISOString(),
      );
      story = await publishedArticle(t.app, room, {
        headline: 'Council approves <harbour> budget',
        authorIds: [room.authors.ana, room.authors.ben],
        tagIds: [room.tags.harbour, room.tags.housing],
        dateline: 'PORT ALDER',
      });
      t.clock.advance(60_000);
      await t.app.articles.addCorrection(story.id, 'correction', 'An earlier version misstated the vote count.', { actor: 'Editor' });
    });
    after(() => t?.close());

    test('the article page shows the story, its people, times, corrections and share links', async () => {
      const res = await get(t, story.path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.body, /<h1 id="headline">Council approves &lt;harbour&gt; budget<\/h1>/, 'headline escaped, not executed');
      assert.match(res.body, /By <a href="\/author\/ana-reyes" rel="author">Ana Reyes<\/a> and <a href="\/author\/ben-okafor" rel="author">Ben Okafor<\/a>/);
      assert.match(res.body, /<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">[^<]*(EST|EDT)<\/time>/, 'times are shown in the site time zone');
      assert.match(res.body, /<span class="dateline">PORT ALDER<\/span> — Paragraph 1/);
      assert.match(res.body, /Corrections and updates/);
      assert.match(res.body, /An earlier version misstated the vote count\./);
      assert.match(res.body, /href="\/tag\/harbour" rel="tag">Harbour/);
      assert.match(res.body, /facebook\.com\/sharer\/sharer\.php\?u=http%3A%2F%2Fnews\.test%2Flocal%2F/);
      assert.match(res.body, /https:\/\/x\.com\/intent\/post/);
      assert.match(res.body, /href="mailto:\?subject=/);
      assert.match(res.body, /href="https:\/\/www\.facebook\.com\/testgazette" rel="me noopener"/, 'follow-us links from settings');
      assert.match(res.body, /<a class="skip-link" href="#main">/);
    });

    test('the article page carries search and social metadata', async () => {
      const res = await get(t, story.path);
      assert.deepEqual(meta(res.body, 'og:type'), ['article']);
      assert.deepEqual(meta(res.body, 'og:url'), [`http://news.test${story.path}`]);
      assert.match(res.body, new RegExp(`<link rel="canonical" href="http://news.test${story.path}">`));
      assert.equal(meta(res.body, 'article:published_time').length, 1);
      assert.equal(meta(res.body, 'article:modified_time').length, 1);
      assert.ok(meta(res.body, 'article:modified_time')[0]! > meta(res.body, 'article:published_time')[0]!, 'the correction advanced the modified time');
      assert.deepEqual(meta(res.body, 'article:section'), ['Local']);
      assert.deepEqual(meta(res.body, 'article:tag'), ['Harbour', 'Housing']);
      assert.deepEqual(meta(res.body, 'twitter:site'), ['@testgazette']);
      assert.match(meta(res.body, 'robots')[0]!, /max-image-preview:large/);
      const [article, crumbs] = jsonLd(res.body);
      assert.equal(article!['@type'], 'NewsArticle');
      assert.equal(article!.headline, 'Council approves <harbour> budget');
      assert.equal(article!.articleSection, 'Local');
      assert.equal(typeof article!.datePublished, 'string');
      assert.ok((article!.dateModified as string) > (article!.datePublished as string));
      assert.deepEqual(
        (article!.author as { name: string; url: string }[]).map((a) => [a.name, a.url]),
        [
          ['Ana Reyes', 'http://news.test/author/ana-reyes'],
          ['Ben Okafor', 'http://news.test/author/ben-okafor'],
        ],
      );
      const publisher = article!.publisher as Record<string, unknown>;
      assert.equal(publisher['@type'], 'NewsMediaOrganization');
      assert.equal(publisher.name, 'The Test Gazette');
      assert.equal(publisher.correctionsPolicy, 'http://news.test/corrections-policy');
      assert.equal(publisher.ethicsPolicy, 'http://news.test/ethics');
      assert.equal(publisher.ownershipFundingInfo, 'http://news.test/ownership');
      assert.ok((publisher.logo as { url: string }).url.startsWith('http://news.test/'));
      assert.equal((article!.correction as { text: string }[])[0]!.text, 'An earlier version misstated the vote count.');
      assert.equal(crumbs!['@type'], 'BreadcrumbList');
      assert.deepEqual(
        (crumbs!.itemListElement as { name: string }[]).map((i) => i.name),
        ['The Test Gazette', 'Local', 'Council approves <harbour> budget'],
      );
    });

    test('JSON-LD cannot be broken out of by a headline', async () => {
      const evil = await publishedArticle(t.app, room, { headline: 'Ends </script><script>alert(1)</script> here' });
      const res = await get(t, evil.path);
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
      assert.equal(jsonLd(res.body)[0]!.headline, 'Ends </script><script>alert(1)</script> here');
    });

    test('home shows top stories, section blocks, latest, and the breaking banner while it is live', async () => {
      const ranked = await publishedArticle(t.app, room, { headline: 'Ranked first by the editors', topRank: 1, sectionId: room.sections.world });
      let res = await get(t, '/');
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.body, /aria-label="Breaking news"/);
      const top = res.body.slice(res.body.indexOf('id="top-heading"'));
      assert.ok(top.indexOf('Ranked first by the editors') < top.indexOf('Council approves'), 'editor rank beats recency');
      assert.match(res.body, /id="latest-heading"/);

      const breaking = await publishedArticle(t.app, room, {
        headline: 'Storm closes the bridge',
        breaking: true,
        breakingUntil: new Date(Date.now() + 3_600_000).toISOString(),
      });
      res = await get(t, '/');
      assert.match(res.body, /<aside class="breaking" aria-label="Breaking news">.*Storm closes the bridge/s);
      res = await get(t, story.path);
      assert.match(res.body, /aria-label="Breaking news"/, 'the banner shows on every page while live');
      res = await get(t, breaking.path);
      assert.match(res.body, /<p class="breaking-flag"><strong>Breaking news<\/strong><\/p>/, 'the story itself is flagged');
      assert.doesNotMatch(res.body, /aria-label="Breaking news"/, 'and carries no banner linking to itself');

      await t.app.articles.update(breaking.id, { breakingUntil: new Date(Date.now() - 1000).toISOString() }, { actor: 'test' });
      res = await get(t, '/');
      assert.doesNotMatch(res.body, /aria-label="Breaking news"/, 'an expired breaking story loses its banner');
      assert.doesNotMatch((await get(t, breaking.path)).body, /breaking-flag/, 'and its flag');
      void ranked;
    });

    test('section, tag, author and archive pages list published stories and paginate', async () => {
      for (const path of ['/local', '/tag/harbour', '/author/ana-reyes', '/archive']) {
        const res = await get(t, path);
        assert.equal(res.status, 200, path);
        assert.match(res.body, /Council approves &lt;harbour&gt; budget|\/archive\/\d{4}\/\d\d/, path);
      }
      const author = await get(t, '/author/ana-reyes');
      const profile = jsonLd(author.body).find((ld) => ld['@type'] === 'ProfilePage')!;
      assert.equal((profile.mainEntity as { '@type': string; name: string }).name, 'Ana Reyes');
      assert.equal((profile.mainEntity as Record<string, string>)['@type'], 'Person');
      const month = new Date().toISOString().slice(0, 7).replace('-', '/');
      const archive = await get(t, `/archive/${month}`);
      assert.equal(archive.status, 200);
      assert.match(archive.body, /Council approves/);

      for (let i = 0; i < 21; i++) await publishedArticle(t.app, room, { headline: `Filler story ${i}`, sectionId: room.sections.world });
      const page1 = await get(t, '/world');
      assert.match(page1.body, /<a rel="next" href="\/world\?page=2">/);
      const page2 = await get(t, '/world?page=2');
      assert.equal(page2.status, 200);
      assert.match(page2.body, /Page 2 of 2/);
      assert.match(page2.body, /<link rel="prev" href="http:\/\/news.test\/world">/);
      assert.equal((await get(t, '/world?page=3')).status, 404, 'past the last page');
      const home = await get(t, '/');
      assert.match(home.body, /<h2 id="sec-world" class="section-heading"><a href="\/world">World<\/a><\/h2>/, 'home has a block per section');
      const worldBlock = home.body.slice(home.body.indexOf('id="sec-world"'), home.body.indexOf('</section>', home.body.indexOf('id="sec-world"')));
      assert.match(worldBlock, /Filler story 16/, 'the section block shows the newest stories not already in the top stories');
      assert.doesNotMatch(worldBlock, /Filler story 20/, 'a story shows once on the home page');
    });

    test('drafts are not found, unpublished stories are gone, old slugs and wrong sections redirect', async () => {
      const draft = await t.app.articles.create({ headline: 'Secret draft', sectionId: room.sections.local }, { actor: 'test' });
      assert.equal((await get(t, `/local/${draft.slug}`)).status, 404);

      const withdrawn = await publishedArticle(t.app, room, { headline: 'Withdrawn story' });
      assert.equal((await get(t, withdrawn.path)).status, 200);
      await t.app.articles.unpublish(withdrawn.id, { actor: 'test' });
      const gone = await get(t, withdrawn.path);
      assert.equal(gone.status, 410);
      assert.match(gone.body, /This story has been removed/);

      const moving = await publishedArticle(t.app, room, { headline: 'A slug that will change' });
      await t.app.articles.update(moving.id, { slug: 'the-new-slug' }, { actor: 'test' });
      const moved = await get(t, moving.path);
      assert.equal(moved.status, 301);
      assert.equal(moved.headers.get('location'), '/local/the-new-slug');
      const wrongSection = await get(t, '/world/the-new-slug');
      assert.equal(wrongSection.status, 301);
      assert.equal(wrongSection.headers.get('location'), '/local/the-new-slug');
      const slash = await get(t, '/local/the-new-slug/?utm_source=x');
      assert.equal(slash.status, 301);
      assert.equal(slash.headers.get('location'), '/local/the-new-slug?utm_source=x');
    });

    test('unknown paths get a helpful 404 page, bad input never a 500', async () => {
      const missing = await get(t, '/no/such-story-here');
      assert.equal(missing.status, 404);
      assert.match(missing.body, /We could not find that page/);
      assert.match(missing.body, /href="\/archive"/);
      assert.match(missing.body, /Latest stories/);
      const cases: [string, number[]][] = [
        ['/local?page=-1', [400]],
        ['/local?page=abc', [400]],
        ['/local?page=99999999', [400]],
        ['/local?page=1.5', [400]],
        ['/local?page=', [400]],
        ['/local/%FF%FE', [400, 404]],
        ['/local/abc%00def', [400, 404]],
        ['/local/%E2%80%AE-rtl', [404]],
        ['/tag/%0D%0ASet-Cookie:x=1', [400, 404]],
        ['/author/' + 'a'.repeat(5000), [400, 404, 414]],
        ['/archive/2026/13', [404]],
        ['/archive/0000/01', [404]],
        ['/%', [400, 404]],
      ];
      for (const [path, allowed] of cases) {
        const res = await get(t, path);
        assert.ok(allowed.includes(res.status), `${path} answered ${res.status}`);
        assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /x=1/);
      }
      const json = await fetch(`${t.url}/no-such-page`, { headers: { accept: 'application/json' } });
      assert.equal(json.status, 404);
      assert.equal(((await json.json()) as { error: { status: number } }).error.status, 404);
    });

    test('oversized request bodies get 413 with a clear message', async () => {
      const big = 'x'.repeat(2 * 1024 * 1024);
      const api = await fetch(`${t.url}/api/admin/session`, {
        method: 'POST',
        body: JSON.stringify({ big }),
        headers: { 'content-type': 'application/json', origin: 'http://news.test' },
      });
      assert.equal(api.status, 413);
      assert.equal(((await api.json()) as { error: { message: string } }).error.message, 'The request body is too large');
      const form = await fetch(`${t.url}/`, { method: 'POST', body: `a=${big}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 413);
      assert.match(await form.text(), /That was too much to send at once/);
    });

    test('pages are cached, validated and invalidated precisely', async () => {
      const target = await publishedArticle(t.app, room, { headline: 'Cache me if you can', sectionId: room.sections.world });
      const other = await publishedArticle(t.app, room, { headline: 'An unrelated local story' });
      const first = await get(t, target.path);
      assert.equal(first.headers.get('x-cache'), 'MISS');
      const second = await get(t, target.path);
      assert.equal(second.headers.get('x-cache'), 'HIT');
      assert.equal(second.body, first.body);
      assert.match(second.headers.get('cache-control') ?? '', /s-maxage=\d+/);
      assert.match(second.headers.get('cache-control') ?? '', /stale-while-revalidate=\d+/);
      assert.ok((second.headers.get('surrogate-key') ?? '').split(' ').includes(`a:${target.id}`));
      assert.ok((second.headers.get('cache-tag') ?? '').split(',').includes(`a:${target.id}`));
      const etag = second.headers.get('etag')!;
      assert.equal((await get(t, target.path, { 'if-none-match': etag })).status, 304);
      assert.equal((await get(t, target.path, { 'if-modified-since': second.headers.get('last-modified')! })).status, 304);
      assert.equal((await get(t, target.path, { 'if-none-match': '"stale"' })).status, 200);
      // utm parameters do not create new cache entries
      assert.equal((await get(t, `${target.path}?utm_source=newsletter`)).headers.get('x-cache'), 'HIT');

      await get(t, other.path);
      await get(t, '/world');
      await get(t, '/local');
      assert.equal((await get(t, other.path)).headers.get('x-cache'), 'HIT');

      await t.app.articles.update(target.id, { headline: 'Cache me, edited' }, { actor: 'test' });
      const edited = await get(t, target.path);
      assert.equal(edited.headers.get('x-cache'), 'MISS');
      assert.match(edited.body, /Cache me, edited/);
      assert.notEqual(edited.headers.get('etag'), etag);
      assert.equal((await get(t, target.path, { 'if-none-match': etag })).status, 200, 'the old ETag no longer matches');
      const world = await get(t, '/world');
      assert.match(world.body, /Cache me, edited/, 'lists showing the story are refreshed');
      assert.equal((await get(t, other.path)).headers.get('x-cache'), 'HIT', 'unrelated article pages stay cached');
      assert.equal((await get(t, '/local')).headers.get('x-cache'), 'HIT', 'lists not showing the story stay cached');

      await t.app.taxonomy.updateAuthor(room.authors.ana, { bio: 'Ana now covers the harbour.' });
      const byAna = await get(t, other.path);
      assert.equal(byAna.headers.get('x-cache'), 'MISS');
      assert.match(byAna.body, /Ana now covers the harbour\./);
    });

    test('SEO and social overrides replace the headline in metadata, canonical override wins', async () => {
      const custom = await publishedArticle(t.app, room, {
        headline: 'Plain headline',
        seoTitle: 'Search-friendly title',
        seoDescription: 'A description for search results.',
        socialTitle: 'A title for social cards',
        socialDescription: 'A description for social cards.',
        socialImageUrl: 'https://cdn.example.org/card.jpg',
        canonicalUrl: 'https://partner.example.org/original-story',
      });
      const res = await get(t, custom.path);
      assert.match(res.body, /<title>Search-friendly title \| The Test Gazette<\/title>/);
      assert.match(res.body, /<meta name="description" content="A description for search results\.">/);
      assert.deepEqual(meta(res.body, 'og:title'), ['A title for social cards']);
      assert.deepEqual(meta(res.body, 'twitter:title'), ['A title for social cards']);
      assert.deepEqual(meta(res.body, 'og:description'), ['A description for social cards.']);
      assert.deepEqual(meta(res.body, 'og:image'), ['https://cdn.example.org/card.jpg']);
      assert.deepEqual(meta(res.body, 'twitter:card'), ['summary_large_image']);
      assert.match(res.body, /<link rel="canonical" href="https:\/\/partner\.example\.org\/original-story">/);
    });

    test('health check reports the database', async () => {
      const res = await fetch(`${t.url}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', database: dialect });
    });

    test('security headers are set', async () => {
      const res = await get(t, story.path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'every response names its request id');
    });

    void paragraphs;
  });
}
