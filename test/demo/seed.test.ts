/**
 * The quick start: `npm start` on an empty database seeds the demo newsroom with the laptop defaults (PUBLIC_URL
 * http://localhost:3000, no MAIL_FROM, so newsletters come from no-reply@localhost). A seed step that refuses those
 * defaults stops the first start.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { seedDemo } from '../../src/demo/seed.js';

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
  });
}
