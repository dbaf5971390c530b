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
      // Without JavaScript the appeal shows; the sign-up waits in an empty slot for the script to choose it and fetch its copy.
      const id = new Map(prompts.map((p) => [p.kind, p.id]));
      assert.match(html, /<aside class="prompt prompt-donation prompt-inline"[^>]*data-variant="a"[^>]*>/);
      assert.match(html, new RegExp(`<div class="prompt-slot" data-prompt="${id.get('newsletter')}" hidden>`));
      assert.match(html, /\/donate\?campaign=demo-donation-appeal/);
      // The home page carries the app and follow prompts: one shown without JavaScript, the other in its slot.
      const home = await (await fetch(`${t.url}/`)).text();
      for (const kind of ['app', 'social'] as const) assert.match(home, new RegExp(`data-prompt="${id.get(kind)}"`), `the ${kind} prompt is on the home page`);
      assert.match(home, /prompt-(app|social) prompt-list/);
    });
  });
}
