/**
 * Stripe's webhook events, each applied exactly once (docs/revenue.md, "What
 * Stripe tells us"). The event id is stored in the same transaction as its
 * effect, so a replay changes nothing; and every effect is written so that
 * events arriving in any order end in the same state:
 * - a gift is keyed by what was paid (the Checkout Session of a one-time gift,
 *   the invoice of a recurring one): recorded once whichever event brings it;
 * - any event about a subscription may be the first one heard of it, and
 *   creates its row; a status only moves to one set by a later Stripe event,
 *   and cancelled is final;
 * - refunds are kept by payment, so one that arrives before its payment still
 *   applies when the payment is recorded; a refund asked for from the admin
 *   moves from pending to succeeded or failed by Stripe's refund events, and
 *   failed is final;
 * - donor totals are recounted from their donations, never incremented;
 * - a payment by a method that settles later (bank debits) is a `pending` gift
 *   when its session completes unpaid, and becomes paid (with its receipt) or
 *   failed when Stripe says; whichever of these arrives first, the gift is one
 *   row, it is paid or failed once, and a late "completed" never makes it pending.
 * Receipts are not sent here: `onDonationRecorded` queues each one in the
 * transaction that records its donation (a crash cannot lose it), and
 * `donation.succeeded` is emitted after commit.
 */
import Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Transaction } from 'kysely';
import type { Database, RecurringGiftRow, RecurringStatus } from '../db/schema.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import { parseEmailAddress } from '../newsletter/email-address.js';
import type { DonationsRepository, NewDonation } from './donations.repository.js';
import { fromStripeMetadata, type GiftMetadata } from './metadata.js';
import type { RefundRequestsRepository } from './refunds.repository.js';
import { refundEventChange } from './refunds.service.js';

export type EventOutcome = 'applied' | 'duplicate' | 'ignored';

/** The signature header is missing or does not match the body: nothing is read or stored. */
export class BadSignature extends Error {}

export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'charge.refunded',
  // A refund's later life: pending → succeeded or failed (bank debits, expired cards). `refund.updated` and
  // `refund.failed` are the current events; `charge.refund.updated` is the older name some accounts still send.
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
] as const;

type Trx = Transaction<Database>;
/** Runs in the transaction that records a new donation (receipts.ts queues its receipt). */
export type DonationRecordedHook = (donationId: number, trx: Trx) => Promise<void>;
interface Context {
  trx: Trx;
  at: string;
  /** Stripe's time of the event, in seconds: orders status changes. */
  created: number;
  /** Donations recorded by this event (announced after commit). */
  recorded: number[];
  /** Prompt variants this event's checkout converted (counted after commit; the event is applied once). */
  conversions: { campaign: string; variant: string }[];
}

const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === 'string' ? value : value?.id ?? null);

export class StripeEvents {
  constructor(
    private readonly deps: {
      repo: DonationsRepository;
      /** Refunds asked for from the admin, moved on by Stripe's refund events. */
      refundRequests: RefundRequestsRepository;
      stripe: Stripe | undefined;
      webhookSecret: string | undefined;
      events: EventBus;
      clock: Clock;
      log: Logger;
      onDonationRecorded?: DonationRecordedHook;
      /** A gift that came from a reader prompt's variant: counted as that variant's conversion (docs/prompts.md). */
      onPromptConversion?: (campaign: string, variant: string) => Promise<unknown>;
    },
  ) {}

  get enabled(): boolean {
    return this.deps.stripe !== undefined && this.deps.webhookSecret !== undefined;
  }

  /** The event, if Stripe signed exactly these bytes (with the SDK's own check, including its 5-minute tolerance). */
  verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    if (!this.deps.stripe || !this.deps.webhookSecret) throw new Error('Stripe webhooks are not set up');
    if (!signature) throw new BadSignature('The Stripe-Signature header is missing');
    try {
      return this.deps.stripe.webhooks.constructEvent(rawBody, signature, this.deps.webhookSecret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new BadSignature(error.message);
      throw error;
    }
  }

  async handle(event: Stripe.Event): Promise<EventOutcome> {
    const { repo, log } = this.deps;
    if (!(HANDLED_EVENTS as readonly string[]).includes(event.type)) return 'ignored';
    if (await repo.eventSeen(event.id)) return 'duplicate';
    // What needs Stripe's API is asked before the transaction: no network call holds a database lock.
    // (Only for invoices of our gifts: other products on the same Stripe account cost no API call.)
    const invoice = event.type === 'invoice.paid' ? (event.data.object as Stripe.Invoice) : undefined;
    const paymentIntent = invoice && fromStripeMetadata(invoice.parent?.subscription_details?.metadata) ? await this.invoicePaymentIntent(invoice) : null;
    const at = this.deps.clock.now().toISOString();
    const recorded: number[] = [];
    const conversions: Context['conversions'] = [];
    const outcome = await repo.transaction(async (trx): Promise<EventOutcome> => {
      if (!(await repo.markEvent(event.id, event.type, at, trx))) return 'duplicate';
      const ctx: Context = { trx, at, created: event.created, recorded, conversions };
      switch (event.type) {
        case 'checkout.session.completed':
          await this.sessionCompleted(event.data.object, ctx);
          break;
        case 'checkout.session.async_payment_succeeded':
        case 'checkout.session.async_payment_failed':
          await this.asyncPaymentSettled(event.data.object, event.type === 'checkout.session.async_payment_succeeded', ctx);
          break;
        case 'invoice.paid':
          await this.invoicePaid(event.data.object, paymentIntent, ctx);
          break;
        case 'invoice.payment_failed':
          await this.invoiceFailed(event.data.object, ctx);
          break;
        case 'customer.subscription.updated':
        case 'customer.subscription.deleted':
          await this.subscriptionChanged(event.data.object, event.type === 'customer.subscription.deleted', ctx);
          break;
        case 'charge.refunded':
          await this.chargeRefunded(event.data.object, ctx);
          break;
        case 'refund.updated':
        case 'refund.failed':
        case 'charge.refund.updated':
          await this.refundChanged(event.data.object, ctx);
          break;
      }
      return 'applied';
    });
    for (const donationId of recorded) {
      log.info({ donationId, event: event.id }, 'donation recorded');
      await this.deps.events.emit('donation.succeeded', { donationId });
    }
    for (const { campaign, variant } of conversions) {
      // Aggregate statistics: a failure to count is logged, never a failed webhook (Stripe would resend it).
      await this.deps.onPromptConversion?.(campaign, variant).catch((error: unknown) => log.warn({ err: error, campaign, variant }, 'prompt conversion not counted'));
    }
    return outcome;
  }

  // --- the events -------------------------------------------------------------------------------

  private async sessionCompleted(session: Stripe.Checkout.Session, ctx: Context): Promise<void> {
    const gift = fromStripeMetadata(session.metadata);
    if (!gift) return; // not a gift from our donate form (another product on the same Stripe account)
    const donorId = await this.donor(session.customer_details?.email ?? session.customer_email, gift.donorName || session.customer_details?.name || '', idOf(session.customer), ctx);
    const converted = gift.attribution.campaign && gift.promptVariant ? { campaign: gift.attribution.campaign, variant: gift.promptVariant } : undefined;
    if (session.mode === 'subscription') {
      const subscriptionId = idOf(session.subscription);
      if (!subscriptionId) return;
      if (converted) ctx.conversions.push(converted);
      await this.recurring(subscriptionId, { status: 'active', donorId, customerId: idOf(session.customer), amountMinor: session.amount_total ?? 0, currency: session.currency ?? '', interval: intervalOf(gift) }, ctx);
      return; // the payment itself is recorded from its invoice (invoice.paid)
    }
    if (donorId === undefined) return;
    if (session.payment_status === 'paid') {
      if (converted) ctx.conversions.push(converted);
      await this.record(oneTimeGift(session, gift, donorId, ctx), ctx);
    } else if (session.payment_status === 'unpaid') {
      // A method that settles later: the gift waits for async_payment_succeeded or _failed (no receipt yet).
      await this.record({ ...oneTimeGift(session, gift, donorId, ctx), outcome: 'pending' }, ctx);
    }
  }

  /** A one-time gift by a method that settles later: paid (its receipt, its conversion) or failed, once. */
  private async asyncPaymentSettled(session: Stripe.Checkout.Session, paid: boolean, ctx: Context): Promise<void> {
    const gift = fromStripeMetadata(session.metadata);
    if (!gift || session.mode !== 'payment') return;
    const donorId = await this.donor(session.customer_details?.email ?? session.customer_email, gift.donorName || session.customer_details?.name || '', idOf(session.customer), ctx);
    if (donorId === undefined) return;
    const donation = { ...oneTimeGift(session, gift, donorId, ctx), outcome: paid ? ('paid' as const) : ('failed' as const) };
    const refunded = await this.deps.repo.refundedOf(donation.paymentIntentId, ctx.trx);
    // Heard of before (completed, unpaid): settle it; not yet: record it as it ended (a late "completed" changes nothing).
    const settled = await this.deps.repo.settlePending(donation.paymentKey, paid ? { paid: true, refundedMinor: refunded, paidAt: donation.paidAt } : { paid: false }, ctx.at, ctx.trx);
    const id = settled ?? (await this.deps.repo.insertDonation(donation, refunded, ctx.at, ctx.trx));
    if (id !== undefined && paid) {
      ctx.recorded.push(id);
      await this.deps.onDonationRecorded?.(id, ctx.trx);
      if (gift.attribution.campaign && gift.promptVariant) ctx.conversions.push({ campaign: gift.attribution.campaign, variant: gift.promptVariant });
    }
    await this.deps.repo.recomputeDonor(donorId, ctx.at, ctx.trx);
  }

  private async invoicePaid(invoice: Stripe.Invoice, paymentIntentId: string | null, ctx: Context): Promise<void> {
    const details = invoice.parent?.subscription_details;
    const subscriptionId = idOf(details?.subscription);
    const gift = fromStripeMetadata(details?.metadata);
    if (!subscriptionId || !gift) return;
    const customerId = idOf(invoice.customer);
    const donorId = await this.donor(invoice.customer_email, gift.donorName || invoice.customer_name || '', customerId, ctx);
    await this.recurring(subscriptionId, { status: 'active', donorId, customerId, amountMinor: invoice.amount_paid, currency: invoice.currency, interval: intervalOf(gift) }, ctx);
    if (donorId === undefined) {
      this.deps.log.warn({ invoice: invoice.id }, 'a paid donation invoice without an email address or known customer: not recorded');
      return;
    }
    await this.record(
      {
        donorId,
        paymentKey: invoice.id,
        amountMinor: invoice.amount_paid,
        feeCoveredMinor: gift.feeMinor,
        currency: invoice.currency,
        frequency: gift.frequency,
        checkoutSessionId: null,
        paymentIntentId,
        invoiceId: invoice.id,
        subscriptionId,
        attribution: gift.attribution,
        paidAt: new Date((invoice.status_transitions?.paid_at ?? ctx.created) * 1000).toISOString(),
      },
      ctx,
    );
  }

  private async invoiceFailed(invoice: Stripe.Invoice, ctx: Context): Promise<void> {
    const details = invoice.parent?.subscription_details;
    const subscriptionId = idOf(details?.subscription);
    const gift = fromStripeMetadata(details?.metadata);
    if (!subscriptionId || !gift) return;
    const customerId = idOf(invoice.customer);
    const donorId = await this.donor(invoice.customer_email, gift.donorName || invoice.customer_name || '', customerId, ctx);
    await this.recurring(subscriptionId, { status: 'past_due', donorId, customerId, amountMinor: invoice.amount_due, currency: invoice.currency, interval: intervalOf(gift) }, ctx);
  }

  private async subscriptionChanged(subscription: Stripe.Subscription, deleted: boolean, ctx: Context): Promise<void> {
    const gift = fromStripeMetadata(subscription.metadata);
    if (!gift) return;
    const status: RecurringStatus | undefined = deleted ? 'cancelled' : statusOf(subscription.status);
    if (!status) return; // incomplete: the first payment is still being made; invoice events will say how it went
    const item = subscription.items?.data?.[0];
    const amountMinor = (item?.price?.unit_amount ?? 0) * (item?.quantity ?? 1);
    const interval = item?.price?.recurring?.interval === 'year' ? 'year' : item?.price?.recurring?.interval === 'month' ? 'month' : intervalOf(gift);
    const customerId = idOf(subscription.customer);
    const donorId = customerId ? await this.deps.repo.donorIdByCustomer(customerId, ctx.trx) : undefined;
    await this.recurring(subscription.id, { status, donorId, customerId, amountMinor, currency: subscription.currency, interval, amountIsCurrent: true }, ctx);
  }

  private async chargeRefunded(charge: Stripe.Charge, ctx: Context): Promise<void> {
    const paymentIntentId = idOf(charge.payment_intent);
    if (!paymentIntentId) return;
    await this.deps.repo.recordRefund(paymentIntentId, charge.amount_refunded, ctx.at, ctx.trx);
    await this.applyRefundedTotal(paymentIntentId, ctx);
  }

  /** A refund asked for from the admin moved on at Stripe: succeeded, or failed (with why), once and in any order. */
  private async refundChanged(refund: Stripe.Refund, ctx: Context): Promise<void> {
    const requests = this.deps.refundRequests;
    const ours = Number(refund.metadata?.broadsheet_refund);
    const paymentIntentId = idOf(refund.payment_intent);
    const request = await requests.forStripeRefund(refund.id, Number.isSafeInteger(ours) && ours > 0 ? ours : undefined, paymentIntentId, ctx.trx);
    if (!request) return; // made in Stripe's dashboard: its amount arrives with charge.refunded
    const change = refundEventChange(request, refund);
    if (!change) return;
    await requests.applyOutcome(request.id, change, ctx.at, ctx.trx);
    if (change.status === 'failed' && paymentIntentId) await this.applyRefundedTotal(paymentIntentId, ctx);
  }

  /**
   * The donation's refunded total: the highest Stripe reported (older reports never lower it), less the
   * refunds made here that Stripe took and later failed (a pending refund is in the charge's total; when it
   * fails, that money never went back).
   */
  private async applyRefundedTotal(paymentIntentId: string, ctx: Context): Promise<void> {
    const reported = await this.deps.repo.refundedOf(paymentIntentId, ctx.trx);
    const failed = await this.deps.refundRequests.failedAfterSubmitTotal(paymentIntentId, ctx.trx);
    const donorId = await this.deps.repo.applyRefund(paymentIntentId, Math.max(0, reported - failed), ctx.at, ctx.trx);
    if (donorId !== undefined) await this.deps.repo.recomputeDonor(donorId, ctx.at, ctx.trx);
  }

  // --- shared steps -----------------------------------------------------------------------------

  /** The donor's id by address (created when new), else by Stripe customer; undefined when neither is known. */
  private async donor(email: string | null | undefined, name: string, customerId: string | null, ctx: Context): Promise<number | undefined> {
    const address = email ? parseEmailAddress(email) : undefined;
    if (address && !('error' in address)) {
      return this.deps.repo.upsertDonor({ email: address.email, key: address.key, name: name.trim().slice(0, 100), customerId, at: ctx.at }, ctx.trx);
    }
    return customerId ? this.deps.repo.donorIdByCustomer(customerId, ctx.trx) : undefined;
  }

  /** A new donation (once per payment) and, when paid, its receipt. */
  private async record(donation: NewDonation, ctx: Context): Promise<void> {
    const refunded = await this.deps.repo.refundedOf(donation.paymentIntentId, ctx.trx);
    const id = await this.deps.repo.insertDonation(donation, refunded, ctx.at, ctx.trx);
    if (id !== undefined && (donation.outcome ?? 'paid') === 'paid') {
      ctx.recorded.push(id);
      await this.deps.onDonationRecorded?.(id, ctx.trx);
    }
    await this.deps.repo.recomputeDonor(donation.donorId, ctx.at, ctx.trx);
  }

  /**
   * The subscription's row, created by whichever event comes first; then the
   * status if this event is newer than the one that set it (cancelled stays).
   */
  private async recurring(
    subscriptionId: string,
    seen: { status: RecurringStatus; donorId: number | undefined; customerId: string | null; amountMinor: number; currency: string; interval: 'month' | 'year'; amountIsCurrent?: boolean },
    ctx: Context,
  ): Promise<RecurringGiftRow> {
    const { repo } = this.deps;
    const row = await repo.ensureRecurring(
      { subscriptionId, donorId: seen.donorId ?? null, customerId: seen.customerId, status: seen.status, statusAt: ctx.created, amountMinor: seen.amountMinor, currency: seen.currency, interval: seen.interval, at: ctx.at },
      ctx.trx,
    );
    const change: Parameters<DonationsRepository['updateRecurring']>[1] = {};
    if (row.donor_id === null && seen.donorId !== undefined) change.donor_id = seen.donorId;
    if (row.stripe_customer_id === null && seen.customerId) change.stripe_customer_id = seen.customerId;
    const newer = ctx.created >= row.status_at;
    if (row.status !== 'cancelled' && newer && row.status !== seen.status) {
      change.status = seen.status;
      change.status_at = ctx.created;
      if (seen.status === 'cancelled') change.cancelled_at = ctx.at;
    }
    // The subscription itself says what the gift is now (the donor may change it in Stripe's portal).
    if (seen.amountIsCurrent && newer && seen.amountMinor > 0 && (row.amount_minor !== seen.amountMinor || row.interval !== seen.interval)) {
      change.amount_minor = seen.amountMinor;
      change.interval = seen.interval;
    }
    if (Object.keys(change).length) await repo.updateRecurring(row.id, change, ctx.at, ctx.trx);
    return { ...row, ...change };
  }

  /** The payment intent that paid an invoice (refunds name it), from Stripe's invoice payments. */
  private async invoicePaymentIntent(invoice: Stripe.Invoice): Promise<string | null> {
    const included = invoice.payments?.data?.find((p) => p.status === 'paid')?.payment?.payment_intent;
    if (included) return idOf(included);
    const payments = await this.deps.stripe!.invoicePayments.list({ invoice: invoice.id, status: 'paid', limit: 10 });
    return idOf(payments.data.find((p) => p.payment?.payment_intent)?.payment?.payment_intent) ?? null;
  }
}

/** The donation a one-time Checkout Session pays for (keyed by the session). */
function oneTimeGift(session: Stripe.Checkout.Session, gift: GiftMetadata, donorId: number, ctx: Context): NewDonation {
  return {
    donorId,
    paymentKey: session.id,
    amountMinor: session.amount_total ?? 0,
    feeCoveredMinor: gift.feeMinor,
    currency: session.currency ?? '',
    frequency: 'once',
    checkoutSessionId: session.id,
    paymentIntentId: idOf(session.payment_intent),
    invoiceId: null,
    subscriptionId: null,
    attribution: gift.attribution,
    paidAt: new Date(ctx.created * 1000).toISOString(),
  };
}

function intervalOf(gift: GiftMetadata): 'month' | 'year' {
  return gift.frequency === 'yearly' ? 'year' : 'month';
}

function statusOf(status: Stripe.Subscription.Status): RecurringStatus | undefined {
  switch (status) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
    case 'unpaid':
    case 'paused':
      return 'past_due';
    case 'canceled':
    case 'incomplete_expired':
      return 'cancelled';
    default:
      return undefined;
  }
}
