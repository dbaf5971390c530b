/**
 * The reader site in a real headless Chromium, on both storage dialects: the
 * demo newsroom is seeded into a real listening app, and a reader goes from
 * the home page to an article by clicking a headline. Checks what a person
 * (or a screen reader) would notice: errors, broken requests, headings,
 * landmarks, the skip link, images, and that pages work without JavaScript.
 * Screenshots land in $SCREENSHOT_DIR (default /tmp/broadsheet-screenshots).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { seedDemo } from '../../src/demo/seed.js';
import { demoArticles } from '../../src/demo/content.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp/broadsheet-screenshots';
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

const breakingDemo = demoArticles.find((a) => a.breaking)!;

function assertClean(problems: PageProblems, where: string): void {
  assert.ok(emptyProblems(problems), `${where}: the page had problems:\n${describeProblems(problems)}`);
  // Same-origin only: nothing on load goes to a third party (share links, embeds, fonts ...).
  assert.ok(problems.requests.length > 0, `${where}: no request was seen at all`);
}

async function landmarksAndHeadings(page: Page, where: string): Promise<void> {
  assert.equal(await page.locator('h1').count(), 1, `${where}: exactly one h1`);
  assert.equal(await page.getByRole('banner').count(), 1, `${where}: one banner landmark`);
  assert.equal(await page.getByRole('main').count(), 1, `${where}: one main landmark`);
  assert.equal(await page.getByRole('contentinfo').count(), 1, `${where}: one contentinfo landmark`);
  assert.equal(await page.getByRole('navigation', { name: 'Sections' }).count(), 1, `${where}: section navigation`);
}

/** Tab from the top of the page lands on the skip link; Enter moves focus into main. */
async function checkSkipLink(page: Page, where: string): Promise<void> {
  await page.locator('body').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return { className: el.className, text: el.textContent?.trim(), href: el.getAttribute('href'), top: box.top, height: box.height };
  });
  assert.ok(first, `${where}: Tab focused nothing`);
  assert.equal(first.className, 'skip-link', `${where}: the first focusable element is the skip link (got ${JSON.stringify(first)})`);
  assert.equal(first.href, '#main');
  assert.ok(first.top >= 0 && first.height > 0, `${where}: the focused skip link is on screen (${JSON.stringify(first)})`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 2000 }).catch(() => undefined);
  const focused = await page.evaluate(() => ({ tag: document.activeElement?.tagName, id: document.activeElement?.id }));
  assert.deepEqual(focused, { tag: 'MAIN', id: 'main' }, `${where}: Enter on the skip link moves focus to main`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-fold.png`) });
}

async function noHorizontalScroll(page: Page, where: string): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  assert.ok(widths.scroll <= widths.viewport, `${where}: the page scrolls sideways (${widths.scroll}px wide in a ${widths.viewport}px window)`);
}

for (const dialect of DIALECTS) {
  describe(`reader site in Chromium (${dialect})`, () => {
    let t: TestApp;
    let browser: Browser;
    let origin: string;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      await seedDemo(t.app);
      origin = new URL(t.url).origin;
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('home page: breaking banner, landmarks, skip link, then a click on a headline opens the article', async () => {
      const { context, problems } = await watchedContext(browser, origin, { viewport: DESKTOP });
      try {
        const page = await context.newPage();
        const response = await page.goto(`${t.url}/`, { waitUntil: 'load' });
        assert.equal(response?.status(), 200);
        assert.equal(await page.title(), 'The Harbour Ledger');

        const banner = page.getByRole('complementary', { name: 'Breaking news' });
        assert.equal(await banner.count(), 1, 'the breaking-news banner is on the home page');
        assert.ok(await banner.isVisible());
        assert.equal((await banner.getByRole('link').textContent())?.trim(), breakingDemo.headline);

        await landmarksAndHeadings(page, 'home');
        await checkSkipLink(page, 'home');

        // The lead story, clicked as a reader would (not the banner link to the same story).
        const headline = page.locator('.top-stories .card-lead .card-headline a');
        const headlineText = (await headline.textContent())?.trim() ?? '';
        assert.ok(headlineText, 'the lead story has a headline link');
        await Promise.all([page.waitForURL((url) => url.pathname !== '/', { waitUntil: 'load' }), headline.click()]);
        assert.match(new URL(page.url()).pathname, /^\/[a-z0-9-]+\/[a-z0-9-]+$/);

        const h1 = page.getByRole('heading', { level: 1 });
        assert.equal(await h1.count(), 1);
        assert.equal((await h1.textContent())?.trim(), headlineText, 'the article h1 is the headline that was clicked');
        await landmarksAndHeadings(page, 'article');

        const time = page.locator('article time[datetime]').first();
        const datetime = await time.getAttribute('datetime');
        assert.ok(datetime && !Number.isNaN(Date.parse(datetime)), `a machine-readable <time datetime> (got ${datetime})`);
        assert.ok((await time.textContent())?.trim(), 'the time has readable text');

        const image = page.locator('figure.lead-image img');
        assert.equal(await image.count(), 1, 'the article has a lead image');
        assert.ok(Number(await image.getAttribute('width')) > 0, 'the lead image has a width attribute');
        assert.ok(Number(await image.getAttribute('height')) > 0, 'the lead image has a height attribute');
        assert.ok((await image.getAttribute('alt'))?.trim(), 'the lead image has alt text');
        await image.evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))));
        const natural = await image.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight, src: img.currentSrc }));
        assert.ok(natural.width > 0 && natural.height > 0, `the lead image loaded (${JSON.stringify(natural)})`);
        assert.equal(new URL(natural.src).origin, origin, 'the lead image comes from the site itself');

        await checkSkipLink(page, 'article');

        // Share links point elsewhere, but nothing is fetched from there on load.
        assert.ok((await page.locator('.share a[href^="https://"]').count()) > 0, 'the article offers share links');
        assertClean(problems, 'home -> article');
        assert.ok(problems.requests.some((u) => u.includes('/media/')), 'the lead image was requested from /media/');
      } finally {
        await context.close();
      }
    });

    test('without JavaScript an article still shows its content, and no script-only control is shown', async () => {
      const { context, problems } = await watchedContext(browser, origin, { viewport: DESKTOP, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${t.url}/`, { waitUntil: 'load' });
        assert.equal(await page.getByRole('complementary', { name: 'Breaking news' }).count(), 1);
        const headline = page.locator('.top-stories .card-lead .card-headline a');
        const headlineText = (await headline.textContent())?.trim() ?? '';
        await Promise.all([page.waitForURL((url) => url.pathname !== '/', { waitUntil: 'load' }), headline.click()]);

        assert.equal((await page.locator('h1').textContent())?.trim(), headlineText);
        const paragraphs = await page.locator('.article-body p').count();
        assert.ok(paragraphs >= 3, `the article body is there (${paragraphs} paragraphs)`);
        assert.ok(await page.locator('.byline a[rel="author"]').first().isVisible(), 'the byline is there');
        const loaded = await page.locator('figure.lead-image img').evaluate((img: HTMLImageElement) => img.naturalWidth);
        assert.ok(loaded > 0, 'the lead image loads without JavaScript');
        // "Copy link" needs the clipboard API: without JavaScript it must stay hidden.
        const copy = page.locator('button.copy-link');
        if (await copy.count()) assert.equal(await copy.isVisible(), false, 'the Copy link button stays hidden without JavaScript');
        assertClean(problems, 'no-JS article');
      } finally {
        await context.close();
      }
    });

    test('screenshots at desktop and mobile widths; nothing scrolls sideways', async () => {
      const article = `/${breakingDemo.section}/${breakingDemo.slug}`;
      for (const [size, viewport] of [['desktop', DESKTOP], ['mobile', MOBILE]] as const) {
        const { context, problems } = await watchedContext(browser, origin, { viewport, deviceScaleFactor: 1, isMobile: size === 'mobile', hasTouch: size === 'mobile' });
        try {
          const page = await context.newPage();
          for (const [name, url] of [['home', '/'], ['article', article]] as const) {
            const response = await page.goto(`${t.url}${url}`, { waitUntil: 'load' });
            assert.equal(response?.status(), 200, `${url} answers 200`);
            // Lazy images below the fold load as the page is scrolled; take the shot once they have.
            await page.evaluate(async () => {
              for (const img of Array.from(document.images)) img.loading = 'eager';
              await Promise.all(Array.from(document.images).map((img) => (img.complete ? undefined : new Promise((r) => { img.onload = img.onerror = r; }))));
            });
            await noHorizontalScroll(page, `${name} at ${size} width`);
            if (dialect === 'sqlite') await screenshot(page, `${name}-${size}`);
          }
          assertClean(problems, `${size} pages`);
        } finally {
          await context.close();
        }
      }
    });
  });
}
