/**
 * The embeddable donate form in a real headless Chromium, on both storage
 * dialects, with the local Stripe stand-in: a partner's page on another site
 * (a second local HTTP server, reached as partner.test: cross-site to the app)
 * frames /donate/embed; the reader changes the frequency inside the frame,
 * picks an amount, submits, and the whole window goes to the (fake) Stripe
 * Checkout page, the partner's attribution carried into the session. A site
 * not in the list, and any other page of ours, are refused by the browser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { CHROMIUM_PATH } from '../support/browser.js';
import { seriousViolations } from '../support/axe.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from '../revenue/stripe-server.js';

/** Partner pages, each with one iframe: `/?src=<url>` frames that URL. */
function partnerServer(): http.Server {
  return http.createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://partner.test').searchParams.get('src') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Riverside Weekly</title><main><h1>Riverside Weekly</h1>
<iframe src="${src.replace(/"/g, '&quot;')}" title="Donate" width="600" height="1000"></iframe></main></html>`);
  });
}

/** Chromium's console, for the browser's own refusals to frame a page. */
function consoleOf(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));
  return lines;
}

for (const dialect of DIALECTS) {
  describe(`the embeddable donate form in Chromium on ${dialect}`, () => {
    const stripe = new FakeStripe();
    const partner = partnerServer();
    let partnerPort = 0;
    let t: TestApp;
    let browser: Browser;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
      partnerPort = (partner.address() as AddressInfo).port;
      t = await startTestApp(dialect, { env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
      await t.app.settings.update({ name: 'The Test Gazette', donations: { ...t.app.settings.get().donations, embedOrigins: [`http://partner.test:${partnerPort}`] } }, new Date().toISOString());
      // partner.test and other.test are the partner server: other sites than the app's 127.0.0.1.
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP partner.test 127.0.0.1, MAP other.test 127.0.0.1'],
      });
    });
    after(async () => {
      await browser?.close();
      await t?.close();
      await stripe.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
    });

    const partnerPage = (host: string, src: string) => `http://${host}:${partnerPort}/?src=${encodeURIComponent(src)}`;

    test("on a listed partner's page: choose in the frame, submit, and the whole window goes to Stripe Checkout with the attribution", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const console = consoleOf(page);
      await page.goto(partnerPage('partner.test', `${t.url}/donate/embed?campaign=partner-drive&utm_source=riverside-weekly&utm_medium=embed`));
      const frame = page.frameLocator('iframe[title="Donate"]');
      await frame.getByRole('heading', { level: 1, name: 'Support The Test Gazette' }).waitFor();
      const framed = page.frames().find((f) => f.url().includes('/donate/embed'));
      assert.ok(framed, 'the form is shown inside the frame');
      assert.equal(await seriousViolations(framed as unknown as Page, { iframes: false }), '', 'axe: the embedded form');

      // The frequency tabs are links that stay in the frame.
      await frame.getByRole('link', { name: 'Monthly' }).click();
      await frame.getByRole('link', { name: 'Monthly', exact: true }).and(frame.locator('[aria-current="page"]')).waitFor();
      assert.equal(page.url(), partnerPage('partner.test', `${t.url}/donate/embed?campaign=partner-drive&utm_source=riverside-weekly&utm_medium=embed`), 'the partner page stays');
      await frame.getByRole('radio', { name: '$30 a month' }).check();
      await frame.getByLabel('A message for the newsroom').fill('Found you through the Riverside Weekly');
      const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url() === `${t.url}/donate`);
      await frame.getByRole('button', { name: 'Continue to payment' }).click();

      // The top-level window, not the frame, goes to Stripe Checkout.
      await page.waitForURL(`${stripe.url}/pay/**`);
      // What the forgery check relies on (donate.routes.ts): Sec-Fetch-Site compares the frame's document, ours,
      // with the target, though the page around it is another site's. (Origin is "null": our pages' Referrer-Policy
      // is no-referrer, and browsers then send no origin with a form's POST.)
      const post = await posted;
      const headers = await post.allHeaders();
      assert.deepEqual([headers['sec-fetch-site'], headers['origin'], post.isNavigationRequest()], ['same-origin', 'null', true]);
      assert.equal(headers['cookie'], undefined, 'no cookie is needed (third-party cookies may be blocked)');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Fake Stripe Checkout');
      const created = stripe.requestsTo('POST', '/v1/checkout/sessions');
      assert.equal(created.length, 1);
      const body = created[0]!.body;
      assert.equal(body.mode, 'subscription');
      assert.equal(body.line_items[0].price_data.unit_amount, '3000');
      assert.deepEqual(
        [body.metadata.campaign, body.metadata.utm_source, body.metadata.utm_medium, body.metadata.message],
        ['partner-drive', 'riverside-weekly', 'embed', 'Found you through the Riverside Weekly'],
      );
      assert.deepEqual(console.filter((line) => /Refused|frame-ancestors|X-Frame-Options/i.test(line)), [], 'the browser refused nothing');
      await context.close();
    });

    test('a site not in the list, and our other pages, are refused by the browser', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const console = consoleOf(page);
      await page.goto(partnerPage('other.test', `${t.url}/donate/embed`), { waitUntil: 'load' });
      assert.equal(await page.frameLocator('iframe').getByRole('button', { name: 'Continue to payment' }).count(), 0, 'no form on an unlisted site');
      assert.ok(console.some((line) => /frame-ancestors/.test(line) && line.includes(`http://partner.test:${partnerPort}`)), `Chromium names the CSP that refused it: ${console.join(' | ')}`);

      // The listed partner may frame the embed page only: /donate itself stays unframeable.
      console.length = 0;
      await page.goto(partnerPage('partner.test', `${t.url}/donate`), { waitUntil: 'load' });
      assert.equal(await page.frameLocator('iframe').getByRole('button', { name: 'Continue to payment' }).count(), 0, '/donate is not shown in the frame');
      assert.ok(console.some((line) => /frame-ancestors 'self'|X-Frame-Options/i.test(line)), `refused: ${console.join(' | ')}`);
      assert.equal(stripe.requestsTo('POST', '/v1/checkout/sessions').length, 1, 'nothing more was asked of Stripe');
      await context.close();
    });
  });
}
