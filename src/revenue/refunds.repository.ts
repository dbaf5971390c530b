/**
 * Refunds asked for from the admin (migration 0026). No rules here:
 * refunds.service.ts decides; this reads and writes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DonationRefundRequestRow, DonationRow, RefundReason } from '../db/schema.js';

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

  async settle(id: number, outcome: { status: 'submitted'; stripeRefundId: string } | { status: 'failed'; error: string }, at: string): Promise<DonationRefundRequestRow> {
    await this.db
      .updateTable('donation_refund_requests')
      .set(outcome.status === 'submitted' ? { status: 'submitted', stripe_refund_id: outcome.stripeRefundId, updated_at: at } : { status: 'failed', error: outcome.error, updated_at: at })
      .where('id', '=', id)
      .execute();
    return this.db.selectFrom('donation_refund_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** A donation's refund requests, newest first. */
  forDonation(donationId: number): Promise<DonationRefundRequestRow[]> {
    return this.db.selectFrom('donation_refund_requests').selectAll().where('donation_id', '=', donationId).orderBy('id', 'desc').execute();
  }
}
