/**
 * Two web nodes on one database and Redis (REDIS_URL), on SQLite and
 * PostgreSQL. The per-key rate limit is counted in Redis: requests to either
 * node count against the same minute, the database keeps no counters, and a
 * new minute lets the key through again on both. A write on one node drops
 * the other node's cached answers, and a key revoked on one node is forgotten
 * by the other's key memory (the page cache's invalidation channel).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';
import { call } from '../accounts/support.js';
import { get, makeKey, signInAdmin } from './support.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function assertRedisReachable(): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis is required for this test and is not reachable at ${REDIS_URL}: ${String(error)}`);
  } finally {
    client.disconnect();
  }
}

for (const dialect of DIALECTS) {
  describe(`content API across two nodes with Redis on ${dialect}`, () => {
    let first: TestApp;
    let second: TestApp;
    const clock = new TestClock(new Date('2026-03-02T10:00:30.000Z'));

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await assertRedisReachable();
      first = await startTestApp(dialect, { clock, env: { REDIS_URL } });
      const dataDir = first.config.dataDir;
      const schema = first.config.database.kind === 'postgres' ? first.config.database.schema : undefined;
      second = await startTestApp(dialect, { clock, env: { REDIS_URL }, reuse: { dataDir, schema } });
    });
    after(async () => {
      await second?.close();
      await first?.close();
    });

    test('both nodes count against one limit, in Redis', async () => {
      const admin = await signInAdmin(first);
      const { id, secret } = await makeKey(first, admin, { name: 'Shared limit', rateLimit: 4 });
      assert.equal((await get(first, secret, '/sections')).status, 200);
      assert.equal((await get(second, secret, '/sections')).status, 200);
      assert.equal((await get(first, secret, '/sections')).status, 200);
      const last = await get(second, secret, '/sections');
      assert.equal(last.status, 200);
      assert.equal(last.headers.get('ratelimit-remaining'), '0');
      const refused = await get(first, secret, '/sections');
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '30');
      assert.equal((await get(second, secret, '/sections')).status, 429);
      const rows = await first.app.db.kysely.selectFrom('api_key_usage').selectAll().where('key_id', '=', id).execute();
      assert.equal(rows.length, 0, 'counted in Redis, not the database');
      clock.advance(60_000);
      assert.equal((await get(second, secret, '/sections')).status, 200);
    });

    test('an edit or a settings change on one node drops the other node\'s cached answers; a key revoked on one is refused by the other', async () => {
      const admin = await signInAdmin(first);
      const { secret } = await makeKey(first, admin, { name: 'Two nodes' });
      const room = await makeNewsroom(first.app);
      const story = await publishedArticle(first.app, room, { headline: 'Pier closes for repairs' });
      const path = `/articles/${story.id}?fields=headline`;
      assert.equal((await get(second, secret, path)).json.article.headline, 'Pier closes for repairs');
      assert.equal((await get(second, secret, path)).headers.get('x-cache'), 'HIT');
      await get(second, secret, '/site');
      assert.equal((await get(second, secret, '/site')).headers.get('x-cache'), 'HIT');

      await first.app.articles.update(story.id, { headline: 'Pier reopens early' }, { actor: 'node one' });
      await first.app.settings.update({ name: 'The Two Node Times' }, clock.now().toISOString());
      // Pub/sub is asynchronous: give the message a moment to arrive.
      const eventually = async (read: () => Promise<string>, want: string) => {
        let seen = '';
        for (let i = 0; i < 50 && seen !== want; i++) {
          seen = await read();
          if (seen !== want) await new Promise((r) => setTimeout(r, 20));
        }
        return seen;
      };
      assert.equal(await eventually(async () => (await get(second, secret, path)).json.article.headline, 'Pier reopens early'), 'Pier reopens early');
      assert.equal(await eventually(async () => (await get(second, secret, '/site')).json.site.name, 'The Two Node Times'), 'The Two Node Times');

      // A key revoked on one node is refused by the other, which had its row in memory.
      const { id: doomedId, secret: doomed } = await makeKey(first, admin, { name: 'Doomed' });
      assert.equal((await get(second, doomed, '/sections')).status, 200);
      assert.equal((await call(first, 'POST', `/api/admin/api-keys/${doomedId}/revoke`, { cookie: admin.cookie, csrf: admin.csrf })).status, 200);
      assert.equal((await get(first, doomed, '/sections')).status, 401, 'at once on the node that revoked it');
      assert.equal(await eventually(async () => String((await get(second, doomed, '/sections')).status), '401'), '401');
    });
  });
}
