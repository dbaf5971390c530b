/**
 * Two Broadsheet nodes sharing one database and Redis: a write on one node
 * invalidates the page cache of the other, so no node serves a stale page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertPostgresReachable, DIALECTS, dropTestStorage, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function assertRedisReachable(): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await client.connect();
    assert.equal(await client.ping(), 'PONG');
  } catch (error) {
    throw new Error(`Redis is required for the multi-node tests and is not reachable at ${REDIS_URL}: ${String(error)}`);
  } finally {
    client.disconnect();
  }
}

async function fetchPage(node: TestApp, p: string) {
  const res = await fetch(node.url + p);
  return { cache: res.headers.get('x-cache'), body: await res.text(), status: res.status };
}

for (const dialect of DIALECTS) {
  describe(`two nodes with Redis on ${dialect}`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-nodes-'));
    const schema = `t_${randomBytes(6).toString('hex')}`;
    let a: TestApp;
    let b: TestApp;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await assertRedisReachable();
      const env = { REDIS_URL };
      a = await startTestApp(dialect, { env, reuse: { dataDir, schema } });
      b = await startTestApp(dialect, { env, reuse: { dataDir, schema } });
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await dropTestStorage(dialect, dataDir, schema);
    });

    test('an edit on one node refreshes the other node\'s cached pages; settings changes reach every node', async () => {
      const room = await makeNewsroom(a.app);
      const story = await publishedArticle(a.app, room, { headline: 'First version of the story' });
      assert.match((await fetchPage(b, story.path)).body, /First version of the story/);
      assert.equal((await fetchPage(b, story.path)).cache, 'HIT');

      await a.app.articles.update(story.id, { headline: 'Second version of the story' }, { actor: 'node a' });
      // Pub/sub is asynchronous: give the message a moment to arrive.
      let seen = '';
      for (let i = 0; i < 50 && !seen.includes('Second version'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = (await fetchPage(b, story.path)).body;
      }
      assert.match(seen, /Second version of the story/);

      await a.app.settings.update({ name: 'Renamed Gazette' }, new Date().toISOString());
      let name = '';
      for (let i = 0; i < 50 && !name.includes('Renamed Gazette'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        name = (await fetchPage(b, '/')).body;
      }
      assert.match(name, /Renamed Gazette/, 'node b reloaded the settings and re-rendered');
      assert.equal(b.app.settings.get().name, 'Renamed Gazette');
    });
  });
}
