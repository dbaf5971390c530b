/**
 * The donations dashboard's Admin API on SQLite and PostgreSQL: gifts recorded
 * through the donations repository with fixed payment times (as the webhook
 * records them), summed per day, ISO week and month of the site's time zone
 * (New York here: a gift at 04:30 UTC belongs to the evening before), refunds
 * subtracted, monthly recurring revenue with yearly gifts as twelfths, top
 * articles and campaigns; bad dates and intervals are 400s, editors 403.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, TestClock, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';
import type { DonationFrequency } from '../../src/db/schema.js';

type Json = Record<string, any>;

for (const dialect of DIALECTS) {
  describe(`donations dashboard on ${dialect}`, () => {
    let t: TestApp;
    let cookie = '';
    let harbour = 0;
    let schools = 0;
    let keys = 0;

    const give = async (gift: { email: string; amount: number; refunded?: number; frequency?: DonationFrequency; paidAt: string; articleId?: number | null; campaign?: string }) => {
      const repo = t.app.revenue.repo;
      const at = gift.paidAt;
      await repo.transaction(async (trx) => {
        const donorId = await repo.upsertDonor({ email: gift.email, key: gift.email, name: '', customerId: null, at }, trx);
        await repo.insertDonation(
          {
            donorId,
            paymentKey: `cs_test_${++keys}`,
            amountMinor: gift.amount,
            feeCoveredMinor: 0,
            currency: 'usd',
            frequency: gift.frequency ?? 'once',
            checkoutSessionId: null,
            paymentIntentId: `pi_test_${keys}`,
            invoiceId: null,
            subscriptionId: null,
            attribution: { articleId: gift.articleId ?? null, campaign: gift.campaign ?? '', utmSource: '', utmMedium: '', utmCampaign: '', utmTerm: '', utmContent: '', message: '' },
            paidAt: gift.paidAt,
          },
          gift.refunded ?? 0,
          at,
          trx,
        );
        await repo.recomputeDonor(donorId, at, trx);
      });
    };
    const recurring = async (email: string | null, amount: number, interval: 'month' | 'year', status: 'active' | 'cancelled') => {
      const repo = t.app.revenue.repo;
      const at = '2026-01-01T00:00:00.000Z';
      await repo.transaction(async (trx) => {
        const donorId = email ? await repo.upsertDonor({ email, key: email, name: '', customerId: null, at }, trx) : null;
        await repo.ensureRecurring({ subscriptionId: `sub_test_${++keys}`, donorId, customerId: null, status, statusAt: 1, amountMinor: amount, currency: 'usd', interval, at }, trx);
      });
    };
    const summary = async (query: string): Promise<Json> => {
      const response = await call(t, 'GET', `/api/admin/donations/summary${query}`, { cookie });
      assert.equal(response.status, 200, response.text);
      return response.json as Json;
    };
    const sums = (p: Json) => ({ raised: p.raisedMinor, once: p.oneTimeMinor, recurring: p.recurringMinor, refunded: p.refundedMinor, count: p.count });

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock: new TestClock(new Date('2026-01-20T12:00:00Z')) });
      await t.app.settings.update({ name: 'The Test Gazette', timeZone: 'America/New_York' }, new Date().toISOString());
      const room = await makeNewsroom(t.app);
      harbour = (await publishedArticle(t.app, room, { headline: 'Harbour budget passes' })).id;
      schools = (await publishedArticle(t.app, room, { headline: 'Schools reopen' })).id;
      await give({ email: 'ada@example.com', amount: 10_000, paidAt: '2025-12-31T23:00:00.000Z' }); // Dec 31, 18:00 in New York
      await give({ email: 'ada@example.com', amount: 2_000, paidAt: '2026-01-05T04:30:00.000Z' }); // Sunday Jan 4, 23:30 in New York
      await give({ email: 'ben@example.com', amount: 5_000, refunded: 1_000, paidAt: '2026-01-05T05:30:00.000Z' }); // Monday Jan 5, 00:30
      await give({ email: 'cy@example.com', amount: 1_500, frequency: 'monthly', paidAt: '2026-01-06T15:00:00.000Z', articleId: harbour, campaign: 'winter' });
      await give({ email: 'di@example.com', amount: 12_000, frequency: 'yearly', paidAt: '2026-01-12T15:00:00.000Z', articleId: harbour, campaign: 'winter' });
      await give({ email: 'ed@example.com', amount: 3_000, refunded: 3_000, paidAt: '2026-02-02T15:00:00.000Z', articleId: schools, campaign: 'spring' });
      await recurring('cy@example.com', 1_500, 'month', 'active');
      await recurring('di@example.com', 12_000, 'year', 'active');
      await recurring('cy@example.com', 6_000, 'year', 'active');
      await recurring('fay@example.com', 5_000, 'month', 'cancelled');
      const admin = await createStaff(t, 'admin');
      cookie = (await signIn(t, admin.email, admin.password)).cookie;
    });
    after(async () => {
      await t?.close();
    });

    test('per day in the site’s time zone: a gift late on Sunday evening in New York is Sunday’s, though it is Monday in UTC', async () => {
      const s = await summary('?from=2026-01-04&to=2026-01-06&interval=day');
      assert.equal(s.timeZone, 'America/New_York');
      assert.equal(s.currency, 'USD');
      assert.deepEqual(
        s.periods.map((p: Json) => [p.start, p.end, sums(p)]),
        [
          ['2026-01-04', '2026-01-04', { raised: 2_000, once: 2_000, recurring: 0, refunded: 0, count: 1 }],
          ['2026-01-05', '2026-01-05', { raised: 4_000, once: 4_000, recurring: 0, refunded: 1_000, count: 1 }],
          ['2026-01-06', '2026-01-06', { raised: 1_500, once: 0, recurring: 1_500, refunded: 0, count: 1 }],
        ],
      );
      assert.deepEqual(sums(s.totals), { raised: 7_500, once: 6_000, recurring: 1_500, refunded: 1_000, count: 3 });
    });

    test('per ISO week (Monday first), the first and last cut to the range', async () => {
      const s = await summary('?from=2026-01-01&to=2026-01-14&interval=week');
      assert.deepEqual(
        s.periods.map((p: Json) => [p.start, p.end, p.raisedMinor, p.count]),
        [
          ['2026-01-01', '2026-01-04', 2_000, 1],
          ['2026-01-05', '2026-01-11', 5_500, 2],
          ['2026-01-12', '2026-01-14', 12_000, 1],
        ],
      );
    });

    test('per month: one-time against recurring, refunds subtracted from the gift’s month; top articles and campaigns by money raised', async () => {
      const s = await summary('?from=2025-12-01&to=2026-02-28&interval=month');
      assert.deepEqual(
        s.periods.map((p: Json) => [p.start, p.end, sums(p)]),
        [
          ['2025-12-01', '2025-12-31', { raised: 10_000, once: 10_000, recurring: 0, refunded: 0, count: 1 }],
          ['2026-01-01', '2026-01-31', { raised: 19_500, once: 6_000, recurring: 13_500, refunded: 1_000, count: 4 }],
          ['2026-02-01', '2026-02-28', { raised: 0, once: 0, recurring: 0, refunded: 3_000, count: 1 }],
        ],
      );
      assert.deepEqual(
        s.topArticles.map((a: Json) => [a.id, a.headline, a.raisedMinor, a.count]),
        [
          [harbour, 'Harbour budget passes', 13_500, 2],
          [schools, 'Schools reopen', 0, 1],
        ],
      );
      assert.deepEqual(s.topCampaigns, [
        { campaign: 'winter', raisedMinor: 13_500, count: 2 },
        { campaign: 'spring', raisedMinor: 0, count: 1 },
      ]);
      const january = await summary('?from=2026-01-01&to=2026-01-31&interval=month');
      assert.deepEqual(january.topCampaigns.map((c: Json) => c.campaign), ['winter'], 'only the range’s gifts');
    });

    test('active recurring donors and monthly recurring revenue: a yearly gift counts a twelfth, cancelled gifts nothing', async () => {
      const s = await summary('');
      assert.deepEqual(s.recurring, { activeDonors: 2, activeGifts: 3, monthlyRevenueMinor: 1_500 + 1_000 + 500 });
    });

    test('without dates: the last 30 days up to today on the site’s clock', async () => {
      t.clock.set(new Date('2026-01-21T03:00:00Z')); // still January 20 in New York
      const s = await summary('');
      assert.equal(s.interval, 'day');
      assert.equal(s.to, '2026-01-20');
      assert.equal(s.from, '2025-12-22');
      assert.equal(s.periods.length, 30);
      assert.equal(s.totals.raisedMinor, 10_000 + 19_500);
      const months = await summary('?interval=month');
      assert.equal(months.periods.length, 12);
      assert.equal(months.from, '2025-02-01');
    });

    test('bad dates and intervals are 400s that say which; editors are refused, strangers asked to sign in', async () => {
      for (const bad of ['?from=2026-02-30', '?to=yesterday', '?interval=year', '?from=2026-02-01&to=2026-01-01', '?from=2020-01-01&to=2026-01-01&interval=day']) {
        const response = await call(t, 'GET', `/api/admin/donations/summary${bad}`, { cookie });
        assert.equal(response.status, 400, bad);
      }
      const impossible = await call(t, 'GET', '/api/admin/donations/summary?from=2026-02-30', { cookie });
      assert.match(impossible.text, /from/);
      const editor = await createStaff(t, 'editor');
      const editorSession = await signIn(t, editor.email, editor.password);
      assert.equal((await call(t, 'GET', '/api/admin/donations/summary', { cookie: editorSession.cookie })).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/donations/summary')).status, 401);
    });

    const csv = async (query: string, session = cookie) => call(t, 'GET', `/api/admin/donors/export.csv${query}`, { cookie: session });
    const rowsOf = (text: string) => text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

    test('the donor export: a CSV download, one row per donor with totals less refunds; formulas neutralised', async () => {
      const repo = t.app.revenue.repo;
      await repo.transaction((trx) => repo.upsertDonor({ email: 'mal@example.com', key: 'mal@example.com', name: '=HYPERLINK("http://evil.test","Click")', customerId: null, at: '2026-01-02T00:00:00.000Z' }, trx));
      const response = await csv('');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="donors-2026-01-2\d\.csv"$/);
      const rows = rowsOf(response.text);
      assert.equal(rows[0], 'email,name,total given (USD),gifts,first gift,last gift,recurring gift,donor since');
      assert.equal(rows.length, 1 + 7);
      assert.deepEqual(rows.slice(1, 7).map((r) => r.split(',').slice(0, 4).join(',')), [
        'ada@example.com,,120.00,2',
        'ben@example.com,,40.00,1',
        'cy@example.com,,15.00,1',
        'di@example.com,,120.00,1',
        'ed@example.com,,0.00,1',
        'fay@example.com,,0.00,0',
      ]);
      assert.equal(rows[3], 'cy@example.com,,15.00,1,2026-01-06T15:00:00.000Z,2026-01-06T15:00:00.000Z,active,2026-01-06T15:00:00.000Z');
      assert.match(rows[7]!, /^mal@example\.com,"'=HYPERLINK\(""http:\/\/evil\.test"",""Click""\)",0\.00,0,,,,/);
    });

    test('the donor export takes the Donors screen’s search and filter; bad filters are 400s; editors are refused', async () => {
      assert.deepEqual(rowsOf((await csv('?q=CY%40')).text).slice(1).map((r) => r.split(',')[0]), ['cy@example.com']);
      assert.deepEqual(rowsOf((await csv('?recurring=cancelled')).text).slice(1).map((r) => r.split(',')[0]), ['fay@example.com']);
      assert.match((await csv('?recurring=cancelled')).headers.get('content-disposition') ?? '', /donors-cancelled-/);
      assert.equal(rowsOf((await csv('?q=nobody')).text).length, 1, 'the header alone');
      assert.equal((await csv('?recurring=lapsed')).status, 400);
      assert.equal((await csv(`?q=${'x'.repeat(201)}`)).status, 400);
      const editor = await createStaff(t, 'editor');
      assert.equal((await csv('', (await signIn(t, editor.email, editor.password)).cookie)).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/donors/export.csv')).status, 401);
    });

    test('the donor export streams every donor of a long list, each once', async () => {
      const at = '2026-01-03T00:00:00.000Z';
      const many = Array.from({ length: 1_200 }, (_, i) => ({ email: `bulk${i}@example.com`, email_key: `bulk${i}@example.com`, name: `Bulk ${i}`, created_at: at, updated_at: at }));
      for (let i = 0; i < many.length; i += 300) await t.app.db.kysely.insertInto('donors').values(many.slice(i, i + 300)).execute();
      const emails = rowsOf((await csv('')).text).slice(1).map((r) => r.split(',')[0]!);
      assert.equal(emails.length, 7 + 1_200);
      assert.equal(new Set(emails).size, emails.length);
      assert.equal(emails.at(-1), 'bulk1199@example.com');
    });
  });
}
