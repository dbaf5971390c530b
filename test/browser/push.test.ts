/**
 * Breaking-news push in Chromium, on SQLite and PostgreSQL, with the local
 * push service (test/support/push-service.ts):
 *
 * - A reader opens /alerts: nothing asks for permission on load. Ticking a
 *   section and pressing "Get breaking news alerts" asks once, in that click,
 *   and stores the subscription with the chosen topics; reopening the page
 *   shows them; an alert then reaches the local push service encrypted for
 *   that subscription, and, handed to the real service worker (CDP
 *   ServiceWorker.deliverPushMessage), shows as a notification. "Stop alerts"
 *   removes it.
 * - An editor publishes a story marked breaking: the editor offers to alert
 *   (nothing is sent), "Write an alert" leads to the filled-in panel with its
 *   preview; the confirmation names the number of devices; the alert goes out
 *   once and the Push alerts screen shows it sent. axe finds no serious issue.
 *
 * Headless Chromium cannot reach a browser vendor's push service (it answers
 * "Registration failed"), so the page's PushManager.subscribe is the one part
 * replaced: it returns a subscription on the local push service with keys the
 * test made, as a vendor's service would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { launchBrowser, watchedContext, type PageProblems } from '../support/browser.js';
import { assertAdminPageClean, signInThroughUi, startAdminTestApp } from '../support/admin.js';
import { createStaff, type Staff } from '../accounts/support.js';
import { makeNewsroom, paragraphs, type Newsroom } from '../support/fixtures.js';
import { seriousViolations } from '../support/axe.js';
import { TestPushService } from '../support/push-service.js';

/**
 * Stands in for the browser vendor's push service: subscribe() returns the test's subscription (kept
 * "subscribed" across reloads in localStorage), and Notification.requestPermission calls are counted.
 * Plain JavaScript text: the test runner's transpiler would add helpers to a function's source.
 */
function fakeVendorPushService(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }): string {
  return `(() => {
    if (!location.protocol.startsWith('http') || typeof PushManager === 'undefined') return;
    const subscription = ${JSON.stringify(subscription)};
    window.permissionAsks = 0;
    const ask = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (...args) => { window.permissionAsks++; return ask(...args); };
    const made = {
      endpoint: subscription.endpoint,
      expirationTime: null,
      toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: subscription.keys }),
      unsubscribe: async () => { localStorage.removeItem('test-subscribed'); return true; },
    };
    PushManager.prototype.subscribe = async function () { localStorage.setItem('test-subscribed', '1'); return made; };
    PushManager.prototype.getSubscription = async function () { return localStorage.getItem('test-subscribed') === '1' ? made : null; };
  })();`;
}

for (const dialect of DIALECTS) {
  describe(`breaking-news push in Chromium on ${dialect}`, () => {
    let t: TestApp;
    let browser: Browser;
    let service: TestPushService;
    let room: Newsroom;
    let editor: Staff;
    const watched: { problems: PageProblems; where: string; allowed: RegExp[] }[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      service = await new TestPushService().start();
      t = await startAdminTestApp(dialect, { PUSH_ALLOW_LOCAL_ENDPOINTS: 'true', PUSH_TEST_CA_FILE: service.caFile });
      room = await makeNewsroom(t.app);
      editor = await createStaff(t, 'editor');
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await service?.close();
      for (const { problems, where, allowed } of watched) assertAdminPageClean(problems, where, allowed);
    });

    test('a reader turns alerts on with one click, chooses topics, gets a notification from the service worker, and stops', async () => {
      const sub = service.subscription();
      const { context, problems } = await watchedContext(browser, t.url, { serviceWorkers: 'allow' });
      watched.push({ problems, where: 'the alerts page', allowed: [] });
      await context.grantPermissions(['notifications'], { origin: t.url });
      await context.addInitScript({ content: fakeVendorPushService(sub.json) });
      const page = await context.newPage();
      const saves: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/push/subscription') && r.method() === 'PUT') saves.push(r.postData() ?? '');
      });

      await page.goto(`${t.url}/alerts`);
      const form = page.locator('form[data-push-alerts]');
      await form.waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => (window as unknown as { permissionAsks: number }).permissionAsks), 0, 'no permission prompt on load');
      assert.equal(saves.length, 0);
      assert.equal(await page.getByLabel('Breaking news').isChecked(), true, 'breaking news is ticked by default');
      assert.equal(await seriousViolations(page), '', 'the alerts page');
      // Reachable from every page's footer.
      assert.equal(await page.locator('footer a[href="/alerts"]').count(), 1);

      await page.getByLabel('World').check();
      await page.getByRole('button', { name: 'Get breaking news alerts' }).click();
      await page.getByRole('status').filter({ hasText: 'alerts are on for this device' }).waitFor();
      assert.equal(await page.evaluate(() => (window as unknown as { permissionAsks: number }).permissionAsks), 1, 'asked once, in the click');
      const stored = await t.app.push.repo.subscriptionByEndpoint(sub.json.endpoint);
      assert.ok(stored, 'the subscription was stored');
      assert.deepEqual(await t.app.push.repo.topicsOf(stored.id), ['breaking', `section:${room.sections.world}`]);

      // Coming back: the page knows this browser's choices.
      await page.reload();
      await page.getByRole('button', { name: 'Stop alerts on this device' }).waitFor();
      assert.equal(await page.getByLabel('World').isChecked(), true);
      assert.equal(await page.getByLabel('Local').isChecked(), false);
      assert.equal(await page.getByRole('button', { name: 'Get breaking news alerts' }).isVisible(), false);

      // An alert for World reaches the push service, encrypted for this subscription ...
      await t.app.push.alerts.create({ title: 'Ceasefire agreed', body: 'Talks ended overnight.', url: '/world', topic: `section:${room.sections.world}` }, null);
      await t.app.runner.drain();
      const [push] = service.deliveredTo(sub.id);
      assert.ok(push, 'delivered');
      assert.equal(push.payload.title, 'Ceasefire agreed');

      // ... and the service worker shows it as a notification.
      const cdp = await context.newCDPSession(page);
      const registrations: { registrationId: string; scopeURL: string }[] = [];
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...e.registrations));
      await cdp.send('ServiceWorker.enable');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
      const registration = registrations.find((r) => r.scopeURL === `${t.url}/`);
      assert.ok(registration, 'the service worker is registered');
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: t.url, registrationId: registration.registrationId, data: JSON.stringify(push.payload) });
      // Polled inside the page: the worker shows it a moment after the push event.
      const shown = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        for (let i = 0; i < 100; i++) {
          const list = await reg.getNotifications();
          if (list.length) return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return [];
      });
      assert.deepEqual(shown, [{ title: 'Ceasefire agreed', body: 'Talks ended overnight.', tag: push.payload.tag, data: { id: push.payload.id, url: push.payload.url } }]);

      await page.getByRole('button', { name: 'Stop alerts on this device' }).click();
      await page.getByRole('status').filter({ hasText: 'Alerts are off for this device' }).waitFor();
      assert.equal(await t.app.push.repo.subscriptionByEndpoint(sub.json.endpoint), undefined, 'removed from our side');
      await page.getByRole('button', { name: 'Get breaking news alerts' }).waitFor();
      await context.close();
    });

    test('publishing a breaking story offers an alert; the editor previews, confirms, and it goes out once', async () => {
      const reader = service.subscription();
      await t.app.push.subscriptions.save({ subscription: reader.json, topics: ['breaking'] });
      const draft = await t.app.articles.create({ headline: 'Bridge closed after ship strike', dek: 'Traffic is diverted through the tunnel.', body: paragraphs(3), sectionId: room.sections.local, breaking: true }, { actor: 'test' });

      const { context, problems } = await watchedContext(browser, t.url);
      watched.push({ problems, where: 'the editor’s push alert', allowed: [] });
      const page = await context.newPage();
      await signInThroughUi(page, t.url, editor.email, editor.password);
      await page.goto(`${t.url}/admin/articles/${draft.id}`);
      await page.getByRole('button', { name: 'Publish now' }).click();
      const offer = page.getByRole('dialog', { name: 'Alert readers about this breaking story?' });
      await offer.waitFor();
      assert.equal(await seriousViolations(page), '', 'the offer');
      await t.app.runner.drain();
      assert.equal(service.deliveredTo(reader.id).length, 0, 'publishing alone sends nothing');
      await offer.getByRole('button', { name: 'Write an alert' }).click();

      const panel = page.getByRole('region', { name: 'Push alert' });
      await panel.waitFor();
      assert.equal(await panel.getByLabel('Title').inputValue(), 'Bridge closed after ship strike');
      await panel.getByLabel('Text').fill('Avoid the harbour road until further notice.');
      assert.match((await panel.locator('.push-preview').textContent()) ?? '', /Bridge closed after ship strike.*Avoid the harbour road/);
      assert.match(await panel.getByLabel('Send to').locator('option:checked').textContent() ?? '', /Breaking news \(1 device\)/);
      assert.equal(await seriousViolations(page), '', 'the panel');

      await panel.getByRole('button', { name: 'Send alert…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Send this alert now?' });
      await confirm.waitFor();
      assert.match((await confirm.textContent()) ?? '', /goes to 1 device following Breaking news now/);
      await confirm.getByRole('button', { name: 'Send to 1 device' }).click();
      await panel.getByRole('status').filter({ hasText: 'is going out' }).waitFor();
      await t.app.runner.drain();
      const got = service.deliveredTo(reader.id);
      assert.equal(got.length, 1);
      assert.deepEqual([got[0]!.payload.title, got[0]!.payload.body], ['Bridge closed after ship strike', 'Avoid the harbour road until further notice.']);
      assert.match(got[0]!.payload.url, /\/local\/bridge-closed-after-ship-strike$/);

      await page.getByRole('link', { name: 'See alerts' }).click();
      const row = page.getByRole('row', { name: /Bridge closed after ship strike/ });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Sent/);
      assert.deepEqual(await row.locator('td.num').allTextContents(), ['1', '1', '0', '0']);
      assert.equal(await seriousViolations(page), '', 'the alerts list');
      await context.close();
    });
  });
}
