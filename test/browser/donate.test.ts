/**
 * The donate page in a real headless Chromium, on both storage dialects, with
 * the local Stripe stand-in (test/revenue/stripe-server.ts): a reader picks
 * Monthly, a suggested amount and the fee cover, submits, and lands on the
 * (fake) Stripe Checkout page for a monthly subscription of that amount, with
 * JavaScript off (none is needed). The page is axe-clean, before and after a
 * refused amount.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from '../revenue/stripe-server.js';

for (const dialect of DIALECTS) {
  describe(`donate page in Chromium on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;
    let browser: Browser;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startTestApp(dialect, { env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await stripe.close();
    });

    test('the page is clean and accessible, and a refused amount is said next to the amounts', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await page.goto(`${t.url}/donate?campaign=spring`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Support Broadsheet');
      assert.equal(await seriousViolations(page), '', 'axe: the donate form');
      await page.getByRole('radio', { name: 'Another amount' }).check();
      await page.getByLabel('Your amount in USD').fill('2');
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await page.getByRole('alert').waitFor();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /The smallest gift we can take is \$5/);
      assert.equal(await page.getByRole('group', { name: /amount/ }).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Your amount in USD').inputValue(), '2', 'what the reader typed is kept');
      assert.equal(await seriousViolations(page), '', 'axe: the form with its error');
      // The refusal itself is a 400 (and Chromium logs it as a failed load).
      const left = {
        ...problems,
        httpErrors: problems.httpErrors.filter((e) => !/^400 POST \S+\/donate$/.test(e)),
        consoleErrors: problems.consoleErrors.filter((e) => !/status of 400 .*\/donate\)$/.test(e)),
      };
      assert.ok(emptyProblems(left), describeProblems(left));
      assert.equal(stripe.requestsTo('POST', '/v1/checkout/sessions').length, 0, 'no Checkout Session for a refused amount');
      await context.close();
    });

    test('choose Monthly, an amount and the fee cover, submit: redirected to Stripe Checkout for that monthly gift', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${t.url}/donate?article=7&utm_source=social`);
      await page.getByRole('link', { name: 'Monthly' }).click();
      await page.waitForURL(/frequency=monthly/);
      assert.equal(await page.getByRole('link', { name: 'Monthly' }).getAttribute('aria-current'), 'page');
      await page.getByRole('radio', { name: '$30 a month' }).check();
      await page.getByLabel(/cover the card fees/).check();
      await page.getByLabel('A message for the newsroom').fill('For the courts coverage');
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await page.waitForURL(`${stripe.url}/pay/**`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Fake Stripe Checkout');
      const created = stripe.requestsTo('POST', '/v1/checkout/sessions');
      assert.equal(created.length, 1);
      const body = created[0]!.body;
      assert.equal(body.mode, 'subscription');
      assert.deepEqual(body.line_items[0].price_data.recurring, { interval: 'month' });
      assert.equal(body.line_items[0].price_data.unit_amount, '3121', '$30 and $1.21 of card fees');
      assert.deepEqual(
        [body.metadata.broadsheet_gift, body.metadata.gift_minor, body.metadata.article, body.metadata.utm_source, body.metadata.message],
        ['monthly', '3000', '7', 'social', 'For the courts coverage'],
      );
      assert.ok(page.url().endsWith(stripe.sessions.keys().next().value!), 'the page of the session that was created');
      await context.close();
    });
  });
}
