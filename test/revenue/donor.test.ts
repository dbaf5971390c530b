/**
 * Donor sign-in and the donor page on SQLite and PostgreSQL: the emailed link
 * (real SMTP server), its page and button, expired, used and tampered links,
 * the same answer for every address, the rate limits, the gifts page, the
 * Stripe customer portal (asked of the fake Stripe for the donor's customer),
 * signing out, and the cookies' attributes, including the prompts' bs_reader
 * flag after giving.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, type TestApp } from '../support/apps.js';
import { MailServer } from '../support/mail.js';
import { getPage, mainOf, nextIp, postForm, visibleText, type PageResult } from '../newsletter/support.js';
import { FakeStripe } from './stripe-server.js';
import { deliverEvent, giveMonthly, giveOnce, startDonorApp } from './donor-support.js';

const LINK_SUBJECT = 'Sign in to see your gifts to The Test Gazette';
const longDate = (iso: string) => new Date(iso).toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

/** Set-Cookie headers by cookie name, with their attributes as written. */
function cookiesOf(page: PageResult): Map<string, string> {
  return new Map(page.headers.getSetCookie().map((c) => [c.slice(0, c.indexOf('=')), c]));
}
const valueOf = (setCookie: string | undefined) => setCookie?.split(';')[0]!.split('=').slice(1).join('=') ?? '';

for (const dialect of DIALECTS) {
  describe(`donor sign-in and page on ${dialect}`, () => {
    const stripe = new FakeStripe();
    const inbox = new MailServer();
    let t: TestApp;
    let monthly: { session: Record<string, any>; invoice: Record<string, any> };
    let once: Record<string, any>;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await Promise.all([stripe.start(), inbox.start()]);
      t = await startDonorApp(dialect, stripe, inbox);
      once = (await giveOnce(t, stripe, { amount: '20', email: 'Grace@Example.org', name: 'Grace Giver' })).session;
      monthly = await giveMonthly(t, stripe, { amount: '15', email: 'grace@example.org' });
      await giveOnce(t, stripe, { amount: '9', email: 'onetime@example.org' });
      await t.app.runner.drain(); // the receipts
    });
    after(async () => {
      await t?.close();
      await Promise.all([stripe.close(), inbox.close()]);
    });

    const linkMails = (email: string) => inbox.to(email, LINK_SUBJECT);
    /** Asks for a link and runs the queued email job: the page's answer. */
    const ask = async (email: string, ip = nextIp()) => {
      const page = await postForm(t, '/donor', [['email', email]], { ip });
      await t.app.runner.drain();
      return page;
    };
    /** The path of the newest sign-in link emailed to `email` (the same in both parts). */
    const latestLink = (email: string) => {
      const mail = linkMails(email).at(-1);
      assert.ok(mail, `a sign-in email to ${email}`);
      const match = /http:\/\/news\.test(\/donor\/signin\/[A-Za-z0-9_-]{43})\n/.exec(mail.text ?? '');
      assert.ok(match, mail.text);
      assert.ok(String(mail.html).includes(`href="${match[0].trim()}"`), 'the HTML part has the same link');
      return match[1]!;
    };
    const signIn = async (email: string) => {
      assert.equal((await ask(email)).status, 200, 'a link was sent');
      const page = await postForm(t, latestLink(email), []);
      assert.equal(page.status, 303);
      return cookiesOf(page);
    };
    const withSession = (cookies: Map<string, string>) => ({ cookie: `bs_donor=${valueOf(cookies.get('bs_donor'))}` });

    test('the link: same answer for any address, emailed only to a donor; its page has a button; pressing it signs in with the right cookies', async () => {
      const form = await getPage(t, '/donor');
      assert.equal(form.status, 200);
      assert.match(visibleText(mainOf(form.text)), /See your gifts Enter the email address you gave with/);

      const known = await ask('  GRACE@example.org ');
      const unknown = await ask('nobody-gave@example.org');
      assert.deepEqual([known.status, unknown.status], [200, 200]);
      assert.equal(mainOf(known.text), mainOf(unknown.text), 'the same answer whoever asks');
      assert.match(visibleText(mainOf(known.text)), /Check your inbox If this address has given to us, we have sent it an email with a sign-in link\. The link works once, for 30 minutes\./);
      assert.equal(inbox.to('nobody-gave@example.org').length, 0, 'no email to an address without gifts');
      assert.equal(linkMails('grace@example.org').length, 1);

      const link = latestLink('grace@example.org');
      for (let i = 0; i < 2; i++) {
        const page = await getPage(t, link);
        assert.equal(page.status, 200, 'opening the link (as a mail scanner would) changes nothing');
        assert.match(mainOf(page.text), new RegExp(`<form method="post" action="${link}">\\s*<button type="submit">Sign in</button>`));
        assert.equal(page.headers.get('cache-control'), 'no-store');
        assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      }

      const signedIn = await postForm(t, link, []);
      assert.equal(signedIn.status, 303);
      assert.equal(signedIn.headers.get('location'), '/donor/gifts');
      const cookies = cookiesOf(signedIn);
      const session = cookies.get('bs_donor') ?? '';
      assert.match(session, /^bs_donor=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
      const stored = await t.app.db.kysely.selectFrom('donor_sessions').select('token_hash').execute();
      assert.ok(!stored.some((s) => s.token_hash === valueOf(session)), 'the session is stored hashed');
      const reader = cookies.get('bs_reader') ?? '';
      assert.match(reader, /^bs_reader=donor; Max-Age=\d+; Path=\/; SameSite=Lax$/, 'readable by the prompts script: not HttpOnly');
      assert.doesNotMatch(reader, /grace|example/i, 'flags only, nobody named');

      // The link works once.
      const again = await postForm(t, link, []);
      assert.equal(again.status, 410);
      assert.equal(cookiesOf(again).size, 0);
      assert.match(visibleText(mainOf(again.text)), /This link was already used/);
      assert.equal((await getPage(t, link)).status, 410);
    });

    test('the donor page: gifts with date, amount, frequency and status, the total, the recurring gift; never cached or indexed', async () => {
      // A partial refund of the one-time gift shows on the page.
      await deliverEvent(t, stripe, stripe.event('charge.refunded', stripe.charge(once.payment_intent, 2000, 500)));
      const cookies = await signIn('grace@example.org');
      const page = await getPage(t, '/donor/gifts', withSession(cookies));
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('x-robots-tag'), 'noindex');
      assert.match(page.text, /<meta name="robots" content="noindex/);
      const text = visibleText(mainOf(page.text));
      assert.match(text, /Your gifts Signed in as Grace@example\.org\./);
      assert.match(text, /Total given: \$30 \(2 gifts, refunds deducted\)/);
      assert.match(text, /Recurring gifts \$15 a month: Active Manage your monthly gift/);
      const rows = await t.app.db.kysely.selectFrom('donations').select(['paid_at', 'payment_key']).where('payment_key', 'in', [once.id, monthly.invoice.id]).execute();
      const paid = new Map(rows.map((r) => [r.payment_key, r.paid_at]));
      assert.ok(text.includes(`${longDate(paid.get(monthly.invoice.id)!)} $15 Monthly Paid`), text);
      assert.ok(text.includes(`${longDate(paid.get(once.id)!)} $20 One-time Partly refunded ($5 refunded)`), text);
      assert.match(mainOf(page.text), /<form method="post" action="\/donor\/signout">/);

      // A failed renewal shows as past due.
      await deliverEvent(t, stripe, stripe.event('invoice.payment_failed', stripe.invoice(monthly.session, { paid: false })));
      assert.match(visibleText(mainOf((await getPage(t, '/donor/gifts', withSession(cookies))).text)), /\$15 a month: Past due/);
      await deliverEvent(t, stripe, stripe.event('customer.subscription.updated', stripe.subscription(monthly.session, 'active')));
    });

    test('"Manage your monthly gift" opens a Stripe customer portal session for the donor\'s customer; a one-time donor has nothing to manage', async () => {
      const cookies = await signIn('grace@example.org');
      const before = stripe.requestsTo('POST', '/v1/billing_portal/sessions').length;
      const portal = await postForm(t, '/donor/portal', [], { headers: withSession(cookies) });
      assert.equal(portal.status, 303);
      assert.match(portal.headers.get('location') ?? '', new RegExp(`^${stripe.url}/portal/bps_test_[a-f0-9]+$`));
      const asked = stripe.requestsTo('POST', '/v1/billing_portal/sessions');
      assert.equal(asked.length, before + 1);
      assert.deepEqual(asked.at(-1)!.body, { customer: monthly.session.customer, return_url: 'http://news.test/donor/gifts' });

      const oneTime = await signIn('onetime@example.org');
      const gifts = visibleText(mainOf((await getPage(t, '/donor/gifts', withSession(oneTime))).text));
      assert.doesNotMatch(gifts, /Manage your monthly gift/);
      const none = await postForm(t, '/donor/portal', [], { headers: withSession(oneTime) });
      assert.equal(none.status, 409);
      assert.match(visibleText(mainOf(none.text)), /You have no recurring gift to manage/);
      assert.equal(stripe.requestsTo('POST', '/v1/billing_portal/sessions').length, before + 1, 'Stripe was not asked');

      const signedOut = await postForm(t, '/donor/portal', []);
      assert.deepEqual([signedOut.status, signedOut.headers.get('location')], [303, '/donor']);
      const forged = await postForm(t, '/donor/portal', [], { headers: { ...withSession(cookies), 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
      assert.equal(forged.status, 403);
      assert.equal(stripe.requestsTo('POST', '/v1/billing_portal/sessions').length, before + 1);
    });

    test('expired and tampered links get a friendly page and sign nobody in', async () => {
      await ask('grace@example.org');
      const link = latestLink('grace@example.org');
      const tampered = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A');
      for (const path of [tampered, '/donor/signin/short', '/donor/signin/%3Cscript%3E']) {
        const page = await getPage(t, path);
        assert.equal(page.status, 404, path);
        assert.match(visibleText(mainOf(page.text)), /This link does not work .* Get a new sign-in link/);
        const post = await postForm(t, path, []);
        assert.equal(post.status, 404);
        assert.equal(cookiesOf(post).size, 0);
      }
      t.clock.advance(31 * 60_000);
      const expired = await getPage(t, link);
      assert.equal(expired.status, 410);
      assert.match(visibleText(mainOf(expired.text)), /This link has expired Sign-in links work for 30 minutes/);
      const post = await postForm(t, link, []);
      assert.equal(post.status, 410);
      assert.equal(cookiesOf(post).size, 0);
    });

    test('bad input, forged forms and too many requests: a clear 4xx and nothing sent', async () => {
      const mails = inbox.messages.length;
      const bad = await ask('not an address');
      assert.equal(bad.status, 400);
      assert.match(mainOf(bad.text), /<p class="nl-error" id="donor-email-error">/);
      assert.match(mainOf(bad.text), /aria-invalid="true"/);
      const forged = await postForm(t, '/donor', [['email', 'grace@example.org']], { headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
      assert.equal(forged.status, 403);
      await t.app.runner.drain();
      assert.equal(inbox.messages.length, mails);

      // One address: 5 links an hour, from anywhere; the limit says the same for addresses without gifts.
      for (const email of ['limit@example.org', 'nobody-limit@example.org']) {
        for (let i = 0; i < 5; i++) assert.equal((await ask(email)).status, 200);
        const sixth = await ask(email);
        assert.equal(sixth.status, 429);
        assert.match(visibleText(mainOf(sixth.text)), /Please wait a little/);
        assert.ok(Number(sixth.headers.get('retry-after')) > 0);
      }
      // One network: 20 an hour, whatever the addresses.
      const ip = nextIp();
      for (let i = 0; i < 20; i++) assert.equal((await ask(`net${i}@example.org`, ip)).status, 200);
      assert.equal((await ask('net-last@example.org', ip)).status, 429);
    });

    test('signed in, /donor goes to the gifts; signing out ends the session; without one, or after 30 days, the gifts page sends the reader to sign in', async () => {
      assert.deepEqual(await redirectOf(getPage(t, '/donor/gifts')), [303, '/donor']);
      const cookies = await signIn('grace@example.org');
      assert.equal((await getPage(t, '/donor/gifts', withSession(cookies))).status, 200);
      assert.deepEqual(await redirectOf(getPage(t, '/donor', withSession(cookies))), [303, '/donor/gifts'], 'signed in: the sign-in page goes straight to the gifts');
      const out = await postForm(t, '/donor/signout', [], { headers: withSession(cookies) });
      assert.deepEqual([out.status, out.headers.get('location')], [303, '/donor']);
      assert.match(cookiesOf(out).get('bs_donor') ?? '', /^bs_donor=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
      assert.deepEqual(await redirectOf(getPage(t, '/donor/gifts', withSession(cookies))), [303, '/donor'], 'the old cookie no longer works');
      assert.equal((await getPage(t, '/donor', withSession(cookies))).status, 200, 'signed out: the sign-in form');

      t.clock.advance(61 * 60_000); // past the hour's limit of links for this address
      const later = await signIn('grace@example.org');
      t.clock.advance(30 * 24 * 3_600_000 + 60_000);
      assert.deepEqual(await redirectOf(getPage(t, '/donor/gifts', withSession(later))), [303, '/donor']);
    });

    test('a donor whose only gift was refunded in full is a former donor to the prompts', async () => {
      const session = (await giveOnce(t, stripe, { amount: '20', email: 'former@example.org' })).session;
      await deliverEvent(t, stripe, stripe.event('charge.refunded', stripe.charge(session.payment_intent, session.amount_total, session.amount_total)));
      const cookies = await signIn('former@example.org');
      assert.match(cookies.get('bs_reader') ?? '', /^bs_reader=former-donor;/);
      const text = visibleText(mainOf((await getPage(t, '/donor/gifts', withSession(cookies))).text));
      assert.match(text, /Total given: \$0 \(1 gift, refunds deducted\)/);
      assert.match(text, /\$20 One-time Refunded/);
    });

    test('the thank-you page after giving sets the donor flag, keeping other flags', async () => {
      const session = (await giveOnce(t, stripe, { amount: '20', email: 'thanks@example.org' })).session;
      const thanks = await getPage(t, `/donate/thanks?session_id=${session.id}`, { cookie: 'bs_reader=subscriber' });
      assert.equal(thanks.status, 200);
      assert.match(cookiesOf(thanks).get('bs_reader') ?? '', /^bs_reader=subscriber\.donor; Max-Age=\d+; Path=\/; SameSite=Lax$/);
      const unpaid = await getPage(t, '/donate/thanks?session_id=cs_test_doesnotexist');
      assert.equal(cookiesOf(unpaid).size, 0);
    });
  });

  describe(`donor cookies over https on ${dialect}`, () => {
    const stripe = new FakeStripe();
    const inbox = new MailServer();
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await Promise.all([stripe.start(), inbox.start()]);
      t = await startDonorApp(dialect, stripe, inbox, { env: { PUBLIC_URL: 'https://news.test' } });
      await giveOnce(t, stripe, { amount: '20', email: 'secure@example.org' });
      await t.app.runner.drain();
    });
    after(async () => {
      await t?.close();
      await Promise.all([stripe.close(), inbox.close()]);
    });

    test('in production (https) both cookies are Secure and the session is a __Host- cookie', async () => {
      await postForm(t, '/donor', [['email', 'secure@example.org']], { ip: nextIp() });
      await t.app.runner.drain();
      const link = /https:\/\/news\.test(\/donor\/signin\/[A-Za-z0-9_-]{43})/.exec(inbox.to('secure@example.org', LINK_SUBJECT).at(-1)?.text ?? '')?.[1];
      assert.ok(link);
      const cookies = cookiesOf(await postForm(t, link, []));
      assert.match(cookies.get('__Host-bs_donor') ?? '', /^__Host-bs_donor=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      assert.match(cookies.get('bs_reader') ?? '', /^bs_reader=donor; Max-Age=\d+; Path=\/; Secure; SameSite=Lax$/);
    });
  });
}

async function redirectOf(page: Promise<PageResult>): Promise<[number, string | null]> {
  const p = await page;
  return [p.status, p.headers.get('location')];
}
