/**
 * Sign-ups nobody confirmed are forgotten after 30 days, on SQLite and
 * PostgreSQL: the reader, their pending subscriptions and their consent
 * records go; anyone with anything else (a confirmed or withdrawn
 * subscription, a recent request) is kept whole. The daily job queues itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { PENDING_KEEP_MS, PURGE_PENDING_JOB } from '../../src/newsletter/purge-pending.js';
import { addReader } from './delivery-support.js';
import { deliver, Inbox, nextIp, postForm } from './support.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`forgetting unconfirmed sign-ups on ${dialect}`, () => {
    const inbox = new Inbox();
    const clock = new TestClock();
    let t: TestApp;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await inbox.start();
      t = await startTestApp(dialect, { clock, env: { SMTP_URL: `smtp://127.0.0.1:${inbox.port}`, TRUST_PROXY: 'true' } });
    });
    after(async () => {
      await t?.close();
      await inbox.close();
    });

    test('after 30 days unconfirmed, the reader and their records are deleted; everyone else stays', async () => {
      const daily = await t.app.newsletters.newsletters.create({ name: 'Early Edition' });
      const weekly = await t.app.newsletters.newsletters.create({ name: 'Weekend Reading' });
      // Through the form, as a stranger typing someone's address would.
      assert.equal((await postForm(t, '/newsletters', [['email', 'never.confirmed@example.org'], ['newsletters', daily.slug]], { ip: nextIp() })).status, 200);
      await deliver(t);
      const stranger = (await t.app.newsletters.subscribersRepo.byKey('never.confirmed@example.org'))!;
      assert.ok((await t.app.newsletters.subscribersRepo.consents(stranger.id)).length > 0);
      const mixed = await addReader(t, 'mixed@example.org', 'Mixed', [[daily.id, 'pending'], [weekly.id, 'subscribed']]);
      const left = await addReader(t, 'left@example.org', 'Left', [[daily.id, 'unsubscribed']]);

      clock.advance(PENDING_KEEP_MS - DAY);
      const recent = await addReader(t, 'recent@example.org', 'Recent', [[daily.id, 'pending']]);
      assert.equal(await t.app.newsletters.pendingPurge.purge(), 0, 'nothing is 30 days old yet');

      clock.advance(2 * DAY);
      assert.equal(await t.app.newsletters.pendingPurge.purge(), 1);
      assert.equal(await t.app.newsletters.subscribersRepo.byKey('never.confirmed@example.org'), undefined);
      assert.deepEqual(await t.app.newsletters.subscribersRepo.consents(stranger.id), [], 'their consent records went with them');
      for (const id of [mixed, left, recent]) assert.ok(await t.app.newsletters.subscribersRepo.byId(id), `reader ${id} is kept`);
      assert.equal((await t.app.newsletters.subscribersRepo.subscriptions(mixed)).length, 2, 'a reader with a confirmed subscription keeps even the old pending one');

      clock.advance(PENDING_KEEP_MS);
      assert.equal(await t.app.newsletters.pendingPurge.purge(), 1, 'the later request ages out too');
      assert.equal(await t.app.newsletters.subscribersRepo.byId(recent), undefined);
    });

    test('the daily job runs from the queue and queues its next run a day later', async () => {
      await t.app.newsletters.pendingPurge.ensureQueued();
      await t.app.runner.drain();
      const job = await t.app.db.kysely.selectFrom('jobs').select(['status', 'run_at']).where('kind', '=', PURGE_PENDING_JOB).executeTakeFirstOrThrow();
      assert.equal(job.status, 'queued');
      assert.equal(new Date(job.run_at).getTime(), clock.now().getTime() + DAY);
    });
  });
}
