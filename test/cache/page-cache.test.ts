import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageCache, etagFor, type CachedPage } from '../../src/cache/page-cache.js';
import { cacheKeyFor, parsePage } from '../../src/cache/respond.js';

const page = (body: string, tags: string[], extra: Partial<CachedPage> = {}): CachedPage => ({
  status: 200,
  body: Buffer.from(body),
  contentType: 'text/html',
  etag: etagFor(body),
  lastModified: new Date().toUTCString(),
  tags,
  cacheControl: 'public',
  ...extra,
});

test('invalidating a tag drops exactly the pages that carry it', () => {
  const cache = new PageCache(true, 1024 * 1024);
  cache.set('/a', page('a', ['a:1', 'list:home']), cache.begin());
  cache.set('/b', page('b', ['a:2']), cache.begin());
  cache.set('/', page('home', ['list:home', 'a:1', 'a:2']), cache.begin());
  assert.equal(cache.invalidate(['a:2']), 2);
  assert.ok(cache.has('/a'));
  assert.ok(!cache.has('/b'));
  assert.ok(!cache.has('/'));
});

test('a render that started before an invalidation of its tags is not stored', () => {
  const cache = new PageCache(true, 1024 * 1024);
  const started = cache.begin();
  cache.invalidate(['a:1']); // a write lands while the page renders
  assert.equal(cache.set('/a', page('old', ['a:1']), started), false);
  assert.equal(cache.get('/a'), undefined);
  assert.equal(cache.set('/a', page('new', ['a:1']), cache.begin()), true);
  const clearedStart = cache.begin();
  cache.clear();
  assert.equal(cache.set('/b', page('b', ['x']), clearedStart), false);
});

test('the cache stays within its byte budget, evicting the least recently used', () => {
  const cache = new PageCache(true, 20_000);
  const body = 'x'.repeat(3000);
  for (let i = 0; i < 5; i++) cache.set(`/p${i}`, page(body, [`a:${i}`]), cache.begin());
  cache.get('/p0'); // recently used
  for (let i = 5; i < 8; i++) cache.set(`/p${i}`, page(body, [`a:${i}`]), cache.begin());
  assert.ok(cache.stats().bytes <= 20_000);
  assert.ok(cache.has('/p0'), 'recently read page kept');
  assert.ok(!cache.has('/p1'), 'least recently used page evicted');
  cache.invalidate(['a:1']); // a tag of an evicted page: no error
});

test('pages expire at their expiry time', () => {
  const cache = new PageCache(true, 1024 * 1024);
  cache.set('/live', page('banner', ['breaking'], { expiresAt: Date.now() - 1 }), cache.begin());
  assert.equal(cache.get('/live'), undefined);
});

test('a disabled cache stores nothing', () => {
  const cache = new PageCache(false, 1024 * 1024);
  assert.equal(cache.set('/a', page('a', []), cache.begin()), false);
  assert.equal(cache.get('/a'), undefined);
});

test('cache keys ignore tracking parameters but keep the page number', () => {
  assert.equal(cacheKeyFor('/local'), '/local');
  assert.equal(cacheKeyFor('/local?utm_source=x&fbclid=y'), '/local');
  assert.equal(cacheKeyFor('/local?page=1'), '/local');
  assert.equal(cacheKeyFor('/local?page=3&utm_medium=z'), '/local?page=3');
  assert.equal(cacheKeyFor('/local?page=-3'), undefined);
  assert.equal(parsePage('0'), undefined);
  assert.equal(parsePage('100001'), undefined);
  assert.equal(parsePage('12'), 12);
});
