/**
 * Refunds from the admin (docs/revenue.md, "Refunds"): a staff member refunds a
 * donation in full or in part, with a reason, through Stripe's Refunds API.
 *
 * Once, whatever happens: the admin sends an idempotency key made when the
 * confirmation opened; the request is written under that key (unique) before
 * Stripe is asked, and the same key goes to Stripe as its Idempotency-Key. A
 * double click or a retry finds the request and either answers it as it is or,
 * if Stripe's answer was lost (a crash, a timeout), asks Stripe again with the
 * same key, which returns the same refund rather than making a second one.
 *
 * The donation itself changes only when Stripe says so (`charge.refunded`, as
 * for refunds made in Stripe's dashboard); until then the admin shows the
 * refund as pending.
 */
import Stripe from 'stripe';
import type { DonationRefundRequestRow, DonationRow, RefundReason, RefundRequestStatus } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import { DonationsNotSetUp, PaymentProviderFailed } from './checkout.service.js';
import type { RefundRequestsRepository } from './refunds.repository.js';

export const REFUND_REASONS: readonly RefundReason[] = ['requested_by_customer', 'duplicate', 'fraudulent'];

export interface RefundInput {
  /** Minor units; absent: all that is left to refund. */
  amountMinor?: number;
  reason: RefundReason;
  note?: string;
  idempotencyKey: string;
}

export interface RefundState {
  /** What Stripe has refunded and reported. */
  refundedMinor: number;
  /** Asked for here, not yet reported by Stripe. */
  pendingRefundMinor: number;
  /** What may still be refunded. */
  refundableMinor: number;
}

const REFUNDABLE_STATUSES: readonly DonationRow['status'][] = ['succeeded', 'partially_refunded'];

/** A donation's refund figures, from its row and the refunded total its open requests head for. */
export function refundState(donation: Pick<DonationRow, 'amount_minor' | 'refunded_minor' | 'status' | 'stripe_payment_intent_id'>, expectedRefundedMinor: number | undefined): RefundState {
  const pending = Math.max(0, Math.min(donation.amount_minor, expectedRefundedMinor ?? 0) - donation.refunded_minor);
  const refundable = REFUNDABLE_STATUSES.includes(donation.status) && donation.stripe_payment_intent_id ? Math.max(0, donation.amount_minor - donation.refunded_minor - pending) : 0;
  return { refundedMinor: donation.refunded_minor, pendingRefundMinor: pending, refundableMinor: refundable };
}

export class DonationRefunds {
  constructor(
    private readonly deps: {
      repo: RefundRequestsRepository;
      stripe: Stripe | undefined;
      clock: Clock;
    },
  ) {}

  /** Refunds (part of) a donation once per idempotency key; the request as it stands and whether it is new. */
  async refund(donationId: number, input: RefundInput, staffId: number | null): Promise<{ request: DonationRefundRequestRow; created: boolean }> {
    const { repo, stripe } = this.deps;
    if (!stripe) throw new DonationsNotSetUp();
    let request = await repo.byKey(input.idempotencyKey);
    let created = false;
    if (!request) {
      const at = this.deps.clock.now().toISOString();
      const inserted = await repo.transaction(async (trx) => {
        const donation = await repo.donation(donationId, trx);
        if (!donation) throw new NotFound('No such donation');
        const state = refundState(donation, (await repo.expectedTotals([donation.id], trx)).get(donation.id));
        if (!state.refundableMinor) {
          throw new Conflict(state.pendingRefundMinor ? 'The rest of this donation is being refunded already' : 'Nothing of this donation can be refunded', { refundableMinor: 0 });
        }
        const amount = input.amountMinor ?? state.refundableMinor;
        if (amount > state.refundableMinor) {
          throw new Invalid('That is more than is left to refund', [{ path: '/amountMinor', message: `at most ${state.refundableMinor}` }]);
        }
        return repo.insert(
          {
            donationId,
            idempotencyKey: input.idempotencyKey,
            amountMinor: amount,
            expectedRefundedMinor: donation.refunded_minor + state.pendingRefundMinor + amount,
            reason: input.reason,
            note: (input.note ?? '').trim(),
            requestedBy: staffId,
            at,
          },
          trx,
        );
      });
      // Undefined: the same key won a race a moment ago (a double click); answer with that request.
      request = inserted ?? (await repo.byKey(input.idempotencyKey));
      created = inserted !== undefined;
    }
    if (!request) throw new Error('refund request vanished');
    if (request.donation_id !== donationId) throw new Conflict('This idempotency key was used for another donation');
    if (request.status !== 'requested') return { request, created };
    return { request: await this.submit(request), created };
  }

  /** Asks Stripe for the refund (again, with the same key, if an earlier answer was lost). */
  private async submit(request: DonationRefundRequestRow): Promise<DonationRefundRequestRow> {
    const { repo, stripe } = this.deps;
    const donation = await repo.donation(request.donation_id);
    const paymentIntent = donation?.stripe_payment_intent_id;
    const at = () => this.deps.clock.now().toISOString();
    if (!paymentIntent) return repo.settle(request.id, { status: 'failed', error: 'The donation has no payment to refund' }, at());
    let refund: Stripe.Refund;
    try {
      refund = await stripe!.refunds.create(
        {
          payment_intent: paymentIntent,
          amount: request.amount_minor,
          reason: request.reason,
          metadata: { broadsheet_refund: String(request.id), donation: String(request.donation_id), ...(request.note ? { note: request.note.slice(0, 500) } : {}) },
        },
        { idempotencyKey: `broadsheet-refund-${request.idempotency_key}` },
      );
    } catch (error) {
      // Stripe answered and said no (already refunded, too much, a disputed charge): final, say why.
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
        return repo.settle(request.id, { status: 'failed', error: error.message.slice(0, 500) }, at());
      }
      // No answer: the request stays `requested`; the same key asks again without refunding twice.
      throw new PaymentProviderFailed();
    }
    if (refund.status === 'failed' || refund.status === 'canceled') {
      return repo.settle(request.id, { status: 'failed', error: refund.failure_reason ?? `Stripe reports the refund ${refund.status}` }, at());
    }
    return repo.settle(request.id, { status: refund.status === 'succeeded' ? 'succeeded' : 'submitted', stripeRefundId: refund.id }, at());
  }
}

/** Stripe's `failure_reason` of a refund, in the admin's words. */
const FAILURE_REASONS: Record<string, string> = {
  expired_or_canceled_card: 'the card has expired or was cancelled',
  lost_or_stolen_card: 'the card was reported lost or stolen',
  declined: "the donor's bank declined it",
  insufficient_funds: 'the Stripe balance could not cover it',
  merchant_request: 'it was cancelled at our request',
  charge_for_pending_refund_disputed: 'the donor disputed the payment',
};

export function refundFailureMessage(refund: Pick<Stripe.Refund, 'status' | 'failure_reason'>): string {
  if (refund.status === 'canceled') return 'Stripe cancelled the refund';
  const why = refund.failure_reason ? (FAILURE_REASONS[refund.failure_reason] ?? `Stripe says: ${refund.failure_reason.slice(0, 100)}`) : 'Stripe did not say why';
  return `The refund failed after Stripe took it: ${why}. The money stayed with us.`;
}

/**
 * What a Stripe refund event means for a request made here (undefined: nothing changes). Stripe's refund
 * goes pending → succeeded or failed (or canceled), and a succeeded one may still fail later; failed and
 * canceled are final. So: failed is final here too, succeeded may become failed, and pending or
 * requires_action only records the refund's id. Whatever order the events come in, the request ends as
 * Stripe's refund did.
 */
export function refundEventChange(
  request: Pick<DonationRefundRequestRow, 'status' | 'stripe_refund_id'>,
  refund: Pick<Stripe.Refund, 'id' | 'status' | 'failure_reason'>,
): { status: RefundRequestStatus; stripeRefundId: string; error?: string } | undefined {
  if (request.status === 'failed') return undefined;
  if (refund.status === 'failed' || refund.status === 'canceled') return { status: 'failed', stripeRefundId: refund.id, error: refundFailureMessage(refund) };
  if (refund.status === 'succeeded') return request.status === 'succeeded' ? undefined : { status: 'succeeded', stripeRefundId: refund.id };
  // Pending: Stripe has it. A request whose create answer was lost learns its refund here.
  return request.status === 'requested' ? { status: 'submitted', stripeRefundId: refund.id } : undefined;
}
