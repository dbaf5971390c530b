/**
 * Script injection, in a real Chromium, on SQLite and PostgreSQL: known XSS
 * vectors are saved into every field a staff member can fill (headline, dek,
 * body text, link and image addresses, alt text, captions, author name and bio,
 * section and tag names, site settings, media alt text), then the reader pages
 * and the admin screens that show them are opened. Nothing may run, and
 * nothing may even be injected: the Content-Security-Policy would block an
 * inline script, so the test also looks for injected elements and attributes
 * in the DOM and for CSP violation reports in the console.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { describeProblems, emptyProblems, launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';

/** Each sets window.__xss when it runs. */
export const XSS_VECTORS = [
  `<script>window.__xss=1</script>`,
  `"><script>window.__xss=2</script>`,
  `<img src=x onerror="window.__xss=3">`,
  `<svg onload="window.__xss=4">`,
  `'"><img src=x onerror=window.__xss=5>`,
  `</title><script>window.__xss=6</script>`,
  `<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>`,
  `<details open ontoggle="window.__xss=8">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=9></style></mglyph></table></mtext></math>`,
  `<a href="javascript:window.__xss=10">click</a>`,
  `{{constructor.constructor('window.__xss=11')()}}`,
  `</script><script>window.__xss=12</script>`,
  `<body onload="window.__xss=13">`,
  `<input autofocus onfocus="window.__xss=14">`,
];
const ALL = XSS_VECTORS.join(' ');

/** Anything a vector could have injected into the DOM. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const w = window as unknown as { __xss?: unknown };
    if (w.__xss !== undefined) found.push(`window.__xss = ${String(w.__xss)}`);
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
        if (/^\s*javascript:/i.test(attr.value)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
      }
      // Data islands (structured data, the prompts' candidates) never run; they must still be whole JSON, or a
      // vector broke out of one.
      const dataIsland = el.tagName === 'SCRIPT' && ['application/ld+json', 'application/json'].includes(el.getAttribute('type') ?? '');
      if (dataIsland) {
        try {
          JSON.parse(el.textContent ?? '');
        } catch {
          found.push(`broken JSON data island: ${el.textContent?.slice(0, 80)}`);
        }
      } else if (el.tagName === 'SCRIPT' && !el.getAttribute('src')) found.push(`inline <script>: ${el.textContent?.slice(0, 80)}`);
      if (['IFRAME', 'MATH', 'MGLYPH', 'MTEXT'].includes(el.tagName.toUpperCase())) found.push(`<${el.tagName.toLowerCase()}>`);
    }
    return found;
  });
}

function clean(problems: PageProblems, where: string): void {
  assert.ok(emptyProblems(problems), `${where}:\n${describeProblems(problems)}`);
}

for (const dialect of DIALECTS) {
  describe(`XSS vectors in the site and the admin, in Chromium, on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let admin: Signed;
    let adminLogin: { email: string; password: string };
    let articleId = 0;
    let articlePath = '';
    let sectionSlug = '';
    let authorSlug = '';

    const as = (method: string, path: string, body?: unknown) =>
      call(t, method, `/api/admin${path}`, { cookie: admin.cookie, csrf: admin.csrf, body: body ?? (method === 'GET' ? undefined : {}), headers: { origin: t.url } });

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startAdminTestApp(dialect);
      browser = await launchBrowser();
      adminLogin = await createStaff(t, 'owner');
      admin = await signIn(t, adminLogin.email, adminLogin.password);

      // Settings, a section, a tag, an author and an article, every text field carrying the vectors.
      const settings = await as('PATCH', '/settings', { name: `Ledger ${XSS_VECTORS[0]}`, tagline: ALL.slice(0, 240), description: ALL.slice(0, 500) });
      assert.equal(settings.status, 200, settings.text);
      const section = await as('POST', '/sections', { name: `Local ${XSS_VECTORS[2]}`.slice(0, 80), description: ALL.slice(0, 500) });
      assert.equal(section.status, 201, section.text);
      sectionSlug = section.json.slug;
      const tag = await as('POST', '/tags', { name: `Tag ${XSS_VECTORS[3]}`.slice(0, 80) });
      assert.equal(tag.status, 201, tag.text);
      const author = await as('POST', '/authors', { name: `Ana ${XSS_VECTORS[4]}`.slice(0, 120), title: XSS_VECTORS[5]!.slice(0, 120), bio: ALL.slice(0, 2000) });
      assert.equal(author.status, 201, author.text);
      authorSlug = author.json.slug;
      const text = (value: string, marks?: unknown[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
      const body = {
        type: 'doc',
        content: [
          ...XSS_VECTORS.map((v) => ({ type: 'paragraph', content: [text(`Paragraph ${v}`)] })),
          { type: 'paragraph', content: [text('bad link', [{ type: 'link', attrs: { href: 'javascript:window.__xss=20' } }])] },
          { type: 'paragraph', content: [text('data link', [{ type: 'link', attrs: { href: 'data:text/html,<script>window.__xss=21</script>' } }])] },
          { type: 'heading', attrs: { level: 2 }, content: [text(XSS_VECTORS[1]!)] },
          { type: 'pullQuote', attrs: { attribution: XSS_VECTORS[2] }, content: [text(XSS_VECTORS[3]!)] },
          { type: 'image', attrs: { src: 'javascript:window.__xss=22', alt: XSS_VECTORS[4] } },
          { type: 'image', attrs: { src: '/assets/logo.png', alt: XSS_VECTORS[5], caption: XSS_VECTORS[6], credit: XSS_VECTORS[7] } },
          { type: 'embed', attrs: { url: 'javascript:window.__xss=23' } },
          { type: 'embed', attrs: { url: `https://www.youtube.com/watch?v=abcdefghijk&x="><script>window.__xss=24</script>` } },
          { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text(XSS_VECTORS[8]!)] }] }] },
          { type: 'blockquote', content: [{ type: 'paragraph', content: [text(XSS_VECTORS[9]!)] }] },
          { type: 'rawHtml', attrs: { html: '<script>window.__xss=25</script>' } },
        ],
      };
      const article = await as('POST', '/articles', {
        headline: `Budget ${XSS_VECTORS[1]}`,
        dek: ALL.slice(0, 600),
        dateline: XSS_VECTORS[0]!.slice(0, 120),
        body,
        sectionId: section.json.id,
        authorIds: [author.json.id],
        tagIds: [tag.json.id],
        seoTitle: XSS_VECTORS[5],
        seoDescription: XSS_VECTORS[6],
        socialTitle: XSS_VECTORS[1],
        socialDescription: XSS_VECTORS[2],
        socialImageUrl: 'javascript:window.__xss=26',
        canonicalUrl: 'javascript:window.__xss=27',
      });
      // The server may refuse dangerous URLs outright; then save without them and keep the rest.
      const saved =
        article.status === 201
          ? article
          : await as('POST', '/articles', {
              headline: `Budget ${XSS_VECTORS[1]}`,
              dek: ALL.slice(0, 600),
              dateline: XSS_VECTORS[0]!.slice(0, 120),
              body,
              sectionId: section.json.id,
              authorIds: [author.json.id],
              tagIds: [tag.json.id],
              seoTitle: XSS_VECTORS[5],
              seoDescription: XSS_VECTORS[6],
              socialTitle: XSS_VECTORS[1],
              socialDescription: XSS_VECTORS[2],
            });
      assert.equal(saved.status, 201, saved.text);
      articleId = saved.json.id;
      const corrected = await as('POST', `/articles/${articleId}/publish`);
      assert.equal(corrected.status, 200, corrected.text);
      assert.equal((await as('POST', `/articles/${articleId}/corrections`, { kind: 'correction', text: ALL.slice(0, 5000) })).status, 201);
      articlePath = `/${sectionSlug}/${saved.json.slug}`;
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    test('reader pages show the vectors as text and run none of them', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      let dialogs = 0;
      page.on('dialog', async (d) => {
        dialogs++;
        await d.dismiss();
      });
      for (const path of [articlePath, '/', `/${sectionSlug}`, `/author/${authorSlug}`]) {
        const response = await page.goto(`${t.url}${path}`);
        assert.equal(response?.status(), 200, path);
        assert.deepEqual(await injected(page), [], `${path}: nothing injected`);
      }
      await page.goto(`${t.url}${articlePath}`);
      // The text is shown, escaped, where a reader expects it.
      assert.ok((await page.locator('h1').innerText()).includes('Budget "><script>window.__xss=2</script>'), 'the headline shows the vector as text');
      assert.ok((await page.locator('.article-body, article').first().innerText()).includes('Paragraph <img src=x onerror="window.__xss=3">'));
      assert.equal(dialogs, 0);
      clean(problems, 'reader pages');
      await context.close();
    });

    test('admin screens show the vectors as text and run none of them', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      let dialogs = 0;
      page.on('dialog', async (d) => {
        dialogs++;
        await d.dismiss();
      });
      await signInThroughUi(page, t.url, adminLogin.email, adminLogin.password);
      const screens: [string, string][] = [
        ['/admin', 'Dashboard'],
        ['/admin/articles', 'Articles'],
        [`/admin/articles/${articleId}`, ''],
        ['/admin/sections', 'Sections'],
        ['/admin/tags', 'Tags'],
        ['/admin/authors', 'Authors'],
        ['/admin/settings', 'Settings'],
        ['/admin/top-stories', 'Top stories'],
      ];
      for (const [path, heading] of screens) {
        await page.goto(`${t.url}${path}`);
        if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        else await page.locator('.ProseMirror').waitFor();
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await injected(page), [], `${path}: nothing injected`);
      }
      // The article list shows the headline as text.
      await page.goto(`${t.url}/admin/articles`);
      await page.getByRole('link', { name: /Budget "><script>window.__xss=2<\/script>/ }).waitFor();
      // The editor holds the body's vectors as text inside the document.
      await page.goto(`${t.url}/admin/articles/${articleId}`);
      await page.locator('.ProseMirror').getByText('Paragraph <svg onload="window.__xss=4">').waitFor();
      assert.deepEqual(await injected(page), []);
      assert.equal(dialogs, 0);
      assertAdminPageClean(problems, 'admin screens');
      await context.close();
    });
  });
}
