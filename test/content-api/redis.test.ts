/**
 * The per-key rate limit across two web nodes on one database, counted in
 * Redis (REDIS_URL), on SQLite and PostgreSQL: requests to either node count
 * against the same minute, the database keeps no counters, and a new minute
 * lets the key through again on both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
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
  describe(`content API rate limit across two nodes with Redis on ${dialect}`, () => {
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
  });
}
