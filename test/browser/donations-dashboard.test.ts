/**
 * The donations dashboard in a real headless Chromium, on both storage
 * dialects: gifts recorded through the donations repository at fixed times,
 * an admin picks a range and an interval, and sees the totals, monthly
 * recurring revenue, one bar per period (its numbers in the hidden table),
 * the top article linked to its editor and the top campaign; axe-clean.
 * The Donors screen's CSV download holds the donors its search shows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';
import type { DonationFrequency } from '../../src/db/schema.js';

for (const dialect of DIALECTS) {
  describe(`donations dashboard in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let article = 0;
    let keys = 0;
    const owner = { email: 'owner@news.test', password: 'a long and memorable passphrase' };

    const give = async (gift: { email: string; amount: number; frequency?: DonationFrequency; paidAt: string; articleId?: number; campaign?: string }) => {
      const repo = t.app.revenue.repo;
      await repo.transaction(async (trx) => {
        const donorId = await repo.upsertDonor({ email: gift.email, key: gift.email, name: '', customerId: null, at: gift.paidAt }, trx);
        await repo.insertDonation(
          {
            donorId,
            paymentKey: `cs_test_${++keys}`,
            amountMinor: gift.amount,
            feeCoveredMinor: 0,
            currency: 'usd',
            frequency: gift.frequency ?? 'once',
            checkoutSessionId: null,
            paymentIntentId: null,
            invoiceId: null,
            subscriptionId: gift.frequency && gift.frequency !== 'once' ? `sub_test_${keys}` : null,
            attribution: { articleId: gift.articleId ?? null, campaign: gift.campaign ?? '', utmSource: '', utmMedium: '', utmCampaign: '', utmTerm: '', utmContent: '', message: '' },
            paidAt: gift.paidAt,
          },
          0,
          gift.paidAt,
          trx,
        );
        await repo.recomputeDonor(donorId, gift.paidAt, trx);
        if (gift.frequency === 'monthly') {
          await repo.ensureRecurring({ subscriptionId: `sub_test_${keys}`, donorId, customerId: null, status: 'active', statusAt: 1, amountMinor: gift.amount, currency: 'usd', interval: 'month', at: gift.paidAt }, trx);
        }
      });
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: owner.password });
      const room = await makeNewsroom(t.app);
      article = (await publishedArticle(t.app, room, { headline: 'Harbour budget passes' })).id;
      await give({ email: 'ada@example.org', amount: 2_000, paidAt: '2026-01-05T15:00:00.000Z', campaign: 'winter' });
      await give({ email: 'ben@example.org', amount: 1_500, frequency: 'monthly', paidAt: '2026-01-07T15:00:00.000Z', articleId: article });
      await give({ email: 'cy@example.org', amount: 9_900, paidAt: '2025-06-01T15:00:00.000Z' }); // outside the range
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('an admin sees the range’s totals, a bar per day, the top article and campaign; axe-clean', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/donations');
      const dashboard = page.getByRole('region', { name: 'Dashboard' });
      await dashboard.getByRole('list', { name: 'Totals' }).waitFor();
      await dashboard.getByLabel('From', { exact: true }).fill('2026-01-05');
      await dashboard.getByLabel('To', { exact: true }).fill('2026-01-07');
      await dashboard.getByLabel('Per', { exact: true }).selectOption('day');
      await dashboard.getByRole('button', { name: 'Show' }).click();
      await dashboard.getByText('2026-01-05 to 2026-01-07, in the site’s time zone (UTC).').waitFor();

      const cards = (await dashboard.getByRole('list', { name: 'Totals' }).innerText()).replace(/\s+/g, ' ');
      assert.match(cards, /Raised \$35\.00 2 gifts/);
      assert.match(cards, /One-time \$20\.00/);
      assert.match(cards, /Recurring \$15\.00/);
      assert.match(cards, /Monthly recurring revenue \$15\.00/);
      assert.match(cards, /Active recurring donors 1/);

      assert.equal(await dashboard.getByRole('img', { name: 'Money raised per day, 2026-01-05 to 2026-01-07' }).count(), 1);
      assert.equal(await dashboard.locator('svg rect.bar-once').count(), 3, 'a bar per day');
      const days = dashboard.getByRole('table', { name: /Money raised per day/, includeHidden: true }).getByRole('row', { includeHidden: true });
      assert.equal(await days.count(), 4, 'a header and three days');
      assert.match((await days.nth(3).textContent()) ?? '', /2026-01-07\$15\.00\$0\.00\$15\.00\$0\.001/);

      const top = dashboard.getByRole('table', { name: /Articles by money raised/ });
      assert.equal(await top.getByRole('link', { name: 'Harbour budget passes' }).getAttribute('href'), `/admin/articles/${article}`);
      assert.match((await dashboard.getByRole('table', { name: /Campaigns by money raised/ }).textContent()) ?? '', /winter\$20\.001/);
      assert.equal(await seriousViolations(page), '', 'axe: the dashboard');

      await dashboard.getByLabel('Per', { exact: true }).selectOption('month');
      await dashboard.getByLabel('From', { exact: true }).fill('2025-06-01');
      await dashboard.getByRole('button', { name: 'Show' }).click();
      await dashboard.getByRole('img', { name: 'Money raised per month, 2025-06-01 to 2026-01-07' }).waitFor();
      assert.equal(await dashboard.locator('svg rect.bar-once').count(), 8, 'June to January');
      assert.match((await dashboard.getByRole('list', { name: 'Totals' }).innerText()).replace(/\s+/g, ' '), /Raised \$134\.00 3 gifts/);
      assertAdminPageClean(problems, 'donations dashboard');
      await context.close();
    });

    test('Donors: the CSV download holds the donors the search shows', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/donors');
      await page.getByRole('link', { name: 'Download all donors as CSV' }).waitFor();
      await page.getByLabel('Email or name').fill('ben@');
      await page.getByRole('button', { name: 'Search' }).click();
      const link = page.getByRole('link', { name: 'Download these donors as CSV' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.match(download.suggestedFilename(), /^donors-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
      const rows = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      assert.equal(rows.length, 2, 'the header and Ben');
      assert.match(rows[1]!, /^ben@example\.org,,15\.00,1,/);
      assert.equal(await seriousViolations(page), '', 'axe: Donors with the download');
      assertAdminPageClean(problems, 'donor export');
      await context.close();
    });
  });
}
