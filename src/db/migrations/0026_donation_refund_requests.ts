import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * Refunds asked for from the admin (docs/revenue.md, "Refunds"):
 * - donation_refund_requests: one row per refund a staff member confirmed, keyed
 *   by the idempotency key the admin sent (the same key goes to Stripe), so a
 *   double click or a retry is one refund. `expected_refunded_minor` is what the
 *   donation's refunded total will be once Stripe has done it (the refunded total
 *   and the other open requests when asked, plus this amount): until
 *   `charge.refunded` brings the donation there, the refund shows as pending.
 *   `status`: `requested` (written, Stripe not answered yet: a retry with the
 *   same key asks again), `submitted` (Stripe took it: `stripe_refund_id`),
 *   `failed` (Stripe refused it: `error`).
 */
export const donationRefundRequests: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'donation_refund_requests')
      .addColumn('donation_id', 'integer', (c) => c.notNull().references('donations.id').onDelete('cascade'))
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('expected_refunded_minor', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stripe_refund_id', 'text')
      .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('requested_by', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('donation_refund_requests_donation').on('donation_refund_requests').columns(['donation_id', 'status']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('donation_refund_requests').execute();
  },
});
