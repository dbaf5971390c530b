/**
 * Schedules and automatic sends, on SQLite and PostgreSQL, with a real SMTP
 * server: an automatic newsletter goes out at its slot (in the site's time
 * zone) exactly once, even when the scheduler runs again, after a simulated
 * crash, or in two apps sharing the database at the same instant; manual
 * newsletters never go out on their own; a slot with no new stories sends
 * nothing and is not retried; a slot missed by more than 2 hours is skipped;
 * the candidate window starts at the last send. The slot arithmetic itself,
 * across daylight-saving changes in London and New York, is tested without a
 * database at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { firstIssueSince, latestSlot, nextSlot, slotsUpTo, zonedInstant } from '../../src/newsletter/schedule-slots.js';
import type { Schedule } from '../../src/newsletter/newsletters.service.js';
import { addReader, MailServer } from './delivery-support.js';

const WEEKDAYS: Schedule['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const DAILY: Schedule['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const at = (iso: string) => new Date(iso);

for (const dialect of DIALECTS) {
  describe(`newsletter schedules on ${dialect}`, () => {
    const smtp = new MailServer();
    // London in winter is UTC, so the times below read the same in both.
    const clock = new TestClock(at('2026-11-30T05:00:00Z')); // a Monday
    let t: TestApp;
    let room: Newsroom;
    let editorEmail: string;
    /** Signed in at the test clock's time (the clock moves days between tests; sessions expire). */
    const signedIn = (): Promise<Signed> => signIn(t, editorEmail, 'a long and memorable passphrase');

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      t = await startTestApp(dialect, { clock, env: { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } });
      await t.app.settings.update({ timeZone: 'Europe/London' }, clock.now().toISOString());
      room = await makeNewsroom(t.app);
      editorEmail = (await createStaff(t, 'editor')).email;
      await t.app.newsletters.scheduler.ensureQueued();
    });
    after(async () => {
      await t?.close();
      await smtp.close();
    });

    const automatic = (name: string, days: Schedule['days'], time = '06:30') =>
      t.app.newsletters.newsletters.create({ name, senderEmail: 'desk@news.test', schedule: { days, time }, sendMode: 'automatic' });
    const sendsOf = (newsletterId: number) =>
      t.app.db.kysely.selectFrom('newsletter_sends').select(['id', 'subject', 'scheduled_for', 'created_at']).where('newsletter_id', '=', newsletterId).orderBy('id').execute();
    const story = (headline: string) => publishedArticle(t.app, room, { headline, dek: `About ${headline}.` });
    /** What the worker does every minute, and the sends it starts. */
    const runWorker = () => t.app.runner.drain();
    const inboxOf = (address: string) => smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === address)));

    test('an automatic newsletter goes out at its slot, exactly once: run again, after a crash, or by two apps at the same instant', async () => {
      const briefing = await automatic('Morning Briefing', WEEKDAYS);
      await addReader(t, 'ann@example.org', 'Ann', [[briefing.id, 'subscribed']]);
      await addReader(t, 'bob@example.org', 'Bob', [[briefing.id, 'subscribed']]);
      await addReader(t, 'pat@example.org', 'Pat', [[briefing.id, 'pending']]);
      await story('Harbour bridge reopens');
      clock.advance(60_000);
      await story('Council approves budget');

      // Switched on at 05:00: Friday's slot is not sent now, and 06:30 has not come yet.
      await runWorker();
      assert.equal((await sendsOf(briefing.id)).length, 0);

      clock.set(at('2026-11-30T06:30:00Z'));
      await runWorker();
      const [monday, ...more] = await sendsOf(briefing.id);
      assert.equal(more.length, 0);
      assert.equal(monday!.scheduled_for, '2026-11-30T06:30:00.000Z');
      assert.equal(monday!.subject, 'Morning Briefing: Council approves budget and 1 more');
      for (const reader of ['ann@example.org', 'bob@example.org']) {
        const got = inboxOf(reader);
        assert.equal(got.length, 1, `${reader} gets the issue once`);
        assert.match(got[0]!.text ?? '', /Harbour bridge reopens/);
        assert.match(got[0]!.text ?? '', /Council approves budget/);
      }
      assert.equal(inboxOf('pat@example.org').length, 0, 'a pending reader gets nothing');

      // The next minute's run, and another run in the same minute: nothing more.
      clock.advance(60_000);
      await runWorker();
      assert.deepEqual(await t.app.newsletters.scheduler.tick(), []);
      // A worker that died after starting the send and before recording the slot as done.
      await t.app.db.kysely.updateTable('newsletters').set({ schedule_done_until: '2026-11-30T05:00:00.000Z' }).where('id', '=', briefing.id).execute();
      assert.deepEqual(
        (await t.app.newsletters.scheduler.tick()).filter((o) => o.newsletterId === briefing.id).map((o) => o.outcome),
        ['already-sent'],
      );
      assert.equal((await sendsOf(briefing.id)).length, 1);
      // The last word is the database's: a second send for the same slot is refused, whoever starts it.
      const again = { newsletterId: briefing.id, scheduledFor: '2026-11-30T06:30:00.000Z', email: { subject: 'Twice', html: '<p>{{name}}</p>', text: '{{name}}' } };
      await assert.rejects(t.app.newsletters.delivery.startSend(again), (error: Error & { code?: string }) => /unique/i.test(`${error.code} ${error.message}`) || error.code === '23505');
      assert.equal((await sendsOf(briefing.id)).length, 1);

      // Tuesday: a second app on the same database runs the scheduler at the same instant.
      clock.set(at('2026-12-01T06:00:00Z'));
      await story('Ferry timetable changes');
      clock.set(at('2026-12-01T06:30:00Z'));
      const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
      const other = await startTestApp(dialect, { clock, listen: false, env: { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` }, reuse: { dataDir: t.config.dataDir, schema } });
      try {
        const outcomes = (await Promise.all([t.app.newsletters.scheduler.tick(), other.app.newsletters.scheduler.tick()])).flat().filter((o) => o.newsletterId === briefing.id);
        assert.equal(outcomes.filter((o) => o.outcome === 'sent').length, 1, JSON.stringify(outcomes));
        await Promise.all([runWorker(), other.app.runner.drain()]);
      } finally {
        await other.close();
      }
      const sends = await sendsOf(briefing.id);
      assert.deepEqual(
        sends.map((s) => s.scheduled_for),
        ['2026-11-30T06:30:00.000Z', '2026-12-01T06:30:00.000Z'],
      );
      // Since Monday's send: only Tuesday's story.
      assert.equal(sends[1]!.subject, 'Morning Briefing: Ferry timetable changes');
      for (const reader of ['ann@example.org', 'bob@example.org']) {
        assert.deepEqual(
          inboxOf(reader).map((m) => m.subject),
          ['Morning Briefing: Council approves budget and 1 more', 'Morning Briefing: Ferry timetable changes'],
        );
      }
    });

    test('a manual newsletter never goes out on its own; switching one to automatic after its slot does not send that slot', async () => {
      clock.set(at('2026-12-02T05:00:00Z')); // Wednesday
      const digest = await t.app.newsletters.newsletters.create({ name: 'Evening Digest', schedule: { days: DAILY, time: '06:30' } });
      assert.equal(digest.sendMode, 'manual');
      await addReader(t, 'dee@example.org', 'Dee', [[digest.id, 'subscribed']]);
      await story('Library extends hours');
      for (const time of ['2026-12-02T06:30:00Z', '2026-12-02T06:31:00Z', '2026-12-02T08:00:00Z']) {
        clock.set(at(time));
        await runWorker();
      }
      assert.equal((await sendsOf(digest.id)).length, 0);
      assert.equal(inboxOf('dee@example.org').length, 0);

      // 08:00, after today's 06:30: automatic from now on, so tomorrow's slot is the first.
      await story('Pool reopens');
      const editor = await signedIn();
      const patched = await call(t, 'PATCH', `/api/admin/newsletters/${digest.id}`, { cookie: editor.cookie, csrf: editor.csrf, body: { sendMode: 'automatic' } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.json.sendMode, 'automatic');
      clock.advance(60_000);
      await runWorker();
      assert.equal((await sendsOf(digest.id)).length, 0);
      clock.set(at('2026-12-03T06:30:00Z'));
      await runWorker();
      assert.deepEqual(
        (await sendsOf(digest.id)).map((s) => s.scheduled_for),
        ['2026-12-03T06:30:00.000Z'],
      );
      assert.deepEqual(
        inboxOf('dee@example.org').map((m) => m.subject),
        ['Evening Digest: Pool reopens'],
      );
      // Back to manual: the next slot stays quiet.
      await t.app.newsletters.newsletters.update(digest.id, { sendMode: 'manual' });
      clock.set(at('2026-12-04T05:00:00Z'));
      await story('Market moves indoors');
      clock.set(at('2026-12-04T06:30:00Z'));
      await runWorker();
      assert.equal((await sendsOf(digest.id)).length, 1);
    });

    test('no stories since the last send, or no readers: no email, and the slot is not looked at again; the next slot carries what came after', async () => {
      clock.set(at('2026-12-05T06:00:00Z')); // Saturday; nothing published since Friday 05:00
      const weekend = await automatic('Weekend Notes', DAILY);
      await addReader(t, 'eve@example.org', 'Eve', [[weekend.id, 'subscribed']]);
      clock.set(at('2026-12-05T06:30:00Z'));
      const outcomes = (await t.app.newsletters.scheduler.tick()).filter((o) => o.newsletterId === weekend.id);
      assert.deepEqual(outcomes.map((o) => o.outcome), ['no-stories']);
      const row = await t.app.db.kysely.selectFrom('newsletters').select('schedule_done_until').where('id', '=', weekend.id).executeTakeFirstOrThrow();
      assert.equal(row.schedule_done_until, '2026-12-05T06:30:00.000Z');
      // A story later that morning does not send the skipped slot.
      clock.set(at('2026-12-05T06:45:00Z'));
      await story('Snow closes the pass');
      assert.deepEqual((await t.app.newsletters.scheduler.tick()).filter((o) => o.newsletterId === weekend.id), []);
      await runWorker();
      assert.equal((await sendsOf(weekend.id)).length, 0);
      assert.equal(inboxOf('eve@example.org').length, 0);

      // A newsletter nobody reads yet sends nothing either (no empty send moves its "last send").
      const unread = await automatic('Nobody Yet', DAILY);
      clock.set(at('2026-12-06T06:30:00Z'));
      const sunday = (await t.app.newsletters.scheduler.tick()).filter((o) => o.newsletterId === weekend.id || o.newsletterId === unread.id);
      assert.deepEqual(
        sunday.map((o) => [o.newsletterId, o.outcome]),
        [
          [weekend.id, 'sent'],
          [unread.id, 'no-readers'],
        ],
      );
      await runWorker();
      assert.equal((await sendsOf(unread.id)).length, 0);
      assert.deepEqual(
        inboxOf('eve@example.org').map((m) => m.subject),
        ['Weekend Notes: Snow closes the pass'],
      );
    });

    test('a slot found less than 2 hours late is sent; one missed by more is skipped, and the next issue covers its stories', async () => {
      clock.set(at('2026-12-06T12:00:00Z')); // Sunday
      const late = await automatic('Late Edition', WEEKDAYS);
      await addReader(t, 'fay@example.org', 'Fay', [[late.id, 'subscribed']]);
      await story('Monday story');
      // Monday: the workers come back at 08:15, 1 h 45 min after the slot.
      clock.set(at('2026-12-07T08:15:00Z'));
      await runWorker();
      assert.deepEqual(
        (await sendsOf(late.id)).map((s) => s.scheduled_for),
        ['2026-12-07T06:30:00.000Z'],
      );
      // Tuesday: back at 08:31, two hours and a minute late.
      clock.set(at('2026-12-08T05:00:00Z'));
      await story('Tuesday story');
      clock.set(at('2026-12-08T08:31:00Z'));
      const outcomes = (await t.app.newsletters.scheduler.tick()).filter((o) => o.newsletterId === late.id);
      assert.deepEqual(outcomes.map((o) => o.outcome), ['missed']);
      await runWorker();
      clock.set(at('2026-12-09T06:30:00Z'));
      await runWorker();
      const sends = await sendsOf(late.id);
      assert.deepEqual(
        sends.map((s) => s.scheduled_for),
        ['2026-12-07T06:30:00.000Z', '2026-12-09T06:30:00.000Z'],
      );
      assert.deepEqual(
        inboxOf('fay@example.org').map((m) => m.subject),
        // Monday's first issue looks back to Friday's slot (so Saturday's story is in it); Wednesday's to Monday's send.
        ['Late Edition: Monday story and 1 more', 'Late Edition: Tuesday story'],
      );
    });

    test('the candidate list starts at the last send (test and cancelled sends left out), else the previous slot, else 24 hours ago', async () => {
      clock.set(at('2026-12-10T10:00:00Z')); // Thursday
      const editor = await signedIn();
      const api = (p: string) => call(t, 'GET', `/api/admin/newsletters${p}`, { cookie: editor.cookie, csrf: editor.csrf });
      const weekly = await t.app.newsletters.newsletters.create({ name: 'Weekly Review', schedule: { days: ['thu'], time: '09:00' } });
      const unscheduled = await t.app.newsletters.newsletters.create({ name: 'Specials' });

      let answer = await api(`/${weekly.id}/candidates`);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.json.lastSendAt, null);
      assert.equal(answer.json.since, '2026-12-03T09:00:00.000Z', 'never sent: since the previous slot, a week earlier');
      answer = await api(`/${unscheduled.id}/candidates`);
      assert.equal(answer.json.lastSendAt, null);
      assert.equal(answer.json.since, '2026-12-09T10:00:00.000Z', 'never sent, no schedule: 24 hours');

      const email = { subject: 'Weekly Review', html: '<p>Hello {{name}}</p><a href="{{unsubscribe_url}}">u</a><a href="{{preferences_url}}">p</a>', text: 'Hello {{name}} {{unsubscribe_url}} {{preferences_url}}' };
      await t.app.newsletters.delivery.startSend({ newsletterId: weekly.id, email, test: true });
      const cancelled = await t.app.newsletters.delivery.startSend({ newsletterId: weekly.id, email });
      await t.app.newsletters.delivery.cancel(cancelled.sendId);
      assert.equal((await api(`/${weekly.id}/candidates`)).json.lastSendAt, null, 'test and cancelled sends are not the last send');

      await story('Before the send');
      clock.advance(60_000);
      await t.app.newsletters.delivery.startSend({ newsletterId: weekly.id, email });
      clock.advance(60_000);
      await story('After the send');
      answer = await api(`/${weekly.id}/candidates`);
      assert.equal(answer.json.lastSendAt, '2026-12-10T10:01:00.000Z');
      assert.equal(answer.json.since, '2026-12-10T10:01:00.000Z');
      assert.deepEqual(
        answer.json.items.map((i: { headline: string }) => i.headline),
        ['After the send'],
      );
      // An editor can still look further back.
      answer = await api(`/${weekly.id}/candidates?since=2026-12-10T09:59:00Z`);
      assert.deepEqual(
        answer.json.items.map((i: { headline: string }) => i.headline),
        ['After the send', 'Before the send'],
      );
      assert.equal(answer.json.lastSendAt, '2026-12-10T10:01:00.000Z');
      await runWorker();
    });

    test('send mode: manual by default, automatic only with a schedule (400 naming the field, nothing changed)', async () => {
      const editor = await signedIn();
      const headers = { cookie: editor.cookie, csrf: editor.csrf };
      let res = await call(t, 'POST', '/api/admin/newsletters', { ...headers, body: { name: 'Alerts', sendMode: 'automatic' } });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(res.json.error.fields.map((f: { path: string }) => f.path), ['/sendMode']);
      res = await call(t, 'POST', '/api/admin/newsletters', { ...headers, body: { name: 'Alerts', sendMode: 'sometimes' } });
      assert.equal(res.status, 400, res.text);
      res = await call(t, 'POST', '/api/admin/newsletters', { ...headers, body: { name: 'Alerts' } });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.sendMode, 'manual');
      const id = res.json.id;
      res = await call(t, 'PATCH', `/api/admin/newsletters/${id}`, { ...headers, body: { sendMode: 'automatic' } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error.fields[0].path, '/sendMode');
      res = await call(t, 'PATCH', `/api/admin/newsletters/${id}`, { ...headers, body: { sendMode: 'automatic', schedule: { days: ['mon'], time: '07:00' } } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.sendMode, 'automatic');
      // Taking the schedule away from an automatic newsletter is refused too.
      res = await call(t, 'PATCH', `/api/admin/newsletters/${id}`, { ...headers, body: { schedule: null } });
      assert.equal(res.status, 400, res.text);
      const saved = (await call(t, 'GET', '/api/admin/newsletters', headers)).json.items.find((n: { id: number }) => n.id === id);
      assert.deepEqual(saved.schedule, { days: ['mon'], time: '07:00' });
      assert.equal(saved.sendMode, 'automatic');
    });
  });
}

describe('schedule slots in the site time zone (no database)', () => {
  const daily = (time: string): Schedule => ({ days: DAILY, time });
  const iso = (d: Date | undefined) => d?.toISOString();

  test('Europe/London: 06:30 stays 06:30 on the wall clock across both changes of 2026', () => {
    // Clocks go forward at 01:00 UTC on 29 March and back at 01:00 UTC on 25 October.
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-03-28T12:00:00Z'))), '2026-03-28T06:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-03-29T12:00:00Z'))), '2026-03-29T05:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-03-29T05:29:59Z'))), '2026-03-28T06:30:00.000Z', 'not due a minute early');
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-10-24T12:00:00Z'))), '2026-10-24T05:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-10-25T12:00:00Z'))), '2026-10-25T06:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'Europe/London', at('2026-10-25T06:29:00Z'))), '2026-10-24T05:30:00.000Z', 'an hour later in UTC than the day before');
  });

  test('America/New_York: the change days, a time the clocks skip and a time they pass twice', () => {
    // Forward at 02:00 local on 8 March, back at 02:00 local on 1 November 2026.
    assert.equal(iso(latestSlot(daily('06:30'), 'America/New_York', at('2026-03-07T20:00:00Z'))), '2026-03-07T11:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'America/New_York', at('2026-03-08T20:00:00Z'))), '2026-03-08T10:30:00.000Z');
    assert.equal(iso(latestSlot(daily('06:30'), 'America/New_York', at('2026-11-01T20:00:00Z'))), '2026-11-01T11:30:00.000Z');
    // 02:30 does not exist on 8 March: the slot is 03:30 EDT, once.
    assert.deepEqual(slotsUpTo(daily('02:30'), 'America/New_York', at('2026-03-09T12:00:00Z'), 3).map(iso), [
      '2026-03-09T06:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
      '2026-03-07T07:30:00.000Z',
    ]);
    // 01:30 happens twice on 1 November: the slot is the first (EDT), once.
    assert.deepEqual(slotsUpTo(daily('01:30'), 'America/New_York', at('2026-11-02T12:00:00Z'), 3).map(iso), [
      '2026-11-02T06:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-10-31T05:30:00.000Z',
    ]);
    assert.equal(zonedInstant(Date.UTC(2026, 10, 1, 1, 30), 'America/New_York').toISOString(), '2026-11-01T05:30:00.000Z');
  });

  test('weekdays only, the next slot, and where a first issue starts', () => {
    const weekdays: Schedule = { days: WEEKDAYS, time: '06:30' };
    // Monday before 06:30: the latest slot is Friday's.
    assert.equal(iso(latestSlot(weekdays, 'Europe/London', at('2026-11-30T06:00:00Z'))), '2026-11-27T06:30:00.000Z');
    assert.equal(iso(nextSlot(weekdays, 'Europe/London', at('2026-11-27T06:30:00Z'))), '2026-11-30T06:30:00.000Z');
    assert.equal(iso(nextSlot(daily('06:30'), 'America/New_York', at('2026-03-07T12:00:00Z'))), '2026-03-08T10:30:00.000Z');
    // A zone far ahead of UTC: its Tuesday 06:30 is Monday 16:30 UTC.
    assert.equal(iso(latestSlot({ days: ['tue'], time: '06:30' }, 'Pacific/Kiritimati', at('2026-12-01T12:00:00Z'))), '2026-11-30T16:30:00.000Z');
    // A first issue on a Monday looks back to Friday's slot; a weekly one a week; none without a schedule, 24 hours.
    assert.equal(iso(firstIssueSince(weekdays, 'Europe/London', at('2026-11-30T06:30:00Z'))), '2026-11-27T06:30:00.000Z');
    assert.equal(iso(firstIssueSince({ days: ['thu'], time: '09:00' }, 'Europe/London', at('2026-12-10T09:00:00Z'))), '2026-12-03T09:00:00.000Z');
    assert.equal(iso(firstIssueSince(null, 'Europe/London', at('2026-12-10T09:00:00Z'))), '2026-12-09T09:00:00.000Z');
  });
});
