import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Donations through Stripe (docs/revenue.md):
 * - donors: people who gave, keyed like newsletter readers by `email_key` (the
 *   whole address lower-cased); their Stripe customer and totals kept up to
 *   date from their donations (money given less money refunded).
 * - donations: one row per successful payment. `payment_key` is the Stripe
 *   object that proves the payment (the Checkout Session of a one-time gift,
 *   the invoice of a recurring one), unique, so a replayed event cannot add a
 *   second gift. Amounts are in the currency's minor unit (cents).
 * - recurring_gifts: one per Stripe subscription; `status_at` is the Stripe
 *   time of the event that set the status, so an older event delivered late
 *   cannot undo a newer one; cancelled is final.
 * - donation_refunds: what Stripe says was refunded of a payment (by payment
 *   intent), kept even before the payment itself is known, so a refund that
 *   arrives before its payment still applies.
 * - stripe_events: every Stripe event applied, by id, written in the same
 *   transaction as its effect: each event counts once.
 */
export const donations: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'donors')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('stripe_customer_id', 'text')
      .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('gift_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_gift_at', 'text')
      .addColumn('last_gift_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('donors_customer').on('donors').column('stripe_customer_id').execute();
    await db.schema.createIndex('donors_last_gift').on('donors').columns(['last_gift_at', 'id']).execute();

    await createTableWithId(db, dialect, 'recurring_gifts')
      .addColumn('donor_id', 'integer', (c) => c.references('donors.id').onDelete('set null'))
      .addColumn('stripe_subscription_id', 'text', (c) => c.notNull().unique())
      .addColumn('stripe_customer_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_at', 'bigint', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('interval', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('recurring_gifts_donor').on('recurring_gifts').columns(['donor_id', 'status']).execute();

    await createTableWithId(db, dialect, 'donations')
      .addColumn('donor_id', 'integer', (c) => c.notNull().references('donors.id').onDelete('cascade'))
      .addColumn('payment_key', 'text', (c) => c.notNull().unique())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('fee_covered_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('frequency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('stripe_checkout_session_id', 'text')
      .addColumn('stripe_payment_intent_id', 'text')
      .addColumn('stripe_invoice_id', 'text')
      .addColumn('stripe_subscription_id', 'text')
      .addColumn('article_id', 'integer')
      .addColumn('campaign', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_source', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_medium', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_campaign', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_term', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_content', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('paid_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('donations_donor').on('donations').columns(['donor_id', 'paid_at']).execute();
    await db.schema.createIndex('donations_paid').on('donations').columns(['paid_at', 'id']).execute();
    await db.schema.createIndex('donations_payment_intent').on('donations').column('stripe_payment_intent_id').execute();

    await db.schema
      .createTable('donation_refunds')
      .addColumn('payment_intent_id', 'text', (c) => c.primaryKey())
      .addColumn('refunded_minor', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('stripe_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('processed_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('stripe_events').ifExists().execute();
    await db.schema.dropTable('donation_refunds').ifExists().execute();
    await db.schema.dropTable('donations').ifExists().execute();
    await db.schema.dropTable('recurring_gifts').ifExists().execute();
    await db.schema.dropTable('donors').ifExists().execute();
  },
});
