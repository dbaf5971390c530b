/**
 * The quick start: `npm start` on an empty database seeds the demo newsroom with the laptop defaults (PUBLIC_URL
 * http://localhost:3000, no MAIL_FROM, so newsletters come from no-reply@localhost). A seed step that refuses those
 * defaults stops the first start.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { seedDemo } from '../../src/demo/seed.js';
import { demoArticles } from '../../src/demo/content.js';

for (const dialect of DIALECTS) {
  describe(`demo newsroom with the laptop defaults on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect, { env: { PUBLIC_URL: 'http://localhost:3000' } });
    });
    after(async () => {
      await t?.close();
    });

    test('seeds stories and the public newsletter, whose sign-up form the reader pages then show', async () => {
      await seedDemo(t.app);
      const newsletters = await t.app.newsletters.newsletters.list();
      assert.deepEqual(newsletters.map((n) => [n.slug, n.senderEmail]), [['top-stories', 'no-reply@localhost']]);
      const home = await fetch(`${t.url}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /action="\/newsletters"/);
    });

    test('ships the four default prompts: the appeal and the sign-up in articles, the app and social follow on the home page', async () => {
      const prompts = await t.app.prompts.campaigns.list();
      assert.deepEqual(prompts.map((p) => p.kind).sort(), ['app', 'donation', 'newsletter', 'social']);
      assert.ok(prompts.every((p) => p.status === 'active'));
      // A story long enough for the appeal after its paragraph.
      const paragraphs = (a: (typeof demoArticles)[number]) => a.body.filter((b) => typeof b === 'string').length;
      const story = [...demoArticles].sort((a, b) => paragraphs(b) - paragraphs(a))[0]!;
      const page = await fetch(`${t.url}/${story.section}/${story.slug}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      // Without JavaScript the appeal shows; the sign-up waits for the script to choose it.
      assert.match(html, /<aside class="prompt prompt-donation prompt-inline"[^>]*data-variant="a"[^>]*>/);
      assert.match(html, /<aside class="prompt prompt-newsletter prompt-end"[^>]* hidden>/);
      assert.match(html, /\/donate\?campaign=demo-donation-appeal/);
      const home = await (await fetch(`${t.url}/`)).text();
      assert.match(home, /prompt-app prompt-list/);
      assert.match(home, /prompt-social prompt-list/);
    });
  });
}
