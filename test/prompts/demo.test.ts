/**
 * The demo newsroom's four prompts (src/prompts/demo.ts) on both databases:
 * they save (valid by the same rules as the Admin API), seeding twice adds
 * nothing, and with the demo's settings an article carries the appeal by
 * default and the newsletter sign-up, the home page the app and social prompts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { makeNewsroom, publishedArticle } from '../support/fixtures.js';
import { getPage, mainOf } from '../newsletter/support.js';
import { seedDemoPrompts, DEMO_PROMPTS } from '../../src/prompts/demo.js';
import { seedDemoNewsletter, seedDemoSiteAndPages } from '../../src/demo/seed.js';

for (const dialect of DIALECTS) {
  describe(`demo prompts on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
    });
    after(async () => {
      await t?.close();
    });

    test('four prompts, once, shown where they belong', async () => {
      await seedDemoSiteAndPages(t.app, t.clock.now().toISOString());
      await seedDemoNewsletter(t.app);
      await seedDemoPrompts(t.app.prompts.campaigns);
      await seedDemoPrompts(t.app.prompts.campaigns);
      const saved = await t.app.prompts.campaigns.list();
      assert.deepEqual(saved.map((c) => c.slug).sort(), DEMO_PROMPTS.map((p) => p.slug).sort());
      assert.deepEqual(new Set(saved.map((c) => c.kind)), new Set(['donation', 'newsletter', 'app', 'social']));

      const room = await makeNewsroom(t.app);
      const story = await publishedArticle(t.app, room, { headline: 'Demo prompts' });
      const article = await getPage(t, story.path);
      assert.match(mainOf(article.text), /<aside class="prompt prompt-donation prompt-inline" data-prompt="\d+" data-variant="a" aria-labelledby="[^"]+">/, 'the appeal shows without JavaScript');
      const byKind = new Map(saved.map((c) => [c.kind, c.id]));
      assert.match(article.text, new RegExp(`<div class="prompt-slot" data-prompt="${byKind.get('newsletter')}" hidden>`), 'the sign-up waits in its slot for the script');
      const signup = await getPage(t, `/prompts/copy/${byKind.get('newsletter')}.a`);
      assert.equal(signup.status, 200);
      assert.match(JSON.parse(signup.text)[`${byKind.get('newsletter')}.a`], /name="prompt_variant" value="a"/, 'its copy is the sign-up form');
      const home = await getPage(t, '/');
      assert.ok(t.app.settings.get().appLinks.ios, 'the demo has app links');
      const onHome = [...mainOf(home.text).matchAll(/class="prompt[ -][^"]*" data-prompt="(\d+)"/g)].map((m) => Number(m[1]));
      assert.deepEqual(onHome.sort(), [byKind.get('app'), byKind.get('social')].sort(), 'the app and follow prompts are on the home page');
      assert.match(mainOf(home.text), /prompt-(app|social) prompt-list/, 'one of them shows without JavaScript');
    });
  });
}
