/**
 * "Send as newsletter" in the article editor, in Chromium, on SQLite and
 * PostgreSQL, with a real SMTP server: an editor sends a published story to
 * the breaking-news newsletter (chosen by default, its reader count named in
 * the confirmation), the readers get it once, and the editor gets a link to
 * the send's progress; sending again is refused with when it went, until the
 * editor chooses "Send it again"; drafts and staff without newsletter.manage
 * have no such control; the newsletter form sets a scheduled newsletter to go
 * out automatically; axe finds no serious WCAG 2.1 AA violation in the panel,
 * the dialog or the form.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { makeNewsroom, paragraphs, publishedArticle } from '../support/fixtures.js';
import { addReader, MailServer } from '../newsletter/delivery-support.js';
import { seriousViolations } from '../support/axe.js';




for (const dialect of DIALECTS) {
  describe(`breaking news from the article editor in Chromium on ${dialect}`, () => {
    const smtp = new MailServer();
    let t: TestApp;
    let browser: Browser;
    let editor: Staff;
    let author: Staff;
    let story: { id: number };
    let draftId: number;
    const watched: { problems: PageProblems; where: string; allowed: RegExp[] }[] = [];
    const signedInPage = async (who: Staff, where: string, allowed: RegExp[] = []): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where, allowed });
      const page = await context.newPage();
      await signInThroughUi(page, t.url, who.email, who.password);
      return page;
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      t = await startAdminTestApp(dialect, { NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      editor = await createStaff(t, 'editor');
      author = await createStaff(t, 'author');
      const room = await makeNewsroom(t.app);
      const top = await t.app.newsletters.newsletters.create({ name: 'Top Stories', position: 0 });
      const breaking = await t.app.newsletters.newsletters.create({ name: 'Breaking News', position: 1, senderEmail: 'alerts@news.test' });
      await t.app.newsletters.newsletters.create({ name: 'Morning Briefing', position: 2, schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '06:30' } });
      await addReader(t, 'ann@example.org', 'Ann', [[breaking.id, 'subscribed'], [top.id, 'subscribed']]);
      await addReader(t, 'bob@example.org', 'Bob', [[breaking.id, 'subscribed']]);
      await addReader(t, 'cy@example.org', 'Cy', [[top.id, 'subscribed']]);
      story = await publishedArticle(t.app, room, { headline: 'Ferry runs aground in the harbour', dek: 'All 80 passengers are safe, the coastguard says.' });
      draftId = (await t.app.articles.create({ headline: 'Draft about the ferry', body: paragraphs(2), sectionId: room.sections.local }, { actor: 'test' })).id;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await smtp.close();
      for (const { problems, where, allowed } of watched) assertAdminPageClean(problems, where, allowed);
    });

    /** The editor shows the stored article (its headline in the field), so every panel it will have is there. */
    const loaded = (page: Page, headline: string) =>
      page.waitForFunction((text) => Array.from(document.querySelectorAll('input')).some((i) => i.value === text), headline);
    const received = (subject: string) => smtp.messages.filter((m) => m.subject === subject).flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a) => a?.value.map((v) => v.address) ?? [])).sort();

    test('an editor sends a published story to the breaking-news newsletter in one step, and readers get it once', async () => {
      const page = await signedInPage(editor, 'send a story as a newsletter', [/409 POST \S+\/newsletter-send$/]);
      await page.goto(`${t.url}/admin/articles/${story.id}`);
      const panel = page.getByRole('region', { name: 'Newsletter alert' });
      const newsletter = panel.getByLabel('Newsletter');
      await newsletter.waitFor();
      // Chosen by its name, though it is not the first newsletter; the reader counts are in the options.
      assert.equal(await newsletter.locator('option:checked').textContent(), 'Breaking News (2 readers)');
      assert.equal(await panel.getByLabel('Subject').getAttribute('placeholder'), 'Ferry runs aground in the harbour');
      assert.equal(await seriousViolations(page), '', 'the panel');

      await panel.getByRole('button', { name: 'Send as newsletter…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send this story to Breaking News?' });
      await dialog.waitFor();
      assert.match((await dialog.textContent()) ?? '', /“Ferry runs aground in the harbour” goes to 2 readers of Breaking News now/);
      assert.equal(await seriousViolations(page), '', 'the confirmation dialog');
      await dialog.getByRole('button', { name: 'Send to 2 readers' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const status = panel.getByRole('status');
      await status.getByText('is going to 2 readers').waitFor();
      const follow = status.getByRole('link', { name: 'Follow the send' });
      const href = await follow.getAttribute('href');
      const send = await t.app.db.kysely.selectFrom('newsletter_sends').select(['id', 'subject', 'article_id']).where('article_id', '=', story.id).executeTakeFirstOrThrow();
      assert.equal(href, `/admin/newsletter-sends/${send.id}`);
      assert.equal(send.subject, 'Ferry runs aground in the harbour');

      await t.app.runner.drain();
      assert.deepEqual(received('Ferry runs aground in the harbour'), ['ann@example.org', 'bob@example.org']);

      // A second click: the server says when it went; only "Send it again" would send.
      await panel.getByRole('button', { name: 'Send as newsletter…' }).click();
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Send to 2 readers' }).click();
      await dialog.getByText(/already went to Breaking News on/).waitFor();
      assert.equal(await dialog.getByRole('link', { name: 'See the earlier send' }).getAttribute('href'), `/admin/newsletter-sends/${send.id}`);
      assert.equal(await dialog.getByRole('button', { name: 'Send it again' }).count(), 1);
      assert.equal(await seriousViolations(page), '', 'the dialog with the refusal');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await t.app.runner.drain();
      assert.deepEqual(received('Ferry runs aground in the harbour'), ['ann@example.org', 'bob@example.org'], 'nobody got it twice');
    });

    test('an editor makes a scheduled newsletter go out automatically in its form, and unticking the schedule makes it manual again', async () => {
      const page = await signedInPage(editor, 'the send mode in the newsletter form');
      await page.goto(`${t.url}/admin/newsletters`);
      await page.getByRole('button', { name: 'Edit Morning Briefing' }).click();
      const form = page.getByRole('form', { name: 'Edit Morning Briefing' });
      const sending = form.getByRole('group', { name: 'Sending' });
      assert.equal(await sending.getByRole('radio', { name: 'Reviewed by an editor' }).isChecked(), true, 'manual by default');
      await sending.getByRole('radio', { name: 'Automatic' }).check();
      assert.equal(await seriousViolations(page), '', 'the newsletter form');
      await form.getByRole('button', { name: 'Save newsletter' }).click();
      await form.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Saved Morning Briefing.' }).waitFor();
      const stored = async () => (await t.app.newsletters.newsletters.list()).find((n) => n.name === 'Morning Briefing')!;
      assert.equal((await stored()).sendMode, 'automatic');

      await page.getByRole('button', { name: 'Edit Morning Briefing' }).click();
      assert.equal(await form.getByRole('radio', { name: 'Automatic' }).isChecked(), true);
      await form.getByLabel('Send on a schedule').uncheck();
      assert.equal(await form.getByRole('group', { name: 'Sending' }).count(), 0, 'only a scheduled newsletter can go out by itself');
      await form.getByRole('button', { name: 'Save newsletter' }).click();
      await form.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: 'Saved Morning Briefing.' }).waitFor();
      const after = await stored();
      assert.deepEqual([after.sendMode, after.schedule], ['manual', null]);
    });

    test('no control on a draft, nor for staff without newsletter.manage', async () => {
      const page = await signedInPage(editor, 'a draft has no newsletter alert');
      await page.goto(`${t.url}/admin/articles/${draftId}`);
      await loaded(page, 'Draft about the ferry');
      assert.equal(await page.getByRole('region', { name: 'Newsletter alert' }).count(), 0);

      const authorPage = await signedInPage(author, 'an author has no newsletter alert');
      await authorPage.goto(`${t.url}/admin/articles/${story.id}`);
      await loaded(authorPage, 'Ferry runs aground in the harbour');
      assert.equal(await authorPage.getByRole('region', { name: 'Newsletter alert' }).count(), 0);
    });
  });
}
