/**
 * The Content API's answer cache on SQLite and PostgreSQL: a repeated request
 * is served from the cache (same bytes and ETag, X-Cache: HIT) and a 304 comes
 * from its ETag; publishing, editing, unpublishing, settings, author and tag
 * changes show at once; a revoked key is refused on a cached URL and the rate
 * limit still counts every hit; nothing of one key's request reaches another's
 * answer; different fields, includes and filters are different entries; a
 * breaking flag that runs out refreshes the answer on its own; and with
 * CONTENT_API_CACHE=false every answer is built afresh (no X-Cache).
 * A build that started before an invalidation is not stored (unit test).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { call } from '../accounts/support.js';
import { get, makeKey, signInAdmin, type Admin } from './support.js';
import { AnswerCache, answerKey, AnswerTags, ANY_ARTICLE_TAG } from '../../src/content-api/answer-cache.js';
import { KeyMemory, keyTag, KEY_MEMORY_MS } from '../../src/content-api/key-memory.js';
import type { ApiKeyRow } from '../../src/db/schema.js';

type Json = Record<string, any>;

test('a build that started before an invalidation of its tags is not stored; any article tag drops the whole-archive answers', () => {
  const clock = new TestClock(new Date('2026-03-01T08:00:00.000Z'));
  const cache = new AnswerCache({ enabled: true, maxBytes: 1024 * 1024, maxAgeMs: 60_000 }, clock);
  const answer = (text: string) => ({ body: Buffer.from(text), etag: `"${text}"` });
  const started = cache.begin();
  cache.invalidate(['a:1']); // an edit lands while the answer is built
  cache.set('/articles/:ref?p.ref=1', answer('old'), new AnswerTags().add('a:1'), started);
  assert.equal(cache.get('/articles/:ref?p.ref=1'), undefined, 'the old build is not kept');
  cache.set('/articles/:ref?p.ref=1', answer('new'), new AnswerTags().add('a:1'), cache.begin());
  assert.equal(cache.get('/articles/:ref?p.ref=1')?.etag, '"new"');

  cache.set('/articles?q.sort=modified', answer('modified'), new AnswerTags().add(ANY_ARTICLE_TAG), cache.begin());
  cache.set('/sections?', answer('sections'), new AnswerTags().add('sections'), cache.begin());
  cache.invalidate(['a:99']);
  assert.equal(cache.get('/articles?q.sort=modified'), undefined, 'a save of any article drops lists by modification time');
  assert.ok(cache.get('/sections?'), 'answers without the tags stay');

  cache.set('/site?', answer('site'), new AnswerTags().add('settings'), cache.begin());
  clock.advance(61_000);
  assert.equal(cache.get('/site?'), undefined, 'the maximum age is a safety net');
});

test('key rows are kept a few seconds; a change to a key forgets it, and a lookup that started before the change is not kept', () => {
  const clock = new TestClock(new Date('2026-03-01T08:00:00.000Z'));
  const memory = new KeyMemory(clock);
  const row = (id: number, hash: string): ApiKeyRow => ({ id, name: 'k', prefix: 'bsk_', secret_hash: hash, rate_limit: 600, cors_origins: '[]', created_at: '', created_by: null, last_used_at: null, revoked_at: null });
  memory.set(row(1, 'h1'), memory.begin());
  memory.set(row(2, 'h2'), memory.begin());
  assert.equal(memory.get('h1')?.id, 1);
  const started = memory.begin();
  memory.invalidate([keyTag(1)]); // revoked while another request reads the row
  assert.equal(memory.get('h1'), undefined);
  assert.equal(memory.get('h2')?.id, 2, 'other keys stay');
  memory.set(row(1, 'h1'), started);
  assert.equal(memory.get('h1'), undefined, 'the row read before the revocation is not kept');
  memory.invalidate(['a:1', 'settings']);
  assert.equal(memory.get('h2')?.id, 2, 'content tags do not touch keys');
  clock.advance(KEY_MEMORY_MS);
  assert.equal(memory.get('h2'), undefined, 'read again after a few seconds at the latest');
});

test('cache keys: sorted parameters, the key parameter left out', () => {
  assert.equal(answerKey('/articles', {}, { limit: 5, fields: 'headline', key: 'bsk_secret' }), '/articles?q.fields=headline&q.limit=5');
  assert.equal(answerKey('/articles', {}, { fields: 'headline', limit: 5 }), answerKey('/articles', {}, { limit: 5, fields: 'headline' }));
  assert.notEqual(answerKey('/articles', {}, { fields: 'headline' }), answerKey('/articles', {}, { fields: 'headline,url' }));
  assert.equal(answerKey('/articles/:ref', { ref: 'a&b' }, {}), '/articles/:ref?p.ref=a%26b');
});

for (const dialect of DIALECTS) {
  describe(`content API answer cache on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    let admin: Admin;
    let secret = '';
    const api = (path: string, headers: Record<string, string> = {}) => get(t, secret, path, headers);
    const headlines = async (path: string) => {
      const res = await api(path);
      assert.equal(res.status, 200, res.text);
      return res.json.items.map((a: Json) => a.headline) as string[];
    };
    /** Asks twice: the second answer must be the cached first one. */
    const cachedTwice = async (path: string) => {
      const first = await api(path);
      const second = await api(path);
      assert.equal(second.status, 200, second.text);
      assert.equal(second.headers.get('x-cache'), 'HIT', `${path} is served from the cache`);
      assert.equal(second.text, first.text);
      return second;
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      t.clock.set(new Date('2026-03-01T08:00:00.000Z'));
      room = await makeNewsroom(t.app);
      admin = await signInAdmin(t);
      secret = (await makeKey(t, admin)).secret;
      for (const name of ['harbour', 'ferry']) {
        t.clock.advance(60_000);
        await publishedArticle(t.app, room, { headline: `Story ${name}` });
      }
    });
    after(async () => t?.close());

    test('a second identical request is served from the cache: same bytes and ETag, X-Cache HIT; a 304 from the cached ETag', async () => {
      const first = await api('/articles?limit=5');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-cache'), 'MISS');
      const second = await api('/articles?limit=5');
      assert.equal(second.headers.get('x-cache'), 'HIT');
      assert.equal(second.text, first.text);
      assert.equal(second.headers.get('etag'), first.headers.get('etag'));
      for (const name of ['cache-control', 'vary', 'content-type']) assert.equal(second.headers.get(name), first.headers.get(name), name);
      assert.equal(second.headers.get('ratelimit-remaining'), String(Number(first.headers.get('ratelimit-remaining')) - 1), 'a hit still counts against the limit');

      const notModified = await api('/articles?limit=5', { 'if-none-match': first.headers.get('etag')! });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.headers.get('x-cache'), 'HIT');
      assert.equal(notModified.text, '');
      assert.equal(notModified.headers.get('etag'), first.headers.get('etag'));
    });

    test('nothing of one key reaches another: ?key= is not part of the entry, each key gets its own limit headers and CORS', async () => {
      const other = await makeKey(t, admin, { name: 'Widget', rateLimit: 50, corsOrigins: ['https://widget.example.org'] });
      const mine = await api('/sections');
      const theirs = await get(t, undefined, `/sections?key=${other.secret}`, { origin: 'https://widget.example.org' });
      assert.equal(theirs.status, 200);
      assert.equal(theirs.headers.get('x-cache'), 'HIT', 'one entry for every key');
      assert.equal(theirs.text, mine.text);
      assert.ok(!theirs.text.includes(other.secret) && !mine.text.includes(secret));
      assert.equal(theirs.headers.get('ratelimit-limit'), '50');
      assert.equal(mine.headers.get('ratelimit-limit'), '600');
      assert.equal(theirs.headers.get('access-control-allow-origin'), 'https://widget.example.org');
      assert.equal((await api('/sections')).headers.get('access-control-allow-origin'), null, 'no CORS header for a request without an origin');
      const refused = await get(t, undefined, `/sections?key=${other.secret}`, { origin: 'https://evil.example' });
      assert.equal(refused.status, 403, 'the origin check runs on a cached URL');
    });

    test('a revoked key is refused on a cached URL, and a limited key is limited on one', async () => {
      const partner = await makeKey(t, admin, { name: 'Partner', rateLimit: 2 });
      await cachedTwice('/articles?limit=3');
      assert.equal((await get(t, partner.secret, '/articles?limit=3')).headers.get('x-cache'), 'HIT');
      assert.equal((await get(t, partner.secret, '/articles?limit=3')).status, 200);
      const limited = await get(t, partner.secret, '/articles?limit=3');
      assert.equal(limited.status, 429, 'the third request of a two-a-minute key');
      assert.equal(limited.json.error.code, 'rate_limited');

      const revocable = await makeKey(t, admin, { name: 'Revocable' });
      assert.equal((await get(t, revocable.secret, '/articles?limit=3')).headers.get('x-cache'), 'HIT');
      const revoked = await call(t, 'POST', `/api/admin/api-keys/${revocable.id}/revoke`, { cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(revoked.status, 200);
      const refused = await get(t, revocable.secret, '/articles?limit=3');
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error.code, 'api_key_revoked');
      assert.equal(refused.headers.get('x-cache'), null);
      const stillCached = await api('/articles?limit=3');
      assert.equal(stillCached.headers.get('x-cache'), 'HIT', 'other keys keep the cached answer');
    });

    test('publishing, editing a headline and unpublishing show at once in the list and the one-article answer', async () => {
      await cachedTwice('/articles');
      const story = await publishedArticle(t.app, room, { headline: 'Bridge reopens' });
      assert.equal((await headlines('/articles'))[0], 'Bridge reopens', 'a new story is in the list at once');
      const one = await cachedTwice(`/articles/${story.id}`);
      assert.equal(one.json.article.headline, 'Bridge reopens');
      await cachedTwice(`/articles/${story.slug}?fields=headline`);
      await cachedTwice('/articles');

      await t.app.articles.update(story.id, { headline: 'Bridge reopens after repairs' }, { actor: 'test' });
      const edited = await api(`/articles/${story.id}`);
      assert.equal(edited.headers.get('x-cache'), 'MISS');
      assert.equal(edited.json.article.headline, 'Bridge reopens after repairs');
      assert.notEqual(edited.headers.get('etag'), one.headers.get('etag'));
      assert.equal((await api(`/articles/${story.slug}?fields=headline`)).json.article.headline, 'Bridge reopens after repairs', 'the answer by slug too');
      assert.equal((await headlines('/articles'))[0], 'Bridge reopens after repairs');

      await cachedTwice(`/articles/${story.id}`);
      await cachedTwice('/articles');
      await t.app.articles.unpublish(story.id, { actor: 'test' });
      assert.equal((await api(`/articles/${story.id}`)).status, 404, 'an unpublished story is gone at once');
      assert.ok(!(await headlines('/articles')).includes('Bridge reopens after repairs'));
    });

    test('the answers that depend on every article follow any save: label, sort=modified, updated_since', async () => {
      // Seconds apart (well within the cache's maximum age): what drops the entries is the save, not their age.
      t.clock.advance(1000);
      const story = await publishedArticle(t.app, room, { headline: 'Tram fares rise' });
      const since = encodeURIComponent(t.clock.now().toISOString());
      assert.deepEqual((await cachedTwice('/articles?label=opinion')).json.items, []);
      const modified = (await cachedTwice('/articles?sort=modified&fields=headline')).json.items.map((a: Json) => a.headline);
      assert.equal(modified.at(-1), 'Tram fares rise');
      await cachedTwice(`/articles?updated_since=${since}&fields=headline`);

      t.clock.advance(1000);
      await t.app.articles.update(story.id, { label: 'opinion' }, { actor: 'test' });
      assert.deepEqual(await headlines('/articles?label=opinion'), ['Tram fares rise']);
      const ferry = (await api('/articles?fields=headline,slug')).json.items.find((a: Json) => a.headline === 'Story ferry');
      const ferryId = ferry.id as number;
      t.clock.advance(1000);
      await t.app.articles.update(ferryId, { dek: 'A quiet fix' }, { actor: 'test' });
      assert.equal((await headlines('/articles?sort=modified&fields=headline')).at(-1), 'Story ferry', 'the last change is last');
      assert.deepEqual(await headlines(`/articles?updated_since=${since}&fields=headline`), ['Tram fares rise', 'Story ferry']);
    });

    test('different fields, includes and filters are different entries', async () => {
      const sparse = await api('/articles?fields=headline');
      const wider = await api('/articles?fields=headline,url');
      assert.equal(wider.headers.get('x-cache'), 'MISS');
      assert.notEqual(wider.text, sparse.text);
      assert.ok(wider.json.items.every((a: Json) => typeof a.url === 'string'));
      assert.ok(sparse.json.items.every((a: Json) => a.url === undefined));
      const withTags = await api('/articles?fields=headline&include=tags');
      assert.equal(withTags.headers.get('x-cache'), 'MISS');
      assert.ok(withTags.json.items.every((a: Json) => Array.isArray(a.tags)));
      const world = await api('/articles?fields=headline&section=world');
      assert.equal(world.headers.get('x-cache'), 'MISS');
      assert.deepEqual(world.json.items, []);
      const reordered = await api('/articles?include=tags&fields=headline');
      assert.equal(reordered.headers.get('x-cache'), 'HIT', 'the same parameters in another order are the same entry');
      assert.equal(reordered.text, withTags.text);
    });

    test('settings changes show in /site; author and tag changes in bylines, /authors and /tags', async () => {
      await cachedTwice('/site');
      await t.app.settings.update({ name: 'The Quayside Courier' }, t.clock.now().toISOString());
      assert.equal((await api('/site')).json.site.name, 'The Quayside Courier');

      await cachedTwice('/authors');
      await cachedTwice('/articles?fields=authors');
      await cachedTwice('/tags');
      await cachedTwice('/articles?tag=ferries');
      await t.app.taxonomy.updateAuthor(room.authors.ana, { name: 'Ana Reyes-Ortiz' });
      assert.ok((await api('/authors')).json.items.some((a: Json) => a.name === 'Ana Reyes-Ortiz'));
      assert.equal((await api('/articles?fields=authors')).json.items[0].authors[0].name, 'Ana Reyes-Ortiz', 'bylines in the list');
      const tag = await t.app.taxonomy.createTag({ name: 'Ferries' });
      assert.ok((await api('/tags')).json.items.some((x: Json) => x.slug === 'ferries'), 'a new tag is listed at once');
      const ferries = await api('/articles?tag=ferries');
      assert.equal(ferries.headers.get('x-cache'), 'MISS', 'a new tag drops the answers that looked for its slug');
      assert.deepEqual(ferries.json.items, []);
      const story = await publishedArticle(t.app, room, { headline: 'Night ferry returns', tagIds: [tag.id] });
      assert.deepEqual(await headlines('/articles?tag=ferries'), ['Night ferry returns']);
      await t.app.articles.unpublish(story.id, { actor: 'test' });
    });

    test('an answer showing a breaking flag is built again when the flag runs out, with no write', async () => {
      // The flag runs out well within the cache's maximum age (60 s): the entries' own expiry must do it.
      t.clock.advance(1000);
      const until = new Date(t.clock.now().getTime() + 20_000).toISOString();
      const story = await publishedArticle(t.app, room, { headline: 'Storm warning', breaking: true, breakingUntil: until });
      assert.deepEqual((await cachedTwice('/articles?breaking=true&fields=headline')).json.items.map((a: Json) => a.headline), ['Storm warning']);
      assert.equal((await cachedTwice(`/articles/${story.id}?fields=breaking`)).json.article.breaking, true);
      const calm = (await cachedTwice('/articles?breaking=false&fields=headline')).json.items.map((a: Json) => a.headline);
      assert.ok(!calm.includes('Storm warning'));
      t.clock.advance(21_000);
      assert.deepEqual(await headlines('/articles?breaking=true&fields=headline'), []);
      assert.equal((await api(`/articles/${story.id}?fields=breaking`)).json.article.breaking, false);
      assert.ok((await headlines('/articles?breaking=false&fields=headline')).includes('Storm warning'), 'it joins the non-breaking list');
    });

    test('search is not cached', async () => {
      assert.equal((await api('/search?q=ferry')).headers.get('x-cache'), null);
      assert.equal((await api('/search?q=ferry')).headers.get('x-cache'), null);
    });
  });

  describe(`content API with CONTENT_API_CACHE=false on ${dialect}`, () => {
    let t: TestApp;
    let secret = '';

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { env: { CONTENT_API_CACHE: 'false' } });
      const room = await makeNewsroom(t.app);
      secret = (await makeKey(t, await signInAdmin(t))).secret;
      await publishedArticle(t.app, room, { headline: 'Uncached story' });
    });
    after(async () => t?.close());

    test('every answer is built afresh, with the same headers and ETags as before the cache', async () => {
      const first = await get(t, secret, '/articles');
      const second = await get(t, secret, '/articles');
      assert.equal(first.headers.get('x-cache'), null);
      assert.equal(second.headers.get('x-cache'), null);
      assert.equal(second.headers.get('etag'), first.headers.get('etag'));
      assert.equal((await get(t, secret, '/articles', { 'if-none-match': first.headers.get('etag')! })).status, 304);
      assert.equal(t.app.contentApi.cache.stats().entries, 0);
      // A direct database change (no event) shows at once: nothing is kept.
      await t.app.db.kysely.updateTable('articles').set({ headline: 'Changed behind our back' }).execute();
      assert.equal((await get(t, secret, '/articles')).json.items[0].headline, 'Changed behind our back');
    });
  });
}
