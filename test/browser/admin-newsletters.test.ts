/**
 * The admin's newsletter screens in Chromium, on SQLite and PostgreSQL: an
 * editor creates a newsletter (the server refuses a colour first, next to its
 * field) and readers are offered it on /newsletters; readers who signed up are
 * listed with status counts, found by search, opened, and deleted with all
 * their data after typing their address; a newsletter with readers is not
 * deleted (the server's reason shows); a contributor has no entry in the
 * navigation and gets the server's refusal at the address; axe finds no
 * serious WCAG 2.1 AA violation on the screens.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { seriousViolations } from '../support/axe.js';




const RITA = { email: 'rita.rowe@example.org', name: 'Rita Rowe' };
const SAM = { email: 'sam.shore@example.org', name: 'Sam Shore' };

for (const dialect of DIALECTS) {
  describe(`admin newsletter screens in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let editor: Staff;
    let contributor: Staff;
    const watched: { problems: PageProblems; where: string }[] = [];
    const newPage = async (where: string): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where });
      return context.newPage();
    };
    const editorPage = async (where: string): Promise<Page> => {
      const page = await newPage(where);
      await signInThroughUi(page, t.url, editor.email, editor.password);
      return page;
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      // The default sender address comes from MAIL_FROM.
      t = await startAdminTestApp(dialect, { MAIL_FROM: 'The Harbour Gazette <newsroom@news.test>' });
      editor = await createStaff(t, 'editor');
      contributor = await createStaff(t, 'contributor');
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('an editor creates a newsletter, after the server refuses one field, and readers are offered it', async () => {
      const page = await editorPage('create a newsletter');
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Newsletters' }).click();
      await page.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
      await page.getByText('No newsletters yet.').waitFor();
      await page.getByRole('button', { name: 'New newsletter' }).click();
      const form = page.getByRole('form', { name: 'New newsletter' });
      await form.getByLabel('Name', { exact: true }).fill('Harbour Weekly');
      await form.getByLabel('Description').fill('The week on the waterfront, every Friday morning.');
      await form.getByLabel('Reply-to address').fill('desk@news.test');
      await form.getByLabel('Send on a schedule').check();
      for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday']) await form.getByLabel(day).uncheck();
      await form.getByLabel('Time').fill('07:15');
      await form.getByLabel('Introduction').fill('Good morning from the harbour desk.');
      await form.getByLabel('Accent colour').fill('navy');
      await form.getByRole('button', { name: 'Create newsletter' }).click();

      // The refusal sits next to the colour, said plainly, and the field takes the focus.
      const colour = form.getByLabel('Accent colour');
      await form.locator('.field-error').filter({ hasText: 'six hex digits' }).waitFor();
      assert.equal(await colour.getAttribute('aria-invalid'), 'true');
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
      assert.equal(await colour.evaluate((el) => el === document.activeElement), true, 'the refused field has the focus');
      assert.equal((await t.app.newsletters.newsletters.list()).length, 0, 'nothing was stored');

      await colour.fill('#1d4ed8');
      await form.getByRole('button', { name: 'Create newsletter' }).click();
      await page.getByRole('status').filter({ hasText: 'Created Harbour Weekly.' }).waitFor();
      const row = page.getByRole('row', { name: /Harbour Weekly/ });
      assert.match(await row.innerText(), /harbour-weekly[\s\S]*Public[\s\S]*Fridays at 07:15/);

      const [stored] = await t.app.newsletters.newsletters.list();
      assert.equal(stored?.slug, 'harbour-weekly');
      assert.deepEqual(stored?.schedule, { days: ['fri'], time: '07:15' });
      assert.deepEqual(stored?.template, { accentColor: '#1d4ed8', intro: 'Good morning from the harbour desk.' });
      assert.equal(stored?.replyTo, 'desk@news.test');
      assert.deepEqual([stored?.senderName, stored?.senderEmail], ['Harbour Weekly', 'newsroom@news.test'], 'the sender defaults to the name and MAIL_FROM');

      // Editing: a change the server refuses, then hiding and showing it again leaves it public.
      await page.getByRole('button', { name: 'Edit Harbour Weekly' }).click();
      const edit = page.getByRole('form', { name: 'Edit Harbour Weekly' });
      await edit.getByLabel('Sender name').fill('');
      await edit.getByRole('button', { name: 'Save newsletter' }).click();
      await edit.locator('.field-error').filter({ hasText: 'Enter a sender name' }).waitFor();
      await edit.getByLabel('Sender name').fill('The Harbour Desk');
      await edit.getByRole('button', { name: 'Save newsletter' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved Harbour Weekly.' }).waitFor();
      assert.equal((await t.app.newsletters.newsletters.list())[0]?.senderName, 'The Harbour Desk');

      // Readers are offered it on the sign-up page, with its description and schedule.
      const { context, problems } = await watchedContext(browser, t.url);
      const reader = await context.newPage();
      await reader.goto(`${t.url}/newsletters`);
      await reader.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
      await reader.getByRole('checkbox', { name: 'Harbour Weekly' }).waitFor();
      const main = await reader.locator('body').innerText();
      assert.match(main, /The week on the waterfront, every Friday morning\./);
      assert.match(main, /Fridays at 07:15/);
      assert.ok(emptyProblems(problems), `reader page:\n${describeProblems(problems)}`);
      await context.close();

      for (const { problems: p, where } of watched.splice(0)) assertAdminPageClean(p, where, [/400 (POST|PATCH) \S+\/api\/admin\/newsletters(\/\d+)?$/]);
    });

    test('readers who signed up are listed with counts, found by search, and one is deleted with all their data', async () => {
      const subscribers = t.app.newsletters.subscribers;
      const signup = (who: { email: string; name: string }, source: string) =>
        subscribers.signup({ email: who.email, name: who.name, newsletters: ['harbour-weekly'], source, ip: '192.0.2.10', honeypot: '' });
      await signup(RITA, 'page:/newsletters');
      await signup(SAM, 'footer:/local/pier-reopens');
      const rita = await t.app.newsletters.subscribersRepo.byKey(RITA.email);
      assert.ok(rita);
      await subscribers.confirm(rita, t.clock.now().getTime(), '192.0.2.10');

      const page = await editorPage('subscribers');
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Subscribers' }).click();
      await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
      await page.getByRole('link', { name: RITA.email }).waitFor();
      await page.getByRole('link', { name: SAM.email }).waitFor();
      const tabs = page.getByRole('navigation', { name: 'Subscription status' });
      await tabs.getByRole('link', { name: 'Subscribed 1', exact: true }).waitFor();
      await tabs.getByRole('link', { name: 'Pending 1', exact: true }).waitFor();
      await page.getByRole('row', { name: new RegExp(SAM.email) }).filter({ hasText: 'Harbour Weekly: Awaiting confirmation' }).waitFor();
      await page.getByRole('row', { name: new RegExp(RITA.email) }).filter({ hasText: 'Harbour Weekly: Subscribed' }).waitFor();

      // Search by name: the other reader goes, and the search is in the address.
      await page.getByLabel('Search by address or name').fill('rowe');
      await page.getByRole('link', { name: SAM.email }).waitFor({ state: 'detached' });
      await page.getByRole('link', { name: RITA.email }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('q'), 'rowe');
      // A status with nobody matching: an empty list that says so; the filters are in the address too.
      await tabs.getByRole('link', { name: /^Pending/ }).click();
      await page.getByText('No readers match.').waitFor();
      assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams), { q: 'rowe', status: 'pending' });
      // The export follows the newsletter and status chosen (not the search): here the pending reader only.
      const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      const csv = await page.request.get(new URL(exportHref ?? '', t.url).toString());
      assert.equal(csv.status(), 200);
      const exported = await csv.text();
      assert.match(exported, /sam\.shore@example\.org/);
      assert.doesNotMatch(exported, /rita\.rowe/);
      await page.goBack();
      await page.getByRole('link', { name: RITA.email }).click();

      // Her record: the subscription and every consent record, in words.
      await page.getByRole('heading', { level: 1, name: RITA.email }).waitFor();
      assert.match(await page.getByRole('row', { name: /Harbour Weekly/ }).first().innerText(), /Subscribed[\s\S]*Sign-up page \(\/newsletters\)/);
      const consents = await page.getByRole('table', { name: 'Consent records' }).innerText();
      assert.match(consents, /Asked to subscribe\s+Harbour Weekly\s+Sign-up page/);
      assert.match(consents, /Confirmed\s+Harbour Weekly\s+Link in the confirmation email/);

      // Deleting needs her address typed exactly.
      await page.getByRole('button', { name: 'Delete this reader and all their data' }).click();
      const dialog = page.getByRole('dialog', { name: `Delete ${RITA.email}?` });
      const confirmField = dialog.getByLabel('Type the reader’s address to confirm');
      await confirmField.fill('rita@example.org');
      await dialog.getByRole('button', { name: 'Delete reader and data' }).click();
      await dialog.locator('.field-error').filter({ hasText: `Type ${RITA.email} exactly` }).waitFor();
      assert.ok(await t.app.newsletters.subscribersRepo.byKey(RITA.email), 'a wrong address deletes nothing');
      await confirmField.fill(RITA.email);
      await dialog.getByRole('button', { name: 'Delete reader and data' }).click();

      // Back on the list as it was left (the search kept), which says what happened.
      await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
      await page.getByRole('status').filter({ hasText: `Deleted ${RITA.email} and everything kept about them.` }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('q'), 'rowe');
      await page.getByText('No readers match.').waitFor();
      assert.equal(await t.app.newsletters.subscribersRepo.byKey(RITA.email), undefined);
      const left = await t.app.db.kysely.selectFrom('newsletter_consents').select('id').where('subscriber_id', '=', rita.id).execute();
      assert.equal(left.length, 0, 'her consent records went with her');
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByRole('link', { name: SAM.email }).waitFor();

      // The newsletter still has a reader (Sam, pending): the server refuses to delete it and says why.
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Newsletters' }).click();
      await page.getByRole('button', { name: 'Delete Harbour Weekly' }).click();
      await page.getByRole('dialog', { name: 'Delete Harbour Weekly?' }).getByRole('button', { name: 'Delete newsletter' }).click();
      await page.getByRole('alert').filter({ hasText: 'hide it instead' }).waitFor();
      assert.equal((await t.app.newsletters.newsletters.list()).length, 1, 'the newsletter is still there');

      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/409 DELETE \S+\/api\/admin\/newsletters\/\d+$/]);
    });

    test('a contributor has no newsletter entries and gets the server’s refusal at the address', async () => {
      const page = await newPage('contributor');
      await signInThroughUi(page, t.url, contributor.email, contributor.password);
      const nav = page.getByRole('navigation', { name: 'Admin' });
      await nav.getByRole('link', { name: 'Articles' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Newsletters' }).count(), 0);
      assert.equal(await nav.getByRole('link', { name: 'Subscribers' }).count(), 0);

      for (const [path, heading] of [['/admin/newsletters', 'Newsletters'], ['/admin/subscribers', 'Subscribers']] as const) {
        await page.goto(`${t.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.getByRole('alert').filter({ hasText: 'Your role (contributor) does not allow that' }).first().waitFor();
        assert.equal(await page.getByRole('button', { name: 'New newsletter' }).count(), 0);
        assert.equal(await page.getByRole('table').count(), 0, 'nothing about readers is shown');
      }
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/403 GET \S+\/api\/admin\/(newsletters|subscribers)(\?\S*)?$/]);
    });

    test('axe finds no serious violation on the newsletter screens', async () => {
      const page = await editorPage('accessibility');
      const sam = await t.app.newsletters.subscribersRepo.byKey(SAM.email);
      assert.ok(sam);
      const failures: string[] = [];
      const check = async (where: string) => {
        await page.waitForLoadState('networkidle');
        const found = await seriousViolations(page);
        if (found) failures.push(`${where}:\n${found}`);
      };

      await page.goto(`${t.url}/admin/newsletters`);
      await page.getByRole('heading', { level: 1, name: 'Newsletters' }).waitFor();
      await page.getByRole('row', { name: /Harbour Weekly/ }).waitFor();
      await check('newsletters');
      await page.getByRole('button', { name: 'Edit Harbour Weekly' }).click();
      await page.getByRole('form', { name: 'Edit Harbour Weekly' }).getByLabel('Time').fill('');
      await page.getByRole('button', { name: 'Save newsletter' }).click();
      await page.locator('.field-error').filter({ hasText: 'Enter a time like 06:30' }).waitFor();
      await check('newsletter form with an error');

      await page.goto(`${t.url}/admin/subscribers`);
      await page.getByRole('link', { name: SAM.email }).waitFor();
      await check('subscribers');
      await page.getByRole('link', { name: SAM.email }).click();
      await page.getByRole('heading', { level: 1, name: SAM.email }).waitFor();
      await check('subscriber');
      await page.getByRole('button', { name: 'Delete this reader and all their data' }).click();
      await page.getByRole('dialog', { name: `Delete ${SAM.email}?` }).waitFor();
      await check('delete dialog');

      assert.deepEqual(failures, [], failures.join('\n\n'));
      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where, [/400 PATCH \S+\/api\/admin\/newsletters\/\d+$/]);
    });
  });
}
