/**
 * Cached pages go out gzipped to clients that accept it, on both databases:
 * the first (rendered) answer and every hit from the fast path, with their own
 * ETag, Vary: Accept-Encoding, and the same page once unzipped; clients that
 * do not accept gzip (or refuse it with q=0) get the page as it is.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { acceptsGzip } from '../../src/cache/respond.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add its own Accept-Encoding and unzip). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('Accept-Encoding: gzip when listed or by *, never with q=0', () => {
  assert.equal(acceptsGzip('gzip, deflate, br, zstd'), true);
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8'), true);
  assert.equal(acceptsGzip('*'), true);
  assert.equal(acceptsGzip('GZIP'), true);
  assert.equal(acceptsGzip(undefined), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip('br'), false);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('*, gzip;q=0'), false);
  assert.equal(acceptsGzip('*;q=0'), false);
});

for (const dialect of DIALECTS) {
  describe(`compressed pages on ${dialect}`, () => {
    let t: TestApp;
    let room: Newsroom;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      room = await makeNewsroom(t.app);
    });
    after(async () => t?.close());

    test('a browser gets the page gzipped, rendered and from the cache; unzipped it is the page others get', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Tide tables for the winter', body: paragraphs(12) });
      const browser = { 'accept-encoding': 'gzip, deflate, br' };
      const first = await get(t.url + story.path, browser);
      assert.equal(first.status, 200);
      assert.equal(first.headers['x-cache'], 'MISS');
      assert.equal(first.headers['content-encoding'], 'gzip');
      assert.equal(first.headers.vary, 'Accept-Encoding');
      const hit = await get(t.url + story.path, browser);
      assert.equal(hit.headers['x-cache'], 'HIT');
      assert.equal(hit.headers['content-encoding'], 'gzip');
      assert.equal(hit.headers.vary, 'Accept-Encoding');
      assert.equal(Number(hit.headers['content-length']), hit.body.length);
      assert.deepEqual(hit.body, first.body);

      const plain = await get(t.url + story.path);
      assert.equal(plain.headers['x-cache'], 'HIT');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers.vary, 'Accept-Encoding', 'caches in front must keep the two apart');
      assert.match(plain.body.toString('utf8'), /Tide tables for the winter/);
      assert.deepEqual(gunzipSync(hit.body), plain.body, 'the same page');
      assert.ok(hit.body.length < plain.body.length / 2, `gzipped ${hit.body.length} bytes vs ${plain.body.length}`);
      assert.notEqual(hit.headers.etag, plain.headers.etag, 'each representation has its own ETag');

      const refused = await get(t.url + story.path, { 'accept-encoding': 'gzip;q=0, identity' });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.deepEqual(refused.body, plain.body);
    });

    test('revalidation: each representation is fresh by its own ETag; HEAD sends the length and no body', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Ferry fares frozen', body: paragraphs(8) });
      const browser = { 'accept-encoding': 'gzip' };
      const zipped = await get(t.url + story.path, browser);
      const plain = await get(t.url + story.path);
      assert.equal((await get(t.url + story.path, { ...browser, 'if-none-match': zipped.headers.etag! })).status, 304);
      assert.equal((await get(t.url + story.path, { 'if-none-match': plain.headers.etag! })).status, 304);
      // A gzipped copy's ETag does not validate the plain page, nor the other way round.
      assert.equal((await get(t.url + story.path, { 'if-none-match': zipped.headers.etag! })).status, 200);
      assert.equal((await get(t.url + story.path, { ...browser, 'if-none-match': plain.headers.etag! })).status, 200);
      const head = await get(t.url + story.path, browser, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-encoding'], 'gzip');
      assert.equal(Number(head.headers['content-length']), zipped.body.length);
      assert.equal(head.body.length, 0);
    });

    test('an edit replaces both copies: the gzipped page shows the new headline at once', async () => {
      const story = await publishedArticle(t.app, room, { headline: 'Bridge repairs begin', body: paragraphs(8) });
      const browser = { 'accept-encoding': 'gzip' };
      await get(t.url + story.path, browser);
      await t.app.articles.update(story.id, { headline: 'Bridge repairs begin on Monday' }, { actor: 'test' });
      const after = await get(t.url + story.path, browser);
      assert.match(gunzipSync(after.body).toString('utf8'), /Bridge repairs begin on Monday/);
    });
  });
}
