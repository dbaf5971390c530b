/**
 * The service worker and the offline page as the server sends them (SQLite and PostgreSQL):
 * headers that let the worker control the whole site and update at once, the precache list
 * matching the site's hashed assets, and an offline page in our own words that is never indexed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, startTestApp, type TestApp } from '../support/apps.js';

for (const dialect of DIALECTS) {
  describe(`web app worker and offline page (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(async () => t.close());

    test('/sw.js is served for scope / and revalidated on every update check', async () => {
      const response = await fetch(`${t.url}/sw.js`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('service-worker-allowed'), '/');
      const body = await response.text();
      const config = JSON.parse(/^self\.BROADSHEET_SW = (.*);$/m.exec(body)![1]!) as { build: string; precache: string[] };
      assert.match(config.build, /^[0-9a-f]{12}$/);
      assert.equal(config.precache[0], '/offline');
      // The precache names the very stylesheet and script the pages link to (hashed addresses).
      const home = await (await fetch(`${t.url}/`)).text();
      const css = /<link rel="stylesheet" href="([^"]+)">/.exec(home)![1]!;
      const script = /<script src="([^"]+)" defer>/.exec(home)![1]!;
      assert.ok(config.precache.includes(css.replaceAll('&amp;', '&')), `precache has ${css}`);
      assert.ok(config.precache.includes(script), `precache has ${script}`);
      for (const url of config.precache) assert.equal((await fetch(`${t.url}${url}`)).status, 200, url);
      assert.match(body, /\/\/ --- Push alerts \(owned by src\/push\) ---/);

      const again = await fetch(`${t.url}/sw.js`, { headers: { 'if-none-match': response.headers.get('etag')! } });
      assert.equal(again.status, 304);
    });

    test('/offline is a styled, cacheable page that search engines skip', async () => {
      const response = await fetch(`${t.url}/offline?source=pwa`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('cache-control') ?? '', /public/);
      const page = await response.text();
      assert.match(page, /<h1>You are offline<\/h1>/);
      assert.match(page, /<meta name="robots" content="noindex, follow">/);
      assert.doesNotMatch(page, /class="breaking"/);
    });
  });
}
