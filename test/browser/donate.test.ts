/**
 * The donate page in a real headless Chromium, on both storage dialects, with
 * the local Stripe stand-in (test/revenue/stripe-server.ts): a reader picks
 * Monthly, a suggested amount and the fee cover, submits, and lands on the
 * (fake) Stripe Checkout page for a monthly subscription of that amount, with
 * JavaScript off (none is needed). The page is axe-clean, before and after a
 * refused amount. Then the admin: the Donations and Donors screens after gifts
 * recorded from signed webhook events (search, filters, totals), the setup
 * notice without keys, and the Donations fieldset of Settings; axe on each.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
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

for (const dialect of DIALECTS) {
  describe(`donations in the admin in Chromium on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;
    let bare: TestApp;
    let browser: Browser;
    const owner = { email: 'owner@news.test', password: 'a long and memorable passphrase' };

    /** A gift made through the form and paid at the fake Stripe, reported by signed webhook events. */
    const give = async (email: string, fields: [string, string][]) => {
      const response = await fetch(`${t.url}/donate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      assert.equal(response.status, 303);
      const sessionId = /\/pay\/(cs_test_[a-f0-9]+)$/.exec(response.headers.get('location') ?? '')![1]!;
      const session = stripe.complete(sessionId, { email });
      const events = [stripe.event('checkout.session.completed', session)];
      if (session.mode === 'subscription') events.push(stripe.event('invoice.paid', stripe.invoice(session)));
      for (const event of events) {
        const payload = JSON.stringify(event);
        const hook = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload) }, body: payload });
        assert.equal(hook.status, 200);
      }
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startAdminTestApp(dialect, { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url });
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: owner.password });
      await give('first.donor@example.org', [['frequency', 'once'], ['amount', '20'], ['campaign', 'spring']]);
      await give('monthly.donor@example.org', [['frequency', 'monthly'], ['amount', '15']]);
      bare = await startAdminTestApp(dialect);
      await bare.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: owner.password });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await bare?.close();
      await stripe.close();
    });

    test('Donations and Donors: the gifts with totals, a search and a filter; axe-clean', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Donations' }).click();
      await page.getByRole('heading', { name: 'Donations', level: 1 }).waitFor();
      await page.getByText('2 gifts: $35.00 given.').waitFor();
      const rows = page.getByRole('table', { name: 'Donations' }).getByRole('row');
      assert.equal(await rows.count(), 3, 'a header and two gifts');
      assert.match((await rows.nth(2).textContent()) ?? '', /first\.donor@example\.org.*\$20\.00.*One-time.*Paid.*Campaign spring/);
      assert.equal(await page.getByRole('heading', { name: 'Donations are not set up yet' }).count(), 0);
      assert.equal(await seriousViolations(page), '', 'axe: Donations');
      await page.getByLabel('Frequency').selectOption('monthly');
      await page.getByText('1 gift found: $15.00 given.').waitFor();
      assert.match(page.url(), /frequency=monthly/);

      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Donors' }).click();
      await page.getByRole('heading', { name: 'Donors', level: 1 }).waitFor();
      await page.getByText('2 donors: $35.00 given in all.').waitFor();
      await page.getByLabel('Email or name').fill('MONTHLY');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('1 donor found: $15.00 given in all.').waitFor();
      const donor = page.getByRole('table', { name: 'Donors' }).getByRole('row').nth(1);
      assert.match((await donor.textContent()) ?? '', /monthly\.donor@example\.org.*\$15\.00.*1.*Active/);
      assert.equal(await seriousViolations(page), '', 'axe: Donors');
      assertAdminPageClean(problems, 'donations screens');
      await context.close();
    });

    test('Settings → Donations: change the amounts and the minimum, saved and shown on /donate; a minimum above the maximum is refused; the sites that may frame the form', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/settings');
      const group = page.getByRole('group', { name: 'Donations' });
      await group.waitFor();
      assert.equal(await group.getByLabel('Suggested monthly amounts').inputValue(), '7, 15, 30');
      assert.equal(await seriousViolations(page), '', 'axe: Settings with Donations');
      await group.getByLabel('Smallest gift').fill('20000');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText(/must not be more than the maximum/).first().waitFor();
      assert.equal(t.app.settings.get().donations.minimum, 5, 'nothing saved');
      await group.getByLabel('Smallest gift').fill('10');
      await group.getByLabel('Suggested monthly amounts').fill('10, 25, 50');
      await group.getByLabel('Organization’s legal name').fill('Test Gazette Foundation');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.', { exact: false }).waitFor();
      const saved = t.app.settings.get().donations;
      assert.deepEqual([saved.minimum, saved.amountsMonthly, saved.legalName], [10, [10, 25, 50], 'Test Gazette Foundation']);
      const donate = await context.newPage();
      await donate.goto(`${t.url}/donate?frequency=monthly`);
      await donate.getByRole('radio', { name: '$25 a month' }).waitFor();

      // The sites that may frame the donate form: one per line, as typed; a path is refused in plain words.
      const origins = group.getByLabel('Sites that may show the donate form in a frame');
      await origins.fill('https://riverside-weekly.example/news');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText(/Enter each site as its address without a path/).first().waitFor();
      assert.deepEqual(t.app.settings.get().donations.embedOrigins, [], 'nothing saved');
      await origins.fill('https://Riverside-Weekly.example/\n\nhttps://*.valley-news.example');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.', { exact: false }).waitFor();
      assert.deepEqual(t.app.settings.get().donations.embedOrigins, ['https://riverside-weekly.example', 'https://*.valley-news.example']);
      assert.equal(await origins.inputValue(), 'https://riverside-weekly.example\nhttps://*.valley-news.example');
      const embed = await fetch(`${t.url}/donate/embed`);
      assert.match(embed.headers.get('content-security-policy') ?? '', /frame-ancestors 'self' https:\/\/riverside-weekly\.example https:\/\/\*\.valley-news\.example(;|$)/);
      assertAdminPageClean(problems, 'settings', [/400 PATCH \S+\/api\/admin\/settings$/]);
      await context.close();
    });

    test('without Stripe keys the Donations screen says how to set them up', async () => {
      const { context, problems } = await watchedContext(browser, bare.url);
      const page = await context.newPage();
      await signInThroughUi(page, bare.url, owner.email, owner.password, '/admin/donations');
      await page.getByRole('heading', { name: 'Donations are not set up yet' }).waitFor();
      const notice = (await page.getByRole('region', { name: 'Donations are not set up yet' }).textContent()) ?? '';
      assert.match(notice, /Missing: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
      assert.match(notice, new RegExp(`${bare.url.replace(/[.]/g, '\\.')}/webhooks/stripe`));
      await page.getByText('No donations yet.').waitFor();
      assert.equal(await seriousViolations(page), '', 'axe: Donations, not set up');
      assertAdminPageClean(problems, 'donations not set up');
      await context.close();
    });
  });
}
