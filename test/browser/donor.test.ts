/**
 * The donor's sign-in and page in a real headless Chromium, on both storage
 * dialects, with the local Stripe stand-in and a real SMTP server: a donor
 * asks for a link, opens the one in the email they received, presses the
 * button, sees their gifts, opens Stripe's customer portal and signs out.
 * Every page is axe-clean; the session cookie is out of scripts' reach while
 * the prompts' flag is readable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { MailServer } from '../support/mail.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { FakeStripe } from '../revenue/stripe-server.js';
import { giveMonthly, giveOnce, startDonorApp } from '../revenue/donor-support.js';

for (const dialect of DIALECTS) {
  describe(`donor page in Chromium on ${dialect}`, () => {
    const stripe = new FakeStripe();
    const inbox = new MailServer();
    let t: TestApp;
    let browser: Browser;
    let customer: string;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await Promise.all([stripe.start(), inbox.start()]);
      t = await startDonorApp(dialect, stripe, inbox);
      await giveOnce(t, stripe, { amount: '20', email: 'ruth@example.org', name: 'Ruth Reader' });
      customer = (await giveMonthly(t, stripe, { amount: '7', email: 'ruth@example.org' })).session.customer;
      await t.app.runner.drain();
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await Promise.all([stripe.close(), inbox.close()]);
    });

    test('sign in by the emailed link, see the gifts, open the customer portal, sign out', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await page.goto(`${t.url}/donor`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'See your gifts');
      assert.equal(await seriousViolations(page), '', 'axe: the sign-in form');
      await page.getByLabel('Email address').fill('ruth@example.org');
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      assert.equal(await seriousViolations(page), '', 'axe: check your inbox');

      await t.app.runner.drain();
      const mail = inbox.to('ruth@example.org', 'Sign in to see your gifts to The Test Gazette').at(-1);
      assert.ok(mail, 'the sign-in email arrived');
      const path = /http:\/\/news\.test(\/donor\/signin\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
      assert.ok(path, mail.text);
      await page.goto(t.url + path);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in to see your gifts');
      assert.equal(await seriousViolations(page), '', 'axe: the link page');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${t.url}/donor/gifts`);

      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your gifts');
      const table = page.getByRole('table');
      assert.deepEqual(await table.getByRole('columnheader').allTextContents(), ['Date', 'Amount', 'Frequency', 'Status']);
      const rows = (await table.getByRole('row').allInnerTexts()).slice(1).map((r) => r.replace(/\s+/g, ' ').trim());
      assert.equal(rows.length, 2);
      assert.match(rows[0]!, /\$7 Monthly Paid$/);
      assert.match(rows[1]!, /\$20 One-time Paid$/);
      assert.match((await page.locator('main').textContent()) ?? '', /Total given: \$27/);
      assert.match((await page.getByRole('listitem').filter({ hasText: 'a month' }).textContent()) ?? '', /\$7 a month: Active/);
      assert.equal(await seriousViolations(page), '', 'axe: the donor page');
      const cookie = await page.evaluate(() => document.cookie);
      assert.match(cookie, /(^|; )bs_reader=donor(;|$)/, 'the prompts script can read the donor flag');
      assert.doesNotMatch(cookie, /bs_donor/, 'but not the session');

      // The portal is Stripe's page: the gifts page's form may lead there (its form-action allows it).
      await page.getByRole('button', { name: 'Manage your monthly gift' }).click();
      await page.waitForURL(`${stripe.url}/portal/**`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Fake Stripe customer portal');
      assert.equal(stripe.requestsTo('POST', '/v1/billing_portal/sessions').at(-1)?.body.customer, customer);

      await page.goto(`${t.url}/donor/gifts`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${t.url}/donor`);
      await page.goto(`${t.url}/donor/gifts`);
      assert.equal(page.url(), `${t.url}/donor`, 'signed out: the gifts page asks to sign in');
      assert.ok(emptyProblems(problems), describeProblems(problems));
      await context.close();
    });
  });
}
