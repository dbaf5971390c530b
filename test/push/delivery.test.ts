/**
 * Push alerts end to end on SQLite and PostgreSQL: readers subscribe through
 * the reader API with keys the test made, an editor sends an alert through the
 * Admin API, the job sends it through `web-push` to the local push service,
 * which checks the VAPID token and decrypts every payload. Then what a
 * newsroom notices: who got it (once), the TTL, Urgency and Topic headers,
 * removed subscriptions on 404/410, retries that wait for Retry-After,
 * failures that retire a subscription, no resend after a crash, counts and
 * clicks in the alerts list.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { TestPushService, type TestSubscription } from '../support/push-service.js';
import { MAX_DELIVERY_ATTEMPTS, RETIRE_AFTER_FAILURES } from '../../src/push/delivery.service.js';

type Json = Record<string, any>;

for (const dialect of DIALECTS) {
  describe(`push alert delivery on ${dialect}`, () => {
    let t: TestApp;
    let service: TestPushService;
    let room: Newsroom;
    let editor = { cookie: '', csrf: '' };
    let article = { id: 0, path: '' };

    const subscribe = async (topics: string[]): Promise<TestSubscription> => {
      const sub = service.subscription();
      const res = await call(t, 'PUT', '/push/subscription', { body: { subscription: sub.json, topics }, headers: { 'sec-fetch-site': 'same-origin' } });
      assert.equal(res.status, 201, res.text);
      return sub;
    };
    const sendAlert = async (body: Json): Promise<Json> => {
      const res = await call(t, 'POST', '/api/admin/push/alerts', { body, cookie: editor.cookie, csrf: editor.csrf });
      assert.equal(res.status, 201, res.text);
      return res.json as Json;
    };
    const alert = async (id: number): Promise<Json> => (await call(t, 'GET', `/api/admin/push/alerts/${id}`, { cookie: editor.cookie })).json as Json;
    const subscriptionRow = (sub: TestSubscription) => t.app.push.repo.subscriptionByEndpoint(sub.json.endpoint);

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      service = await new TestPushService().start();
      t = await startTestApp(dialect, { clock: new TestClock(new Date()), env: { PUSH_ALLOW_LOCAL_ENDPOINTS: 'true', PUSH_TEST_CA_FILE: service.caFile } });
      room = await makeNewsroom(t.app);
      article = await publishedArticle(t.app, room, { headline: 'Harbour bridge closed after ship strike', breaking: true });
      const staff = await createStaff(t, 'editor');
      editor = await signIn(t, staff.email, staff.password);
    });
    after(async () => {
      await t?.close();
      await service?.close();
    });

    test('an alert reaches each subscriber of its topic once, signed and encrypted, with TTL, Urgency and Topic', async () => {
      const breaking = [await subscribe(['breaking']), await subscribe(['breaking', `section:${room.sections.local}`])];
      const worldOnly = await subscribe([`section:${room.sections.world}`]);
      const sent = await sendAlert({ title: 'Harbour bridge closed', body: 'A cargo ship struck the bridge; traffic is diverted.', articleId: article.id, topic: 'breaking', urgency: 'high', ttlMinutes: 30 });
      assert.equal(sent.status, 'scheduled');
      await t.app.runner.drain();

      assert.deepEqual(service.refused, [], 'every request carried a valid VAPID token and a payload the subscription keys decrypt');
      for (const sub of breaking) {
        const got = service.deliveredTo(sub.id);
        assert.equal(got.length, 1, 'exactly one push per subscriber');
        const push = got[0]!;
        assert.deepEqual(push.payload, { id: sent.id, title: 'Harbour bridge closed', body: 'A cargo ship struck the bridge; traffic is diverted.', url: `http://news.test${article.path}`, tag: `alert-${sent.id}` });
        assert.equal(push.ttl, '1800');
        assert.equal(push.urgency, 'high');
        assert.equal(push.topic, 'breaking');
        assert.equal(push.vapid.publicKey, (await call(t, 'GET', '/push/key')).json.publicKey, 'signed with the key readers subscribed with');
        assert.match(push.vapid.claims.sub, /^mailto:/);
      }
      assert.equal(service.deliveredTo(worldOnly.id).length, 0, 'a reader who chose only World gets no breaking alert');

      const after = await alert(sent.id);
      assert.equal(after.status, 'sent');
      assert.equal(after.recipients, 2);
      assert.deepEqual(after.counts, { sent: 2, failed: 0, waiting: 0, clicked: 0, removed: 0, unknown: 0 });

      // Draining again (a job replayed) sends nothing more.
      await t.app.jobs.enqueue('push.alert', { alertId: sent.id });
      await t.app.runner.drain();
      for (const sub of breaking) assert.equal(service.deliveredTo(sub.id).length, 1);

      // The reader taps the notification: the service worker reports it; the list shows the count.
      const click = await call(t, 'POST', `/push/alerts/${sent.id}/click`, { headers: { 'sec-fetch-site': 'same-origin' } });
      assert.equal(click.status, 204);
      const crossSite = await call(t, 'POST', `/push/alerts/${sent.id}/click`, { headers: { 'sec-fetch-site': 'cross-site' } });
      assert.equal(crossSite.status, 403, 'another site cannot inflate the count');
      const list = await call(t, 'GET', '/api/admin/push/alerts', { cookie: editor.cookie });
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.items.find((a: Json) => a.id === sent.id).counts, { sent: 2, failed: 0, waiting: 0, clicked: 1, removed: 0, unknown: 0 });

      // The topic picker counts active subscribers per topic.
      const topics = await call(t, 'GET', '/api/admin/push/topics', { cookie: editor.cookie });
      const byTopic = Object.fromEntries(topics.json.items.map((i: Json) => [i.topic, i.subscribers]));
      assert.equal(byTopic.breaking, 2);
      assert.equal(byTopic[`section:${room.sections.world}`], 1);
    });

    test('404 and 410 remove the subscription; 429 waits for Retry-After; 500 is retried, then counts as failed', async () => {
      const gone404 = await subscribe(['breaking']);
      const gone410 = await subscribe(['breaking']);
      const limited = await subscribe(['breaking']);
      const broken = await subscribe(['breaking']);
      service.script(gone404.id, { status: 404 });
      service.script(gone410.id, { status: 410 });
      service.script(limited.id, { status: 429, retryAfter: '120' });
      service.script(broken.id, ...Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => ({ status: 500 })));
      const before = service.received.length;
      const sent = await sendAlert({ title: 'Ferry service suspended', body: '', url: '/local', topic: 'breaking' });
      await t.app.runner.drain();

      assert.equal(await subscriptionRow(gone404), undefined, '404: the subscription is deleted');
      assert.equal(await subscriptionRow(gone410), undefined, '410: the subscription is deleted');
      assert.equal(service.deliveredTo(limited.id).length, 0);
      let state = await alert(sent.id);
      assert.equal(state.status, 'sending', 'still waiting for the retries');
      assert.equal(state.counts.removed, 2);

      // One minute later the push service's two minutes have not passed: nothing is sent to it.
      t.clock.advance(60_000);
      await t.app.runner.drain();
      assert.equal(service.deliveredTo(limited.id).length, 0, 'Retry-After is honoured');

      // Past every backoff: the limited one gets it; the broken one fails after its last try.
      for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 1; i++) {
        t.clock.advance(31 * 60_000);
        await t.app.runner.drain();
      }
      assert.equal(service.deliveredTo(limited.id).length, 1);
      const brokenTries = service.received.slice(before).filter((r) => r.subscriptionId === broken.id);
      assert.equal(brokenTries.length, MAX_DELIVERY_ATTEMPTS, 'tried exactly the allowed number of times');
      state = await alert(sent.id);
      assert.equal(state.status, 'sent');
      assert.equal(state.counts.failed, 1);
      assert.equal(state.counts.removed, 2);
      assert.ok(state.counts.sent >= 1);
      assert.equal((await subscriptionRow(broken))?.failures, 1);
      assert.equal((await subscriptionRow(limited))?.failures, 0);
    });

    test(`a subscription that fails ${RETIRE_AFTER_FAILURES} alerts in a row is retired and gets no more`, async () => {
      const bad = await subscribe([`section:${room.sections.world}`]);
      for (let n = 0; n < RETIRE_AFTER_FAILURES; n++) {
        service.script(bad.id, { status: 400 });
        await sendAlert({ title: `World update ${n + 1}`, body: 'More soon.', url: '/world', topic: `section:${room.sections.world}` });
        await t.app.runner.drain();
      }
      const row = await subscriptionRow(bad);
      assert.equal(row?.status, 'retired');
      const tries = service.received.filter((r) => r.subscriptionId === bad.id).length;
      await sendAlert({ title: 'World update, again', body: '', url: '/world', topic: `section:${room.sections.world}` });
      await t.app.runner.drain();
      assert.equal(service.received.filter((r) => r.subscriptionId === bad.id).length, tries, 'a retired subscription is not sent to');
    });

    test('at most once: deliveries a crashed worker had claimed are never sent again; the rest go out once', async () => {
      const subs = [await subscribe(['breaking']), await subscribe(['breaking']), await subscribe(['breaking'])];
      // Every first request is turned away without a time, so the alert has started but nothing was delivered.
      for (const sub of subs) service.script(sub.id, { status: 503 });
      const sent = await sendAlert({ title: 'Storm warning', body: 'Winds up to 100 km/h tonight.', url: '/local', topic: 'breaking' });
      await t.app.runner.drain();
      const waitingIds = new Set(subs.map((s) => s.id));
      assert.equal(service.received.filter((r) => waitingIds.has(r.subscriptionId) && r.status === 201).length, 0);

      // A worker claims the retries and dies mid-request (its claim committed, its answer never recorded).
      t.clock.advance(31 * 60_000);
      const claimed = await t.app.push.repo.claimBatch(sent.id, t.clock.now().toISOString(), 100);
      const crashed = new Set(claimed.slice(0, 2).map((c) => c.subscriptionId));
      const keep = claimed.slice(2).map((c) => c.subscriptionId);
      // (Only two of them were in flight at the crash; the third's claim never happened.)
      await t.app.db.kysely.updateTable('push_deliveries').set({ status: 'pending' }).where('alert_id', '=', sent.id).where('subscription_id', 'in', keep.length ? keep : [0]).execute();

      // The next worker, after the stale time, runs the job.
      t.clock.advance(3 * 60_000);
      await t.app.jobs.enqueue('push.alert', { alertId: sent.id }, { uniqueKey: `push-alert:${sent.id}` });
      await t.app.runner.drain();
      const state = await alert(sent.id);
      assert.equal(state.status, 'sent');
      assert.equal(state.counts.unknown, crashed.size);
      const deliveredNow = subs.filter((s) => service.deliveredTo(s.id).length > 0).length;
      assert.equal(deliveredNow, subs.length - crashed.size, 'the claimed-then-crashed ones are not resent');
      for (const s of subs) assert.ok(service.deliveredTo(s.id).length <= 1);
    });

    test('a scheduled alert waits for its time and can be cancelled before', async () => {
      const sub = await subscribe([`section:${room.sections.local}`]);
      const later = await sendAlert({ title: 'Polls close at 8', body: 'Results from 9 pm.', url: '/local', topic: `section:${room.sections.local}`, sendAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() });
      const cancelled = await sendAlert({ title: 'Never sent', body: '', url: '/local', topic: `section:${room.sections.local}`, sendAt: new Date(t.clock.now().getTime() + 3600_000).toISOString() });
      const cancel = await call(t, 'POST', `/api/admin/push/alerts/${cancelled.id}/cancel`, { cookie: editor.cookie, csrf: editor.csrf });
      assert.equal(cancel.status, 200, cancel.text);
      assert.equal(cancel.json.status, 'cancelled');

      await t.app.runner.drain();
      assert.equal(service.deliveredTo(sub.id).length, 0, 'not before its time');
      t.clock.advance(3600_000 + 1000);
      await t.app.runner.drain();
      const got = service.deliveredTo(sub.id);
      assert.deepEqual(got.map((g) => g.payload.title), ['Polls close at 8']);
      assert.equal((await alert(later.id)).status, 'sent');
      const again = await call(t, 'POST', `/api/admin/push/alerts/${later.id}/cancel`, { cookie: editor.cookie, csrf: editor.csrf });
      assert.equal(again.status, 409, 'a sent alert cannot be cancelled');
    });
  });
}
