/**
 * A local stand-in for Stripe's API, speaking its wire format: form-encoded
 * requests with bracketed keys (as the official SDK sends them), JSON answers
 * in Stripe's object shapes, Stripe's error shape. It implements exactly the
 * calls Broadsheet makes:
 *   POST /v1/checkout/sessions       create a Checkout Session
 *   GET  /v1/checkout/sessions/:id   retrieve one (404 resource_missing otherwise)
 *   GET  /v1/invoice_payments        list an invoice's payments (?invoice=, ?status=)
 *   POST /v1/billing_portal/sessions a customer portal session (for a customer it has seen)
 *   POST /v1/refunds                 refund (part of) a payment intent it has seen; Stripe's
 *                                    Idempotency-Key replay (the same key answers the same refund)
 *                                    and its refusals (amount_too_large, charge_already_refunded)
 * Refunds then move on with updateRefund (succeeded, failed, canceled), for the
 * refund.updated / refund.failed / charge.refund.updated events Stripe sends;
 * plus GET /pay/:id and GET /portal/:id, stand-ins for Stripe's hosted pages. It records
 * every API request so tests can assert what was asked, and builds the objects
 * and signed webhook events (with the SDK's own generateTestHeaderString) that
 * Stripe would send after a reader pays.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export const TEST_SECRET_KEY = 'sk_test_broadsheet0123456789';
export const TEST_WEBHOOK_SECRET = 'whsec_broadsheettestsecret0123456789';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  headers: http.IncomingHttpHeaders;
}

type Json = Record<string, any>;

/** `a[b][0][c]=1` → { a: { b: [ { c: '1' } ] } }: how Stripe reads form bodies. */
export function parseStripeForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: any = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(8).toString('hex')}`;

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, Json>();
  /** invoice id → payment intent id, for GET /v1/invoice_payments. */
  readonly invoicePayments = new Map<string, string>();
  /** Payment intent → what it paid, for refunds. */
  readonly payments = new Map<string, number>();
  /** Refunds made, in order. */
  readonly refunds: Json[] = [];
  /** Idempotency-Key → the answer given, replayed for the same key as Stripe does. */
  private readonly idempotent = new Map<string, { status: number; body: Json }>();
  /** Process the next N refund requests but never answer them (a lost answer: the SDK and the caller retry). */
  dropRefundAnswers = 0;
  /** The SDK, only for its webhook test-header helper. */
  private readonly sdk = new Stripe(TEST_SECRET_KEY);
  private clock = Math.floor(Date.now() / 1000);
  private readonly server = http.createServer((req, res) => void this.answer(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The API requests to one path (the hosted page's visits are not API requests). */
  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const send = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(body));
    };
    const missing = (what: string) => send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}`, param: 'id' } });
    if (req.method === 'GET' && url.pathname.startsWith('/portal/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Fake Stripe customer portal</title><main><h1>Fake Stripe customer portal</h1><p>${url.pathname.slice(8)}</p></main></html>`);
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/pay/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Fake Stripe Checkout</title><main><h1>Fake Stripe Checkout</h1><p>${url.pathname.slice(5)}</p></main></html>`);
      return;
    }
    const body = parseStripeForm(Buffer.concat(chunks).toString('utf8'));
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body, headers: req.headers });
    if (req.headers.authorization !== `Bearer ${TEST_SECRET_KEY}`) {
      send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      send(200, this.createSession(body));
      return;
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && sessionMatch) {
      const session = this.sessions.get(decodeURIComponent(sessionMatch[1]!));
      if (session) send(200, session);
      else missing(`checkout.session: '${sessionMatch[1]}'`);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v1/invoice_payments') {
      const invoice = url.searchParams.get('invoice') ?? '';
      const pi = this.invoicePayments.get(invoice);
      const data = pi
        ? [{ id: id('inpay'), object: 'invoice_payment', amount_paid: null, amount_requested: 0, created: this.clock, currency: 'usd', invoice, is_default: true, livemode: false, status: 'paid', payment: { type: 'payment_intent', payment_intent: pi }, status_transitions: { canceled_at: null, paid_at: this.clock } }]
        : [];
      send(200, { object: 'list', data, has_more: false, url: '/v1/invoice_payments' });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/billing_portal/sessions') {
      const customer = String(body.customer ?? '');
      if (!this.customers().has(customer)) {
        send(400, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${customer}'`, param: 'customer' } });
        return;
      }
      const portal = { id: id('bps'), object: 'billing_portal.session', configuration: 'bpc_test_default', created: this.clock, customer, flow: null, livemode: false, locale: null, on_behalf_of: null, return_url: body.return_url ?? null, url: '' };
      portal.url = `${this.url}/portal/${portal.id}`;
      send(200, portal);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      const key = String(req.headers['idempotency-key'] ?? '');
      const answer = (key && this.idempotent.get(key)) || this.createRefund(body);
      if (key) this.idempotent.set(key, answer);
      if (this.dropRefundAnswers > 0) {
        this.dropRefundAnswers--;
        req.socket.destroy();
        return;
      }
      send(answer.status, answer.body);
      return;
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } });
  }

  /** Refunded so far of a payment intent (a failed or canceled refund gave nothing back, and may be made again). */
  refundedOf(paymentIntent: string): number {
    return this.refunds.filter((r) => r.payment_intent === paymentIntent && r.status !== 'failed' && r.status !== 'canceled').reduce((sum, r) => sum + Number(r.amount), 0);
  }

  /**
   * A refund's later life at Stripe: pending → succeeded, or → failed with a `failure_reason` (an expired
   * card, a closed bank account), or canceled. The refund as the refund events carry it afterwards.
   */
  updateRefund(refundId: string, status: 'succeeded' | 'failed' | 'canceled' | 'pending', failureReason?: string): Json {
    const refund = this.refunds.find((r) => r.id === refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    refund.status = status;
    if (status === 'failed') {
      refund.failure_reason = failureReason ?? 'unknown';
      refund.failure_balance_transaction = id('txn');
    }
    return structuredClone(refund);
  }

  private createRefund(body: Json): { status: number; body: Json } {
    const pi = String(body.payment_intent ?? '');
    const paid = this.payments.get(pi);
    const refuse = (code: string, message: string, param?: string) => ({ status: 400, body: { error: { type: 'invalid_request_error', code, message, ...(param ? { param } : {}) } } });
    if (paid === undefined) return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${pi}'`, param: 'payment_intent' } } };
    const left = paid - this.refundedOf(pi);
    if (left <= 0) return refuse('charge_already_refunded', `Charge for payment intent ${pi} has already been refunded.`);
    const amount = body.amount === undefined ? left : Number(body.amount);
    if (!Number.isInteger(amount) || amount < 1) return refuse('parameter_invalid_integer', 'Invalid positive integer', 'amount');
    if (amount > left) return refuse('amount_too_large', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount');
    const refund = {
      id: id('re'),
      object: 'refund',
      amount,
      balance_transaction: id('txn'),
      charge: id('ch'),
      created: this.clock,
      currency: 'usd',
      metadata: body.metadata ?? {},
      payment_intent: pi,
      reason: body.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'pending',
      transfer_reversal: null,
    };
    this.refunds.push(refund);
    // A copy: the answer replayed for the same Idempotency-Key stays as first given, whatever happens to the refund.
    return { status: 200, body: { ...refund } };
  }

  /** The charge.refunded Stripe sends after refunds of a payment intent (its refunded total so far). */
  refundedCharge(paymentIntent: string): Json {
    return this.charge(paymentIntent, this.payments.get(paymentIntent) ?? 0, this.refundedOf(paymentIntent));
  }

  /** The customers Stripe made when readers paid. */
  private customers(): Set<string> {
    return new Set([...this.sessions.values()].map((s) => s.customer).filter(Boolean));
  }

  private createSession(body: Json): Json {
    const item = body.line_items?.[0] ?? {};
    const unit = Number(item.price_data?.unit_amount ?? 0);
    const session = {
      id: id('cs'),
      object: 'checkout.session',
      mode: body.mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: unit * Number(item.quantity ?? 1),
      amount_total: unit * Number(item.quantity ?? 1),
      currency: item.price_data?.currency ?? null,
      customer: null,
      customer_email: body.customer_email ?? null,
      customer_details: null,
      metadata: body.metadata ?? {},
      payment_intent: null,
      subscription: null,
      success_url: body.success_url,
      cancel_url: body.cancel_url,
      livemode: false,
      created: this.clock,
      url: '',
    };
    session.url = `${this.url}/pay/${session.id}`;
    this.sessions.set(session.id, session);
    return session;
  }

  // --- what happens at Stripe after the reader pays --------------------------------------------

  /** Stripe's clock for events: each call a second later (events carry whole seconds). */
  tick(): number {
    return ++this.clock;
  }

  /** The reader paid on the hosted page: the session completes with a customer and a payment (or subscription). */
  complete(sessionId: string, donor: { email: string; name?: string }): Json {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    session.status = 'complete';
    session.payment_status = 'paid';
    session.customer = id('cus');
    session.customer_details = { email: donor.email, name: donor.name ?? null };
    if (session.mode === 'payment') {
      session.payment_intent = id('pi');
      this.payments.set(session.payment_intent, session.amount_total);
    } else session.subscription = id('sub');
    return session;
  }

  /** The reader chose a method that settles later (a bank debit): the session completes unpaid. */
  completeUnpaid(sessionId: string, donor: { email: string; name?: string }): Json {
    const session = this.complete(sessionId, donor);
    session.payment_status = 'unpaid';
    return { ...session };
  }

  /** The delayed payment settled: the session as async_payment_succeeded (paid) or _failed (unpaid) carries it. */
  settle(sessionId: string, paid: boolean): Json {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    session.payment_status = paid ? 'paid' : 'unpaid';
    return { ...session };
  }

  /** A paid (or failed) invoice of the session's subscription, with the payment intent that paid it. */
  invoice(session: Json, options: { paid?: boolean; amount?: number } = {}): Json {
    const paid = options.paid ?? true;
    const amount = options.amount ?? session.amount_total;
    const invoice = {
      id: id('in'),
      object: 'invoice',
      customer: session.customer,
      customer_email: session.customer_details?.email ?? null,
      customer_name: session.customer_details?.name ?? null,
      currency: session.currency,
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      status: paid ? 'paid' : 'open',
      billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: session.subscription, metadata: session.metadata } },
      status_transitions: { paid_at: paid ? this.clock : null, finalized_at: this.clock, marked_uncollectible_at: null, voided_at: null },
      livemode: false,
      created: this.clock,
    };
    if (paid) {
      const pi = id('pi');
      this.invoicePayments.set(invoice.id, pi);
      this.payments.set(pi, amount);
    }
    return invoice;
  }

  subscription(session: Json, status: string): Json {
    const interval = session.metadata?.broadsheet_gift === 'yearly' ? 'year' : 'month';
    return {
      id: session.subscription,
      object: 'subscription',
      customer: session.customer,
      currency: session.currency,
      status,
      metadata: session.metadata,
      items: { object: 'list', data: [{ id: id('si'), object: 'subscription_item', quantity: 1, price: { id: id('price'), object: 'price', unit_amount: session.amount_total, currency: session.currency, recurring: { interval, interval_count: 1 } } }] },
      livemode: false,
      created: this.clock,
    };
  }

  charge(paymentIntent: string, amount: number, refunded: number): Json {
    return { id: id('ch'), object: 'charge', amount, amount_refunded: refunded, refunded: refunded >= amount, currency: 'usd', payment_intent: paymentIntent, status: 'succeeded', livemode: false, created: this.clock };
  }

  /** A Stripe event around `object`, created now by Stripe's clock (or at `created`). */
  event(type: string, object: Json, created = this.tick()): Json {
    return { id: id('evt'), object: 'event', api_version: '2026-10-28.endive', created, type, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, data: { object } };
  }

  /** The Stripe-Signature header Stripe would send with this payload. */
  sign(payload: string, secret = TEST_WEBHOOK_SECRET): string {
    return this.sdk.webhooks.generateTestHeaderString({ payload, secret });
  }
}
