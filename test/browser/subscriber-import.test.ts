/**
 * The subscriber import screen in Chromium, on SQLite and PostgreSQL: an
 * editor opens it from the Subscribers page, uploads a small CSV, is refused
 * without the consent assertion (next to the checkbox, nothing stored), then
 * imports; the progress is polled until the job is done and the report lists
 * the bad line with its reason; the import is in the recent list and the
 * readers are on the Subscribers page. axe finds no serious or critical
 * WCAG 2.1 AA violation on the form or on the report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now (as in admin-a11y.test.ts). */
async function violations(page: Page): Promise<string> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `   ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

const CSV = ['Email,Name', 'rita.rowe@example.org,Rita Rowe', 'not-an-address,Nobody', 'sam.shore@example.org,Sam Shore', ''].join('\r\n');

for (const dialect of DIALECTS) {
  describe(`subscriber import screen in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let editor: Staff;
    const watched: { problems: PageProblems; where: string }[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect, { MAIL_FROM: 'The Harbour Gazette <newsroom@news.test>' });
      editor = await createStaff(t, 'editor');
      await t.app.newsletters.newsletters.create({ name: 'Harbour Weekly' });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('upload a CSV, progress reaches done, the report lists the bad line; no serious axe findings', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where: 'import a CSV' });
      const page = await context.newPage();
      await signInThroughUi(page, t.url, editor.email, editor.password);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Subscribers' }).click();
      await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
      await page.getByRole('link', { name: 'Import CSV' }).click();
      await page.getByRole('heading', { level: 1, name: 'Import subscribers' }).waitFor();
      await page.getByText('No imports yet.').waitFor();

      const form = page.getByRole('form', { name: 'Import a CSV file' });
      await form.getByLabel('CSV file').setInputFiles({ name: 'readers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await form.getByRole('checkbox', { name: 'Harbour Weekly' }).check();
      assert.equal(await violations(page), '', 'axe on the form');

      // Without the consent assertion the server refuses, next to the checkbox, and nothing is stored.
      await form.getByRole('button', { name: 'Import' }).click();
      const consent = form.getByRole('checkbox', { name: 'Everyone in this file agreed to receive the newsletters I ticked.' });
      await form.locator('.field-error').filter({ hasText: 'Confirm that everyone in this file agreed' }).waitFor();
      assert.equal(await consent.getAttribute('aria-invalid'), 'true');
      assert.equal((await t.app.newsletters.imports.recent()).length, 0, 'nothing was stored');

      await consent.check();
      await form.getByRole('button', { name: 'Import' }).click();
      await page.getByRole('heading', { level: 2, name: 'Importing readers.csv' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Waiting for the server to start the import' }).waitFor();
      assert.match(page.url(), /\/admin\/subscribers\/import\?id=\d+$/, 'the import is in the address');

      // The worker runs the job; the screen, asking every second, shows the end and the report.
      await t.app.runner.drain();
      await page.getByRole('status').filter({ hasText: 'Done: 3 of 3 rows' }).waitFor();
      const progress = page.getByRole('progressbar');
      assert.equal(await progress.getAttribute('value'), '3');
      assert.equal(await progress.getAttribute('max'), '3');
      const counts = await page.locator('.import-counts').innerText();
      assert.match(counts, /New readers\s+2/);
      assert.match(counts, /Invalid\s+1/);
      const bad = page.getByRole('table', { name: 'Invalid lines' });
      assert.match(await bad.getByRole('row').nth(1).innerText(), /^3\s+"not-an-address" is not an email address we can send to$/);
      await page.getByRole('table', { name: 'Recent imports, newest first' }).getByRole('link', { name: 'readers.csv' }).waitFor();
      assert.equal(await violations(page), '', 'axe on the report');

      // The readers are subscribed and listed.
      await page.getByRole('link', { name: 'See the subscribers' }).click();
      await page.getByRole('link', { name: 'rita.rowe@example.org' }).waitFor();
      await page.getByRole('link', { name: 'sam.shore@example.org' }).waitFor();
      await context.close();

      for (const { problems: p, where } of watched.splice(0)) assertAdminPageClean(p, where, [/400 POST \S+\/api\/admin\/subscribers\/imports$/]);
    });
  });
}
