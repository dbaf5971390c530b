/**
 * Donations through Stripe on SQLite and PostgreSQL, with a local server in
 * Stripe's wire format (stripe-server.ts) and the official SDK pointed at it:
 * the donate form makes the Checkout Session a reader would be sent to;
 * signed webhook events (the SDK's own test header) record gifts and donors
 * once, whatever the order or how often they arrive; refunds, failed renewals
 * and cancellations; bad signatures and bad amounts change nothing; without
 * keys the page says donations are not set up. The admin's lists and setup.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { getPage, mainOf, postForm, visibleText } from '../newsletter/support.js';
import { call, createStaff, signIn } from '../accounts/support.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from './stripe-server.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { feeToCover, parseAmount } from '../../src/revenue/money.js';
import { randomUUID } from 'node:crypto';

/** An idempotency key as the admin makes one when the confirmation opens. */
const randomKey = () => randomUUID();

describe('Stripe configuration and money', () => {
  test('keys that do not look like Stripe keys stop start-up, and the message never repeats them', () => {
    const bad: [string, string][] = [
      ['STRIPE_SECRET_KEY', 'pk_live_publishablekey123456'],
      ['STRIPE_WEBHOOK_SECRET', 'not-a-signing-secret'],
      ['STRIPE_API_URL', 'http://127.0.0.1:1234/v1'],
    ];
    for (const [name, value] of bad) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name) && (name === 'STRIPE_API_URL' || !error.message.includes(value)),
        name,
      );
    }
    const ok = loadConfig({ STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: 'http://127.0.0.1:12111/' });
    assert.deepEqual(ok.stripe, { secretKey: TEST_SECRET_KEY, webhookSecret: TEST_WEBHOOK_SECRET, apiUrl: 'http://127.0.0.1:12111' });
    assert.deepEqual(loadConfig({}).stripe, { secretKey: undefined, webhookSecret: undefined, apiUrl: undefined });
  });

  test('amounts as readers type them, in minor units; the fee cover', () => {
    assert.equal(parseAmount('20', 'USD'), 2000);
    assert.equal(parseAmount('$1,000.5', 'USD'), 100050);
    assert.equal(parseAmount('500', 'JPY'), 500, 'yen have no minor unit');
    assert.deepEqual(parseAmount('20.505', 'USD'), { error: 'Enter the amount in numbers, like 25 or 25.50' });
    const fees = { feePercent: 2.9, feeFixed: 0.3, currency: 'USD' };
    assert.equal(feeToCover(2000, fees), 91);
    // The newsroom keeps the whole gift after 2.9% + 0.30 of the total.
    for (const gift of [500, 1500, 2000, 9000, 1_000_000]) {
      const total = gift + feeToCover(gift, fees);
      assert.ok(total - Math.round(total * 0.029 + 30) >= gift, `gift ${gift}`);
      // At most a cent more than needed (the formula rounds up; the processor rounds its fee to the nearest cent).
      assert.ok(total - 2 - Math.round((total - 2) * 0.029 + 30) < gift, `gift ${gift}: not more than a cent over`);
    }
  });
});

type Json = Record<string, any>;

for (const dialect of DIALECTS) {
  describe(`donations on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;
    const announced: number[] = [];

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startTestApp(dialect, { env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
      await t.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());
      t.app.events.on('donation.succeeded', ({ donationId }) => void announced.push(donationId));
    });
    after(async () => {
      await t?.close();
      await stripe.close();
    });

    const db = () => t.app.db.kysely;
    const donationsOf = (email: string) =>
      db().selectFrom('donations').innerJoin('donors', 'donors.id', 'donations.donor_id').selectAll('donations').where('donors.email_key', '=', email.toLowerCase()).orderBy('donations.id').execute();
    const donor = (email: string) => db().selectFrom('donors').selectAll().where('email_key', '=', email.toLowerCase()).executeTakeFirst();
    const gift = (subscriptionId: string) => db().selectFrom('recurring_gifts').selectAll().where('stripe_subscription_id', '=', subscriptionId).executeTakeFirst();
    const count = async (table: 'donations' | 'donors' | 'stripe_events' | 'recurring_gifts') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    /** Stripe delivering an event: the raw JSON, signed. */
    const deliver = async (event: Json, signature?: string) => {
      const payload = JSON.stringify(event);
      const response = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature ?? stripe.sign(payload) }, body: payload });
      return { status: response.status, json: (await response.json()) as Json };
    };

    /** The reader fills in the donate form; the Checkout Session it made, from the fake Stripe's records. */
    const donate = async (fields: [string, string][]) => {
      const before = stripe.requestsTo('POST', '/v1/checkout/sessions').length;
      const page = await postForm(t, '/donate', fields);
      assert.equal(page.status, 303, visibleText(page.text).slice(0, 500));
      const created = stripe.requestsTo('POST', '/v1/checkout/sessions');
      assert.equal(created.length, before + 1, 'one Checkout Session was created');
      const sessionId = /\/pay\/(cs_test_[a-f0-9]+)$/.exec(page.headers.get('location') ?? '')?.[1];
      assert.ok(sessionId, `redirected to the session's page: ${page.headers.get('location')}`);
      return { request: created.at(-1)!.body as Json, sessionId };
    };

    test('the donate page: frequency tabs, the suggested amounts, the fee cover, attribution kept in hidden fields', async () => {
      const page = await getPage(t, '/donate?frequency=monthly&article=42&campaign=spring-drive&utm_source=newsletter&utm_medium=email');
      assert.equal(page.status, 200);
      const main = mainOf(page.text);
      const text = visibleText(main);
      assert.match(text, /Support The Test Gazette/);
      assert.match(text, /\$7 a month \$15 a month \$30 a month Another amount/);
      assert.match(text, /Add \$0\.76 to a \$15 gift to cover the card fees/);
      assert.match(main, /<a href="\/donate\?frequency=yearly&amp;article=42&amp;campaign=spring-drive&amp;utm_source=newsletter&amp;utm_medium=email">Yearly<\/a>/);
      assert.match(main, /aria-current="page">Monthly</);
      for (const [name, value] of [['article', '42'], ['campaign', 'spring-drive'], ['utm_source', 'newsletter'], ['utm_medium', 'email'], ['frequency', 'monthly']]) {
        assert.match(main, new RegExp(`<input type="hidden" name="${name}" value="${value}">`));
      }
      // Its answer redirects to Stripe Checkout: the page's CSP lets the form go there (and nowhere else new).
      assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' https://checkout\\.stripe\\.com ${stripe.url}`));
      // The compact form other pages embed opens this page by GET with its choices made.
      const compact = t.app.revenue.donateForm({ article: '42' })!.value;
      assert.match(compact, /<form method="get" action="\/donate">/);
      assert.match(compact, /<input type="hidden" name="article" value="42">/);
      const fromCompact = mainOf((await getPage(t, '/donate?frequency=yearly&amount=custom&custom_amount=250&article=42')).text);
      assert.match(fromCompact, /<input type="radio" name="amount" value="custom" checked>/);
      assert.match(fromCompact, /name="custom_amount" maxlength="12" autocomplete="transaction-amount" value="250"/);
      const once = visibleText(mainOf((await getPage(t, '/donate')).text));
      assert.match(once, /\$9 \$20 \$90 Another amount/);
      // Attribution is escaped like everything else.
      const hostile = await getPage(t, '/donate?campaign=%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
      assert.doesNotMatch(mainOf(hostile.text), /<script>alert/);
    });

    test('one-time gift: Checkout Session in payment mode with the amount, fee cover and attribution; paid → recorded once', async () => {
      const { request, sessionId } = await donate([
        ['frequency', 'once'],
        ['currency', 'USD'],
        ['amount', '20'],
        ['custom_amount', ''],
        ['cover_fees', '1'],
        ['message', 'Keep up the good work'],
        ['name', 'Ada Reader'],
        ['email', ''],
        ['article', '42'],
        ['campaign', 'spring-drive'],
        ['utm_source', 'newsletter'],
      ]);
      assert.equal(request.mode, 'payment');
      assert.equal(request.submit_type, 'donate');
      assert.equal(request.line_items[0].price_data.currency, 'usd');
      assert.equal(request.line_items[0].price_data.unit_amount, '2091', '$20 and $0.91 to cover 2.9% + $0.30');
      assert.equal(request.line_items[0].price_data.product_data.name, 'Donation to The Test Gazette');
      assert.equal(request.line_items[0].price_data.recurring, undefined);
      assert.deepEqual(request.metadata, { broadsheet_gift: 'once', gift_minor: '2000', fee_minor: '91', donor_name: 'Ada Reader', article: '42', campaign: 'spring-drive', utm_source: 'newsletter', message: 'Keep up the good work' });
      assert.equal(request.success_url, 'http://news.test/donate/thanks?session_id={CHECKOUT_SESSION_ID}');
      assert.equal(request.cancel_url, 'http://news.test/donate/cancelled');

      // Before paying, the thank-you page does not thank anyone: it asks Stripe.
      const early = await getPage(t, `/donate/thanks?session_id=${sessionId}`);
      assert.match(visibleText(mainOf(early.text)), /Your payment is not complete/);

      const session = stripe.complete(sessionId, { email: 'Ada.Reader@Example.ORG', name: 'Ada R.' });
      const event = stripe.event('checkout.session.completed', session);
      const first = await deliver(event);
      assert.deepEqual([first.status, first.json.outcome], [200, 'applied']);
      const rows = await donationsOf('ada.reader@example.org');
      assert.equal(rows.length, 1);
      const d = rows[0]!;
      assert.deepEqual(
        [d.amount_minor, d.fee_covered_minor, d.currency, d.frequency, d.status, d.article_id, d.campaign, d.utm_source, d.message, d.stripe_payment_intent_id],
        [2091, 91, 'usd', 'once', 'succeeded', 42, 'spring-drive', 'newsletter', 'Keep up the good work', session.payment_intent],
      );
      const person = await donor('ada.reader@example.org');
      assert.deepEqual([person?.email, person?.name, person?.stripe_customer_id, person?.total_minor, person?.gift_count], ['Ada.Reader@example.org', 'Ada Reader', session.customer, 2091, 1]);
      assert.deepEqual(announced.filter((id) => id === d.id), [d.id], 'donation.succeeded announced once');

      // Stripe sends the same event again: nothing new.
      const replay = await deliver(event);
      assert.deepEqual([replay.status, replay.json.outcome], [200, 'duplicate']);
      assert.equal((await donationsOf('ada.reader@example.org')).length, 1);
      assert.equal((await donor('ada.reader@example.org'))?.total_minor, 2091);
      assert.deepEqual(announced.filter((id) => id === d.id), [d.id], 'and not announced again');

      const thanks = await getPage(t, `/donate/thanks?session_id=${sessionId}`);
      assert.equal(thanks.status, 200);
      assert.match(visibleText(mainOf(thanks.text)), /Thank you for your support Your gift of \$20\.91 to The Test Gazette went through\. A receipt will be emailed to Ada\.Reader@Example\.ORG/);
      const unknown = await getPage(t, '/donate/thanks?session_id=cs_test_doesnotexist');
      assert.equal(unknown.status, 404);
      assert.match(visibleText(mainOf(unknown.text)), /We could not find that donation/);
      const cancelled = await getPage(t, '/donate/cancelled');
      assert.match(visibleText(mainOf(cancelled.text)), /nothing was charged/);

      // Refunded in part, then in full (Stripe reports the running total; the older report arrives last).
      const partial = stripe.event('charge.refunded', stripe.charge(session.payment_intent, 2091, 1000));
      const full = stripe.event('charge.refunded', stripe.charge(session.payment_intent, 2091, 2091));
      assert.equal((await deliver(full)).status, 200);
      assert.equal((await deliver(partial)).status, 200);
      const refunded = (await donationsOf('ada.reader@example.org'))[0]!;
      assert.deepEqual([refunded.status, refunded.refunded_minor], ['refunded', 2091]);
      assert.equal((await donor('ada.reader@example.org'))?.total_minor, 0, "a refunded gift no longer counts in the donor's total");
    });

    test("a gift from a prompt's link counts once as that variant's conversion", async () => {
      const appeal = await t.app.prompts.campaigns.create({
        name: 'Harbour appeal',
        kind: 'donation',
        placement: 'end',
        variants: [
          { key: 'a', weight: 50, heading: 'Keep the Ledger going', body: '<p>Your gift pays for reporting.</p>', buttonText: 'Give' },
          { key: 'b', weight: 50, heading: 'Back local reporting', body: '<p>Every gift helps.</p>', buttonText: 'Donate' },
        ],
      });
      // The prompt's link: /donate?campaign=<slug>&variant=<key>&article=<id>; the form keeps both in hidden fields.
      const page = await getPage(t, `/donate?campaign=${appeal.slug}&variant=b&article=7`);
      assert.match(mainOf(page.text), /<input type="hidden" name="variant" value="b">/);
      const { request, sessionId } = await donate([['frequency', 'once'], ['currency', 'USD'], ['amount', '20'], ['campaign', appeal.slug], ['variant', 'b'], ['article', '7']]);
      assert.equal(request.metadata.prompt_variant, 'b');
      const conversions = async (variant: string) => {
        const stats = await t.app.prompts.stats.forCampaign(appeal.id);
        return stats.variants.find((v) => v.variant === variant)?.conversions ?? 0;
      };
      assert.equal(await conversions('b'), 0, 'not before the gift is paid');
      const event = stripe.event('checkout.session.completed', stripe.complete(sessionId, { email: 'prompted@example.org', name: 'Prompted Reader' }));
      assert.equal((await deliver(event)).status, 200);
      assert.equal((await deliver(event)).json.outcome, 'duplicate');
      assert.equal(await conversions('b'), 1, 'counted once, for the variant that led there');
      assert.equal(await conversions('a'), 0);

      // A variant key that is not one (or one without a campaign) never reaches Stripe.
      const stray = await donate([['frequency', 'once'], ['currency', 'USD'], ['amount', '20'], ['variant', 'b']]);
      assert.equal(stray.request.metadata.prompt_variant, undefined);
      const odd = await donate([['frequency', 'once'], ['currency', 'USD'], ['amount', '20'], ['campaign', appeal.slug], ['variant', '"><b>']]);
      assert.equal(odd.request.metadata.prompt_variant, undefined);
    });

    test('monthly gift: subscription mode with an inline monthly price; each paid invoice is a gift; failed → past due; updated → active; deleted → cancelled', async () => {
      await getPage(t, '/donate?frequency=monthly');
      const { request, sessionId } = await donate([['frequency', 'monthly'], ['currency', 'USD'], ['amount', 'custom'], ['custom_amount', '12.50'], ['campaign', 'members']]);
      assert.equal(request.mode, 'subscription');
      assert.deepEqual(request.line_items[0].price_data.recurring, { interval: 'month' });
      assert.equal(request.line_items[0].price_data.unit_amount, '1250');
      assert.equal(request.line_items[0].price_data.product_data.name, 'Monthly donation to The Test Gazette');
      assert.deepEqual(request.subscription_data.metadata, request.metadata, 'renewals carry the attribution too');
      assert.equal(request.metadata.broadsheet_gift, 'monthly');

      const session = stripe.complete(sessionId, { email: 'monthly@example.org' });
      assert.equal((await deliver(stripe.event('checkout.session.completed', session))).status, 200);
      assert.equal((await donationsOf('monthly@example.org')).length, 0, 'the payment is recorded from its invoice');
      assert.equal((await gift(session.subscription))?.status, 'active');

      const first = stripe.invoice(session);
      assert.equal((await deliver(stripe.event('invoice.paid', first))).status, 200);
      const renewal = stripe.invoice(session);
      assert.equal((await deliver(stripe.event('invoice.paid', renewal))).status, 200);
      const rows = await donationsOf('monthly@example.org');
      assert.deepEqual(rows.map((r) => [r.amount_minor, r.frequency, r.stripe_invoice_id, r.campaign, r.stripe_subscription_id]), [
        [1250, 'monthly', first.id, 'members', session.subscription],
        [1250, 'monthly', renewal.id, 'members', session.subscription],
      ]);
      assert.equal(rows[0]!.stripe_payment_intent_id, stripe.invoicePayments.get(first.id), 'the payment intent, asked of Stripe, so refunds find the gift');
      assert.deepEqual(stripe.requestsTo('GET', '/v1/invoice_payments').at(-1)!.query.get('invoice'), renewal.id);
      const person = await donor('monthly@example.org');
      assert.deepEqual([person?.total_minor, person?.gift_count], [2500, 2]);
      assert.equal((await gift(session.subscription))?.donor_id, person?.id);

      assert.equal((await deliver(stripe.event('invoice.payment_failed', stripe.invoice(session, { paid: false })))).status, 200);
      assert.equal((await gift(session.subscription))?.status, 'past_due');
      assert.equal((await donationsOf('monthly@example.org')).length, 2, 'a failed payment is not a gift');
      assert.equal((await deliver(stripe.event('customer.subscription.updated', stripe.subscription(session, 'active')))).status, 200);
      assert.equal((await gift(session.subscription))?.status, 'active');
      assert.equal((await deliver(stripe.event('customer.subscription.deleted', stripe.subscription(session, 'canceled')))).status, 200);
      const cancelled = await gift(session.subscription);
      assert.equal(cancelled?.status, 'cancelled');
      assert.ok(cancelled?.cancelled_at);
    });

    test('out of order: the same events in reverse leave the same state as in order (cancelled stays cancelled, the gift recorded once)', async () => {
      const run = async (email: string, reverse: boolean) => {
        const { sessionId } = await donate([['frequency', 'yearly'], ['amount', '180']]);
        const session = stripe.complete(sessionId, { email });
        const invoice = stripe.invoice(session);
        const events = [
          stripe.event('checkout.session.completed', session),
          stripe.event('invoice.paid', invoice),
          stripe.event('charge.refunded', stripe.charge(stripe.invoicePayments.get(invoice.id)!, 18000, 5000)),
          stripe.event('invoice.payment_failed', stripe.invoice(session, { paid: false })),
          stripe.event('customer.subscription.deleted', stripe.subscription(session, 'canceled')),
        ];
        for (const event of reverse ? [...events].reverse() : events) assert.equal((await deliver(event)).status, 200);
        // And Stripe retries a few of them.
        for (const event of [events[1]!, events[0]!, events[4]!]) assert.equal((await deliver(event)).json.outcome, 'duplicate');
        const g = await gift(session.subscription);
        const person = await donor(email);
        return {
          gift: [g?.status, g?.amount_minor, g?.interval, g?.donor_id === person?.id],
          donations: (await donationsOf(email)).map((d) => [d.amount_minor, d.refunded_minor, d.status, d.frequency]),
          donor: [person?.total_minor, person?.gift_count],
        };
      };
      const inOrder = await run('in-order@example.org', false);
      const reversed = await run('reversed@example.org', true);
      assert.deepEqual(inOrder, {
        gift: ['cancelled', 18000, 'year', true],
        donations: [[18000, 5000, 'partially_refunded', 'yearly']],
        donor: [13000, 1],
      });
      assert.deepEqual(reversed, inOrder);
    });

    test('bad or missing signatures: 400 and nothing stored', async () => {
      const { sessionId } = await donate([['frequency', 'once'], ['amount', '9']]);
      const session = stripe.complete(sessionId, { email: 'forger@example.org' });
      const event = stripe.event('checkout.session.completed', session);
      const payload = JSON.stringify(event);
      const counts = async () => [await count('stripe_events'), await count('donations'), await count('donors')];
      const before = await counts();
      const wrongSecret = await deliver(event, stripe.sign(payload, 'whsec_someoneelsessecret0000000'));
      assert.equal(wrongSecret.status, 400);
      assert.match(wrongSecret.json.error.message, /signature/);
      const tampered = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload) }, body: payload.replace('"amount_total":900', '"amount_total":1') });
      assert.equal(tampered.status, 400);
      const unsigned = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
      assert.equal(unsigned.status, 400);
      assert.deepEqual(await counts(), before);
      assert.equal(await donor('forger@example.org'), undefined);
      // The genuine delivery still works afterwards.
      assert.equal((await deliver(event)).json.outcome, 'applied');
    });

    test('bad amounts and choices: 400 with the message on the form, and no Checkout Session', async () => {
      const cases: [string, [string, string][], RegExp][] = [
        ['below the minimum', [['amount', 'custom'], ['custom_amount', '4']], /The smallest gift we can take is \$5/],
        ['above the maximum', [['amount', 'custom'], ['custom_amount', '10000.01']], /The largest gift we can take online is \$10,000/],
        ['not a number', [['amount', 'custom'], ['custom_amount', 'ten dollars']], /Enter the amount in numbers/],
        ['negative', [['amount', 'custom'], ['custom_amount', '-20']], /Enter an amount above zero/],
        ['no amount', [['amount', 'custom'], ['custom_amount', '']], /Choose an amount or enter your own/],
        ['another currency', [['amount', '20'], ['currency', 'EUR']], /We take gifts in USD only/],
        ['a made-up frequency', [['amount', '20'], ['frequency', 'weekly']], /Choose one-time, monthly or yearly/],
        ['a bad email', [['amount', '20'], ['email', 'not-an-address']], /Enter an email address like name@example.org/],
      ];
      const before = stripe.requestsTo('POST', '/v1/checkout/sessions').length;
      for (const [what, fields, message] of cases) {
        const withFrequency: [string, string][] = fields.some(([k]) => k === 'frequency') ? fields : [['frequency', 'once'], ...fields];
        const page = await postForm(t, '/donate', withFrequency);
        assert.equal(page.status, 400, what);
        const main = mainOf(page.text);
        assert.match(visibleText(main), message, what);
        assert.match(main, /<form method="post" action="\/donate"/, `${what}: the form is shown again`);
      }
      const typed = await postForm(t, '/donate', [['frequency', 'once'], ['amount', 'custom'], ['custom_amount', '4'], ['message', 'Hello <b>there</b>']]);
      assert.match(typed.text, /value="4"/, 'what the reader typed is kept');
      assert.match(typed.text, /Hello &lt;b&gt;there&lt;\/b&gt;/);
      assert.equal(stripe.requestsTo('POST', '/v1/checkout/sessions').length, before, 'no Checkout Session for bad input');

      const forged = await postForm(t, '/donate', [['frequency', 'once'], ['amount', '20']], { headers: { 'sec-fetch-site': 'cross-site' } });
      assert.equal(forged.status, 403);
      assert.equal(stripe.requestsTo('POST', '/v1/checkout/sessions').length, before);
    });

    test('the admin: donations and donors with search, filters and totals for admins; editors are refused', async () => {
      const admin = await createStaff(t, 'admin');
      const signed = await signIn(t, admin.email, admin.password);
      const get = (path: string) => call(t, 'GET', path, { cookie: signed.cookie });
      const monthly = await get('/api/admin/donations?frequency=monthly');
      assert.equal(monthly.status, 200);
      assert.deepEqual(monthly.json.items.map((d: Json) => [d.donor.email, d.amountMinor, d.campaign]), [
        ['monthly@example.org', 1250, 'members'],
        ['monthly@example.org', 1250, 'members'],
      ]);
      assert.deepEqual(monthly.json.totals, { count: 2, amountMinor: 2500, refundedMinor: 0 });
      assert.equal(monthly.json.currency, 'USD');
      const refunded = await get('/api/admin/donations?status=refunded');
      assert.deepEqual(refunded.json.items.map((d: Json) => d.donor.email), ['Ada.Reader@example.org']);
      const search = await get('/api/admin/donors?q=ADA.READER');
      assert.deepEqual(search.json.items.map((d: Json) => [d.email, d.totalMinor, d.giftCount, d.recurring]), [['Ada.Reader@example.org', 0, 1, null]]);
      const cancelled = await get('/api/admin/donors?recurring=cancelled');
      assert.deepEqual(cancelled.json.items.map((d: Json) => d.email).sort(), ['in-order@example.org', 'monthly@example.org', 'reversed@example.org']);
      assert.equal((await get('/api/admin/donations?status=lost')).status, 400);
      const setup = await get('/api/admin/donations/setup');
      assert.deepEqual([setup.json.ready, setup.json.missing, setup.json.webhookUrl], [true, [], 'http://news.test/webhooks/stripe']);

      const editor = await createStaff(t, 'editor');
      const editorSession = await signIn(t, editor.email, editor.password);
      assert.equal((await call(t, 'GET', '/api/admin/donations', { cookie: editorSession.cookie })).status, 403);
      assert.equal((await call(t, 'GET', '/api/admin/donors')).status, 401);
    });

    test('refunds from the admin: full or partial through Stripe, once per idempotency key (double click, lost answer), pending until charge.refunded', async () => {
      const { sessionId } = await donate([['frequency', 'once'], ['currency', 'USD'], ['amount', '90'], ['custom_amount', ''], ['email', '']]);
      const session = stripe.complete(sessionId, { email: 'refund-me@example.org' });
      await deliver(stripe.event('checkout.session.completed', session));
      const [gift] = await donationsOf('refund-me@example.org');
      assert.ok(gift);
      const admin = await createStaff(t, 'admin');
      const signed = await signIn(t, admin.email, admin.password);
      const refund = (body: Json, id = gift.id) => call(t, 'POST', `/api/admin/donations/${id}/refunds`, { body, cookie: signed.cookie, csrf: signed.csrf });
      const listed = async () => ((await call(t, 'GET', '/api/admin/donations?q=refund-me', { cookie: signed.cookie })).json.items as Json[])[0]!;
      const refundsAtStripe = () => stripe.requestsTo('POST', '/v1/refunds');

      // Bad input: a clear 400 and nothing asked of Stripe.
      const key = randomKey();
      for (const [body, field] of [
        [{ reason: 'requested_by_customer', idempotencyKey: key, amountMinor: 0 }, 'amountMinor'],
        [{ reason: 'requested_by_customer', idempotencyKey: key, amountMinor: 9001 }, 'amountMinor'],
        [{ reason: 'because', idempotencyKey: key }, 'reason'],
        [{ reason: 'duplicate', idempotencyKey: 'short' }, 'idempotencyKey'],
      ] as const) {
        const refused = await refund(body);
        assert.equal(refused.status, 400, `${JSON.stringify(body)}: ${refused.text}`);
        assert.ok(refused.text.includes(field), `names ${field}: ${refused.text}`);
      }
      assert.equal((await refund({ reason: 'duplicate', idempotencyKey: key }, 999_999)).status, 404);
      assert.equal(refundsAtStripe().length, 0);
      assert.deepEqual([(await listed()).refundableMinor, (await listed()).pendingRefundMinor], [9000, 0]);

      // A partial refund, clicked twice: one refund at Stripe, under the same Idempotency-Key.
      const partial = { amountMinor: 2500, reason: 'requested_by_customer', note: 'Gave twice by mistake', idempotencyKey: key };
      const first = await refund(partial);
      assert.equal(first.status, 201, first.text);
      assert.deepEqual([first.json.amountMinor, first.json.status, first.json.reason, first.json.note], [2500, 'pending', 'requested_by_customer', 'Gave twice by mistake']);
      const second = await refund(partial);
      assert.equal(second.status, 200, 'the same request again: answered, not done again');
      assert.equal(second.json.id, first.json.id);
      assert.equal(refundsAtStripe().length, 1);
      const asked = refundsAtStripe()[0]!;
      assert.deepEqual([asked.body.payment_intent, asked.body.amount, asked.body.reason], [session.payment_intent, '2500', 'requested_by_customer']);
      assert.equal(asked.headers['idempotency-key'], `broadsheet-refund-${key}`);
      assert.equal(stripe.refundedOf(session.payment_intent), 2500);
      let row = await listed();
      assert.deepEqual([row.status, row.refundedMinor, row.pendingRefundMinor, row.refundableMinor], ['succeeded', 0, 2500, 6500], 'shown as pending at once; the donation changes when Stripe says');

      // Stripe's charge.refunded: the donation is partly refunded, nothing pending, the donor's total drops.
      await deliver(stripe.event('charge.refunded', stripe.refundedCharge(session.payment_intent)));
      row = await listed();
      assert.deepEqual([row.status, row.refundedMinor, row.pendingRefundMinor, row.refundableMinor], ['partially_refunded', 2500, 0, 6500]);
      assert.equal(Number((await donor('refund-me@example.org'))!.total_minor), 6500);

      // The rest, and Stripe's answer is lost every time the SDK tries: 502, then the admin retries with the same key: one refund.
      const rest = { reason: 'fraudulent', idempotencyKey: randomKey() };
      stripe.dropRefundAnswers = 3;
      const lost = await refund(rest);
      assert.equal(lost.status, 502, lost.text);
      const retried = await refund(rest);
      assert.equal(retried.status, 200, retried.text);
      assert.equal(retried.json.amountMinor, 6500, 'no amount: all that is left');
      assert.equal(stripe.refunds.filter((r) => r.payment_intent === session.payment_intent).length, 2, 'one refund for the first key and one for the second, whatever the retries');
      assert.equal(stripe.refundedOf(session.payment_intent), 9000);
      assert.deepEqual([(await listed()).pendingRefundMinor, (await listed()).refundableMinor], [6500, 0]);
      assert.equal((await refund({ reason: 'duplicate', idempotencyKey: randomKey() })).status, 409, 'nothing left to refund');
      await deliver(stripe.event('charge.refunded', stripe.refundedCharge(session.payment_intent)));
      row = await listed();
      assert.deepEqual([row.status, row.refundedMinor, row.pendingRefundMinor, row.refundableMinor], ['refunded', 9000, 0, 0]);

      // Refunded at Stripe's dashboard but not heard of yet: Stripe refuses, the admin says why (the same for a retry).
      const other = await donate([['frequency', 'once'], ['currency', 'USD'], ['amount', '20'], ['custom_amount', ''], ['email', '']]);
      const paid = stripe.complete(other.sessionId, { email: 'refund-me@example.org' });
      await deliver(stripe.event('checkout.session.completed', paid));
      const [, second2] = await donationsOf('refund-me@example.org');
      stripe.payments.set(paid.payment_intent, 0);
      const refusedKey = randomKey();
      const refusal = await refund({ reason: 'duplicate', idempotencyKey: refusedKey }, second2!.id);
      assert.equal(refusal.status, 409, refusal.text);
      assert.match(refusal.json.error.message, /Stripe refused this refund: Charge for payment intent .* has already been refunded/);
      assert.equal((await refund({ reason: 'duplicate', idempotencyKey: refusedKey }, second2!.id)).status, 409);
      assert.equal(((await call(t, 'GET', '/api/admin/donations?q=refund-me', { cookie: signed.cookie })).json.items as Json[]).find((d) => d.id === second2!.id)!.pendingRefundMinor, 0, 'a refused refund is not pending');

      const editor = await createStaff(t, 'editor');
      const editorSession = await signIn(t, editor.email, editor.password);
      assert.equal((await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { reason: 'duplicate', idempotencyKey: randomKey() }, cookie: editorSession.cookie, csrf: editorSession.csrf })).status, 403);
    });
  });

  describe(`donations without Stripe keys on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
    });
    after(async () => t?.close());

    test('the donate page says donations are not set up; the form and webhook do nothing; the admin says what to set', async () => {
      const page = await getPage(t, '/donate');
      assert.equal(page.status, 503);
      assert.match(visibleText(mainOf(page.text)), /Donations are not set up yet/);
      const post = await postForm(t, '/donate', [['frequency', 'once'], ['amount', '20']]);
      assert.equal(post.status, 503);
      const hook = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' }, body: '{}' });
      assert.equal(hook.status, 404);
      assert.equal(t.app.revenue.donateForm(), undefined, 'no embedded form either');
      const admin = await createStaff(t, 'owner');
      const signed = await signIn(t, admin.email, admin.password);
      const setup = await call(t, 'GET', '/api/admin/donations/setup', { cookie: signed.cookie });
      assert.deepEqual([setup.json.ready, setup.json.missing], [false, ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']]);
      const list = await call(t, 'GET', '/api/admin/donations', { cookie: signed.cookie });
      assert.deepEqual([list.status, list.json.total], [200, 0]);
    });
  });
}
