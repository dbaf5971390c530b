/**
 * Composing and sending a newsletter issue in Chromium, on SQLite and
 * PostgreSQL, with a real SMTP server (smtp-server, messages parsed with
 * mailparser): an editor opens the composer from the newsletters list, sees
 * the suggested stories with their section, byline and thumbnail, moves one up,
 * removes one, adds an older one by search, writes an intro, uses and then
 * changes the suggested subject; a reload brings the composition back; the
 * preview shows the stories in that order at desktop and phone widths (with
 * the email's own styles applied); a test email arrives; "Send now" asks first,
 * naming the readers, then the send screen follows the send (pause, resume,
 * done) and every subscribed reader has it once; a second issue is cancelled
 * from its screen and reaches nobody; the sends list shows both; a tracked send
 * shows its opens and clicks. axe finds no
 * serious or critical WCAG 2.1 AA problem on the composer and the send screen.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';
import { addReader, MailServer } from '../newsletter/delivery-support.js';
import { seriousViolations } from '../support/axe.js';

const HOUR = 60 * 60 * 1000;



const STORIES = {
  archive: { headline: 'Lighthouse keeper retires after forty years', hoursAgo: 40 },
  a: { headline: 'Ferry service returns to the island', hoursAgo: 4 },
  b: { headline: 'Council approves harbour budget', hoursAgo: 3 },
  c: { headline: 'Storm warning lifted for the coast', hoursAgo: 2 },
  d: { headline: 'Night market opens on the pier', hoursAgo: 1 },
} as const;

for (const dialect of DIALECTS) {
  describe(`newsletter composer in Chromium on ${dialect}`, () => {
    const smtp = new MailServer();
    let t: TestApp;
    let browser: Browser;
    let editor: Staff;
    let newsletterId: number;
    const watched: { problems: PageProblems; where: string }[] = [];

    const editorPage = async (where: string): Promise<Page> => {
      const { context, problems } = await watchedContext(browser, t.url, { viewport: { width: 1400, height: 1000 } });
      watched.push({ problems, where });
      const page = await context.newPage();
      await signInThroughUi(page, t.url, editor.email, editor.password);
      return page;
    };
    const storyList = (page: Page) => page.getByRole('list', { name: 'Stories in this issue, first one first' });
    /** Waits for the composer's story list; on failure the screen's text says why. */
    const storiesShown = (page: Page) =>
      storyList(page)
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}\n${await page.locator('main').innerText()}`);
        });
    const listedHeadlines = (page: Page) => storyList(page).locator('li .story a').allInnerTexts();
    const previewFrame = (page: Page) => page.frameLocator('iframe[data-width]');
    /** Where each headline starts in the preview's text (-1: missing). */
    const previewPositions = async (page: Page, headlines: string[]) => {
      const text = await previewFrame(page).locator('body').innerText();
      return headlines.map((h) => text.indexOf(h));
    };
    const assertAscending = (positions: number[], what: string) => {
      assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `${what}: ${positions.join(', ')}`);
    };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await smtp.start();
      const smtpUrl = `smtp://127.0.0.1:${smtp.port}`;
      t = await startAdminTestApp(dialect, { SMTP_URL: smtpUrl, NEWSLETTER_SMTP_URL: smtpUrl, NEWSLETTER_BATCH_SIZE: '1', MAIL_FROM: 'The Harbour Gazette <newsroom@news.test>' });
      editor = await createStaff(t, 'editor');
      const room = await makeNewsroom(t.app);

      // A real JPEG for the lead story's thumbnail, where the media library serves it.
      const mediaDir = path.join(t.config.dataDir, 'media', 'photos');
      fs.mkdirSync(mediaDir, { recursive: true });
      const jpeg = await sharp({ create: { width: 1200, height: 675, channels: 3, background: { r: 20, g: 90, b: 140 } } }).jpeg().toBuffer();
      fs.writeFileSync(path.join(mediaDir, 'pier-1200.jpg'), jpeg);
      const media = await t.app.db.kysely
        .insertInto('media')
        .values({
          storage_key: 'photos/pier.jpg',
          mime: 'image/jpeg',
          width: 2400,
          height: 1350,
          bytes: jpeg.length,
          alt: 'Stalls on the pier at dusk',
          caption: '',
          credit: '',
          variants: JSON.stringify([{ width: 1200, height: 675, key: 'photos/pier-1200.jpg', format: 'jpeg' }]),
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const now = t.clock.now().getTime();
      for (const [key, story] of Object.entries(STORIES)) {
        t.clock.set(new Date(now - story.hoursAgo * HOUR));
        await publishedArticle(t.app, room, {
          headline: story.headline,
          sectionId: key === 'b' || key === 'd' ? room.sections.world : room.sections.local,
          authorIds: key === 'd' ? [room.authors.ana, room.authors.ben] : [room.authors.ana],
          ...(key === 'd' ? { imageId: media.id } : {}),
        });
      }
      t.clock.set(new Date(now));

      const daily = await t.app.newsletters.newsletters.create({ name: 'Harbour Daily', senderName: 'The Harbour Gazette', senderEmail: 'desk@news.test', template: { intro: 'Hello from the desk.' } });
      newsletterId = daily.id;
      for (const who of ['ann', 'bob', 'cat']) await addReader(t, `${who}@example.org`, who.toUpperCase(), [[daily.id, 'subscribed']]);
      await addReader(t, 'pat@example.org', 'Pat', [[daily.id, 'pending']]);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await smtp.close();
    });

    test('compose (reorder, remove, add by search, intro, subject), reload, preview at both widths, test email, send now to the end', async () => {
      const page = await editorPage('compose and send');
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Newsletters' }).click();
      await page.getByRole('link', { name: 'Compose Harbour Daily' }).click();
      await page.getByRole('heading', { level: 1, name: 'Compose Harbour Daily' }).waitFor();

      // The suggestion: the day's stories, newest first, with section, byline and thumbnail.
      await storiesShown(page);
      assert.deepEqual(await listedHeadlines(page), [STORIES.d, STORIES.c, STORIES.b, STORIES.a].map((s) => s.headline));
      const lead = storyList(page).getByRole('listitem').first();
      assert.match(await lead.innerText(), /World · By Ana Reyes, Ben Okafor/);
      const thumb = lead.locator('img.thumb');
      assert.match((await thumb.getAttribute('src')) ?? '', /\/media\/photos\/pier-1200\.jpg$/);
      await page.waitForFunction(() => (document.querySelector('img.thumb') as HTMLImageElement | null)?.naturalWidth === 1200);
      const subject = page.getByLabel('Subject', { exact: true });
      const suggested = `Harbour Daily: ${STORIES.d.headline} and 3 more`;
      assert.equal(await subject.inputValue(), suggested, 'the suggested subject is filled in');
      assert.equal(await page.getByRole('textbox', { name: 'Introduction' }).inputValue(), 'Hello from the desk.', "the newsletter's own intro to start from");

      // Reorder with the keyboard-friendly buttons, remove one, add an older story by search.
      await page.getByRole('button', { name: `Move up: ${STORIES.a.headline}` }).click();
      await page.getByRole('status').filter({ hasText: `${STORIES.a.headline} moved to position 3 of 4.` }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Move up: ${STORIES.a.headline}`, 'focus stays on the moved story');
      await page.getByRole('button', { name: `Remove ${STORIES.c.headline} from this issue` }).click();
      await page.getByLabel('Search published articles').fill('Lighthouse');
      await page.getByRole('button', { name: `Add ${STORIES.archive.headline} to this issue` }).click();
      const order = [STORIES.d, STORIES.a, STORIES.b, STORIES.archive].map((s) => s.headline);
      assert.deepEqual(await listedHeadlines(page), order);

      await page.getByRole('textbox', { name: 'Introduction' }).fill('Good morning from the harbour desk.');
      await subject.fill('Something else');
      await page.getByRole('button', { name: 'Use the suggested subject' }).click();
      assert.equal(await subject.inputValue(), suggested);
      const finalSubject = 'Harbour Daily: the ferry is back';
      await subject.fill(finalSubject);

      // A reload keeps the unsent composition.
      await page.getByText('The preview is up to date.').waitFor();
      await page.reload();
      await page.getByText(/Your unsent composition from .* is back, as you left it\./).waitFor();
      await storiesShown(page);
      assert.deepEqual(await listedHeadlines(page), order);
      assert.equal(await page.getByLabel('Subject', { exact: true }).inputValue(), finalSubject);
      assert.equal(await page.getByRole('textbox', { name: 'Introduction' }).inputValue(), 'Good morning from the harbour desk.');

      // The preview: the chosen stories in order, the intro, at desktop width with the email's styles...
      await page.getByText('The preview is up to date.').waitFor();
      await previewFrame(page).getByText(STORIES.archive.headline).waitFor();
      assertAscending(await previewPositions(page, order), 'desktop preview order');
      assert.equal((await previewPositions(page, [STORIES.c.headline]))[0], -1, 'the removed story is not in it');
      await previewFrame(page).getByText('Good morning from the harbour desk.', { exact: true }).waitFor();
      await previewFrame(page).getByText('Hello Alex').waitFor();
      const frame = page.locator('iframe[data-width]');
      assert.equal(Math.round((await frame.boundingBox())!.width), 680);
      const desktopPadding = await previewFrame(page).locator('.outer').first().evaluate((el) => getComputedStyle(el).paddingLeft);
      assert.notEqual(desktopPadding, '0px', `the email's inline styles apply in the preview (${desktopPadding})`);
      // ... and at a phone's width, where the email's media query takes over.
      await page.getByRole('button', { name: 'Mobile (375 px)' }).click();
      await page.locator('iframe[data-width="mobile"]').waitFor();
      assert.equal(Math.round((await frame.boundingBox())!.width), 375);
      assertAscending(await previewPositions(page, order), 'mobile preview order');
      assert.equal(await previewFrame(page).locator('.outer').first().evaluate((el) => getComputedStyle(el).paddingLeft), '0px', 'the phone layout (max-width: 620px) applies');
      assert.ok(await previewFrame(page).locator('body').evaluate((body) => body.ownerDocument.documentElement.scrollWidth <= 375), 'nothing wider than the phone');
      assert.equal(await page.getByRole('button', { name: 'Mobile (375 px)' }).getAttribute('aria-pressed'), 'true');

      const composerProblems = await seriousViolations(page, { iframes: false });
      assert.equal(composerProblems, '', `axe on the composer:\n${composerProblems}`);

      // A test email to the editor's own address.
      assert.equal(await page.getByLabel('Test email address').inputValue(), editor.email);
      await page.getByRole('button', { name: 'Send test email' }).click();
      await page.getByRole('status').filter({ hasText: `Test email sent to ${editor.email}.` }).waitFor();
      const tests = smtp.to(editor.email, `[Test] ${finalSubject}`);
      assert.equal(tests.length, 1, 'the test email arrived');
      assertAscending(order.map((h) => (tests[0]!.text ?? '').indexOf(h)), 'test email order');
      assert.equal(smtp.withSubject(finalSubject).length, 0, 'no reader got anything yet');

      // Send now asks first, naming how many readers get it.
      await page.getByRole('button', { name: 'Send now…' }).click();
      const dialog = page.getByRole('dialog', { name: `Send “${finalSubject}” now?` });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /It goes to the 3 readers subscribed to Harbour Daily, with 4 stories\./);
      await dialog.getByRole('button', { name: 'Send to 3 readers' }).click();

      // The send screen: queued (no worker runs in this test until it drains the jobs), paused, resumed, done.
      await page.waitForURL(/\/admin\/newsletter-sends\/\d+$/);
      await page.getByRole('heading', { level: 1, name: `Send: ${finalSubject}` }).waitFor();
      const live = page.locator('p[role="status"][aria-live="polite"]').first();
      await live.filter({ hasText: 'Queued: sending to 3 readers starts in a moment.' }).waitFor();
      await page.getByRole('button', { name: 'Pause' }).click();
      await live.filter({ hasText: /^Paused: 0 of 3 sent\. 3 wait until you resume\.$/ }).waitFor();
      await t.app.runner.drain();
      assert.equal(smtp.withSubject(finalSubject).length, 0, 'a paused send sends nothing');
      await page.getByRole('button', { name: 'Resume' }).click();
      await live.filter({ hasText: 'Queued' }).waitFor();
      await t.app.runner.drain();
      await live.filter({ hasText: 'Done: 3 of 3 sent.' }).waitFor();
      const progress = page.getByRole('progressbar', { name: '3 of 3 handled' });
      assert.equal(await progress.evaluate((el) => (el as HTMLProgressElement).value), 3);
      assert.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0, 'nothing to pause once done');
      assert.equal(await page.getByRole('button', { name: 'Cancel send…' }).count(), 0);
      await page.getByText('No failed recipients.').waitFor();
      for (const who of ['ann', 'bob', 'cat']) {
        const mails = smtp.to(`${who}@example.org`, finalSubject);
        assert.equal(mails.length, 1, `${who} has it once`);
        assertAscending(order.map((h) => (mails[0]!.text ?? '').indexOf(h)), `${who}'s copy`);
        assert.match(mails[0]!.text ?? '', new RegExp(`Hello ${who.toUpperCase()}`));
      }
      assert.equal(smtp.to('pat@example.org', finalSubject).length, 0, 'a reader who has not confirmed gets nothing');
      const sendProblems = await seriousViolations(page, { iframes: false });
      assert.equal(sendProblems, '', `axe on the send screen:\n${sendProblems}`);

      // Composing again starts afresh: the sent composition is gone from storage.
      await page.goto(`${t.url}/admin/newsletters/${newsletterId}/compose`);
      await page.getByRole('heading', { level: 2, name: /^Stories \(\d+\)$/ }).waitFor();
      assert.equal(await page.getByText(/is back, as you left it/).count(), 0);
      assert.notEqual(await page.getByLabel('Subject', { exact: true }).inputValue(), finalSubject);

      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where);
    });

    test('a send cancelled from its screen reaches nobody; the sends list shows every send, newest first', async () => {
      const page = await editorPage('cancel a send');
      await page.goto(`${t.url}/admin/newsletters/${newsletterId}/compose`);
      await page.getByRole('heading', { level: 2, name: /^Stories \(\d+\)$/ }).waitFor();
      await page.getByLabel('Search published articles').fill('Lighthouse');
      await page.getByRole('button', { name: `Add ${STORIES.archive.headline} to this issue` }).click();
      await storiesShown(page);
      const subject = 'Harbour Daily: never mind';
      await page.getByLabel('Subject', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Send now…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Send to 3 readers' }).click();
      await page.getByRole('heading', { level: 1, name: `Send: ${subject}` }).waitFor();
      await page.getByRole('button', { name: 'Cancel send…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel this send?' });
      await dialog.getByRole('button', { name: 'Cancel the send' }).click();
      await page.getByRole('status').filter({ hasText: 'Cancelled: 0 of 3 sent; 3 will not get it.' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Resume' }).count(), 0, 'a cancelled send cannot be resumed');
      await t.app.runner.drain();
      assert.equal(smtp.withSubject(subject).length, 0, 'nobody got the cancelled send');

      await page.getByRole('link', { name: 'Sends of Harbour Daily' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sends of Harbour Daily' }).waitFor();
      const rows = page.getByRole('table').getByRole('row');
      await rows.nth(2).waitFor();
      assert.match(await rows.nth(1).innerText(), /Harbour Daily: never mind\s+Cancelled[\s\S]*\b3\s+0\s+0\b/);
      assert.match(await rows.nth(2).innerText(), /Harbour Daily: the ferry is back\s+Done[\s\S]*\b3\s+3\s+0\b/);
      await rows.nth(2).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Send: Harbour Daily: the ferry is back' }).waitFor();

      for (const { problems, where } of watched.splice(0)) assertAdminPageClean(problems, where);
    });

    test('a tracked send shows its opens and clicks on its screen', async () => {
      await t.app.settings.update({ newsletters: { ...t.app.settings.get().newsletters, trackOpens: true, trackClicks: true } }, new Date().toISOString());
      const page = await editorPage('tracked send');
      await page.goto(`${t.url}/admin/newsletters/${newsletterId}/compose`);
      await page.getByRole('heading', { level: 2, name: /^Stories \(\d+\)$/ }).waitFor();
      await page.getByLabel('Search published articles').fill('Lighthouse');
      await page.getByRole('button', { name: `Add ${STORIES.archive.headline} to this issue` }).click();
      const subject = 'Harbour Daily: tracked';
      await page.getByLabel('Subject', { exact: true }).fill(subject);
      await page.getByRole('button', { name: 'Send now…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Send to 3 readers' }).click();
      await page.getByRole('heading', { level: 1, name: `Send: ${subject}` }).waitFor();
      await t.app.runner.drain();
      await page.getByRole('status').filter({ hasText: 'Done: 3 of 3 sent.' }).waitFor();

      // A reader opens the email and follows the story's link (the tracked addresses from the received copy).
      const html = String(smtp.to('ann@example.org', subject)[0]?.html ?? '');
      const click = /href="https?:\/\/[^/"]+(\/newsletters\/c\/[^"]+)"/.exec(html)?.[1];
      const open = /src="https?:\/\/[^/"]+(\/newsletters\/o\/[^"]+\.gif)"/.exec(html)?.[1];
      assert.ok(click && open, 'the received email has a tracked link and the open pixel');
      const followed = await fetch(t.url + click, { redirect: 'manual' });
      assert.equal(followed.status, 302);
      const clickedUrl = followed.headers.get('location');
      assert.equal((await fetch(t.url + open)).status, 200);

      await page.reload();
      const stats = page.getByRole('region', { name: 'Opens and clicks' });
      await stats.waitFor();
      assert.match(await stats.innerText(), /Opens\s+1[\s\S]*Clicks\s+1/);
      // Clicks per link: the address followed has the click, every other link (the story's among them) none.
      const perLink = new Map((await stats.getByRole('row').allInnerTexts()).slice(1).map((row) => row.split('\t') as [string, string]));
      assert.ok([...perLink.keys()].some((url) => url.endsWith('/local/lighthouse-keeper-retires-after-forty-years')), `the story's link is listed: ${[...perLink.keys()].join(' | ')}`);
      for (const [url, clicks] of perLink) assert.equal(clicks, url === clickedUrl ? '1' : '0', url);
      const problems = await seriousViolations(page, { iframes: false });
      assert.equal(problems, '', `axe on a tracked send:\n${problems}`);

      for (const { problems: p, where } of watched.splice(0)) assertAdminPageClean(p, where);
    });
  });
}
