/**
 * The embeddable donate form (/donate/embed) on SQLite and PostgreSQL, against
 * the local Stripe (stripe-server.ts) with the official SDK: the same form as
 * /donate in a bare page sent from the top window; its frame-ancestors from
 * the donations settings while every other page still refuses other sites'
 * frames; a post from the framed form (same-origin, as the browser sends it)
 * makes a Checkout Session with the attribution, bad amounts are refused as on
 * /donate, a form on another site's own page is refused; the admin's codes;
 * without keys, a framable "not set up" page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { getPage, mainOf, postForm, visibleText } from '../newsletter/support.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from './stripe-server.js';

/** A CSP header's directive, by name. */
const directive = (csp: string | null, name: string) => (csp ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));

for (const dialect of DIALECTS) {
  describe(`the embeddable donate form on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startTestApp(dialect, { env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
      await t.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());
    });
    after(async () => {
      await t?.close();
      await stripe.close();
    });

    test('the same form as /donate in a bare page, sent from the top window, the attribution kept', async () => {
      const page = await getPage(t, '/donate/embed?frequency=monthly&campaign=partner-drive&article=42&utm_source=riverside-weekly&utm_medium=embed');
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.doesNotMatch(page.text, /class="masthead"|<footer/, 'no masthead or footer around the form');
      assert.match(page.text, /<meta name="robots" content="noindex, nofollow">/);
      const main = mainOf(page.text);
      const text = visibleText(main);
      assert.match(text, /Support The Test Gazette/);
      assert.match(text, /\$7 a month \$15 a month \$30 a month Another amount/);
      assert.match(text, /\(\$5\.00 to \$10,000\.00\)|\(\$5 to \$10,000\)/, 'the custom amount with its bounds');
      assert.match(text, /Add \$0\.76 to a \$15 gift to cover the card fees/);
      assert.match(text, /A message for the newsroom/);
      assert.match(main, /<form method="post" action="\/donate" class="donate-form" target="_top">/, 'sent from the top window: Stripe Checkout cannot be framed');
      // The frequency tabs stay in the frame.
      assert.match(main, /<a href="\/donate\/embed\?frequency=yearly&amp;article=42&amp;campaign=partner-drive&amp;utm_source=riverside-weekly&amp;utm_medium=embed">Yearly<\/a>/);
      for (const [name, value] of [['frequency', 'monthly'], ['article', '42'], ['campaign', 'partner-drive'], ['utm_source', 'riverside-weekly'], ['utm_medium', 'embed']]) {
        assert.match(main, new RegExp(`<input type="hidden" name="${name}" value="${value}">`), name);
      }
      const csp = page.headers.get('content-security-policy');
      assert.equal(directive(csp, 'form-action'), `form-action 'self' https://checkout.stripe.com ${stripe.url}`);
      const hostile = await getPage(t, '/donate/embed?campaign=%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
      assert.doesNotMatch(hostile.text, /<script>alert/);
    });

    test("frame-ancestors follows the setting on the embed page only; every other page still refuses other sites' frames", async () => {
      const owner = await createStaff(t, 'owner');
      const signed = await signIn(t, owner.email, owner.password);
      const embed = async () => (await getPage(t, '/donate/embed')).headers;

      // The default: no other site listed, only this one may frame it.
      let headers = await embed();
      assert.equal(directive(headers.get('content-security-policy'), 'frame-ancestors'), "frame-ancestors 'self'");
      assert.equal(headers.get('x-frame-options'), null);

      const saved = await call(t, 'PATCH', '/api/admin/settings', { body: { donations: { embedOrigins: ['https://riverside-weekly.example', 'https://*.valley-news.example', 'http://127.0.0.1:8081'] } }, cookie: signed.cookie, csrf: signed.csrf });
      assert.equal(saved.status, 200, saved.text);
      headers = await embed();
      assert.equal(directive(headers.get('content-security-policy'), 'frame-ancestors'), "frame-ancestors 'self' https://riverside-weekly.example https://*.valley-news.example http://127.0.0.1:8081");
      assert.equal(headers.get('x-frame-options'), null, 'X-Frame-Options cannot list sites: left out here');

      // Anything that is not an origin is refused when saved: nothing odd reaches the header.
      for (const bad of ['https://partner.example/path', 'https://partner.example; script-src *', '*', 'partner.example', "'unsafe-inline'", 'javascript:alert(1)']) {
        const refused = await call(t, 'PATCH', '/api/admin/settings', { body: { donations: { embedOrigins: [bad] } }, cookie: signed.cookie, csrf: signed.csrf });
        assert.equal(refused.status, 400, `${bad}: ${refused.text}`);
        assert.match(refused.text, /embedOrigins/);
      }
      assert.match(directive((await embed()).get('content-security-policy'), 'frame-ancestors') ?? '', /riverside-weekly/, 'the saved list stands');

      for (const path of ['/donate', '/donate/cancelled', '/', '/newsletters', '/donor', '/admin']) {
        const other = await getPage(t, path);
        assert.equal(directive(other.headers.get('content-security-policy'), 'frame-ancestors'), "frame-ancestors 'self'", path);
        assert.equal(other.headers.get('x-frame-options'), 'SAMEORIGIN', path);
      }
    });

    test('sent from the framed form: a Checkout Session with the attribution; bad amounts refused as on /donate; a form on another site refused', async () => {
      const before = stripe.requestsTo('POST', '/v1/checkout/sessions').length;
      // What Chromium sends for the form inside another site's frame (test/browser/donate-embed.test.ts): the
      // frame's document is ours, so same-origin; no Origin, as our Referrer-Policy is no-referrer.
      const framed = { origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' };
      const fields: [string, string][] = [
        ['frequency', 'yearly'],
        ['currency', 'USD'],
        ['amount', 'custom'],
        ['custom_amount', '250'],
        ['cover_fees', '1'],
        ['message', 'From the Riverside Weekly'],
        ['campaign', 'partner-drive'],
        ['article', '42'],
        ['utm_source', 'riverside-weekly'],
        ['utm_medium', 'embed'],
      ];
      const sent = await postForm(t, '/donate', fields, { headers: framed });
      assert.equal(sent.status, 303, visibleText(sent.text).slice(0, 300));
      assert.match(sent.headers.get('location') ?? '', new RegExp(`^${stripe.url}/pay/cs_test_`));
      const created = stripe.requestsTo('POST', '/v1/checkout/sessions');
      assert.equal(created.length, before + 1);
      const body = created.at(-1)!.body;
      assert.equal(body.mode, 'subscription');
      assert.deepEqual(body.line_items[0].price_data.recurring, { interval: 'year' });
      assert.equal(body.line_items[0].price_data.unit_amount, '25778', '$250 and the fee cover');
      assert.deepEqual(
        [body.metadata.campaign, body.metadata.article, body.metadata.utm_source, body.metadata.utm_medium, body.metadata.message],
        ['partner-drive', '42', 'riverside-weekly', 'embed', 'From the Riverside Weekly'],
      );

      for (const [amount, message] of [['4', /The smallest gift we can take is \$5/], ['10000.01', /The largest gift we can take online is \$10,000/], ['lots', /Enter the amount in numbers/]] as const) {
        const refused = await postForm(t, '/donate', [['frequency', 'once'], ['amount', 'custom'], ['custom_amount', amount], ['campaign', 'partner-drive']], { headers: framed });
        assert.equal(refused.status, 400, amount);
        assert.match(visibleText(mainOf(refused.text)), message);
        assert.match(mainOf(refused.text), /<input type="hidden" name="campaign" value="partner-drive">/, 'the attribution is kept for the next try');
      }
      // A copy of the form on the other site's own page (or any forged post) is cross-site: refused.
      const forgeries: Record<string, string>[] = [
        { origin: 'https://riverside-weekly.example', 'sec-fetch-site': 'cross-site' },
        { origin: 'https://riverside-weekly.example' }, // a browser without Fetch Metadata
        { origin: 'null', 'sec-fetch-site': 'cross-site' }, // a frame sandboxed without allow-same-origin
      ];
      for (const headers of forgeries) {
        const forged = await fetch(`${t.url}/donate`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
        assert.equal(forged.status, 403, JSON.stringify(headers));
      }
      assert.equal(stripe.requestsTo('POST', '/v1/checkout/sessions').length, before + 1, 'one Checkout Session in all');
    });

    test('the admin gives the copy-paste codes: the <iframe> and a script-free form', async () => {
      const admin = await createStaff(t, 'admin');
      const signed = await signIn(t, admin.email, admin.password);
      const setup = await call(t, 'GET', '/api/admin/donations/setup', { cookie: signed.cookie });
      assert.equal(setup.status, 200);
      const embed = setup.json.embed;
      assert.equal(embed.url, 'http://news.test/donate/embed?utm_source=partner&utm_medium=embed');
      assert.match(embed.iframe, /^<iframe src="http:\/\/news\.test\/donate\/embed\?utm_source=partner&amp;utm_medium=embed" title="Donate to The Test Gazette" /);
      assert.doesNotMatch(embed.iframe, /sandbox|<script/);
      assert.match(embed.form, /^<form method="get" action="http:\/\/news\.test\/donate" target="_blank">/);
      assert.doesNotMatch(embed.form, /<script/);
      assert.deepEqual(embed.allowedOrigins, ['https://riverside-weekly.example', 'https://*.valley-news.example', 'http://127.0.0.1:8081']);
    });
  });

  describe(`the embeddable donate form without Stripe keys on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      await t.app.settings.update({ donations: { ...t.app.settings.get().donations, embedOrigins: ['https://riverside-weekly.example'] } }, new Date().toISOString());
    });
    after(async () => t?.close());

    test('says donations are not set up, in a page the listed sites may still frame', async () => {
      const page = await getPage(t, '/donate/embed');
      assert.equal(page.status, 503);
      assert.match(visibleText(mainOf(page.text)), /Donations are not set up yet/);
      assert.doesNotMatch(page.text, /<form/);
      assert.equal(directive(page.headers.get('content-security-policy'), 'frame-ancestors'), "frame-ancestors 'self' https://riverside-weekly.example");
    });
  });
}
