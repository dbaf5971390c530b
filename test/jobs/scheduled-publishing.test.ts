/**
 * Scheduled publishing end to end, on SQLite and PostgreSQL: an article
 * scheduled for later appears on the site when its time comes, through the
 * durable job, through a running worker, and after a restart with no worker
 * running at the scheduled time.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS, TestClock, assertPostgresReachable, dropTestStorage, startTestApp, type DialectName, type TestApp } from '../support/apps.js';
import { makeNewsroom, paragraphs, type Newsroom } from '../support/fixtures.js';
import { PUBLISH_JOB } from '../../src/newsroom/articles.service.js';
import type { App } from '../../src/app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function publishJobs(app: App, articleId: number) {
  return app.db.kysely.selectFrom('jobs').selectAll().where('unique_key', '=', `${PUBLISH_JOB}:${articleId}`).execute();
}

/** Storage this test owns (so a restart can reopen it); dropped by the test. */
function ownStorage(dialect: DialectName) {
  return {
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-restart-${dialect}-`)),
    schema: `t_restart_${randomBytes(5).toString('hex')}`,
  };
}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let t: TestApp;
    let app: App;
    let room: Newsroom;
    const clock = new TestClock(new Date('2030-06-10T08:00:00.000Z'));
    let serial = 0;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock, listen: false });
      app = t.app;
      room = await makeNewsroom(app);
    });
    after(async () => {
      await t?.close();
    });
    beforeEach(() => clock.advance(24 * HOUR));

    async function draft(headline = 'Harbour festival programme announced') {
      return app.articles.create(
        { headline: `${headline} ${++serial}`, body: paragraphs(3), sectionId: room.sections.local, authorIds: [room.authors.ana] },
        { actor: 'Ana Reyes' },
      );
    }

    test('a scheduled article is missing until its time, then drain() publishes it', async () => {
      const a = await draft();
      const at = new Date(clock.now().getTime() + HOUR);
      const published: number[] = [];
      app.events.on('article.published', ({ articleId }) => {
        published.push(articleId);
      });

      const scheduled = await app.articles.publish(a.id, { actor: 'Desk editor', at });
      assert.equal(scheduled.status, 'scheduled');
      assert.deepEqual(await app.site.article(a.slug), { kind: 'missing' });
      const [job] = await publishJobs(app, a.id);
      assert.equal(job?.status, 'queued');
      assert.equal(job?.run_at, at.toISOString());

      clock.advance(HOUR - MINUTE);
      assert.equal(await app.runner.drain(), 0, 'nothing is due a minute early');
      assert.deepEqual(await app.site.article(a.slug), { kind: 'missing' });
      assert.ok(!(await app.site.latest(50)).some((c) => c.id === a.id));

      clock.advance(2 * MINUTE);
      assert.ok((await app.runner.drain()) >= 1, "the publish job ran (publishing also queues related-story jobs)");
      const found = await app.site.article(a.slug);
      assert.equal(found.kind, 'found');
      const row = await app.articles.get(a.id);
      assert.equal(row.status, 'published');
      assert.equal(row.scheduled_at, null);
      assert.equal(row.published_at, clock.now().toISOString());
      assert.ok(row.published_at! >= at.toISOString(), 'never published before its time');
      assert.ok((await app.site.latest(50)).some((c) => c.id === a.id), 'it joins the lists');
      assert.deepEqual(published, [a.id], 'article.published was announced once');
      assert.equal((await publishJobs(app, a.id))[0]?.status, 'done');
      const revisions = await app.articles.revisions(a.id);
      assert.equal(revisions[0]!.actor, 'scheduler');
      assert.equal(revisions[0]!.note, 'Published on schedule');

      assert.equal(await app.runner.drain(), 0, 'the job runs once');
    });

    test('a running worker publishes on its own when the time comes', async () => {
      const worker = await startTestApp(dialect, {
        clock,
        listen: false,
        worker: true,
        reuse: { dataDir: t.config.dataDir, schema: t.config.database.kind === 'postgres' ? t.config.database.schema : undefined },
      });
      try {
        const a = await draft();
        await app.articles.publish(a.id, { actor: 'Desk editor', at: new Date(clock.now().getTime() + 30 * MINUTE) });
        await sleep(150); // several polls of the worker
        assert.equal((await app.articles.get(a.id)).status, 'scheduled');
        clock.advance(31 * MINUTE);
        await waitFor('the worker to publish the article', async () => (await app.site.article(a.slug)).kind === 'found');
      } finally {
        await worker.close();
      }
    });

    test('unscheduling (unpublish of a scheduled article) cancels the job: it never goes out', async () => {
      const a = await draft();
      await app.articles.publish(a.id, { actor: 'Desk editor', at: new Date(clock.now().getTime() + HOUR) });
      assert.equal((await publishJobs(app, a.id)).length, 1);

      const unscheduled = await app.articles.unpublish(a.id, { actor: 'Desk editor' });
      assert.equal(unscheduled.status, 'draft', 'an unscheduled article goes back to draft');
      assert.equal(unscheduled.scheduled_at, null);
      assert.deepEqual(await publishJobs(app, a.id), [], 'the publish job was removed');

      clock.advance(2 * HOUR);
      await app.runner.drain(); // other capabilities' jobs may run (related stories hear the unpublish); no publish
      assert.deepEqual(await publishJobs(app, a.id), []);
      assert.deepEqual(await app.articles.publishDue(), []);
      assert.equal((await app.articles.get(a.id)).status, 'draft');
      assert.deepEqual(await app.site.article(a.slug), { kind: 'missing' });
    });

    test('rescheduling moves the single job; the old time publishes nothing', async () => {
      const a = await draft();
      await app.articles.publish(a.id, { actor: 'x', at: new Date(clock.now().getTime() + HOUR) });
      const later = new Date(clock.now().getTime() + 3 * HOUR);
      await app.articles.schedule(a.id, later, { actor: 'x' });
      const jobs = await publishJobs(app, a.id);
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]!.run_at, later.toISOString());

      clock.advance(2 * HOUR);
      await app.runner.drain();
      assert.equal((await app.articles.get(a.id)).status, 'scheduled');
      assert.deepEqual(await app.site.article(a.slug), { kind: 'missing' });

      clock.advance(HOUR);
      assert.ok((await app.runner.drain()) >= 1, "the publish job ran (publishing also queues related-story jobs)");
      assert.equal((await app.site.article(a.slug)).kind, 'found');
    });

    test('publishing a scheduled article now cancels its job and keeps the time it went out', async () => {
      const a = await draft();
      await app.articles.publish(a.id, { actor: 'x', at: new Date(clock.now().getTime() + HOUR) });
      const now = clock.now().toISOString();
      await app.articles.publish(a.id, { actor: 'x' });
      assert.deepEqual(await publishJobs(app, a.id), []);
      clock.advance(2 * HOUR);
      await app.runner.drain(); // related-story jobs run; the cancelled publish job must not (the time below stays)
      assert.equal((await app.articles.get(a.id)).published_at, now);
    });

    test('several articles due at once all go out; ones not yet due wait', async () => {
      const base = clock.now().getTime();
      const due = [await draft(), await draft(), await draft()];
      const notYet = await draft();
      for (const [i, a] of due.entries()) await app.articles.publish(a.id, { actor: 'x', at: new Date(base + (i + 1) * MINUTE) });
      await app.articles.publish(notYet.id, { actor: 'x', at: new Date(base + 2 * HOUR) });
      clock.advance(10 * MINUTE);
      await app.runner.drain();
      for (const a of due) assert.equal((await app.site.article(a.slug)).kind, 'found', a.slug);
      assert.deepEqual(await app.site.article(notYet.slug), { kind: 'missing' });
      assert.equal((await publishJobs(app, notYet.id))[0]?.status, 'queued');
    });

    test('restart: an article due while no worker ran is published as the new worker starts, without any request', async () => {
      const storage = ownStorage(dialect);
      const reuse = { dataDir: storage.dataDir, schema: storage.schema };
      const restartClock = new TestClock(clock.now());
      let first: TestApp | undefined;
      let second: TestApp | undefined;
      try {
        first = await startTestApp(dialect, { clock: restartClock, listen: false, reuse });
        const newsroom = await makeNewsroom(first.app);
        const created = await first.app.articles.create(
          { headline: 'Polls open at seven', body: paragraphs(2), sectionId: newsroom.sections.local },
          { actor: 'Ana Reyes' },
        );
        const at = new Date(restartClock.now().getTime() + HOUR);
        await first.app.articles.publish(created.id, { actor: 'Ana Reyes', at });
        await first.close(); // the whole newsroom goes down before the scheduled time
        first = undefined;

        restartClock.advance(3 * HOUR);
        second = await startTestApp(dialect, { clock: restartClock, listen: false, reuse });
        // The storage survived the first app: the article is still there, still scheduled.
        const before = await second.app.articles.get(created.id);
        assert.equal(before.status, 'scheduled');
        assert.equal(before.headline, 'Polls open at seven');
        assert.deepEqual(await second.app.site.article(created.slug), { kind: 'missing' });

        await second.app.start({ worker: true, http: false });
        // No drain, no request, no waiting for a poll: start() itself published it.
        const after = await second.app.articles.get(created.id);
        assert.equal(after.status, 'published');
        assert.equal(after.published_at, restartClock.now().toISOString());
        const found = await second.app.site.article(created.slug);
        assert.equal(found.kind, 'found');
        assert.equal(found.kind === 'found' && found.article.card.section?.slug, 'local');
        assert.deepEqual(
          (await publishJobs(second.app, created.id)).filter((j) => j.status === 'queued'),
          [],
          'no stale job is left to publish it again',
        );
      } finally {
        await first?.close();
        await second?.close();
        await dropTestStorage(dialect, storage.dataDir, storage.schema);
      }
    });

    test('restart: an unscheduled article stays unpublished after a restart', async () => {
      const storage = ownStorage(dialect);
      const reuse = { dataDir: storage.dataDir, schema: storage.schema };
      const restartClock = new TestClock(clock.now());
      let first: TestApp | undefined;
      let second: TestApp | undefined;
      try {
        first = await startTestApp(dialect, { clock: restartClock, listen: false, reuse });
        const created = await first.app.articles.create({ headline: 'Embargoed report' }, { actor: 'x' });
        await first.app.articles.publish(created.id, { actor: 'x', at: new Date(restartClock.now().getTime() + HOUR) });
        await first.app.articles.unpublish(created.id, { actor: 'x' });
        await first.close();
        first = undefined;
        restartClock.advance(3 * HOUR);
        second = await startTestApp(dialect, { clock: restartClock, listen: false, worker: true, reuse });
        await sleep(100);
        assert.equal((await second.app.articles.get(created.id)).status, 'draft');
        assert.deepEqual(await second.app.site.article(created.slug), { kind: 'missing' });
      } finally {
        await first?.close();
        await second?.close();
        await dropTestStorage(dialect, storage.dataDir, storage.schema);
      }
    });
  });
}
