/**
 * The durable job queue and runner on SQLite and PostgreSQL: leases, retries
 * with backoff, dead jobs, at-most-one execution across runners, and a stop()
 * that lets running jobs finish.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { DIALECTS, TestClock, assertPostgresReachable, startTestApp, type TestApp } from '../support/apps.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { JobRunner } from '../../src/jobs/runner.js';
import type { App } from '../../src/app.js';
import type { JobRow } from '../../src/db/schema.js';

const SECOND = 1000;
const silent = pino({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let t: TestApp;
    let app: App;
    const clock = new TestClock(new Date('2030-05-01T12:00:00.000Z'));
    let kindSerial = 0;
    let kind = '';
    const runners: JobRunner[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock, listen: false });
      app = t.app;
    });
    after(async () => {
      for (const r of runners) await r.stop();
      await t?.close();
    });
    beforeEach(() => {
      // A fresh job kind per test: earlier tests' jobs never interfere.
      kind = `test.kind-${++kindSerial}`;
      clock.advance(3_600_000);
    });

    function runner(handler: (payload: unknown, job: JobRow) => Promise<void>, options: { concurrency?: number; leaseMs?: number; queue?: JobQueue } = {}): JobRunner {
      const r = new JobRunner(options.queue ?? app.jobs, silent, { pollMs: 10, concurrency: options.concurrency ?? 1, leaseMs: options.leaseMs });
      r.register(kind, handler);
      runners.push(r);
      return r;
    }

    const jobsOf = (k = kind) => app.db.kysely.selectFrom('jobs').selectAll().where('kind', '=', k).orderBy('id').execute();
    const only = async (k = kind) => {
      const rows = await jobsOf(k);
      assert.equal(rows.length, 1, `expected one ${k} job, found ${rows.length}`);
      return rows[0]!;
    };
    const later = (ms: number) => new Date(clock.now().getTime() + ms);

    describe('enqueue, claim, complete', () => {
      test('a claimed job is running, leased to its worker, and nobody else gets it', async () => {
        await app.jobs.enqueue(kind, { articleId: 7, note: 'ü' });
        const job = await app.jobs.claim('worker-a', [kind], 60 * SECOND);
        assert.ok(job);
        assert.equal(job.kind, kind);
        assert.deepEqual(JSON.parse(job.payload), { articleId: 7, note: 'ü' });
        assert.equal(job.status, 'running');
        assert.equal(job.attempts, 1);
        assert.equal(job.locked_by, 'worker-a');
        assert.equal(job.locked_until, later(60 * SECOND).toISOString());
        assert.equal(await app.jobs.claim('worker-b', [kind], 60 * SECOND), undefined);

        await app.jobs.complete(job);
        const done = await only();
        assert.equal(done.status, 'done');
        assert.equal(done.locked_by, null);
        assert.equal(done.locked_until, null);
        assert.equal(done.finished_at, clock.now().toISOString());
        assert.equal(await app.jobs.claim('worker-b', [kind], 60 * SECOND), undefined, 'a done job is never run again');
      });

      test('only due jobs of the asked kinds are claimed, oldest due first', async () => {
        await app.jobs.enqueue(kind, { n: 'later' }, { runAt: later(10 * SECOND) });
        await app.jobs.enqueue(kind, { n: 'first' });
        await app.jobs.enqueue(kind, { n: 'second' });
        assert.equal(await app.jobs.claim('w', ['some.other.kind'], SECOND), undefined);
        assert.equal(await app.jobs.claim('w', [], SECOND), undefined);
        const a = await app.jobs.claim('w', [kind], SECOND);
        const b = await app.jobs.claim('w', ['some.other.kind', kind], SECOND);
        assert.deepEqual([a, b].map((j) => JSON.parse(j!.payload).n), ['first', 'second']);
        await app.jobs.complete(a!);
        await app.jobs.complete(b!);
        assert.equal(await app.jobs.claim('w', [kind], 60 * SECOND), undefined, 'the future job is not due yet');
        assert.equal((await app.jobs.nextRunAt([kind]))?.toISOString(), later(10 * SECOND).toISOString());
        clock.advance(10 * SECOND);
        assert.equal(JSON.parse((await app.jobs.claim('w', [kind], SECOND))!.payload).n, 'later');
        assert.equal(await app.jobs.nextRunAt([kind]), undefined);
      });

      test('drain() runs every due job once and reports how many', async () => {
        const seen: unknown[] = [];
        const r = runner(async (payload) => {
          seen.push(payload);
        });
        for (let i = 0; i < 5; i++) await app.jobs.enqueue(kind, { i });
        await app.jobs.enqueue(kind, { i: 'future' }, { runAt: later(SECOND) });
        assert.equal(await r.drain(), 5);
        assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => ({ i })));
        assert.equal(await r.drain(), 0);
        const rows = await jobsOf();
        assert.deepEqual(rows.map((j) => j.status), ['done', 'done', 'done', 'done', 'done', 'queued']);
      });
    });

    describe('unique keys', () => {
      test('enqueueing again with the same key replaces the pending job’s time and payload', async () => {
        const key = `${kind}:article-1`;
        await app.jobs.enqueue(kind, { v: 1 }, { uniqueKey: key, runAt: later(60 * SECOND) });
        await app.jobs.enqueue(kind, { v: 2 }, { uniqueKey: key, runAt: later(120 * SECOND) });
        const job = await only();
        assert.deepEqual(JSON.parse(job.payload), { v: 2 });
        assert.equal(job.run_at, later(120 * SECOND).toISOString());
        assert.equal(job.status, 'queued');

        // Other keys are separate jobs.
        await app.jobs.enqueue(kind, { v: 3 }, { uniqueKey: `${kind}:article-2`, runAt: later(60 * SECOND) });
        assert.equal((await jobsOf()).length, 2);
      });

      test('a finished or dead job with the key is queued afresh (e.g. an article scheduled again)', async () => {
        const key = `${kind}:again`;
        const seen: unknown[] = [];
        const r = runner(async (payload) => {
          seen.push(payload);
          if ((payload as { fail?: boolean }).fail) throw new Error('nope');
        });
        await app.jobs.enqueue(kind, { v: 1 }, { uniqueKey: key });
        assert.equal(await r.drain(), 1);
        assert.equal((await only()).status, 'done');
        await app.jobs.enqueue(kind, { v: 2, fail: true }, { uniqueKey: key, maxAttempts: 1 });
        assert.equal(await r.drain(), 1);
        assert.equal((await only()).status, 'dead');
        await app.jobs.enqueue(kind, { v: 3 }, { uniqueKey: key });
        const fresh = await only();
        assert.equal(fresh.status, 'queued');
        assert.equal(fresh.attempts, 0);
        assert.equal(fresh.last_error, null);
        assert.equal(fresh.finished_at, null);
        assert.equal(await r.drain(), 1);
        assert.deepEqual(seen, [{ v: 1 }, { v: 2, fail: true }, { v: 3 }]);
      });

      test('cancel removes the queued job; unknown keys are harmless', async () => {
        const key = `${kind}:cancel`;
        await app.jobs.enqueue(kind, {}, { uniqueKey: key, runAt: later(SECOND) });
        await app.jobs.enqueue(kind, {}, { uniqueKey: `${kind}:keep`, runAt: later(SECOND) });
        await app.jobs.cancel(key);
        await app.jobs.cancel('no-such-key');
        const rows = await jobsOf();
        assert.deepEqual(rows.map((r) => r.unique_key), [`${kind}:keep`]);
      });

      test('cancel leaves a running job alone: it finishes', async () => {
        const key = `${kind}:running`;
        await app.jobs.enqueue(kind, {}, { uniqueKey: key });
        const job = await app.jobs.claim('w', [kind], 60 * SECOND);
        await app.jobs.cancel(key);
        assert.equal((await only()).status, 'running');
        await app.jobs.complete(job!);
        assert.equal((await only()).status, 'done');
      });
    });

    describe('leases', () => {
      test('a job whose worker died is claimed again after its lease expires, and the dead worker cannot finish it', async () => {
        await app.jobs.enqueue(kind, { work: 'resume me' });
        const abandoned = await app.jobs.claim('dead-worker', [kind], 30 * SECOND);
        assert.ok(abandoned);
        clock.advance(29 * SECOND);
        assert.equal(await app.jobs.claim('worker-b', [kind], 60 * SECOND), undefined, 'the lease still holds');
        clock.advance(2 * SECOND);
        const again = await app.jobs.claim('worker-b', [kind], 60 * SECOND);
        assert.ok(again, 'the expired lease lets another worker take the job');
        assert.equal(again.id, abandoned.id);
        assert.equal(again.attempts, 2);
        assert.equal(again.locked_by, 'worker-b');

        // The first worker wakes up late: its completion or failure must not clobber worker-b's lease.
        await app.jobs.complete(abandoned);
        await app.jobs.fail(abandoned, new Error('late'));
        let row = await only();
        assert.equal(row.status, 'running');
        assert.equal(row.locked_by, 'worker-b');
        assert.equal(row.last_error, null);

        await app.jobs.complete(again);
        row = await only();
        assert.equal(row.status, 'done');
      });

      test('a runner picks up the abandoned job after the lease and runs it to completion', async () => {
        await app.jobs.enqueue(kind, { n: 1 });
        await app.jobs.claim('crashed-worker', [kind], 10 * SECOND);
        let runs = 0;
        const r = runner(async () => {
          runs++;
        });
        assert.equal(await r.drain(), 0);
        clock.advance(11 * SECOND);
        assert.equal(await r.drain(), 1);
        assert.equal(runs, 1);
        assert.equal((await only()).status, 'done');
      });

      test('a job that kills its worker every time goes dead after max_attempts instead of looping forever', async () => {
        await app.jobs.enqueue(kind, { poison: true }, { maxAttempts: 2 });
        assert.ok(await app.jobs.claim('w1', [kind], 10 * SECOND));
        clock.advance(11 * SECOND);
        assert.ok(await app.jobs.claim('w2', [kind], 10 * SECOND));
        clock.advance(11 * SECOND);
        assert.equal(await app.jobs.claim('w3', [kind], 10 * SECOND), undefined, 'no third attempt');
        const row = await only();
        assert.equal(row.status, 'dead');
        assert.equal(row.attempts, 2);
        assert.equal(row.locked_by, null);
        assert.match(row.last_error ?? '', /lease|stopped/i);
      });
    });

    describe('failures', () => {
      test('a failing job is retried with exponential backoff, then goes dead after max_attempts', async () => {
        let runs = 0;
        const r = runner(async () => {
          runs++;
          throw new Error(`flaky upstream ${runs}`);
        });
        await app.jobs.enqueue(kind, {}, { maxAttempts: 3 });

        assert.equal(await r.drain(), 1);
        let row = await only();
        assert.equal(row.status, 'queued');
        assert.equal(row.attempts, 1);
        assert.equal(row.last_error, 'flaky upstream 1');
        assert.equal(row.locked_by, null);
        assert.equal(row.run_at, later(5 * SECOND).toISOString(), 'first retry after 5 s');

        assert.equal(await r.drain(), 0, 'not before the backoff');
        clock.advance(5 * SECOND);
        assert.equal(await r.drain(), 1);
        row = await only();
        assert.equal(row.status, 'queued');
        assert.equal(row.attempts, 2);
        assert.equal(row.run_at, later(10 * SECOND).toISOString(), 'second retry after 10 s');

        clock.advance(10 * SECOND);
        assert.equal(await r.drain(), 1);
        row = await only();
        assert.equal(row.status, 'dead');
        assert.equal(row.attempts, 3);
        assert.equal(row.last_error, 'flaky upstream 3');
        assert.equal(row.finished_at, clock.now().toISOString());

        clock.advance(24 * 3_600_000);
        assert.equal(await r.drain(), 0, 'a dead job is never run again');
        assert.equal(runs, 3);
      });

      test('a job that fails once and then succeeds is done; backoff is capped at an hour', async () => {
        let runs = 0;
        const r = runner(async () => {
          runs++;
          if (runs === 1) throw new Error('first try fails');
        });
        await app.jobs.enqueue(kind, {});
        await r.drain();
        clock.advance(5 * SECOND);
        await r.drain();
        const row = await only();
        assert.equal(row.status, 'done');
        assert.equal(row.attempts, 2);
        assert.equal(runs, 2);

        await app.jobs.enqueue(kind, { n: 2 }, { uniqueKey: `${kind}:cap`, maxAttempts: 30 });
        let job = (await app.jobs.claim('w', [kind], SECOND))!;
        await app.db.kysely.updateTable('jobs').set({ attempts: 20 }).where('id', '=', job.id).execute();
        job = { ...job, attempts: 20 };
        assert.equal(await app.jobs.fail(job, 'string error'), 'retry');
        const capped = (await jobsOf()).find((j) => j.id === job.id)!;
        assert.equal(capped.run_at, later(3_600_000).toISOString());
        assert.equal(capped.last_error, 'string error');
      });

      test('the runner keeps going after a failing job', async () => {
        const ran: number[] = [];
        const r = runner(async (payload) => {
          const n = (payload as { n: number }).n;
          ran.push(n);
          if (n === 2) throw new Error('bad one');
        });
        for (const n of [1, 2, 3]) await app.jobs.enqueue(kind, { n });
        assert.equal(await r.drain(), 3);
        assert.deepEqual(ran, [1, 2, 3]);
        assert.deepEqual((await jobsOf()).map((j) => j.status), ['done', 'queued', 'done']);
      });
    });

    describe('several runners', () => {
      test('two runners draining concurrently never run the same job twice', async () => {
        // The second runner works through a second app on the same database (another connection).
        const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
        const other = await startTestApp(dialect, { clock, listen: false, reuse: { dataDir: t.config.dataDir, schema } });
        try {
          const executions = new Map<number, string[]>();
          const handler = (name: string) => async (payload: unknown) => {
            const n = (payload as { n: number }).n;
            executions.set(n, [...(executions.get(n) ?? []), name]);
            await sleep(n % 3);
          };
          const a = runner(handler('a'));
          const b = runner(handler('b'), { queue: other.app.jobs });
          const c = runner(handler('c'));
          const total = 60;
          for (let n = 0; n < total; n++) await app.jobs.enqueue(kind, { n });
          const counts = await Promise.all([a.drain(), b.drain(), c.drain()]);
          assert.equal(counts.reduce((x, y) => x + y, 0), total);
          assert.equal(executions.size, total);
          for (const [n, by] of executions) assert.equal(by.length, 1, `job ${n} ran ${by.length} times (${by.join(', ')})`);
          assert.ok(counts.filter((n) => n > 0).length >= 2, `the work was shared: ${counts.join('/')}`);
          assert.ok((await jobsOf()).every((j) => j.status === 'done' && j.attempts === 1));
        } finally {
          await other.close();
        }
      });

      test('two started runners with concurrency share the work, each job once', async () => {
        const executions = new Map<number, number>();
        let running = 0;
        let maxRunning = 0;
        const handler = async (payload: unknown) => {
          const n = (payload as { n: number }).n;
          executions.set(n, (executions.get(n) ?? 0) + 1);
          running++;
          maxRunning = Math.max(maxRunning, running);
          await sleep(5);
          running--;
        };
        const a = runner(handler, { concurrency: 3 });
        const b = runner(handler, { concurrency: 3 });
        const total = 40;
        for (let n = 0; n < total; n++) await app.jobs.enqueue(kind, { n });
        a.start();
        b.start();
        await waitFor('every job to finish', async () => (await jobsOf()).every((j) => j.status === 'done'));
        await Promise.all([a.stop(), b.stop()]);
        assert.equal(executions.size, total);
        assert.ok([...executions.values()].every((count) => count === 1), 'each job ran exactly once');
        assert.ok(maxRunning > 1, 'jobs ran concurrently');
        assert.ok(maxRunning <= 6, `at most 2 runners x 3 at a time, saw ${maxRunning}`);
      });
    });

    describe('stopping', () => {
      test('stop() waits for a running handler to finish and records it as done', async () => {
        const started = deferred();
        const release = deferred();
        let finished = false;
        const r = runner(async () => {
          started.resolve();
          await release.promise;
          await sleep(20);
          finished = true;
        });
        await app.jobs.enqueue(kind, {});
        r.start();
        await started.promise;

        let stopped = false;
        const stopping = r.stop().then(() => {
          stopped = true;
        });
        await sleep(100);
        assert.equal(stopped, false, 'stop() returned while a job was still running');
        release.resolve();
        await stopping;
        assert.equal(finished, true);
        assert.equal((await only()).status, 'done', 'the job was recorded as done before stop() returned');

        // A stopped runner takes no new work.
        await app.jobs.enqueue(kind, { n: 2 });
        await sleep(60);
        assert.deepEqual((await jobsOf()).map((j) => j.status), ['done', 'queued']);
      });

      test('a started runner picks up a job enqueued while it idles, and stops promptly when idle', async () => {
        const ran = deferred();
        const r = runner(async () => ran.resolve());
        r.start();
        await sleep(30);
        await app.jobs.enqueue(kind, {});
        r.poke();
        await ran.promise;
        await waitFor('the job to be done', async () => (await only()).status === 'done');
        const t0 = Date.now();
        await r.stop();
        assert.ok(Date.now() - t0 < 1000, 'an idle runner stops at once');
      });

      test('app.stop() lets an in-flight job finish before closing the database', async () => {
        const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
        const other = await startTestApp(dialect, { clock, listen: false, reuse: { dataDir: t.config.dataDir, schema } });
        const started = deferred();
        let finished = false;
        other.app.runner.register(kind, async () => {
          started.resolve();
          await sleep(150);
          finished = true;
        });
        await app.jobs.enqueue(kind, {});
        await other.app.start({ worker: true, http: false });
        await started.promise;
        await other.close();
        assert.equal(finished, true);
        assert.equal((await only()).status, 'done');
      });
    });
  });
}
