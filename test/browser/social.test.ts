/**
 * Social distribution in a real headless Chromium, on SQLite and PostgreSQL,
 * against the fake networks: an admin connects Mastodon on the Social
 * accounts screen (the token is never shown again) and tests the connection;
 * a story is published, X refuses its token, and the editor's Social panel
 * shows Mastodon's post with its link and X's failure in the network's words;
 * Retry posts it. Both screens axe-clean.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { makeNewsroom, publishedArticle, type Newsroom } from '../support/fixtures.js';
import { FakeNetworks } from '../social/fake-networks.js';

for (const dialect of DIALECTS) {
  describe(`social accounts and the Social panel in Chromium on ${dialect}`, () => {
    const fake = new FakeNetworks();
    let t: TestApp;
    let browser: Browser;
    let room: Newsroom;
    const owner = { email: 'owner@news.test', password: 'a long and memorable passphrase' };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await fake.start();
      t = await startAdminTestApp(dialect);
      await t.app.accounts.service.createUser({ email: owner.email, name: 'Olive Owner', role: 'owner', password: owner.password });
      room = await makeNewsroom(t.app);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await fake.close();
    });

    test('connect and test Mastodon; a publish shows each post, a refused X token plainly, and Retry fixes it', async () => {
      const { context, problems } = await watchedContext(browser, t.url);
      const page = await context.newPage();
      await signInThroughUi(page, t.url, owner.email, owner.password, '/admin/social-accounts');
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Social accounts' }).waitFor();
      const mastodon = page.getByRole('region', { name: 'Mastodon' });
      await mastodon.getByText('Not connected: stories are not posted here.').waitFor();
      await mastodon.getByLabel('Server address').fill(fake.url);
      await mastodon.getByLabel(/Access token/).fill('masto-token-secret-1');
      await mastodon.getByRole('button', { name: 'Connect Mastodon' }).click();
      await mastodon.getByRole('button', { name: 'Test connection to Mastodon' }).waitFor();
      assert.equal(await mastodon.getByLabel(/Access token/).inputValue(), '', 'the token is not shown again');
      assert.match((await mastodon.getByText('saved', { exact: true }).textContent()) ?? '', /saved/);
      await mastodon.getByRole('button', { name: 'Test connection to Mastodon' }).click();
      await mastodon.getByText(`Connection works: @gazette@${new URL(fake.url).host}.`).waitFor();
      assert.equal(fake.of('mastodon.verify')[0]!.headers.authorization, 'Bearer masto-token-secret-1');
      assert.equal(await seriousViolations(page), '', 'axe: social accounts');

      // X is connected through the API with a token X will refuse.
      await t.app.social.accounts.save('x', { auth: 'oauth2', apiUrl: fake.url, userToken: 'expired-token' });
      fake.fail('x.tweet', { status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 } });
      const article = await publishedArticle(t.app, room, { headline: 'Tide gauge goes digital' });
      await t.app.runner.drain();

      await page.goto(`${t.url}/admin/articles/${article.id}`);
      const panel = page.getByRole('region', { name: 'Social' });
      const posts = panel.getByRole('list');
      await posts.getByText('Posted').waitFor();
      const view = panel.getByRole('link', { name: 'View post on Mastodon' });
      assert.match((await view.getAttribute('href')) ?? '', /^https:\/\/social\.example\/@gazette\/\d+$/);
      const xRow = posts.getByRole('listitem').filter({ hasText: 'X' }).filter({ hasText: 'Failed' });
      await xRow.waitFor();
      assert.match((await xRow.textContent()) ?? '', /X refused the credentials \(HTTP 401\): Unauthorized\. The token may have expired or been revoked: reconnect the account\./);
      assert.equal(await seriousViolations(page), '', 'axe: the editor with the Social panel');

      await panel.getByRole('button', { name: 'Retry X' }).click();
      await posts.getByRole('listitem').filter({ hasText: 'X' }).getByText('Queued').waitFor();
      await t.app.runner.drain();
      await panel.getByRole('link', { name: 'View post on X' }).waitFor({ timeout: 15_000 });
      assert.equal(fake.of('x.tweet').length, 2);
      assert.match(fake.of('x.tweet')[1]!.body.text, /^Tide gauge goes digital\n\nhttp:\/\/127\.0\.0\.1:\d+\/local\/tide-gauge-goes-digital$/);

      // Custom text for the next story, saved from the panel.
      await panel.getByLabel('Text for Mastodon').fill('The harbour tide gauge now reports every minute');
      await panel.getByRole('button', { name: 'Save social settings' }).click();
      await page.getByText('Social text saved.').waitFor({ state: 'attached' });
      assert.deepEqual((await t.app.social.posts.options(article.id)).texts, { mastodon: 'The harbour tide gauge now reports every minute' });
      assertAdminPageClean(problems, 'social screens');
      await context.close();
    });
  });
}
