/**
 * Refunding a gift from the admin in a real headless Chromium, on both storage
 * dialects, against the fake Stripe (test/revenue/stripe-server.ts) through the
 * official SDK: an admin opens Refund on a gift, changes the amount, picks a
 * reason, confirms in the dialog; Stripe gets one refund and the list shows it
 * pending at once; when Stripe's charge.refunded arrives the gift reads
 * "Partly refunded". A too-large amount is refused in the form. Then Stripe's
 * refund.failed: the list says the refund failed and why, and the gift is
 * refundable again. The embeddable form's codes. axe-clean.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from '../revenue/stripe-server.js';
import { deliverEvent } from '../revenue/donor-support.js';

for (const dialect of DIALECTS) {
  describe(`refunds in the admin in Chromium on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;
    let browser: Browser;
    const owner = { email: 'owner@news.test', password: 'a long and memorable passphrase' };
    const paymentIntent = 'pi_test_browserrefund01';

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startAdminTestApp(dialect, { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url });
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: owner.password });
      // A paid $40 gift, as Stripe's webhook would have recorded it.
      const repo = t.app.revenue.repo;
      const at = new Date().toISOString();
      await repo.transaction(async (trx) => {
        const donorId = await repo.upsertDonor({ email: 'gave-twice@example.org', key: 'gave-twice@example.org', name: 'Gita Giver', customerId: null, at }, trx);
        await repo.insertDonation(
          {
            donorId,
            paymentKey: 'cs_test_browserrefund01',
            amountMinor: 4000,
            feeCoveredMinor: 0,
            currency: 'usd',
            frequency: 'once',
            checkoutSessionId: 'cs_test_browserrefund01',
            paymentIntentId: paymentIntent,
            invoiceId: null,
            subscriptionId: null,
            attribution: { articleId: null, campaign: '', utmSource: '', utmMedium: '', utmCampaign: '', utmTerm: '', utmContent: '', message: '' },
            paidAt: at,
          },
          0,
          at,
          trx,
        );
        await repo.recomputeDonor(donorId, at, trx);
      });
      stripe.payments.set(paymentIntent, 4000);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await stripe.close();
    });

    test('an admin refunds part of a gift: a confirmation, one refund at Stripe, pending at once, then partly refunded; axe-clean', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      try {
        await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/donations');
        await page.getByRole('button', { name: 'Refund the gift of $40.00 from gave-twice@example.org' }).click();
        const dialog = page.getByRole('dialog', { name: 'Refund a gift from gave-twice@example.org' });
        const amount = dialog.getByLabel('Amount to refund (USD)');
        assert.equal(await amount.inputValue(), '40.00', 'all that is left, to begin with');
        assert.equal(await seriousViolations(page), '');

        await amount.fill('45');
        await dialog.getByRole('button', { name: 'Review the refund' }).click();
        await dialog.getByText('At most $40.00 can be refunded').waitFor();
        await amount.fill('15');
        await dialog.getByLabel('Reason').selectOption('duplicate');
        await dialog.getByLabel('Note (optional, kept with the refund)').fill('Gave twice by mistake');
        await dialog.getByRole('button', { name: 'Review the refund' }).click();
        await dialog.getByText(/Refund \$15\.00 of this \$40\.00 gift to gave-twice@example\.org\?/).waitFor();
        assert.equal(stripe.requestsTo('POST', '/v1/refunds').length, 0, 'nothing asked before the confirmation');
        const confirm = dialog.getByRole('button', { name: 'Refund $15.00' });
        // A double click: one refund.
        await confirm.dblclick();
        await page.getByRole('status').filter({ hasText: 'Refund of $15.00 to gave-twice@example.org asked of Stripe' }).waitFor();
        await page.getByText('Refund of $15.00 pending').waitFor();
        assert.equal(await dialog.isVisible(), false);
        assert.equal(stripe.refunds.length, 1);
        assert.deepEqual([stripe.refunds[0]!.amount, stripe.refunds[0]!.reason, stripe.refunds[0]!.metadata.note], [1500, 'duplicate', 'Gave twice by mistake']);

        await deliverEvent(t, stripe, stripe.event('charge.refunded', stripe.refundedCharge(paymentIntent)));
        await page.reload();
        const row = page.getByRole('row', { name: /gave-twice@example\.org/ });
        await row.getByText('Partly refunded').waitFor();
        await row.getByText('$15.00 refunded').waitFor();
        assert.equal(await row.getByText(/pending/).count(), 0);
        assert.equal(await seriousViolations(page), '');
        assertAdminPageClean(problems, 'refunding a gift');
      } finally {
        await context.close();
      }
    });

    test('the refund then fails at Stripe: the list says so and why, and the gift can be refunded again; the embed codes', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      try {
        const refund = stripe.refunds[0]!;
        await deliverEvent(t, stripe, stripe.event('refund.failed', stripe.updateRefund(refund.id, 'failed', 'expired_or_canceled_card')));
        await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/donations');
        const row = page.getByRole('row', { name: /gave-twice@example\.org/ });
        await row.getByText('Refund of $15.00 failed: The refund failed after Stripe took it: the card has expired or was cancelled. The money stayed with us.').waitFor();
        await row.getByRole('button', { name: 'Refund the gift of $40.00 from gave-twice@example.org' }).waitFor();
        assert.equal(await row.getByText('Partly refunded').count(), 0, 'the failed refund no longer counts');

        // The codes for partner sites, to copy.
        await page.getByText('Put the donate form on other sites').click();
        const frameCode = page.getByLabel('Frame code');
        const frameText = await frameCode.inputValue();
        assert.ok(frameText.startsWith(`<iframe src="${t.url}/donate/embed?utm_source=partner&amp;utm_medium=embed" title="Donate to Broadsheet"`), frameText);
        const formText = await page.getByLabel('Form code').inputValue();
        assert.ok(formText.startsWith(`<form method="get" action="${t.url}/donate" target="_blank">`), formText);
        await page.getByText('none yet, only this site').waitFor();
        assert.equal(await seriousViolations(page), '');
        assertAdminPageClean(problems, 'a failed refund and the embed codes');
      } finally {
        await context.close();
      }
    });
  });
}
