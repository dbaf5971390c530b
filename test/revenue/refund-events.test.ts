/**
 * Refunds asked for from the admin after Stripe took them, on SQLite and
 * PostgreSQL, against the local Stripe (stripe-server.ts) with the official
 * SDK: Stripe's refund events (`refund.updated`, `refund.failed`,
 * `charge.refund.updated`, signed like Stripe signs them) move the request out
 * of pending to succeeded or failed (with why), once, whatever the order and
 * however often they come; a failed refund gives the gift back its amount.
 * And the refund endpoint refuses fields it does not know.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { postForm } from '../newsletter/support.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { FakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET } from './stripe-server.js';

type Json = Record<string, any>;

for (const dialect of DIALECTS) {
  describe(`refund events on ${dialect}`, () => {
    const stripe = new FakeStripe();
    let t: TestApp;
    let admin: Signed;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await stripe.start();
      t = await startTestApp(dialect, { env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
      const staff = await createStaff(t, 'admin');
      admin = await signIn(t, staff.email, staff.password);
    });
    after(async () => {
      await t?.close();
      await stripe.close();
    });

    const deliver = async (event: Json) => {
      const payload = JSON.stringify(event);
      const response = await fetch(`${t.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripe.sign(payload) }, body: payload });
      const json = (await response.json()) as Json;
      assert.equal(response.status, 200, JSON.stringify(json));
      return json.outcome as string;
    };

    /** A paid one-time gift of $90 from `email`, recorded by its webhook; its payment intent. */
    const paidGift = async (email: string) => {
      const page = await postForm(t, '/donate', [['frequency', 'once'], ['currency', 'USD'], ['amount', '90']]);
      assert.equal(page.status, 303);
      const sessionId = /\/pay\/(cs_test_[a-f0-9]+)$/.exec(page.headers.get('location') ?? '')![1]!;
      const session = stripe.complete(sessionId, { email });
      assert.equal(await deliver(stripe.event('checkout.session.completed', session)), 'applied');
      return session.payment_intent as string;
    };

    /** The gift as the admin's list shows it. */
    const listed = async (email: string): Promise<Json> => {
      const list = await call(t, 'GET', `/api/admin/donations?q=${encodeURIComponent(email)}`, { cookie: admin.cookie });
      assert.equal(list.status, 200);
      return list.json.items[0];
    };

    /** The admin refunds part of the gift; the refund Stripe made for it. */
    const refund = async (donationId: number, amountMinor: number) => {
      const answer = await call(t, 'POST', `/api/admin/donations/${donationId}/refunds`, { body: { amountMinor, reason: 'requested_by_customer', idempotencyKey: randomUUID() }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.json.status, 'pending');
      return { request: answer.json as Json, stripeRefund: stripe.refunds.at(-1)! };
    };

    test('a refund that fails after Stripe took it: failed with the reason, once, and the gift is whole again', async () => {
      const email = 'fails@example.org';
      const pi = await paidGift(email);
      const gift = await listed(email);
      const { request, stripeRefund } = await refund(gift.id, 2500);
      // Stripe reports the pending refund in the charge's total at once.
      await deliver(stripe.event('charge.refunded', stripe.refundedCharge(pi)));
      let row = await listed(email);
      assert.deepEqual([row.status, row.refundedMinor, row.pendingRefundMinor, row.refunds[0].status], ['partially_refunded', 2500, 0, 'pending']);

      // Then the donor's card turns out to be closed: refund.failed, and the older-style charge.refund.updated.
      const failed = stripe.updateRefund(stripeRefund.id, 'failed', 'expired_or_canceled_card');
      const failedEvent = stripe.event('refund.failed', failed);
      assert.equal(await deliver(failedEvent), 'applied');
      assert.equal(await deliver(stripe.event('charge.refund.updated', failed)), 'applied');
      assert.equal(await deliver(failedEvent), 'duplicate', 'a replay is recognised');
      row = await listed(email);
      assert.equal(row.refunds.length, 1);
      assert.deepEqual([row.refunds[0].id, row.refunds[0].status], [request.id, 'failed']);
      assert.match(row.refunds[0].error, /The refund failed after Stripe took it: the card has expired or was cancelled/);
      assert.deepEqual([row.status, row.refundedMinor, row.pendingRefundMinor, row.refundableMinor], ['succeeded', 0, 0, 9000], 'the money stayed with us: refundable again');
      const donor = await t.app.db.kysely.selectFrom('donors').select('total_minor').where('email_key', '=', email).executeTakeFirstOrThrow();
      assert.equal(Number(donor.total_minor), 9000, "the donor's total counts the whole gift again");

      // A late `refund.updated` saying it had succeeded (sent before the failure) does not undo the failure.
      assert.equal(await deliver(stripe.event('refund.updated', { ...failed, status: 'succeeded', failure_reason: undefined }, failedEvent.created - 1)), 'applied');
      assert.equal((await listed(email)).refunds[0].status, 'failed');
      const events = await t.app.db.kysely.selectFrom('stripe_events').select('type').where('type', 'in', ['refund.failed', 'refund.updated', 'charge.refund.updated']).execute();
      assert.deepEqual(events.map((e) => e.type).sort(), ['charge.refund.updated', 'refund.failed', 'refund.updated'], 'each event stored once');
    });

    test('a refund that succeeds: succeeded, and the same end in any order of its events', async () => {
      const run = async (email: string, reversed: boolean) => {
        const pi = await paidGift(email);
        const gift = await listed(email);
        const { stripeRefund } = await refund(gift.id, 9000);
        const events = [
          stripe.event('refund.updated', stripe.updateRefund(stripeRefund.id, 'pending')),
          stripe.event('charge.refunded', stripe.refundedCharge(pi)),
          stripe.event('refund.updated', stripe.updateRefund(stripeRefund.id, 'succeeded')),
        ];
        for (const event of reversed ? [...events].reverse() : events) assert.equal(await deliver(event), 'applied');
        for (const event of events) assert.equal(await deliver(event), 'duplicate');
        const row = await listed(email);
        return [row.status, row.refundedMinor, row.pendingRefundMinor, row.refundableMinor, row.refunds.map((r: Json) => [r.status, r.amountMinor, r.error])];
      };
      const inOrder = await run('succeeds@example.org', false);
      assert.deepEqual(inOrder, ['refunded', 9000, 0, 0, [['succeeded', 9000, '']]]);
      assert.deepEqual(await run('succeeds-reversed@example.org', true), inOrder);
    });

    test('failed before it was reported, in either order; a refund made in Stripe’s dashboard is left to charge.refunded', async () => {
      const email = 'early-failure@example.org';
      const pi = await paidGift(email);
      const gift = await listed(email);
      const { stripeRefund } = await refund(gift.id, 4000);
      const reported = stripe.event('charge.refunded', stripe.refundedCharge(pi)); // built while the refund was pending
      const failed = stripe.event('refund.failed', stripe.updateRefund(stripeRefund.id, 'failed', 'lost_or_stolen_card'));
      // The failure arrives first, the charge's earlier report afterwards.
      assert.equal(await deliver(failed), 'applied');
      assert.equal(await deliver(reported), 'applied');
      const row = await listed(email);
      assert.deepEqual([row.status, row.refundedMinor, row.refundableMinor, row.refunds[0].status], ['succeeded', 0, 9000, 'failed']);
      assert.match(row.refunds[0].error, /reported lost or stolen/);

      // Not one of ours: no request changes, nothing fails.
      const foreign = { id: 're_test_dashboard', object: 'refund', amount: 100, status: 'failed', failure_reason: 'unknown', payment_intent: pi, metadata: {}, created: stripe.tick() };
      assert.equal(await deliver(stripe.event('refund.failed', foreign)), 'applied');
      assert.equal((await listed(email)).refunds.length, 1);
    });

    test("a refund whose answer was lost learns its refund from Stripe's event; another site's refund with the same request id is not taken for it", async () => {
      const email = 'lost-answer@example.org';
      const pi = await paidGift(email);
      const gift = await listed(email);
      const key = randomUUID();
      stripe.dropRefundAnswers = 3; // the SDK's tries all lose Stripe's answer
      const lost = await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { amountMinor: 3000, reason: 'duplicate', idempotencyKey: key }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(lost.status, 502, lost.text);
      const stripeRefund = stripe.refunds.at(-1)!;
      const requestId = Number(stripeRefund.metadata.broadsheet_refund);
      const request = () => t.app.db.kysely.selectFrom('donation_refund_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
      assert.deepEqual([(await request()).status, (await request()).stripe_refund_id], ['requested', null]);

      // Another Broadsheet on the same Stripe account, whose request happens to have the same id: other payment, ignored.
      const stranger = { ...stripeRefund, id: 're_test_othersite', payment_intent: 'pi_test_othersite', status: 'failed', failure_reason: 'declined' };
      assert.equal(await deliver(stripe.event('refund.failed', stranger)), 'applied');
      assert.deepEqual([(await request()).status, (await request()).stripe_refund_id], ['requested', null]);

      assert.equal(await deliver(stripe.event('refund.updated', stripe.updateRefund(stripeRefund.id, 'pending'))), 'applied');
      assert.deepEqual([(await request()).status, (await request()).stripe_refund_id], ['submitted', stripeRefund.id]);
      const asked = stripe.requestsTo('POST', '/v1/refunds').length;
      const retried = await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { amountMinor: 3000, reason: 'duplicate', idempotencyKey: key }, cookie: admin.cookie, csrf: admin.csrf });
      assert.deepEqual([retried.status, retried.json.status, retried.json.stripeRefundId], [200, 'pending', stripeRefund.id]);
      assert.equal(stripe.requestsTo('POST', '/v1/refunds').length, asked, 'Stripe is not asked again: the event told us');
      assert.equal(stripe.refunds.filter((r) => r.payment_intent === pi).length, 1);
    });

    test('the refund endpoint refuses fields it does not know, naming them, and refunds nothing', async () => {
      const email = 'strict@example.org';
      await paidGift(email);
      const gift = await listed(email);
      const before = stripe.requestsTo('POST', '/v1/refunds').length;
      // `amount` for `amountMinor` would otherwise be dropped, and the whole gift refunded.
      const misspelt = await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { amount: 100, reason: 'duplicate', idempotencyKey: randomUUID() }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(misspelt.status, 400, misspelt.text);
      assert.equal(misspelt.json.error.message, 'The refund has invalid fields');
      assert.deepEqual(misspelt.json.error.fields, [{ path: '/amount', message: 'unknown field' }]);
      const extra = await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { reason: 'duplicate', idempotencyKey: randomUUID(), notify: true, amountMinor: 100 }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(extra.status, 400);
      assert.ok(extra.text.includes('/notify'), extra.text);
      assert.equal(stripe.requestsTo('POST', '/v1/refunds').length, before, 'nothing asked of Stripe');
      assert.deepEqual([(await listed(email)).refundableMinor, (await listed(email)).refunds], [9000, []]);
      // The same body without the stranger goes through.
      const ok = await call(t, 'POST', `/api/admin/donations/${gift.id}/refunds`, { body: { reason: 'duplicate', idempotencyKey: randomUUID(), amountMinor: 100 }, cookie: admin.cookie, csrf: admin.csrf });
      assert.equal(ok.status, 201, ok.text);
    });
  });
}
