/**
 * Refunds asked for from the admin (migration 0026). No rules here:
 * refunds.service.ts decides; this reads and writes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DonationRefundRequestRow, DonationRow, RefundReason, RefundRequestStatus } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewRefundRequest {
  donationId: number;
  idempotencyKey: string;
  amountMinor: number;
  expectedRefundedMinor: number;
  reason: RefundReason;
  note: string;
  requestedBy: number | null;
  at: string;
}

export class RefundRequestsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  byKey(key: string, q: Q = this.db): Promise<DonationRefundRequestRow | undefined> {
    return q.selectFrom('donation_refund_requests').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  }

  donation(id: number, q: Q = this.db): Promise<DonationRow | undefined> {
    return q.selectFrom('donations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The refunded total each donation is heading for with the refunds asked for and not failed (absent: none asked). */
  async expectedTotals(donationIds: readonly number[], q: Q = this.db): Promise<Map<number, number>> {
    if (!donationIds.length) return new Map();
    const rows = await q
      .selectFrom('donation_refund_requests')
      .select(['donation_id', sql<string | number>`max(expected_refunded_minor)`.as('expected')])
      .where('donation_id', 'in', [...donationIds])
      .where('status', '!=', 'failed')
      .groupBy('donation_id')
      .execute();
    return new Map(rows.map((r) => [r.donation_id, Number(r.expected)]));
  }

  /** The new request, or undefined when a request with this key exists already (a double click that raced). */
  async insert(request: NewRefundRequest, q: Q): Promise<DonationRefundRequestRow | undefined> {
    return q
      .insertInto('donation_refund_requests')
      .values({
        donation_id: request.donationId,
        idempotency_key: request.idempotencyKey,
        amount_minor: request.amountMinor,
        expected_refunded_minor: request.expectedRefundedMinor,
        reason: request.reason,
        note: request.note,
        status: 'requested',
        requested_by: request.requestedBy,
        created_at: request.at,
        updated_at: request.at,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Stripe's answer to the create call. Only a request still `requested` changes: a refund event may have
   * arrived (and settled it) between Stripe's answer and this write.
   */
  async settle(id: number, outcome: { status: 'submitted' | 'succeeded'; stripeRefundId: string } | { status: 'failed'; error: string }, at: string): Promise<DonationRefundRequestRow> {
    await this.db
      .updateTable('donation_refund_requests')
      .set(outcome.status === 'failed' ? { status: 'failed', error: outcome.error, updated_at: at } : { status: outcome.status, stripe_refund_id: outcome.stripeRefundId, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'requested')
      .execute();
    return this.db.selectFrom('donation_refund_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /**
   * The request a Stripe refund belongs to: by the request id our refunds carry in their metadata
   * (`broadsheet_refund`) for the same payment, checked against the refund's id once we know it; else by
   * the refund's id.
   * Undefined for refunds made elsewhere (Stripe's dashboard).
   */
  async forStripeRefund(refundId: string, requestId: number | undefined, paymentIntentId: string | null, q: Q = this.db): Promise<DonationRefundRequestRow | undefined> {
    if (requestId !== undefined && paymentIntentId) {
      // The id alone could be another site's on the same Stripe account: the payment must be our donation's too.
      const byId = await q
        .selectFrom('donation_refund_requests')
        .innerJoin('donations', 'donations.id', 'donation_refund_requests.donation_id')
        .selectAll('donation_refund_requests')
        .where('donation_refund_requests.id', '=', requestId)
        .where('donations.stripe_payment_intent_id', '=', paymentIntentId)
        .executeTakeFirst();
      if (byId && (byId.stripe_refund_id === null || byId.stripe_refund_id === refundId)) return byId;
    }
    return q.selectFrom('donation_refund_requests').selectAll().where('stripe_refund_id', '=', refundId).executeTakeFirst();
  }

  /** What Stripe's refund events say became of a request (the service decides which changes are allowed). */
  async applyOutcome(id: number, change: { status: RefundRequestStatus; stripeRefundId: string; error?: string }, at: string, q: Q): Promise<void> {
    await q
      .updateTable('donation_refund_requests')
      .set({ status: change.status, stripe_refund_id: change.stripeRefundId, ...(change.error !== undefined ? { error: change.error } : {}), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  /**
   * What of a payment's refunds Stripe took and then failed (requests made here): the money never went
   * back, so it is taken off the refunded total Stripe reported while the refund was pending.
   */
  async failedAfterSubmitTotal(paymentIntentId: string, q: Q): Promise<number> {
    const row = await q
      .selectFrom('donation_refund_requests')
      .innerJoin('donations', 'donations.id', 'donation_refund_requests.donation_id')
      .select(sql<string | number | null>`sum(donation_refund_requests.amount_minor)`.as('failed'))
      .where('donations.stripe_payment_intent_id', '=', paymentIntentId)
      .where('donation_refund_requests.status', '=', 'failed')
      .where('donation_refund_requests.stripe_refund_id', 'is not', null)
      .executeTakeFirst();
    return Number(row?.failed ?? 0);
  }

  /** The refund requests of these donations, newest first, by donation. */
  async forDonations(donationIds: readonly number[]): Promise<Map<number, DonationRefundRequestRow[]>> {
    const byDonation = new Map<number, DonationRefundRequestRow[]>();
    if (!donationIds.length) return byDonation;
    const rows = await this.db.selectFrom('donation_refund_requests').selectAll().where('donation_id', 'in', [...donationIds]).orderBy('id', 'desc').execute();
    for (const row of rows) byDonation.set(row.donation_id, [...(byDonation.get(row.donation_id) ?? []), row]);
    return byDonation;
  }

  /** A donation's refund requests, newest first. */
  forDonation(donationId: number): Promise<DonationRefundRequestRow[]> {
    return this.db.selectFrom('donation_refund_requests').selectAll().where('donation_id', '=', donationId).orderBy('id', 'desc').execute();
  }
}
