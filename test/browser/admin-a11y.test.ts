/**
 * Accessibility of every admin screen, in Chromium, on SQLite and PostgreSQL:
 * axe-core (the engine behind Lighthouse's accessibility audit) runs on each
 * screen with the WCAG 2.1 A/AA rules, and no violation may be "serious" or
 * "critical" (missing labels, contrast, names of buttons and links, ARIA
 * misuse ...). Also: the whole sign-in and the move to the article editor work
 * with the keyboard alone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { makeNewsroom, paragraphs } from '../support/fixtures.js';
import { call, PASSWORD, signIn } from '../accounts/support.js';
import { axeViolations, describeViolations } from '../support/axe.js';





for (const dialect of DIALECTS) {
  describe(`admin accessibility in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let articleId = 0;
    const owner = { email: 'owner@news.test', password: PASSWORD };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      const room = await makeNewsroom(t.app);
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: PASSWORD });
      const s = await signIn(t, owner.email, PASSWORD);
      const created = await call(t, 'POST', '/api/admin/articles', {
        cookie: s.cookie,
        csrf: s.csrf,
        headers: { origin: t.url },
        body: { headline: 'Pier reopens after storm damage', body: paragraphs(3), sectionId: room.sections.local, authorIds: [room.authors.ana] },
      });
      assert.equal(created.status, 201, created.text);
      articleId = created.json.id;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('the sign-in screen and every signed-in screen pass the WCAG 2.1 AA checks', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await page.goto(`${t.url}/admin`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const signInViolations = await axeViolations(page);
      assert.equal(signInViolations.length, 0, `sign in:\n${describeViolations(signInViolations)}`);
      await signInThroughUi(page, t.url, owner.email, owner.password);
      const screens: [string, string][] = [
        ['/admin', 'Dashboard'],
        ['/admin/articles', 'Articles'],
        [`/admin/articles/${articleId}`, 'Edit article'],
        ['/admin/articles/new', 'New article'],
        ['/admin/top-stories', 'Top stories'],
        ['/admin/media', 'Media library'],
        ['/admin/sections', 'Sections'],
        ['/admin/tags', 'Tags'],
        ['/admin/authors', 'Authors'],
        ['/admin/staff', 'Staff'],
        ['/admin/settings', 'Settings'],
        ['/admin/account', 'Your account'],
      ];
      const failures: string[] = [];
      for (const [path, heading] of screens) {
        await page.goto(`${t.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.waitForLoadState('networkidle');
        const found = await axeViolations(page);
        if (found.length) failures.push(`${path}:\n${describeViolations(found)}`);
      }
      assert.deepEqual(failures, [], failures.join('\n\n'));
      assertAdminPageClean(problems, 'accessibility tour');
      await context.close();
    });

    test('sign in and open the editor with the keyboard alone', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await page.goto(`${t.url}/admin`);
      await page.getByLabel('Email').waitFor();
      // Tab from the top: the email field comes first, then the password, then the button.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'email');
      await page.keyboard.type(owner.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(owner.password);
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Admin' }).waitFor();
      // Skip link, then the navigation: reach "Articles" by Tab and follow it with Enter.
      let reached = false;
      for (let i = 0; i < 30 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Articles' && document.activeElement.tagName === 'A');
      }
      assert.ok(reached, 'the Articles link is reachable with Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
      const link = page.getByRole('link', { name: 'Pier reopens after storm damage' });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Edit article' }).waitFor();
      assert.equal(await page.getByLabel('Headline').inputValue(), 'Pier reopens after storm damage');
      assertAdminPageClean(problems, 'keyboard');
      await context.close();
    });
  });
}
