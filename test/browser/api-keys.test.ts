/**
 * The admin's API keys screen in Chromium, on SQLite and PostgreSQL: an admin
 * finds it in the navigation, is refused a bad origin next to its field, makes
 * a key and sees its secret once (it works against the Content API; after
 * "I have copied it" it is nowhere on the page and the list shows only its
 * start), changes its limit, then revokes it after confirming and the API refuses it; an editor
 * has no entry; axe finds no serious WCAG 2.1 AA violation on the screen, its
 * form error, the one-time secret and the revoke dialog.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { seriousViolations } from '../support/axe.js';

const apiStatus = async (t: TestApp, secret: string) => (await fetch(`${t.url}/api/content/v1/sections`, { headers: { authorization: `Bearer ${secret}` } })).status;

for (const dialect of DIALECTS) {
  describe(`admin API keys in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let admin: Staff;
    let editor: Staff;
    const watched: { problems: PageProblems; where: string }[] = [];
    const newPage = async (where: string): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where });
      return context.newPage();
    };
    const badOrigin = /400 POST \S+\/api\/admin\/api-keys$/;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      admin = await createStaff(t, 'admin');
      editor = await createStaff(t, 'editor');
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('an admin makes a key, sees its secret once, and revokes it', async () => {
      const page = await newPage('api keys');
      await signInThroughUi(page, t.url, admin.email, admin.password);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API keys' }).click();
      await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
      await page.getByText('No key yet.').waitFor();

      const form = page.getByRole('form', { name: 'Make a key' });
      await form.getByLabel('Name').fill('iPhone app');
      await form.getByLabel('Requests a minute').fill('120');
      await form.getByLabel('Browser origins (optional)').fill('https://app.example.org/path');
      await form.getByRole('button', { name: 'Make the key' }).click();
      await form.locator('.field-error').filter({ hasText: 'no path' }).waitFor();
      assert.equal(Number((await t.app.db.kysely.selectFrom('api_keys').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n), 0, 'nothing stored');

      await form.getByLabel('Browser origins (optional)').fill('https://app.example.org');
      await form.getByRole('button', { name: 'Make the key' }).click();
      const secretText = page.getByLabel('The new API key');
      await secretText.waitFor();
      const secret = (await secretText.innerText()).trim();
      assert.match(secret, /^bsk_[A-Za-z0-9_-]{43}$/);
      assert.equal(await apiStatus(t, secret), 200, 'the key works');

      const row = page.getByRole('row', { name: /iPhone app/ });
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(`${secret.slice(0, 10)}…[\\s\\S]*120[\\s\\S]*https://app\\.example\\.org`));
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByRole('form', { name: 'Make a key' }).waitFor();
      assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');
      await page.reload();
      await page.getByRole('row', { name: /iPhone app/ }).waitFor();
      assert.ok(!(await page.content()).includes(secret), 'and never comes back');
      const lastUsed = (await page.getByRole('row', { name: /iPhone app/ }).getByRole('cell').nth(4).innerText()).trim();
      assert.notEqual(lastUsed, 'Never', 'the last-used time is shown');
      assert.match(lastUsed, /\d/);

      // Changing the limit keeps the secret.
      await page.getByRole('button', { name: 'Change the key “iPhone app”' }).click();
      const edit = page.getByRole('dialog', { name: 'Change the key “iPhone app”' });
      await edit.getByLabel('Requests a minute').fill('300');
      await edit.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved “iPhone app”: 300 requests a minute.' }).waitFor();
      // The list reloads after the saved message shows: wait for the row to follow (it fails if it never does).
      await page.getByRole('row', { name: /iPhone app/ }).getByRole('cell').nth(1).filter({ hasText: /^\s*300\s*$/ }).waitFor();
      const limited = await fetch(`${t.url}/api/content/v1/sections`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(limited.headers.get('ratelimit-limit'), '300', 'the new limit applies to the same key');

      // Revoking asks first; cancelling changes nothing.
      await page.getByRole('button', { name: 'Revoke the key “iPhone app”' }).click();
      const dialog = page.getByRole('dialog', { name: 'Revoke the key “iPhone app”?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await apiStatus(t, secret), 200);
      await page.getByRole('button', { name: 'Revoke the key “iPhone app”' }).click();
      await dialog.getByRole('button', { name: 'Revoke the key' }).click();
      await page.getByRole('status').filter({ hasText: 'Revoked “iPhone app”' }).waitFor();
      await page.getByRole('row', { name: /iPhone app/ }).getByText('Revoked', { exact: true }).waitFor();
      assert.equal(await apiStatus(t, secret), 401, 'the API refuses it at once');

      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [badOrigin]);
    });

    test('an editor has no entry and gets the server’s refusal at the address', async () => {
      const page = await newPage('editor');
      await signInThroughUi(page, t.url, editor.email, editor.password);
      assert.equal(await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'API keys' }).count(), 0);
      await page.goto(`${t.url}/admin/api-keys`);
      await page.getByRole('alert').filter({ hasText: 'Your role (editor) does not allow that' }).first().waitFor();
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/403 GET \S+\/api\/admin\/api-keys$/]);
    });

    test('axe finds no serious WCAG 2.1 AA violation on the screen, its form error, the secret and the dialog', async () => {
      const page = await newPage('axe');
      await signInThroughUi(page, t.url, admin.email, admin.password);
      const failures: string[] = [];
      const check = async (where: string) => {
        const found = await seriousViolations(page);
        if (found) failures.push(`${where}:\n${found}`);
      };
      await page.goto(`${t.url}/admin/api-keys`);
      await page.getByRole('row', { name: /iPhone app/ }).waitFor();
      await check('keys list');
      const form = page.getByRole('form', { name: 'Make a key' });
      await form.getByLabel('Name').fill('Partner feed');
      await form.getByLabel('Browser origins (optional)').fill('ftp://nope');
      await form.getByRole('button', { name: 'Make the key' }).click();
      await form.locator('.field-error').first().waitFor();
      await check('form with an error');
      await form.getByLabel('Browser origins (optional)').fill('');
      await form.getByRole('button', { name: 'Make the key' }).click();
      await page.getByLabel('The new API key').waitFor();
      await check('the one-time secret');
      await page.getByRole('button', { name: 'Revoke the key “Partner feed”' }).click();
      await page.getByRole('dialog', { name: /Revoke the key/ }).waitFor();
      await check('revoke dialog');
      assert.deepEqual(failures, [], failures.join('\n\n'));
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [badOrigin]);
    });
  });
}
