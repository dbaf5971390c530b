/**
 * Site search on both databases: what readers find on /search (words from
 * every field, stemming, phrases, prefixes, filters), what they never find
 * (drafts, scheduled, unpublished, deleted, future), snippets that mark terms
 * and escape HTML, hostile input on /search and on the newsroom list's `q`,
 * and `reindex` rebuilding an emptied index.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { docFromParagraphs } from '../../src/newsroom/body.js';
import { reindex } from '../../src/related/reindex.js';
import { parseQuery, ftsExpression, tsqueryText } from '../../src/related/search-query.js';

/** Headlines of the results, in order. */
function headlines(page: string): string[] {
  return [...page.matchAll(/<h2 class="search-headline"><a href="[^"]*">([\s\S]*?)<\/a><\/h2>/g)].map((m) => m[1]!.replace(/<\/?mark>/g, ''));
}

describe('search query parsing', () => {
  test('words, phrases and the last word as a prefix, with no operator surviving', () => {
    const q = parseQuery('harbour "city hall" budg');
    assert.deepEqual(q.terms.map((t) => [t.words.join(' '), t.phrase]), [['harbour', false], ['city hall', true], ['budg', false]]);
    assert.equal(q.prefixLast, true);
    assert.equal(ftsExpression(q), '"harbour" AND "city hall" AND ("budg" OR "budg"*)');
    assert.equal(tsqueryText(q), `'harbour' & ('city' <-> 'hall') & ('budg' | 'budg':*)`);
    const hostile = parseQuery('a NEAR(b c) OR -d* "e:f \u0000 (g)');
    for (const term of hostile.terms) for (const w of term.words) assert.match(w, /^[\p{L}\p{N}\p{M}]+$/u);
    assert.equal(parseQuery('council ').prefixLast, false, 'a trailing space ends the word');
    assert.equal(parseQuery('x'.repeat(10_000)).terms[0]!.words[0]!.length, 200);
    assert.deepEqual(parseQuery('?!* :: ()').terms, []);
  });
});

for (const dialect of DIALECTS) {
  describe(`site search (${dialect})`, () => {
    let t: TestApp;
    let room: Newsroom;
    const ids: Record<string, number> = {};

    const search = async (query: string) => {
      const res = await call(t, 'GET', `/search?${query}`);
      assert.equal(res.status, 200, `${query}: ${res.text.slice(0, 300)}`);
      return res;
    };
    const found = async (query: string) => headlines((await search(query)).text);

    before(async () => {
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
      const marta = await t.app.taxonomy.createAuthor({ name: 'Marta Lindqvist' });
      const ferries = await t.app.taxonomy.createTag({ name: 'Ferries' });
      ids.election = (
        await publishedArticle(t.app, room, {
          headline: 'Mayor wins the election by 40 votes',
          dek: 'A recount is unlikely, officials say.',
          body: docFromParagraphs(['The city hall count ended after midnight.', 'Turnout was the highest in a decade.']),
        })
      ).id;
      ids.ferry = (
        await publishedArticle(t.app, room, {
          headline: 'Night crossings return',
          dek: 'The service restarts in spring.',
          body: docFromParagraphs(['Operators of the harbour shuttle promised quieter engines <script>alert(1)</script> this year.']),
          authorIds: [marta.id],
          tagIds: [ferries.id],
          sectionId: room.sections.world,
        })
      ).id;
      ids.old = (
        await publishedArticle(t.app, room, { headline: 'Budget hearing draws a crowd', body: docFromParagraphs(['Residents queued for the budget hearing this year.']) })
      ).id;
      // Never visible to readers:
      ids.draft = (await t.app.articles.create({ headline: 'Secret zeppelin draft', body: docFromParagraphs(['zeppelin']) }, { actor: 'test' })).id;
      const scheduled = await t.app.articles.create({ headline: 'Scheduled zeppelin story' }, { actor: 'test' });
      await t.app.articles.publish(scheduled.id, { actor: 'test', at: new Date(t.clock.now().getTime() + 3_600_000) });
      const withdrawn = await publishedArticle(t.app, room, { headline: 'Withdrawn zeppelin story' });
      await t.app.articles.unpublish(withdrawn.id, { actor: 'test' });
      // Published in the future (e.g. imported with a future date): the index must respect published_at too.
      const future = await publishedArticle(t.app, room, { headline: 'Future zeppelin story' });
      await t.app.db.kysely.updateTable('articles').set({ published_at: '2999-01-01T00:00:00.000Z' }).where('id', '=', future.id).execute();
      await t.app.articles.update(future.id, { dek: 'touched' }, { actor: 'test' });
    });
    after(async () => {
      await t?.close();
    });

    test('finds stories by words of the headline, dek, body, author, tag and section', async () => {
      assert.deepEqual(await found('q=mayor'), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found('q=recount'), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found('q=turnout'), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found('q=lindqvist'), ['Night crossings return']);
      assert.deepEqual(await found('q=ferries'), ['Night crossings return']);
      assert.deepEqual(await found('q=world+crossings'), ['Night crossings return']);
      const page = await search('q=crossings');
      assert.match(page.text, /1 result for <strong>“crossings”<\/strong>/);
      assert.match(page.text, /<meta name="robots" content="noindex/);
      assert.equal(page.headers.get('x-cache'), null, 'not served from or stored in the page cache');
    });

    test('stemming, phrases in quotes and the last word as a prefix', async () => {
      assert.deepEqual(await found('q=elections'), ['Mayor wins the election by 40 votes'], '"elections" finds "election"');
      assert.deepEqual(await found(`q=${encodeURIComponent('"city hall"')}`), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found(`q=${encodeURIComponent('"hall city"')}`), [], 'a phrase keeps its word order');
      assert.deepEqual(await found('q=midnig'), ['Mayor wins the election by 40 votes'], 'prefix of the last word');
      assert.deepEqual(await found(`q=${encodeURIComponent('midnig ')}`), [], 'a finished word is not a prefix');
    });

    test('filters by section, author and dates; unknown filters are reported, not fatal', async () => {
      assert.equal((await found('q=year')).length, 2);
      assert.deepEqual(await found('q=year&section=world'), ['Night crossings return']);
      assert.deepEqual(await found('q=year&author=marta-lindqvist'), ['Night crossings return']);
      const today = t.clock.now().toISOString().slice(0, 10);
      assert.equal((await found(`q=mayor&from=${today}&to=${today}`)).length, 1);
      assert.deepEqual(await found('q=mayor&to=2000-01-01'), []);
      const odd = await search('q=mayor&section=nope&from=2026-02-31');
      assert.match(odd.text, /were not understood and were left out: section, from/);
      assert.equal(headlines(odd.text).length, 1);
    });

    test('drafts, scheduled, unpublished and future stories never appear', async () => {
      assert.deepEqual(await found('q=zeppelin'), []);
      assert.match((await search('q=zeppelin')).text, /No stories match/);
    });

    test('the index follows edits, unpublishing and deletion at once', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Lighthouse keeper retires' });
      assert.deepEqual(await found('q=lighthouse'), ['Lighthouse keeper retires']);
      await t.app.articles.update(story.id, { headline: 'Beacon keeper retires' }, { actor: 'test' });
      assert.deepEqual(await found('q=lighthouse'), []);
      assert.deepEqual(await found('q=beacon'), ['Beacon keeper retires']);
      await t.app.articles.unpublish(story.id, { actor: 'test' });
      assert.deepEqual(await found('q=beacon'), []);
      await t.app.articles.publish(story.id, { actor: 'test' });
      assert.deepEqual(await found('q=beacon'), ['Beacon keeper retires']);
      const draft = await t.app.articles.create({ headline: 'Quokka census' }, { actor: 'test' });
      assert.deepEqual(await t.app.search.service.newsroomMatches('quokka', 10), [draft.id]);
      await t.app.articles.deleteDraft(draft.id);
      assert.deepEqual(await t.app.search.service.newsroomMatches('quokka', 10), []);
    });

    test('renaming an author or tag updates the stories that carry the name', async () => {
      const tag = await t.app.taxonomy.createTag({ name: 'Ospreys' });
      await publishedArticle(t.app, room, { headline: 'Nest cameras go live', tagIds: [tag.id] });
      assert.deepEqual(await found('q=ospreys'), ['Nest cameras go live']);
      await t.app.taxonomy.updateTag(tag.id, { name: 'Sea eagles' });
      await drainJobs(t);
      assert.deepEqual(await found('q=ospreys'), []);
      assert.deepEqual(await found('q=eagles'), ['Nest cameras go live']);
    });

    test('snippets mark the matched words and escape the text', async () => {
      const page = (await search('q=shuttle')).text;
      assert.match(page, /<p class="search-snippet">[^<]*<mark>shuttle<\/mark>/);
      assert.ok(!page.includes('<script>alert(1)</script>'), 'body text is escaped');
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|quieter engines/);
      const injected = (await search(`q=${encodeURIComponent('<>mayor&')}`)).text;
      assert.ok(!injected.includes('<b>'), 'the query is escaped where it is shown');
      assert.match(injected, /for <strong>“&lt;&gt;mayor&amp;”<\/strong>/);
      assert.match(injected, /<mark>Mayor<\/mark> wins/);
    });

    test('the ranking pool is the newest matches, also when it is looked for among the newest stories first', async () => {
      // Every third story matches; the pool (3) is first looked for among the newest 4 and 9 stories (PostgreSQL's
      // windows; SQLite walks its index newest first and ignores them).
      const made: { id: number; matches: boolean }[] = [];
      for (let i = 0; i < 15; i++) {
        const matches = i % 3 === 0;
        const a = await publishedArticle(t.app, room, { headline: matches ? `Kayak race leg ${i}` : `Rowing notes ${i}` });
        made.push({ id: a.id, matches });
      }
      const match = t.app.search.service.match(parseQuery('kayak '))!;
      const newestMatches = made.filter((m) => m.matches).map((m) => m.id).reverse();
      for (const windows of [[4, 9], [2], [100]]) {
        const { hits, total, capped } = await t.app.search.repository.search(match, {}, { now: t.clock.now().toISOString(), limit: 10, offset: 0, order: 'newest', pool: 3, windows });
        assert.deepEqual(hits.map((h) => h.id), newestMatches.slice(0, 3), `windows ${windows.join(', ')}`);
        assert.deepEqual([total, capped], [3, true]);
      }
      const all = await t.app.search.repository.search(match, {}, { now: t.clock.now().toISOString(), limit: 10, offset: 0, order: 'newest', pool: 10, windows: [4] });
      assert.deepEqual(all.hits.map((h) => h.id), newestMatches, 'fewer matches than the pool: all of them, from the whole archive');
      assert.deepEqual([all.total, all.capped], [5, false]);
    });

    test('pages through many results with a count', async () => {
      for (let i = 0; i < 23; i++) await publishedArticle(t.app, room, { headline: `Regatta heat ${i + 1} results` });
      const first = await search('q=regatta');
      assert.match(first.text, /23 results for <strong>“regatta”<\/strong>, page 1 of 2/);
      assert.equal(headlines(first.text).length, 20);
      assert.match(first.text, /href="\/search\?q=regatta&amp;page=2"/);
      const second = await search('q=regatta&page=2');
      assert.equal(headlines(second.text).length, 3);
      assert.match((await search('q=regatta&page=9')).text, /no more results/);
      const newest = headlines((await search('q=regatta&sort=newest')).text);
      assert.equal(newest[0], 'Regatta heat 23 results');
    });

    const HOSTILE = [
      '"',
      '"unbalanced',
      'mayor"',
      '""',
      'AND',
      'mayor AND OR NOT',
      'NEAR(mayor election, 2)',
      'mayor NEAR election',
      '*',
      'mayor*',
      '-mayor',
      'headline:mayor',
      ':',
      '(mayor',
      ')',
      '^mayor',
      '🗳️ 🎉',
      'mayor 🗳️',
      'x'.repeat(10_000),
      'mayor\u0000',
      '\u0000',
      '?!.,;',
      'the of and',
      "O'Brien's",
      '\\',
      "'; drop table articles; --",
      '%_',
      '\u202e\u200b',
    ];

    test('hostile queries answer 200 with results or an empty state on /search', async () => {
      for (const q of HOSTILE) {
        const res = await call(t, 'GET', `/search?q=${encodeURIComponent(q)}`);
        assert.equal(res.status, 200, `${JSON.stringify(q.slice(0, 40))}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(/search-results|search-empty/.test(res.text), `${JSON.stringify(q.slice(0, 40))}: results or an empty state`);
      }
      assert.deepEqual(await found(`q=${encodeURIComponent('mayor"')}`), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found(`q=${encodeURIComponent('(mayor) -election*')}`), ['Mayor wins the election by 40 votes'], 'operators are plain separators');
      assert.match((await search('q=%3F%21.%2C%3B')).text, /no words to look for/);
      const repeated = await call(t, 'GET', '/search?q=mayor&q=other&page=abc&section[]=x');
      assert.equal(repeated.status, 200);
    });

    test('hostile queries on the newsroom list answer without a server error', async () => {
      const staff = await createStaff(t, 'editor');
      const editor = await signIn(t, staff.email, staff.password);
      for (const q of HOSTILE) {
        const res = await call(t, 'GET', `/api/admin/articles?q=${encodeURIComponent(q)}`, { cookie: editor.cookie });
        // The list's schema caps q at 200 characters: longer is a 400 with a message, never a 500.
        const expected = q.length > 200 ? 400 : 200;
        assert.equal(res.status, expected, `${JSON.stringify(q.slice(0, 40))}: ${res.text.slice(0, 200)}`);
      }
      const body = await call(t, 'GET', `/api/admin/articles?q=turnout`, { cookie: editor.cookie });
      assert.deepEqual((body.json as { items: { id: number }[] }).items.map((i) => i.id), [ids.election], 'the list finds body words too');
      const draft = await call(t, 'GET', `/api/admin/articles?q=zeppelin&sort=headline&direction=asc`, { cookie: editor.cookie });
      assert.deepEqual((draft.json as { items: { headline: string }[] }).items.map((i) => i.headline), [
        'Future zeppelin story',
        'Scheduled zeppelin story',
        'Secret zeppelin draft',
        'Withdrawn zeppelin story',
      ]);
    });

    test('reindex rebuilds an emptied index', async () => {
      await sql`delete from search_documents`.execute(t.app.db.kysely);
      assert.deepEqual(await found('q=mayor'), []);
      const report = await reindex({ search: t.app.search.repository, settings: t.app.settings }, { batchSize: 7 });
      const { articles } = await t.app.search.repository.counts();
      assert.equal(report.articles, articles);
      assert.deepEqual(await found('q=mayor'), ['Mayor wins the election by 40 votes']);
      assert.deepEqual(await found('q=zeppelin'), []);
      assert.deepEqual(await found('q=elections'), ['Mayor wins the election by 40 votes']);
      // PostgreSQL filled the empty table without its GIN index and built the index at the end.
      if (dialect === 'postgres') assert.equal(await t.app.search.repository.hasFullTextIndex(), true);
    });

    if (dialect === 'postgres') {
      test('a first indexing stopped between its rows and its GIN index is finished at the next start', async () => {
        await t.app.search.repository.dropFullTextIndex();
        assert.equal(await t.app.search.service.queueReindexIfIncomplete(), true, 'every document is there, the index is not');
        await drainJobs(t);
        assert.equal(await t.app.search.repository.hasFullTextIndex(), true);
        assert.equal(await t.app.search.service.queueReindexIfIncomplete(), false);
        assert.deepEqual(await found('q=mayor'), ['Mayor wins the election by 40 votes']);
      });
    }

    test('a new site language queues a full reindex that reads the stories with its rules', async () => {
      const queued = async () => Number((await sql<{ n: number }>`select count(*) as n from jobs where kind = 'search.reindex' and status = 'queued'`.execute(t.app.db.kysely)).rows[0]?.n ?? 0);
      await drainJobs(t);
      await t.app.settings.update({ tagline: 'Same language' }, t.clock.now().toISOString());
      assert.equal(await queued(), 0, 'other settings changes cost nothing');
      // "The city hall count ended after midnight": English stemming finds "ended" for "end".
      const election = 'Mayor wins the election by 40 votes';
      assert.ok((await found('q=end%20')).includes(election), 'English stemming');
      await t.app.settings.update({ language: 'fr' }, t.clock.now().toISOString());
      assert.equal(await queued(), 1);
      await drainJobs(t);
      assert.ok(!(await found('q=end%20')).includes(election), 'French rules do not reduce an English past tense');
      assert.ok((await found('q=ended')).includes(election));
      await t.app.settings.update({ language: 'en' }, t.clock.now().toISOString());
      await drainJobs(t);
      assert.ok((await found('q=end%20')).includes(election));
    });

    test('the search box in the header is a plain form to /search', async () => {
      const home = await call(t, 'GET', '/');
      assert.match(home.text, /<form[^>]*action="\/search"[^>]*>/);
      assert.match(home.text, /<label[^>]*for="site-search-q"/);
    });
  });
}

/** Runs queued jobs until none is due (the tests run no worker). */
async function drainJobs(t: TestApp): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const job = await t.app.jobs.claim('test', ['search.refresh', 'search.reindex'], 60_000);
    if (!job) return;
    const payload = JSON.parse(job.payload) as { kind: 'author' | 'section' | 'tag'; id: number };
    if (job.kind === 'search.refresh') await t.app.search.service.refresh(payload.kind, payload.id);
    else await reindex({ search: t.app.search.repository, settings: t.app.settings });
    await t.app.jobs.complete(job);
  }
}
