/**
 * The admin's suppression list in Chromium, on SQLite and PostgreSQL: an
 * editor finds it under the newsletters in the navigation, sees an address a
 * signed webhook suppressed (with the provider's diagnostic and a link to the
 * reader), adds an address by hand after the server refuses a bad one next to
 * its field, searches and filters by reason, and lifts a suppression after
 * confirming; a contributor has no entry and gets the server's refusal; axe
 * finds no serious WCAG 2.1 AA violation on the screen, its form error and
 * its dialog.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { addReader } from '../newsletter/delivery-support.js';
import { seriousViolations } from '../support/axe.js';

const SECRET = 'browser-test-webhook-secret-0123456789';



for (const dialect of DIALECTS) {
  describe(`admin suppression list in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let editor: Staff;
    let contributor: Staff;
    let readerId: number;
    const watched: { problems: PageProblems; where: string }[] = [];
    const newPage = async (where: string): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where });
      return context.newPage();
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect, { NEWSLETTER_WEBHOOK_SECRET: SECRET });
      editor = await createStaff(t, 'editor');
      contributor = await createStaff(t, 'contributor');
      browser = await launchBrowser();
      // A reader whose mailbox is gone, reported by a signed webhook as a mail service would.
      const n = await t.app.newsletters.newsletters.create({ name: 'Harbour Daily', senderName: 'Harbour Daily', senderEmail: 'desk@news.test' });
      readerId = await addReader(t, 'gone.reader@example.org', 'Gone Reader', [[n.id, 'subscribed']]);
      const body = JSON.stringify({ type: 'bounce', email: 'gone.reader@example.org', permanent: true, detail: '550 5.1.1 mailbox unavailable' });
      const ts = Math.floor(t.clock.now().getTime() / 1000);
      const res = await fetch(`${t.url}/webhooks/newsletters/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-broadsheet-signature': `t=${ts},v1=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}` },
        body,
      });
      assert.equal(res.status, 204);
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('an editor sees the bounced address, adds one by hand after a refusal, searches, filters and lifts one', async () => {
      const page = await newPage('suppression list');
      await signInThroughUi(page, t.url, editor.email, editor.password);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Suppression list' }).click();
      await page.getByRole('heading', { level: 1, name: 'Suppression list' }).waitFor();

      const bounced = page.getByRole('row', { name: /gone\.reader@example\.org/ });
      await bounced.waitFor();
      assert.match(await bounced.innerText(), /550 5\.1\.1 mailbox unavailable[\s\S]*Hard bounce[\s\S]*Webhook/);
      assert.equal(await bounced.getByRole('link', { name: 'gone.reader@example.org' }).getAttribute('href'), `/admin/subscribers/${readerId}`, 'links to the reader');

      // The server refuses an address it could not send to; the message sits next to the field.
      const form = page.getByRole('form', { name: 'Add an address' });
      await form.getByLabel('Email address').fill('not an address');
      await form.getByRole('button', { name: 'Add to the suppression list' }).click();
      await form.locator('.field-error').first().waitFor();
      assert.equal(await form.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
      assert.equal(Number((await t.app.db.kysely.selectFrom('newsletter_suppressions').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n), 1, 'nothing stored');

      await form.getByLabel('Email address').fill('Asked.Us@Example.org');
      await form.getByLabel('Why (optional)').fill('asked by phone');
      await form.getByRole('button', { name: 'Add to the suppression list' }).click();
      await page.getByRole('status').filter({ hasText: 'Added Asked.Us@example.org to the suppression list.' }).waitFor();
      const manual = page.getByRole('row', { name: /Asked\.Us@example\.org/ });
      assert.match(await manual.innerText(), /asked by phone[\s\S]*Added by hand[\s\S]*editor/);

      // Added twice: the server's reason, next to the field.
      await form.getByLabel('Email address').fill('asked.us@example.org');
      await form.getByRole('button', { name: 'Add to the suppression list' }).click();
      await form.locator('.field-error').filter({ hasText: 'already' }).waitFor();

      // Filter by reason (a tab with its count), then search.
      await page.getByRole('navigation', { name: 'Reason' }).getByRole('link', { name: /Added by hand/ }).click();
      await page.waitForURL(/reason=manual/);
      await page.getByRole('row', { name: /gone\.reader/ }).waitFor({ state: 'detached' });
      assert.equal(await page.getByRole('row', { name: /Asked\.Us/ }).count(), 1);
      await page.getByRole('navigation', { name: 'Reason' }).getByRole('link', { name: 'All reasons' }).click();
      await page.getByRole('searchbox', { name: 'Search by address' }).fill('gone');
      await page.waitForURL(/q=gone/);
      await page.getByRole('row', { name: /Asked\.Us/ }).waitFor({ state: 'detached' });
      assert.equal(await page.getByRole('row', { name: /gone\.reader/ }).count(), 1);

      // Lifting asks first; cancelling changes nothing.
      await page.getByRole('button', { name: 'Lift the suppression of gone.reader@example.org' }).click();
      const dialog = page.getByRole('dialog', { name: 'Lift the suppression of gone.reader@example.org?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.ok(await t.app.newsletters.suppressions.isSuppressed('gone.reader@example.org'));
      await page.getByRole('button', { name: 'Lift the suppression of gone.reader@example.org' }).click();
      await dialog.getByRole('button', { name: 'Lift suppression' }).click();
      await page.getByRole('status').filter({ hasText: 'Lifted the suppression of gone.reader@example.org' }).waitFor();
      await page.getByText('No suppressed address matches.').waitFor();
      assert.equal(await t.app.newsletters.suppressions.isSuppressed('gone.reader@example.org'), false);

      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/400 POST \S+\/api\/admin\/newsletter-suppressions$/, /409 POST \S+\/api\/admin\/newsletter-suppressions$/]);
    });

    test('a contributor has no entry and gets the server’s refusal at the address', async () => {
      const page = await newPage('contributor');
      await signInThroughUi(page, t.url, contributor.email, contributor.password);
      assert.equal(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Suppression list' }).count(), 0);
      await page.goto(`${t.url}/admin/suppressions`);
      await page.getByRole('alert').filter({ hasText: 'Your role (contributor) does not allow that' }).first().waitFor();
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/403 GET \S+\/api\/admin\/newsletter-suppressions(\?\S*)?$/]);
    });

    test('axe finds no serious WCAG 2.1 AA violation on the list, its form error and its dialog', async () => {
      await t.app.newsletters.suppressions.suppress({ email: 'spam.report@example.org', reason: 'complaint', source: 'postmark', detail: 'The subscriber explicitly marked this message as spam.' });
      const page = await newPage('axe');
      await signInThroughUi(page, t.url, editor.email, editor.password);
      const failures: string[] = [];
      const check = async (where: string) => {
        const found = await seriousViolations(page);
        if (found) failures.push(`${where}:\n${found}`);
      };
      await page.goto(`${t.url}/admin/suppressions`);
      await page.getByRole('row', { name: /spam\.report@example\.org/ }).waitFor();
      await check('suppression list');
      const form = page.getByRole('form', { name: 'Add an address' });
      await form.getByLabel('Email address').fill('nope');
      await form.getByRole('button', { name: 'Add to the suppression list' }).click();
      await form.locator('.field-error').first().waitFor();
      await check('form with an error');
      await page.getByRole('button', { name: 'Lift the suppression of spam.report@example.org' }).click();
      await page.getByRole('dialog', { name: /Lift the suppression/ }).waitFor();
      await check('lift dialog');
      assert.deepEqual(failures, [], failures.join('\n\n'));
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/400 POST \S+\/api\/admin\/newsletter-suppressions$/]);
    });
  });
}
