/**
 * Queries for donors, donations, recurring gifts, refunds and the Stripe events
 * already applied (migration 0018). No rules here: donations.service.ts and
 * stripe-events.service.ts decide; this reads and writes.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DonationFrequency, DonationRow, DonationStatus, DonorRow, RecurringGiftRow, RecurringStatus } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Money that arrived: what totals, dashboards and receipts count (not `pending` or `failed`). */
export const PAID_STATUSES: readonly DonationStatus[] = ['succeeded', 'partially_refunded', 'refunded'];

export interface NewDonation {
  /** `pending`: paid by a method that settles later; `failed`: that payment did not go through. Default: paid. */
  outcome?: 'paid' | 'pending' | 'failed';
  donorId: number;
  paymentKey: string;
  amountMinor: number;
  feeCoveredMinor: number;
  currency: string;
  frequency: DonationFrequency;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  invoiceId: string | null;
  subscriptionId: string | null;
  attribution: Attribution;
  paidAt: string;
}

export interface Attribution {
  articleId: number | null;
  campaign: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
  message: string;
}

export interface DonationFilter {
  /** Part of the donor's email or name, case-insensitive. */
  q?: string;
  frequency?: DonationFrequency;
  status?: DonationStatus;
  donorId?: number;
}

export interface DonorFilter {
  q?: string;
  /** Donors with a recurring gift in this state. */
  recurring?: RecurringStatus;
}

export type DonationListRow = DonationRow & { donor_email: string; donor_name: string };
export type DonorListRow = DonorRow & { recurring_status: RecurringStatus | null };

/** `%` and `_` in what someone typed are literal. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class DonationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // --- Stripe events ------------------------------------------------------------------------------

  async eventSeen(id: string, q: Q = this.db): Promise<boolean> {
    return (await q.selectFrom('stripe_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Records the event as applied; false when it already was (another delivery got there first). */
  async markEvent(id: string, type: string, at: string, q: Q): Promise<boolean> {
    const row = await q.insertInto('stripe_events').values({ id, type, processed_at: at }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    return row !== undefined;
  }

  // --- donors -----------------------------------------------------------------------------------

  /** The donor with this address, created when new; a name or customer id Stripe now knows is kept. */
  async upsertDonor(donor: { email: string; key: string; name: string; customerId: string | null; at: string }, q: Q): Promise<number> {
    await q
      .insertInto('donors')
      .values({ email: donor.email, email_key: donor.key, name: donor.name, stripe_customer_id: donor.customerId, created_at: donor.at, updated_at: donor.at })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .execute();
    const row = await q.selectFrom('donors').select(['id', 'name', 'stripe_customer_id']).where('email_key', '=', donor.key).executeTakeFirstOrThrow();
    const change: { name?: string; stripe_customer_id?: string } = {};
    if (donor.name && !row.name) change.name = donor.name;
    if (donor.customerId && row.stripe_customer_id !== donor.customerId) change.stripe_customer_id = donor.customerId;
    if (Object.keys(change).length) await q.updateTable('donors').set({ ...change, updated_at: donor.at }).where('id', '=', row.id).execute();
    return row.id;
  }

  async donorIdByCustomer(customerId: string, q: Q = this.db): Promise<number | undefined> {
    return (await q.selectFrom('donors').select('id').where('stripe_customer_id', '=', customerId).orderBy('id').executeTakeFirst())?.id;
  }

  /** Totals, count, first and last gift from the donor's donations (so any order of events ends the same). */
  async recomputeDonor(donorId: number, at: string, q: Q): Promise<void> {
    const totals = await q
      .selectFrom('donations')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        sql<string | number | null>`sum(amount_minor - refunded_minor)`.as('total'),
        eb.fn.min('paid_at').as('first'),
        eb.fn.max('paid_at').as('last'),
      ])
      .where('donor_id', '=', donorId)
      .where('status', 'in', [...PAID_STATUSES])
      .executeTakeFirstOrThrow();
    await q
      .updateTable('donors')
      .set({ gift_count: Number(totals.count), total_minor: Number(totals.total ?? 0), first_gift_at: totals.first ?? null, last_gift_at: totals.last ?? null, updated_at: at })
      .where('id', '=', donorId)
      .execute();
  }

  // --- donations --------------------------------------------------------------------------------

  /** The new donation's id, or undefined when this payment is recorded already. */
  async insertDonation(d: NewDonation, refundedMinor: number, at: string, q: Q): Promise<number | undefined> {
    const row = await q
      .insertInto('donations')
      .values({
        donor_id: d.donorId,
        payment_key: d.paymentKey,
        amount_minor: d.amountMinor,
        fee_covered_minor: d.feeCoveredMinor,
        refunded_minor: d.outcome === 'pending' || d.outcome === 'failed' ? 0 : Math.min(refundedMinor, d.amountMinor),
        currency: d.currency,
        frequency: d.frequency,
        status: d.outcome === 'pending' || d.outcome === 'failed' ? d.outcome : refundStatus(d.amountMinor, refundedMinor),
        stripe_checkout_session_id: d.checkoutSessionId,
        stripe_payment_intent_id: d.paymentIntentId,
        stripe_invoice_id: d.invoiceId,
        stripe_subscription_id: d.subscriptionId,
        article_id: d.attribution.articleId,
        campaign: d.attribution.campaign,
        utm_source: d.attribution.utmSource,
        utm_medium: d.attribution.utmMedium,
        utm_campaign: d.attribution.utmCampaign,
        utm_term: d.attribution.utmTerm,
        utm_content: d.attribution.utmContent,
        message: d.attribution.message,
        paid_at: d.paidAt,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('payment_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /**
   * A pending payment's outcome (an async method settled): its id when it was pending
   * and now is not, undefined when it was settled already (or never pending).
   */
  async settlePending(paymentKey: string, outcome: { paid: true; refundedMinor: number; paidAt: string } | { paid: false }, at: string, q: Q): Promise<number | undefined> {
    const row = await q.selectFrom('donations').select(['id', 'amount_minor']).where('payment_key', '=', paymentKey).where('status', '=', 'pending').executeTakeFirst();
    if (!row) return undefined;
    const change = outcome.paid
      ? { status: refundStatus(row.amount_minor, outcome.refundedMinor), refunded_minor: Math.min(outcome.refundedMinor, row.amount_minor), paid_at: outcome.paidAt }
      : { status: 'failed' as const };
    const updated = await q.updateTable('donations').set({ ...change, updated_at: at }).where('id', '=', row.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
    return updated?.id;
  }

  // --- refunds ----------------------------------------------------------------------------------

  /** Stripe reports the refunded total of a charge; an older report never lowers a newer one. */
  async recordRefund(paymentIntentId: string, refundedMinor: number, at: string, q: Q): Promise<number> {
    const existing = await q.selectFrom('donation_refunds').select('refunded_minor').where('payment_intent_id', '=', paymentIntentId).executeTakeFirst();
    const total = Math.max(existing?.refunded_minor ?? 0, refundedMinor);
    if (!existing) await q.insertInto('donation_refunds').values({ payment_intent_id: paymentIntentId, refunded_minor: total, updated_at: at }).execute();
    else if (total !== existing.refunded_minor) await q.updateTable('donation_refunds').set({ refunded_minor: total, updated_at: at }).where('payment_intent_id', '=', paymentIntentId).execute();
    return total;
  }

  async refundedOf(paymentIntentId: string | null, q: Q): Promise<number> {
    if (!paymentIntentId) return 0;
    return (await q.selectFrom('donation_refunds').select('refunded_minor').where('payment_intent_id', '=', paymentIntentId).executeTakeFirst())?.refunded_minor ?? 0;
  }

  /** Applies the refunded total to the donation paid by this payment intent; its donor's id, if there is one. */
  async applyRefund(paymentIntentId: string, refundedMinor: number, at: string, q: Q): Promise<number | undefined> {
    const donation = await q
      .selectFrom('donations')
      .select(['id', 'donor_id', 'amount_minor'])
      .where('stripe_payment_intent_id', '=', paymentIntentId)
      .where('status', 'in', [...PAID_STATUSES])
      .executeTakeFirst();
    if (!donation) return undefined;
    const refunded = Math.min(refundedMinor, donation.amount_minor);
    await q.updateTable('donations').set({ refunded_minor: refunded, status: refundStatus(donation.amount_minor, refunded), updated_at: at }).where('id', '=', donation.id).execute();
    return donation.donor_id;
  }

  // --- recurring gifts --------------------------------------------------------------------------

  recurringBySubscription(subscriptionId: string, q: Q = this.db): Promise<RecurringGiftRow | undefined> {
    return q.selectFrom('recurring_gifts').selectAll().where('stripe_subscription_id', '=', subscriptionId).executeTakeFirst();
  }

  /** Creates the gift's row when first heard of (any event may be first); the row as it is now. */
  async ensureRecurring(
    gift: { subscriptionId: string; donorId: number | null; customerId: string | null; status: RecurringStatus; statusAt: number; amountMinor: number; currency: string; interval: 'month' | 'year'; at: string },
    q: Q,
  ): Promise<RecurringGiftRow> {
    await q
      .insertInto('recurring_gifts')
      .values({
        stripe_subscription_id: gift.subscriptionId,
        donor_id: gift.donorId,
        stripe_customer_id: gift.customerId,
        status: gift.status,
        status_at: gift.statusAt,
        amount_minor: gift.amountMinor,
        currency: gift.currency,
        interval: gift.interval,
        cancelled_at: gift.status === 'cancelled' ? gift.at : null,
        created_at: gift.at,
        updated_at: gift.at,
      })
      .onConflict((oc) => oc.column('stripe_subscription_id').doNothing())
      .execute();
    return (await this.recurringBySubscription(gift.subscriptionId, q))!;
  }

  async updateRecurring(
    id: number,
    change: Partial<Pick<RecurringGiftRow, 'donor_id' | 'stripe_customer_id' | 'status' | 'status_at' | 'amount_minor' | 'currency' | 'interval' | 'cancelled_at'>>,
    at: string,
    q: Q,
  ): Promise<void> {
    await q.updateTable('recurring_gifts').set({ ...change, updated_at: at }).where('id', '=', id).execute();
  }

  // --- the admin's lists ------------------------------------------------------------------------

  async searchDonations(filter: DonationFilter, page: number, pageSize: number): Promise<{ items: DonationListRow[]; total: number; totals: { count: number; amountMinor: number; refundedMinor: number } }> {
    let query = this.db.selectFrom('donations').innerJoin('donors', 'donors.id', 'donations.donor_id');
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query = query.where((eb) => eb.or([sql<boolean>`lower(donors.email) like ${pattern} escape '\\'`, sql<boolean>`lower(donors.name) like ${pattern} escape '\\'`]));
    }
    if (filter.frequency) query = query.where('donations.frequency', '=', filter.frequency);
    if (filter.status) query = query.where('donations.status', '=', filter.status);
    if (filter.donorId) query = query.where('donations.donor_id', '=', filter.donorId);
    const totals = await query
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        // Pending and failed payments are listed but are not money given.
        sql<string | number | null>`sum(case when donations.status in ('succeeded', 'partially_refunded', 'refunded') then donations.amount_minor else 0 end)`.as('amount'),
        sql<string | number | null>`sum(donations.refunded_minor)`.as('refunded'),
      ])
      .executeTakeFirstOrThrow();
    const items = await query
      .selectAll('donations')
      .select(['donors.email as donor_email', 'donors.name as donor_name'])
      .orderBy('donations.paid_at', 'desc')
      .orderBy('donations.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items, total: Number(totals.count), totals: { count: Number(totals.count), amountMinor: Number(totals.amount ?? 0), refundedMinor: Number(totals.refunded ?? 0) } };
  }

  async searchDonors(filter: DonorFilter, page: number, pageSize: number): Promise<{ items: DonorListRow[]; total: number; totalMinor: number }> {
    // The donor's most recent recurring gift says whether they give every month or year.
    const latestRecurring = (eb: any) =>
      eb.selectFrom('recurring_gifts').select('recurring_gifts.status').whereRef('recurring_gifts.donor_id', '=', 'donors.id').orderBy('recurring_gifts.id', 'desc').limit(1);
    let query = this.db.selectFrom('donors');
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query = query.where((eb) => eb.or([sql<boolean>`lower(donors.email) like ${pattern} escape '\\'`, sql<boolean>`lower(donors.name) like ${pattern} escape '\\'`]));
    }
    if (filter.recurring) {
      const status = filter.recurring;
      query = query.where((eb) => eb(latestRecurring(eb), '=', status));
    }
    const totals = await query.select((eb) => [eb.fn.countAll<number>().as('count'), sql<string | number | null>`sum(donors.total_minor)`.as('total')]).executeTakeFirstOrThrow();
    const items = await query
      .selectAll('donors')
      .select((eb) => latestRecurring(eb).as('recurring_status'))
      // Donors with no gift yet (a subscription whose first invoice has not come) last, on both databases.
      .orderBy(sql`coalesce(donors.last_gift_at, '')`, 'desc')
      .orderBy('donors.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: items as DonorListRow[], total: Number(totals.count), totalMinor: Number(totals.total ?? 0) };
  }
}

export function refundStatus(amountMinor: number, refundedMinor: number): DonationStatus {
  if (refundedMinor <= 0) return 'succeeded';
  return refundedMinor >= amountMinor ? 'refunded' : 'partially_refunded';
}
