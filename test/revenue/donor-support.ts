/**
 * Helpers for the receipt and donor tests: an app wired to the fake Stripe
 * (stripe-server.ts) and a real SMTP server, and gifts made the way readers
 * make them: the donate form, Stripe's hosted page (the fake completes the
 * session), then Stripe's signed webhook events.
 */
import assert from 'node:assert/strict';
import { startTestApp, type DialectName, type TestApp, type TestAppOptions } from '../support/apps.js';
import type { MailServer } from '../support/mail.js';
import { postForm, visibleText } from '../newsletter/support.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from './stripe-server.js';

type Json = Record<string, any>;

export const ORGANIZATION = {
  legalName: 'Test Gazette Media Trust',
  address: 'PO Box 12\nTestville TV1 2AB',
  taxId: 'Charity no. 1234567',
  receiptNote: 'No goods or services were provided in exchange for this gift.',
};

export function donorEnv(stripe: FakeStripe, inbox: MailServer): Record<string, string> {
  const smtp = `smtp://127.0.0.1:${inbox.port}`;
  return { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url, NEWSLETTER_SMTP_URL: smtp, SMTP_URL: smtp, TRUST_PROXY: 'true' };
}

export async function startDonorApp(dialect: DialectName, stripe: FakeStripe, inbox: MailServer, options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp(dialect, { ...options, env: { ...donorEnv(stripe, inbox), ...options.env } });
  if (!options.reuse) await t.app.settings.update({ name: 'The Test Gazette', donations: ORGANIZATION }, new Date().toISOString());
  return t;
}

/** Stripe delivering an event to the webhook: the raw JSON, signed. */
export async function deliverEvent(t: TestApp, stripe: FakeStripe, event: Json): Promise<Json> {
  const payload = JSON.stringify(event);
  const response = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload) }, body: payload });
  const json = (await response.json()) as Json;
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

/** The donate form → a Checkout Session; the reader pays on Stripe's page. The completed session. */
export async function payOnStripe(t: TestApp, stripe: FakeStripe, gift: { frequency: 'once' | 'monthly' | 'yearly'; amount: string; email: string; name?: string; unpaid?: boolean }): Promise<Json> {
  const page = await postForm(t, '/donate', [
    ['frequency', gift.frequency],
    ['currency', 'USD'],
    ['amount', gift.amount],
    ['custom_amount', ''],
    ['name', gift.name ?? ''],
    ['email', ''],
  ]);
  assert.equal(page.status, 303, visibleText(page.text).slice(0, 400));
  const sessionId = /\/pay\/(cs_test_[a-f0-9]+)$/.exec(page.headers.get('location') ?? '')?.[1];
  assert.ok(sessionId);
  // unpaid: a method that settles later (a bank debit); Stripe then sends async_payment_succeeded or _failed.
  return gift.unpaid ? stripe.completeUnpaid(sessionId, { email: gift.email, name: gift.name }) : stripe.complete(sessionId, { email: gift.email, name: gift.name });
}

/** A one-time gift, paid and announced by Stripe's webhook. */
export async function giveOnce(t: TestApp, stripe: FakeStripe, gift: { amount: string; email: string; name?: string }): Promise<{ session: Json; event: Json }> {
  const session = await payOnStripe(t, stripe, { frequency: 'once', ...gift });
  const event = stripe.event('checkout.session.completed', session);
  assert.equal((await deliverEvent(t, stripe, event)).outcome, 'applied');
  return { session, event };
}

/** A monthly gift: the completed session, then its first paid invoice. */
export async function giveMonthly(t: TestApp, stripe: FakeStripe, gift: { amount: string; email: string; name?: string }): Promise<{ session: Json; invoice: Json }> {
  const session = await payOnStripe(t, stripe, { frequency: 'monthly', ...gift });
  await deliverEvent(t, stripe, stripe.event('checkout.session.completed', session));
  const invoice = stripe.invoice(session);
  assert.equal((await deliverEvent(t, stripe, stripe.event('invoice.paid', invoice))).outcome, 'applied');
  return { session, invoice };
}

export async function donationIdOf(t: TestApp, paymentKey: string): Promise<number> {
  const row = await t.app.db.kysely.selectFrom('donations').select('id').where('payment_key', '=', paymentKey).executeTakeFirstOrThrow();
  return row.id;
}
