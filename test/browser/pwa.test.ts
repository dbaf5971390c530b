/**
 * The installable web app in a real headless Chromium, on both databases: the manifest and
 * service worker make the site installable (Chromium's own installability check finds nothing
 * missing); the worker takes control without a prompt; with the browser offline, the front page
 * and an article the reader opened still show, an article never opened shows the offline page
 * (listing what this device kept), and nothing from the admin or an API was kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff } from '../accounts/support.js';
import { CHROMIUM_PATH, describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { makeNewsroom, paragraphs, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { seriousViolations } from '../support/axe.js';

/** Waits until a service worker controls the page (it claims open pages when it activates). */
async function controlled(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
}

/** What the worker keeps, by cache name: the paths and queries stored. */
function keptPages(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
    }
    return out;
  });
}

for (const dialect of DIALECTS) {
  describe(`installable web app in Chromium on ${dialect}`, () => {
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

    async function reader(): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
      const { context, problems } = await watchedContext(browser, t.url, { serviceWorkers: 'allow', viewport: { width: 1000, height: 700 } });
      return { context, page: await context.newPage(), problems };
    }

    test('Chromium finds the site installable, offers to install it, and the worker takes control without asking anything', async () => {
      const { context, profile } = await installableBrowser();
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        let asked = false;
        page.on('dialog', () => void (asked = true));
        await page.addInitScript(() => {
          addEventListener('beforeinstallprompt', () => ((window as unknown as { offered: boolean }).offered = true));
        });
        await page.goto(`${t.url}/`);
        await controlled(page);
        const cdp = await context.newCDPSession(page);
        const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
        assert.equal(new URL(manifest.url).pathname, '/manifest.webmanifest');
        assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
        const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
        assert.deepEqual(installabilityErrors, [], 'nothing stops installing');
        await page.reload();
        await page.waitForFunction(() => (window as unknown as { offered?: boolean }).offered === true, null, { timeout: 15_000 });
        assert.equal(await page.evaluate(() => Notification.permission), 'default', 'no permission was asked for');
        assert.equal(asked, false);
      } finally {
        await closeProfile(context, profile);
      }
    });

    test('the app prompt offers the install where the browser can install, opens its dialog, and is absent elsewhere', async () => {
      const campaign = await t.app.prompts.campaigns.create({
        name: 'Web app',
        kind: 'app',
        placement: 'list',
        variants: [{ key: 'a', weight: 1, heading: 'Read us on your phone', body: '<p>Headlines a tap away, even offline.</p>', buttonText: 'Add to home screen' }],
      });
      try {
        // A browser that cannot install (a private window): no prompt at all, not an empty one.
        const plain = await reader();
        try {
          await plain.page.goto(`${t.url}/`);
          await plain.page.waitForFunction(() => document.querySelector('[data-prompt]') !== null);
          await plain.page.waitForLoadState('networkidle');
          assert.equal(await plain.page.getByRole('complementary', { name: 'Read us on your phone' }).count(), 0);
          assert.equal(await plain.page.getByRole('button', { name: 'Add to home screen' }).count(), 0);
          assertCleanPage(plain.problems, 'home page, no install possible');
        } finally {
          await plain.context.close();
        }

        const { context, profile } = await installableBrowser();
        try {
          const page = context.pages()[0] ?? (await context.newPage());
          await page.addInitScript(() => {
            // Record the browser's own dialog being asked for (the real prompt() still runs).
            addEventListener('beforeinstallprompt', (event) => {
              const original = (event as unknown as { prompt: () => Promise<void> }).prompt.bind(event);
              (event as unknown as { prompt: () => Promise<void> }).prompt = () => {
                (window as unknown as { prompted: number }).prompted = ((window as unknown as { prompted?: number }).prompted ?? 0) + 1;
                return original();
              };
            });
          });
          await page.goto(`${t.url}/`);
          const box = page.getByRole('complementary', { name: 'Read us on your phone' });
          await box.waitFor({ timeout: 15_000 });
          const button = box.getByRole('button', { name: 'Add to home screen' });
          assert.ok(await button.isVisible());
          assert.equal(await seriousViolations(page), '');
          await button.click();
          await page.waitForFunction(() => (window as unknown as { prompted?: number }).prompted === 1);
          // Counted like any prompt: shown once, its button clicked once.
          await page.waitForResponse((r) => r.url().endsWith('/prompts/events') && r.status() === 204);
          let counts = (await t.app.prompts.stats.forCampaign(campaign.id)).variants[0]!;
          while (counts.clicks < 1) {
            await page.waitForResponse((r) => r.url().endsWith('/prompts/events'));
            counts = (await t.app.prompts.stats.forCampaign(campaign.id)).variants[0]!;
          }
          assert.equal(counts.impressions, 1);
          assert.equal(counts.clicks, 1);
        } finally {
          await closeProfile(context, profile);
        }
      } finally {
        await t.app.prompts.campaigns.delete(campaign.id);
      }
    });

    test('an owner sets the app’s short name and colours in Settings, and the manifest follows', async () => {
      const owner = await createStaff(t, 'owner');
      const { context, problems } = await watchedContext(browser, t.url);
      try {
        const page = await context.newPage();
        await signInThroughUi(page, t.url, owner.email, owner.password);
        await page.goto(`${t.url}/admin/settings`);
        const group = page.getByRole('group', { name: 'Apps' });
        await group.waitFor();
        await group.getByLabel('Short name under the app icon').fill('Ledger');
        await group.getByLabel('App toolbar colour').fill('#0b5394');
        await page.getByRole('button', { name: 'Save settings' }).click();
        await page.getByRole('status').filter({ hasText: 'Settings saved' }).first().waitFor();
        const manifest = (await (await fetch(`${t.url}/manifest.webmanifest`)).json()) as { short_name: string; theme_color: string; background_color: string };
        assert.deepEqual([manifest.short_name, manifest.theme_color, manifest.background_color], ['Ledger', '#0b5394', '#ffffff']);
        assert.match(await (await fetch(`${t.url}/`)).text(), /<meta name="theme-color" content="#0b5394">/);
        assertAdminPageClean(problems, 'settings');
      } finally {
        await t.app.settings.update({ webApp: { shortName: '', themeColor: '#ffffff' } }, new Date().toISOString());
        await context.close();
      }
    });

    test('the worker keeps the 20 articles read last: reading one again keeps it, the longest unread goes', async () => {
      const stories = [];
      for (let i = 1; i <= 21; i++) stories.push(await publishedArticle(t.app, room, { headline: `Council notes, part ${i}`, body: paragraphs(2) }));
      const { context, page, problems } = await reader();
      try {
        await page.goto(`${t.url}/`);
        await controlled(page);
        const kept = async () => (await keptPages(page))['bs-articles-v1'] ?? [];
        for (const story of stories.slice(0, 20)) await page.goto(t.url + story.path);
        assert.equal((await kept()).length, 20);
        // Part 1 read again: now the most recent, so part 2 is the one that goes when part 21 is read.
        await page.goto(t.url + stories[0]!.path);
        await page.goto(t.url + stories[20]!.path);
        const after = await kept();
        assert.equal(after.length, 20);
        assert.ok(after.includes(stories[0]!.path), 'the story read again is kept');
        assert.ok(!after.includes(stories[1]!.path), 'the longest unread is dropped');
        assert.deepEqual(after.slice(-2), [stories[0]!.path, stories[20]!.path], 'in reading order');
        assertCleanPage(problems, 'reading 21 articles');
      } finally {
        await context.close();
      }
    });

    test('offline, the front page and an article read earlier still show; one never opened shows the offline page', async () => {
      const read = await publishedArticle(t.app, room, { headline: 'Ferry timetable changes for winter', body: paragraphs(4) });
      const unread = await publishedArticle(t.app, room, { headline: 'Library extends its opening hours', body: paragraphs(4) });
      const { context, page, problems } = await reader();
      try {
        await page.goto(`${t.url}/?source=pwa`);
        await controlled(page);
        await page.goto(t.url + read.path);
        await page.getByRole('heading', { level: 1, name: 'Ferry timetable changes for winter' }).waitFor();
        // Kept while the reader read it: the front page under its plain address, and the article.
        await page.waitForFunction(async () => {
          const kept = await caches.open('bs-articles-v1').then((c) => c.keys());
          return kept.length > 0;
        });
        const kept = await keptPages(page);
        assert.deepEqual(kept['bs-pages-v1'], ['/']);
        assert.deepEqual(kept['bs-articles-v1'], [read.path]);
        const core = Object.keys(kept).find((name) => name.startsWith('bs-core-'))!;
        assert.ok(kept[core]!.includes('/offline'), 'the offline page is kept ahead of need');

        await context.setOffline(true);
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Ferry timetable changes for winter' }).waitFor();
        assert.match(await page.locator('.article-body').innerText(), /Paragraph 3/);

        await page.goto(`${t.url}/`);
        assert.equal(await page.locator('a', { hasText: 'Ferry timetable changes for winter' }).count() > 0, true, 'the kept front page shows');

        await page.goto(t.url + unread.path);
        await page.getByRole('heading', { level: 1, name: 'You are offline' }).waitFor();
        assert.equal(await page.getByRole('heading', { level: 1, name: 'Library extends its opening hours' }).count(), 0);
        // The offline page is styled (its stylesheet came from the worker's cache) and lists what this device kept.
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link')!).position);
        assert.equal(styled, 'absolute');
        const saved = page.getByRole('region', { name: 'Saved on this device' });
        await saved.waitFor();
        assert.equal(await saved.getByRole('link', { name: 'Ferry timetable changes for winter' }).getAttribute('href'), read.path);
        await saved.getByRole('link', { name: 'Ferry timetable changes for winter' }).click();
        await page.getByRole('heading', { level: 1, name: 'Ferry timetable changes for winter' }).waitFor();
        assert.equal(await seriousViolations(page), '');
        await context.setOffline(false);
        // Nothing private, no admin or API answer is ever kept.
        await page.goto(`${t.url}/api/admin/articles`).catch(() => undefined);
        await page.goto(`${t.url}/offline`);
        const everything = Object.values(await keptPages(page)).flat();
        assert.deepEqual(everything.filter((p) => /^\/(api|admin|donor|donate)/.test(p)), []);
        // Requests that failed while offline are expected; nothing else may go wrong.
        problems.failedRequests.length = 0;
        problems.httpErrors = problems.httpErrors.filter((e) => !e.includes('/api/admin/'));
        problems.consoleErrors = problems.consoleErrors.filter((e) => !e.includes('/api/admin/'));
        assertCleanPage(problems, 'offline reading');
      } finally {
        await context.close();
      }
    });
  });
}

/**
 * A Chromium with an ordinary profile: installing needs one (a fresh context is incognito, where
 * Chromium never installs); the engagement check (minutes of use before the browser offers) is
 * skipped, as in a developer's browser.
 */
async function installableBrowser(): Promise<{ context: BrowserContext; profile: string }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-pwa-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--bypass-app-banner-engagement-checks'],
    viewport: { width: 1000, height: 700 },
  });
  return { context, profile };
}

async function closeProfile(context: BrowserContext, profile: string): Promise<void> {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

function assertCleanPage(problems: PageProblems, where: string): void {
  assert.ok(emptyProblems(problems), `${where}:\n${describeProblems(problems)}`);
}
