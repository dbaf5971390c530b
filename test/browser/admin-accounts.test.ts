/**
 * The pages that emailed and printed links open, in Chromium, on SQLite and
 * PostgreSQL: first-run setup (the link `npm start` prints) creates the owner
 * and signs them in; the owner invites a colleague, whose emailed link (no
 * SMTP here: the .eml in DATA_DIR/outbox) lets them join; a forgotten password
 * is reset from the emailed link and the new one signs in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';

const OWNER = { name: 'Olive Owner', email: 'olive@news.test', password: 'harbour lights at dusk' };
const COLLEAGUE = { name: 'Cal Colleague', email: 'cal@news.test', password: 'tidal charts and coffee' };

/** The newest outbox message to `to`, and the admin link in it. */
async function emailedLink(t: TestApp, to: string, pathName: string): Promise<string> {
  await t.app.accounts.service.flush();
  const outbox = path.join(t.config.dataDir, 'outbox');
  const file = fs.readdirSync(outbox).filter((f) => f.endsWith(`-${to}.eml`)).sort().at(-1);
  assert.ok(file, `an email to ${to} in ${outbox}`);
  const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
  const match = new RegExp(`${t.url.replace(/[.:/]/g, '\\$&')}${pathName}#token=[A-Za-z0-9_-]+`).exec(mail.text ?? '');
  assert.ok(match, `no ${pathName} link in:\n${mail.text}`);
  return match[0];
}

for (const dialect of DIALECTS) {
  describe(`setup, invitations and password reset in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    const watched: { problems: PageProblems; where: string }[] = [];
    const newPage = async (where: string): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where });
      return context.newPage();
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('the first-run setup link creates the owner, who invites a colleague; the colleague joins from the email', async () => {
      const setupUrl = await t.app.accounts.service.setupLink();
      assert.ok(setupUrl?.startsWith(`${t.url}/admin/setup#token=`), setupUrl);
      const page = await newPage('setup');
      await page.goto(setupUrl!);
      await page.getByRole('heading', { level: 1, name: 'Set up your newsroom' }).waitFor();
      await page.getByLabel('Your name').fill(OWNER.name);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      // The server's refusal shows next to the field and takes the focus.
      await page.locator('.field-error').first().waitFor();
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.match(await page.getByRole('banner').innerText(), /Olive Owner/);
      // The link was for one use.
      assert.equal(await t.app.accounts.service.setupLink(), undefined, 'no new setup link once an account exists');

      await page.goto(`${t.url}/admin/staff`);
      await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
      const invite = page.locator('form', { has: page.getByRole('button', { name: 'Send invitation' }) });
      await invite.getByLabel('Email').fill(COLLEAGUE.email);
      await invite.getByLabel('Name').fill(COLLEAGUE.name);
      await invite.getByLabel('Role').selectOption('editor');
      await invite.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByText(COLLEAGUE.email).first().waitFor();

      const link = await emailedLink(t, COLLEAGUE.email, '/admin/accept-invitation');
      const colleague = await newPage('accept invitation');
      await colleague.goto(link);
      await colleague.getByRole('heading', { level: 1, name: 'Join the newsroom' }).waitFor();
      await colleague.getByLabel('Choose a password').fill(COLLEAGUE.password);
      await colleague.getByRole('button', { name: 'Create my account' }).click();
      await colleague.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.match(await colleague.getByRole('banner').innerText(), /Cal Colleague \(editor\)/);
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/400 POST \S+\/api\/admin\/setup$/]);
    });

    test('a forgotten password is reset from the emailed link, and the new one signs in', async () => {
      const page = await newPage('reset');
      await page.goto(`${t.url}/admin`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
      await page.getByLabel('Email').fill(COLLEAGUE.email);
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await page.getByRole('status').filter({ hasText: 'a link to reset the password is on its way' }).waitFor();

      const link = await emailedLink(t, COLLEAGUE.email, '/admin/reset-password');
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
      await page.getByLabel('New password').fill('a brand new harbour passphrase');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
      const fresh = await newPage('sign in with the new password');
      await signInThroughUi(fresh, t.url, COLLEAGUE.email, 'a brand new harbour passphrase');
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where);
    });
  });
}
