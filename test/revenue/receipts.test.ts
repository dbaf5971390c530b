/**
 * Donation receipts on SQLite and PostgreSQL: Stripe's signed webhook events
 * (from the fake Stripe, stripe-server.ts) record a gift, and its receipt
 * arrives at a real SMTP server once, with the organization's details;
 * replayed events, a process that stops before sending, and a worker that
 * dies holding the job still make exactly one; each recurring invoice has its
 * own; a gift refunded before its receipt went out gets none. Payment
 * methods that settle later: a pending gift without a receipt until Stripe says
 * it succeeded (then one receipt) or failed (none), in any order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { assertPostgresReachable, dropTestStorage, DIALECTS, TestClock, type TestApp } from '../support/apps.js';
import { MailServer, header } from '../support/mail.js';
import { FakeStripe } from './stripe-server.js';
import { deliverEvent, donationIdOf, giveMonthly, giveOnce, payOnStripe, startDonorApp } from './donor-support.js';
import { RECEIPT_JOB } from '../../src/revenue/receipts.js';

const SUBJECT = 'Your receipt for your donation to The Test Gazette';
const longDate = (iso: string) => new Date(iso).toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' });

for (const dialect of DIALECTS) {
  describe(`donation receipts on ${dialect}`, () => {
    const stripe = new FakeStripe();
    const inbox = new MailServer();
    let t: TestApp;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      await Promise.all([stripe.start(), inbox.start()]);
      t = await startDonorApp(dialect, stripe, inbox);
    });
    after(async () => {
      await t?.close();
      await Promise.all([stripe.close(), inbox.close()]);
    });

    const receiptsTo = (email: string) => inbox.to(email, SUBJECT);
    const paidAt = async (id: number) => (await t.app.db.kysely.selectFrom('donations').select('paid_at').where('id', '=', id).executeTakeFirstOrThrow()).paid_at;

    test('a one-time gift: one receipt with the amount, date, frequency, purpose, the organization and the donor page; a replayed event sends no second one', async () => {
      const { session, event } = await giveOnce(t, stripe, { amount: '20', email: 'ada@example.org', name: 'Ada Reader' });
      assert.equal(receiptsTo('ada@example.org').length, 0, 'nothing is sent in the webhook request itself');
      await t.app.runner.drain();
      const [mail, ...more] = receiptsTo('ada@example.org');
      assert.ok(mail, 'the receipt arrived');
      assert.equal(more.length, 0);
      const id = await donationIdOf(t, session.id);
      const text = mail.text ?? '';
      assert.match(text, /^Dear Ada Reader,/);
      assert.match(text, /Thank you for your donation to The Test Gazette\. This email is your receipt\./);
      assert.match(text, new RegExp(`Receipt number: R-${String(id).padStart(6, '0')}`));
      assert.match(text, /Amount: \$20 \(USD\)/);
      assert.ok(text.includes(`Date: ${longDate(await paidAt(id))}`), text);
      assert.match(text, /Frequency: One-time/);
      assert.match(text, /For: A donation to support the journalism of The Test Gazette/);
      assert.match(text, /Received by:\nTest Gazette Media Trust\nPO Box 12\nTestville TV1 2AB\nTax id \/ charity number: Charity no\. 1234567/);
      assert.match(text, /No goods or services were provided in exchange for this gift\./);
      assert.match(text, /http:\/\/news\.test\/donor\n/);
      const htmlPart = String(mail.html);
      for (const part of ['Test Gazette Media Trust', 'PO Box 12<br>Testville TV1 2AB', 'Charity no. 1234567', '$20 (USD)', 'href="http://news.test/donor"']) assert.ok(htmlPart.includes(part), `HTML has ${part}`);
      assert.equal(mail.messageId, `<donation-receipt-${id}@news.test>`, 'a Message-ID made from the donation alone');
      assert.match(header(mail, 'From') ?? '', /The Test Gazette/);

      // Stripe delivers the same event again; the worker runs again: still one receipt.
      assert.equal((await deliverEvent(t, stripe, event)).outcome, 'duplicate');
      await t.app.runner.drain();
      assert.equal(receiptsTo('ada@example.org').length, 1);
    });

    test('a monthly gift: a receipt for the first invoice and one for each renewal, each once', async () => {
      const { session, invoice } = await giveMonthly(t, stripe, { amount: '15', email: 'monthly@example.org' });
      await t.app.runner.drain();
      assert.equal(receiptsTo('monthly@example.org').length, 1);
      assert.match(receiptsTo('monthly@example.org')[0]!.text ?? '', /^Hello,[\s\S]*Thank you for your monthly donation[\s\S]*Amount: \$15 \(USD\)[\s\S]*Frequency: Monthly \(recurring\)/);
      assert.match(receiptsTo('monthly@example.org')[0]!.text ?? '', /change or cancel your recurring gift/);

      const renewal = stripe.invoice(session);
      const renewed = stripe.event('invoice.paid', renewal);
      await deliverEvent(t, stripe, renewed);
      await deliverEvent(t, stripe, renewed);
      await deliverEvent(t, stripe, stripe.event('invoice.paid', invoice)); // the first invoice, as a new event
      await t.app.runner.drain();
      const receipts = receiptsTo('monthly@example.org');
      assert.equal(receipts.length, 2, 'one per paid invoice');
      assert.deepEqual(
        receipts.map((m) => m.messageId),
        [`<donation-receipt-${await donationIdOf(t, invoice.id)}@news.test>`, `<donation-receipt-${await donationIdOf(t, renewal.id)}@news.test>`],
      );
    });

    test('what the donor typed is escaped in the HTML receipt', async () => {
      await giveOnce(t, stripe, { amount: '20', email: 'markup@example.org', name: 'Bo <b>Bold</b> & Co' });
      await t.app.runner.drain();
      const [mail] = receiptsTo('markup@example.org');
      assert.ok(mail);
      assert.match(mail.text ?? '', /^Dear Bo <b>Bold<\/b> & Co,/);
      assert.ok(String(mail.html).includes('Dear Bo &lt;b&gt;Bold&lt;/b&gt; &amp; Co,'));
      assert.ok(!String(mail.html).includes('<b>Bold</b>'));
    });

    test('a gift refunded in full before its receipt went out gets none', async () => {
      const { session } = await giveOnce(t, stripe, { amount: '90', email: 'refunded@example.org' });
      await deliverEvent(t, stripe, stripe.event('charge.refunded', stripe.charge(session.payment_intent, session.amount_total, session.amount_total)));
      await t.app.runner.drain();
      assert.equal(receiptsTo('refunded@example.org').length, 0);
      const job = await t.app.db.kysely.selectFrom('jobs').select('status').where('unique_key', '=', `${RECEIPT_JOB}:${await donationIdOf(t, session.id)}`).executeTakeFirstOrThrow();
      assert.equal(job.status, 'done', 'the job is finished, not retried');
    });

    const donationBy = (sessionId: string) => t.app.db.kysely.selectFrom('donations').selectAll().where('payment_key', '=', sessionId).execute();
    const donorTotal = async (email: string) => {
      const row = await t.app.db.kysely.selectFrom('donors').select(['total_minor', 'gift_count']).where('email_key', '=', email).executeTakeFirstOrThrow();
      return [Number(row.total_minor), Number(row.gift_count)];
    };

    test('a bank debit: the session completes unpaid → a pending gift, no receipt; async_payment_succeeded → paid and one receipt; replays change nothing', async () => {
      const email = 'bank-debit@example.org';
      const session = await payOnStripe(t, stripe, { frequency: 'once', amount: '20', email, unpaid: true });
      const completed = stripe.event('checkout.session.completed', session);
      assert.equal((await deliverEvent(t, stripe, completed)).outcome, 'applied');
      await t.app.runner.drain();
      let [gift, ...more] = await donationBy(session.id);
      assert.equal(gift?.status, 'pending');
      assert.equal(more.length, 0);
      assert.equal(receiptsTo(email).length, 0, 'no receipt while the money has not arrived');
      assert.deepEqual(await donorTotal(email), [0, 0], 'a pending gift is not counted as given');

      const succeeded = stripe.event('checkout.session.async_payment_succeeded', stripe.settle(session.id, true));
      assert.equal((await deliverEvent(t, stripe, succeeded)).outcome, 'applied');
      await t.app.runner.drain();
      [gift, ...more] = await donationBy(session.id);
      assert.equal(gift?.status, 'succeeded');
      assert.equal(more.length, 0, 'the same gift, now paid');
      assert.equal(receiptsTo(email).length, 1, 'its receipt');
      assert.deepEqual(await donorTotal(email), [2000, 1]);

      // Stripe delivers both again, and the completed one with a new event id (as if sent late): still one paid gift, one receipt.
      assert.equal((await deliverEvent(t, stripe, succeeded)).outcome, 'duplicate');
      assert.equal((await deliverEvent(t, stripe, completed)).outcome, 'duplicate');
      await deliverEvent(t, stripe, stripe.event('checkout.session.completed', { ...session, payment_status: 'unpaid' }));
      await t.app.runner.drain();
      assert.deepEqual((await donationBy(session.id)).map((d) => d.status), ['succeeded'], 'a late "completed, unpaid" never makes it pending again');
      assert.equal(receiptsTo(email).length, 1);
    });

    test('a bank debit that fails: the gift is failed, no receipt, nothing counted; in either order', async () => {
      for (const order of ['in order', 'failed first'] as const) {
        const email = `debit-fails-${order.replace(' ', '-')}@example.org`;
        const session = await payOnStripe(t, stripe, { frequency: 'once', amount: '15', email, unpaid: true });
        const completed = stripe.event('checkout.session.completed', { ...session });
        const failed = stripe.event('checkout.session.async_payment_failed', stripe.settle(session.id, false));
        for (const event of order === 'in order' ? [completed, failed] : [failed, completed]) assert.equal((await deliverEvent(t, stripe, event)).outcome, 'applied');
        await t.app.runner.drain();
        assert.deepEqual((await donationBy(session.id)).map((d) => d.status), ['failed'], order);
        assert.equal(receiptsTo(email).length, 0, order);
        assert.deepEqual(await donorTotal(email), [0, 0], order);
      }
    });

    test('a bank debit that succeeds before its "completed" arrives: one paid gift, one receipt', async () => {
      const email = 'debit-early@example.org';
      const session = await payOnStripe(t, stripe, { frequency: 'once', amount: '9', email, unpaid: true });
      const completed = stripe.event('checkout.session.completed', { ...session });
      await deliverEvent(t, stripe, stripe.event('checkout.session.async_payment_succeeded', stripe.settle(session.id, true)));
      await deliverEvent(t, stripe, completed);
      await t.app.runner.drain();
      assert.deepEqual((await donationBy(session.id)).map((d) => d.status), ['succeeded']);
      assert.equal(receiptsTo(email).length, 1);
      assert.deepEqual(await donorTotal(email), [900, 1]);
    });

    test('a worker that dies holding the receipt job: after its lease, exactly one receipt; running the job again sends nothing', async () => {
      const { session } = await giveOnce(t, stripe, { amount: '9', email: 'dead-worker@example.org' });
      const id = await donationIdOf(t, session.id);
      const claimed = await t.app.jobs.claim('worker-that-dies', [RECEIPT_JOB], 60_000);
      assert.equal(claimed?.unique_key, `${RECEIPT_JOB}:${id}`, 'the dead worker held this receipt');
      await t.app.runner.drain();
      assert.equal(receiptsTo('dead-worker@example.org').length, 0, 'not while its lease runs');
      t.clock.advance(2 * 60_000);
      await t.app.runner.drain();
      assert.equal(receiptsTo('dead-worker@example.org').length, 1, 'sent once the lease ran out');
      // A worker that died after sending, before marking its job done: the job runs again, nothing is sent.
      await t.app.jobs.enqueue(RECEIPT_JOB, { donationId: id }, { uniqueKey: `${RECEIPT_JOB}:${id}` });
      await t.app.runner.drain();
      assert.equal(receiptsTo('dead-worker@example.org').length, 1);
    });

    test('the process stops between recording the gift and sending the receipt: the next one sends it, once', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-${dialect}-`));
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const clock = new TestClock();
      try {
        const first = await startDonorApp(dialect, stripe, inbox, { clock, reuse: { dataDir, schema } });
        await first.app.settings.update({ name: 'The Test Gazette' }, new Date().toISOString());
        try {
          await giveOnce(first, stripe, { amount: '20', email: 'restart@example.org' });
        } finally {
          await first.close(); // no worker ran: the receipt's job is all that is left
        }
        assert.equal(receiptsTo('restart@example.org').length, 0);
        const next = await startDonorApp(dialect, stripe, inbox, { clock, reuse: { dataDir, schema } });
        try {
          await next.app.runner.drain();
          await next.app.runner.drain();
        } finally {
          await next.close();
        }
        const received: ParsedMail[] = receiptsTo('restart@example.org');
        assert.equal(received.length, 1);
      } finally {
        await dropTestStorage(dialect, dataDir, schema);
      }
    });
  });
}
