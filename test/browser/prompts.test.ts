/**
 * Reader prompts in a real headless Chromium, on both databases: an inline
 * donation appeal shows after its paragraph and counts its impression; a
 * capped prompt stops after its views; "Not now" hides it for its days; the
 * overlay waits for the reader, keeps focus inside, closes with Escape and
 * gives focus back; without JavaScript the default prompt shows; axe finds
 * nothing serious. In the admin, an editor creates a prompt in the campaign
 * editor and it appears on the site.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { createStaff } from '../accounts/support.js';
import { seriousViolations } from '../support/axe.js';
import type { CampaignInput } from '../../src/prompts/model.js';

const DAY = 86_400_000;

const appeal = (fields: Partial<CampaignInput> = {}): CampaignInput => ({
  name: 'Winter appeal',
  kind: 'donation',
  placement: 'inline',
  afterParagraph: 2,
  variants: [{ key: 'a', weight: 1, heading: 'Keep local news free', body: '<p>Readers like you pay for our reporting.</p>', buttonText: 'Give now' }],
  ...fields,
});

function assertClean(problems: PageProblems, where: string): void {
  assert.ok(emptyProblems(problems), `${where}:\n${describeProblems(problems)}`);
}

for (const dialect of DIALECTS) {
  describe(`reader prompts in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let room: Newsroom;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      browser = await launchBrowser();
      room = await makeNewsroom(t.app);
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    /** A campaign for the length of one test. */
    async function withCampaign(input: CampaignInput, run: (id: number) => Promise<void>): Promise<void> {
      const campaign = await t.app.prompts.campaigns.create(input);
      try {
        await run(campaign.id);
      } finally {
        await t.app.prompts.campaigns.delete(campaign.id);
      }
    }

    async function reader(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
      const { context, problems } = await watchedContext(browser, t.url, { viewport: { width: 1000, height: 700 }, ...options });
      return { context, page: await context.newPage(), problems };
    }

    const appealBox = (page: Page) => page.getByRole('complementary', { name: 'Keep local news free' });

    test('an inline donation appeal appears after its paragraph, counts its impression, and axe finds nothing serious', async () => {
      await withCampaign(appeal(), async (id) => {
        const story = await publishedArticle(t.app, room, { headline: 'Harbour dredging starts', body: paragraphs(6) });
        const { context, page, problems } = await reader();
        try {
          const counted = page.waitForResponse((r) => r.url().endsWith('/prompts/events') && r.status() === 204);
          await page.goto(t.url + story.path);
          await appealBox(page).waitFor();
          const before = await page.evaluate(() => {
            const box = document.querySelector('aside.prompt:not([hidden])');
            return box?.previousElementSibling?.textContent ?? '';
          });
          assert.match(before, /Paragraph 2 of the story/, 'after the second paragraph');
          const give = appealBox(page).getByRole('link', { name: 'Give now' });
          assert.match((await give.getAttribute('href')) ?? '', new RegExp(`^/donate\\?campaign=winter-appeal&variant=a&article=${story.id}$`));
          assert.ok(await appealBox(page).getByRole('button', { name: 'Not now' }).isVisible());
          await counted;
          const stats = await t.app.prompts.stats.forCampaign(id);
          assert.equal(stats.variants[0]!.impressions, 1);
          assert.equal(await seriousViolations(page), '');
          assertClean(problems, 'article with an appeal');
        } finally {
          await context.close();
        }
      });
    });

    test('a variant other than the default is fetched when chosen, in its slot, with this page’s article on its link', async () => {
      // Variant a (the no-JavaScript default, in the page) has no share: every reader with JavaScript gets b.
      const variants = [
        { key: 'a', weight: 0, heading: 'Keep local news free', body: '', buttonText: 'Give now' },
        { key: 'b', weight: 1, heading: 'Chip in for the harbour desk', body: '<p>Any amount keeps it going.</p>', buttonText: 'Chip in' },
      ];
      await withCampaign(appeal({ variants }), async (id) => {
        const story = await publishedArticle(t.app, room, { headline: 'Lighthouse keeper retires', body: paragraphs(5) });
        const { context, page, problems } = await reader();
        try {
          const fetched = page.waitForResponse((r) => r.url().includes(`/prompts/copy/${id}.b?v=`) && r.status() === 200);
          await page.goto(t.url + story.path);
          await fetched;
          const box = page.getByRole('complementary', { name: 'Chip in for the harbour desk' });
          await box.waitFor();
          assert.equal(await appealBox(page).count(), 0, 'the default variant is replaced, not shown beside it');
          const before = await page.evaluate(() => document.querySelector('aside.prompt:not([hidden])')?.previousElementSibling?.textContent ?? '');
          assert.match(before, /Paragraph 2 of the story/, 'in the slot after the second paragraph');
          assert.equal(await box.getByRole('link', { name: 'Chip in' }).getAttribute('href'), `/donate?campaign=winter-appeal&variant=b&article=${story.id}`);
          await box.getByRole('button', { name: 'Not now' }).click();
          await box.waitFor({ state: 'hidden' });
          assert.equal(await seriousViolations(page), '');
          assertClean(problems, 'article with a fetched variant');
        } finally {
          await context.close();
        }
      });
    });

    test('a prompt capped at two views a day shows twice, then not again that day', async () => {
      await withCampaign(appeal({ caps: { perDay: 2 } }), async () => {
        const story = await publishedArticle(t.app, room, { headline: 'Ferry timetable changes', body: paragraphs(5) });
        const { context, page, problems } = await reader();
        try {
          for (const visit of [1, 2]) {
            await page.goto(t.url + story.path);
            await appealBox(page).waitFor();
            assert.ok(await appealBox(page).isVisible(), `visit ${visit}: shown`);
          }
          await page.goto(t.url + story.path);
          await page.waitForFunction(() => document.querySelector('[data-prompt]') !== null && document.querySelectorAll('aside.prompt:not([hidden])').length === 0);
          assert.equal(await appealBox(page).count(), 0, 'third visit: capped');
          assertClean(problems, 'capped prompt');
        } finally {
          await context.close();
        }
      });
    });

    test('"Not now" hides the prompt, and it stays away for its days', async () => {
      await withCampaign(appeal({ caps: { dismissDays: 3 } }), async () => {
        const story = await publishedArticle(t.app, room, { headline: 'Library hours extended', body: paragraphs(5) });
        const { context, page, problems } = await reader();
        try {
          await page.goto(t.url + story.path);
          const dismissCounted = page.waitForResponse((r) => r.url().endsWith('/prompts/events') && (r.request().postData() ?? '').includes('"dismiss"'));
          await appealBox(page).getByRole('button', { name: 'Not now' }).click();
          assert.equal(await appealBox(page).count(), 0, 'gone at once');
          assert.equal((await dismissCounted).status(), 204, 'the dismissal is counted');
          await page.reload();
          await page.waitForFunction(() => document.querySelector('[data-prompt]') !== null && document.querySelectorAll('aside.prompt:not([hidden])').length === 0);
          assert.equal(await appealBox(page).count(), 0, 'still gone after a reload');
          // Three days later (the remembered dismissal moved back), it may return.
          await page.evaluate((days) => {
            const state = JSON.parse(localStorage.getItem('bs_prompts') ?? '{}');
            for (const seen of Object.values(state.history) as { dismissed?: number }[]) if (seen.dismissed) seen.dismissed -= days;
            localStorage.setItem('bs_prompts', JSON.stringify(state));
          }, 3 * DAY + 1000);
          await page.reload();
          await appealBox(page).waitFor();
          assertClean(problems, 'dismissed prompt');
        } finally {
          await context.close();
        }
      });
    });

    test('the overlay waits for the reader, traps focus, closes with Escape and returns focus', async () => {
      const overlay: CampaignInput = {
        name: 'App overlay',
        kind: 'custom',
        placement: 'overlay',
        variants: [{ key: 'a', weight: 1, heading: 'Take us with you', body: '<p>Our app has the day’s news.</p>', buttonText: 'See the app', buttonUrl: '/apps' }],
      };
      await withCampaign(overlay, async () => {
        const story = await publishedArticle(t.app, room, { headline: 'Long read: the old mill', body: paragraphs(40) });
        const { context, page, problems } = await reader();
        try {
          await page.goto(t.url + story.path);
          await page.waitForLoadState('load');
          const dialog = page.getByRole('dialog', { name: 'Take us with you' });
          assert.equal(await dialog.count(), 0, 'not on first paint');
          // Something near the top, so focusing it does not scroll (scrolling far down opens the overlay).
          await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Home' }).focus();
          const focusedBefore = await page.evaluate(() => document.activeElement?.textContent);
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          await dialog.waitFor();
          const inside = () => page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));
          assert.ok(await inside(), 'focus moves into the dialog');
          for (let i = 0; i < 5; i++) {
            await page.keyboard.press('Tab');
            assert.ok(await inside(), `Tab ${i + 1} stays inside`);
          }
          await page.keyboard.press('Shift+Tab');
          assert.ok(await inside(), 'Shift+Tab stays inside');
          assert.ok(await dialog.getByRole('button', { name: 'Close' }).isVisible(), 'a visible close button');
          assert.equal(await seriousViolations(page), '');
          // The dismissal is counted by a beacon a moment later; reloading before it lands would abort it.
          const dismissCounted = page.waitForResponse((r) => r.url().endsWith('/prompts/events') && (r.request().postData() ?? '').includes('"dismiss"'));
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
          assert.equal((await dismissCounted).status(), 204, 'the dismissal is counted');
          assert.equal(await page.evaluate(() => document.activeElement?.textContent), focusedBefore, 'focus back where it was');
          assert.equal(focusedBefore, 'Home');
          await page.reload();
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          await page.waitForFunction(() => document.readyState === 'complete');
          assert.equal(await dialog.count(), 0, 'closed is dismissed: not again for its days');
          assertClean(problems, 'overlay');
        } finally {
          await context.close();
        }
      });
    });

    test('an editor creates a prompt in the campaign editor, and readers see it on the site', async () => {
      const staff = await createStaff(t, 'editor');
      const story = await publishedArticle(t.app, room, { headline: 'Market hall reopens', body: paragraphs(5) });
      const { context, problems } = await watchedContext(browser, t.url, { viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      try {
        await signInThroughUi(page, t.url, staff.email, staff.password, '/admin/prompts');
        await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Prompts' }).click();
        await page.getByRole('heading', { name: 'Prompts', level: 1 }).waitFor();
        await page.getByRole('link', { name: 'New prompt' }).click();
        await page.getByLabel('Name').fill('Market appeal');
        await page.getByLabel('Kind').selectOption('donation');
        await page.getByLabel('Placement').selectOption('end');
        await page.getByLabel('Variant 1 heading').fill('Fund the market beat');
        await page.getByLabel('Variant 1 text').fill('<p>Our reporters cover the market every week.</p>');
        // The button label is required for a donation appeal: the refusal sits next to the field.
        await page.getByRole('button', { name: 'Create prompt' }).click();
        await page.getByText('the button needs a label').waitFor();
        await page.getByLabel('Variant 1 button text').fill('Support us');
        assert.equal(await seriousViolations(page), '', 'the editor, with an error shown');
        await page.getByRole('button', { name: 'Preview' }).click();
        await page.frameLocator('iframe[title="Preview of the prompt as readers see it"]').getByRole('heading', { name: 'Fund the market beat' }).waitFor();
        await page.getByRole('button', { name: 'Create prompt' }).click();
        await page.getByRole('link', { name: 'Market appeal', exact: true }).waitFor();
        assert.equal(await seriousViolations(page), '', 'the list');

        const readerPage = await context.newPage();
        await readerPage.goto(t.url + story.path);
        const box = readerPage.getByRole('complementary', { name: 'Fund the market beat' });
        await box.waitFor();
        assert.ok(await box.getByRole('link', { name: 'Support us' }).isVisible());
        await readerPage.close();

        await page.getByRole('link', { name: 'Performance of Market appeal' }).click();
        await page.getByRole('table').waitFor();
        await page.getByRole('rowheader', { name: 'a', exact: true }).waitFor();
        assert.equal(await seriousViolations(page), '', 'the stats');
        assertAdminPageClean(problems, 'prompt editor', [/400 POST \S+\/api\/admin\/prompts$/]);
      } finally {
        await context.close();
        for (const c of await t.app.prompts.campaigns.list()) if (c.name === 'Market appeal') await t.app.prompts.campaigns.delete(c.id);
      }
    });

    test('without JavaScript the default prompt shows and nothing else', async () => {
      const forDonors = appeal({ name: 'Thanks donors', priority: 50, targeting: { donor: 'donor' }, variants: [{ key: 'a', weight: 1, heading: 'Thank you for giving', body: '', buttonText: 'More' }] });
      const donors = await t.app.prompts.campaigns.create(forDonors);
      try {
        await withCampaign(appeal({ priority: 10 }), async () => {
          const story = await publishedArticle(t.app, room, { headline: 'Bridge reopens', body: paragraphs(5) });
          const { context, page, problems } = await reader({ javaScriptEnabled: false });
          try {
            await page.goto(t.url + story.path);
            assert.ok(await appealBox(page).isVisible(), 'the default appeal shows');
            assert.equal(await page.getByRole('complementary', { name: 'Thank you for giving' }).count(), 0, 'a donors-only prompt does not');
            assert.equal(await appealBox(page).getByRole('button', { name: 'Not now' }).count(), 0, 'no dismiss button that could not work');
            // (axe needs JavaScript in the page; the same markup is audited with JavaScript above.)
            assertClean(problems, 'no JavaScript');
          } finally {
            await context.close();
          }
          // With JavaScript, a donor (bs_reader cookie) gets the donors' prompt instead.
          const withJs = await reader();
          try {
            await withJs.context.addCookies([{ name: 'bs_reader', value: 'donor', url: t.url }]);
            await withJs.page.goto(t.url + story.path);
            await withJs.page.getByRole('complementary', { name: 'Thank you for giving' }).waitFor();
            assert.equal(await appealBox(withJs.page).count(), 0, 'one donation prompt per page');
          } finally {
            await withJs.context.close();
          }
        });
      } finally {
        await t.app.prompts.campaigns.delete(donors.id);
      }
    });
  });
}
