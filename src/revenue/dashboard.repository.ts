/**
 * Queries for the donations dashboard (dashboard.service.ts decides what they
 * mean). Gifts are read as rows of a time range, only the columns the totals
 * need: grouping them into the site's days, weeks and months happens in
 * TypeScript, the same on SQLite and PostgreSQL whatever the time zone.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, DonationFrequency } from '../db/schema.js';
import { PAID_STATUSES } from './donations.repository.js';

export interface GiftInRange {
  paidAt: string;
  frequency: DonationFrequency;
  amountMinor: number;
  refundedMinor: number;
}

export interface ActiveRecurring {
  donorId: number | null;
  subscriptionId: string;
  amountMinor: number;
  interval: 'month' | 'year';
}

export interface RaisedBy<K> {
  key: K;
  raisedMinor: number;
  count: number;
}

/** ISO instants: `paid_at` is stored as `toISOString()` text, so text order is time order on both databases. */
export interface Range {
  fromIso: string;
  toIso: string;
}

const net = sql<string | number>`sum(amount_minor - refunded_minor)`;

export class DashboardRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async giftsIn(range: Range): Promise<GiftInRange[]> {
    const rows = await this.db
      .selectFrom('donations')
      .select(['paid_at', 'frequency', 'amount_minor', 'refunded_minor'])
      .where('paid_at', '>=', range.fromIso)
      .where('paid_at', '<', range.toIso)
      .where('status', 'in', [...PAID_STATUSES])
      .orderBy('paid_at')
      .execute();
    return rows.map((r) => ({ paidAt: r.paid_at, frequency: r.frequency, amountMinor: Number(r.amount_minor), refundedMinor: Number(r.refunded_minor) }));
  }

  async activeRecurring(): Promise<ActiveRecurring[]> {
    const rows = await this.db.selectFrom('recurring_gifts').select(['donor_id', 'stripe_subscription_id', 'amount_minor', 'interval']).where('status', '=', 'active').execute();
    return rows.map((r) => ({ donorId: r.donor_id, subscriptionId: r.stripe_subscription_id, amountMinor: Number(r.amount_minor), interval: r.interval }));
  }

  /** Money raised (refunds subtracted) per article in the range, most first. */
  async topArticles(range: Range, limit: number): Promise<(RaisedBy<number> & { headline: string; slug: string })[]> {
    const rows = await this.db
      .selectFrom('donations')
      .innerJoin('articles', 'articles.id', 'donations.article_id')
      .select(['articles.id', 'articles.headline', 'articles.slug'])
      .select((eb) => [sql<string | number>`sum(donations.amount_minor - donations.refunded_minor)`.as('raised'), eb.fn.countAll<number>().as('count')])
      .where('donations.paid_at', '>=', range.fromIso)
      .where('donations.paid_at', '<', range.toIso)
      .where('donations.status', 'in', [...PAID_STATUSES])
      .groupBy(['articles.id', 'articles.headline', 'articles.slug'])
      .orderBy(sql`sum(donations.amount_minor - donations.refunded_minor)`, 'desc')
      .orderBy('articles.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.id, headline: r.headline, slug: r.slug, raisedMinor: Number(r.raised), count: Number(r.count) }));
  }

  /** Money raised (refunds subtracted) per campaign in the range, most first; gifts with no campaign are left out. */
  async topCampaigns(range: Range, limit: number): Promise<RaisedBy<string>[]> {
    const rows = await this.db
      .selectFrom('donations')
      .select((eb) => ['campaign', net.as('raised'), eb.fn.countAll<number>().as('count')])
      .where('campaign', '<>', '')
      .where('paid_at', '>=', range.fromIso)
      .where('paid_at', '<', range.toIso)
      .where('status', 'in', [...PAID_STATUSES])
      .groupBy('campaign')
      .orderBy(net, 'desc')
      .orderBy('campaign')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.campaign, raisedMinor: Number(r.raised), count: Number(r.count) }));
  }
}
