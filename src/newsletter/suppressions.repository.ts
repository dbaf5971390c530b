/**
 * Queries for the suppression list, the soft-bounce counters and the memory
 * of webhook events already handled (migration 0014).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SubscriptionStatus, SuppressionReason, SuppressionRow } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface SuppressionFilter {
  /** Part of the address, case-insensitive. */
  q?: string;
  reason?: SuppressionReason;
}

export type ReasonCounts = Record<SuppressionReason, number>;

export interface NewSuppression {
  email: string;
  key: string;
  reason: SuppressionReason;
  source: string;
  detail: string;
  at: string;
}

/** `%` and `_` in what someone typed are literal. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SuppressionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Adds the address unless it is on the list already; the row as it is now, and whether this call added it. */
  async insert(row: NewSuppression, q: Q = this.db): Promise<{ row: SuppressionRow; added: boolean }> {
    const inserted = await q
      .insertInto('newsletter_suppressions')
      .values({ email: row.email, email_key: row.key, reason: row.reason, source: row.source, detail: row.detail, created_at: row.at })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, added: true };
    return { row: (await this.byKey(row.key, q))!, added: false };
  }

  /** A complaint outranks a bounce: the row says so from then on. */
  async setReason(id: number, change: { reason: SuppressionReason; source: string; detail: string }, q: Q = this.db): Promise<SuppressionRow> {
    return q.updateTable('newsletter_suppressions').set(change).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  byKey(key: string, q: Q = this.db): Promise<SuppressionRow | undefined> {
    return q.selectFrom('newsletter_suppressions').selectAll().where('email_key', '=', key).executeTakeFirst();
  }

  byId(id: number, q: Q = this.db): Promise<SuppressionRow | undefined> {
    return q.selectFrom('newsletter_suppressions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async deleteById(id: number, q: Q = this.db): Promise<SuppressionRow | undefined> {
    return q.deleteFrom('newsletter_suppressions').where('id', '=', id).returningAll().executeTakeFirst();
  }

  async deleteByKey(key: string, q: Q = this.db): Promise<SuppressionRow | undefined> {
    return q.deleteFrom('newsletter_suppressions').where('email_key', '=', key).returningAll().executeTakeFirst();
  }

  /** Which of these keys are suppressed (one query for a whole import batch). */
  async suppressedAmong(keys: readonly string[], q: Q = this.db): Promise<Map<string, SuppressionReason>> {
    const found = new Map<string, SuppressionReason>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await q.selectFrom('newsletter_suppressions').select(['email_key', 'reason']).where('email_key', 'in', keys.slice(i, i + 500)).execute();
      for (const r of rows) found.set(r.email_key, r.reason);
    }
    return found;
  }

  /**
   * Every subscription of the reader with this address that could still get
   * mail (subscribed or pending; for a complaint also bounced) becomes `status`.
   * Unsubscribed ones stay as the reader left them. Returns the reader's id.
   */
  async markSubscriptions(key: string, status: Extract<SubscriptionStatus, 'bounced' | 'complained'>, at: string, q: Q = this.db): Promise<number | undefined> {
    const reader = await q.selectFrom('newsletter_subscribers').select('id').where('email_key', '=', key).executeTakeFirst();
    if (!reader) return undefined;
    const from: SubscriptionStatus[] = status === 'complained' ? ['subscribed', 'pending', 'bounced'] : ['subscribed', 'pending'];
    await q.updateTable('newsletter_subscriptions').set({ status, updated_at: at }).where('subscriber_id', '=', reader.id).where('status', 'in', from).execute();
    return reader.id;
  }

  /** The reader's deliveries not yet handed to SMTP, in every send, are skipped. */
  async skipPendingDeliveries(subscriberId: number, why: string, at: string, q: Q = this.db): Promise<number> {
    const result = await q
      .updateTable('newsletter_deliveries')
      .set({ status: 'skipped', last_error: why.slice(0, 1000), next_attempt_at: null, updated_at: at })
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** One page of the list, newest first, with the total and the count per reason among the matches of `q`. */
  async search(filter: SuppressionFilter, page: number, pageSize: number): Promise<{ items: (SuppressionRow & { subscriber_id: number | null })[]; total: number; counts: ReasonCounts }> {
    let base = this.db.selectFrom('newsletter_suppressions as x');
    if (filter.q) base = base.where('x.email_key', 'like', sql<string>`${likePattern(filter.q)} escape '\\'`);
    const withReason = filter.reason ? base.where('x.reason', '=', filter.reason) : base;
    const [items, total, reasons] = await Promise.all([
      withReason
        .leftJoin('newsletter_subscribers as s', 's.email_key', 'x.email_key')
        .selectAll('x')
        .select('s.id as subscriber_id')
        .orderBy('x.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      withReason.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      base.select(['x.reason', (eb) => eb.fn.countAll<string | number>().as('n')]).groupBy('x.reason').execute(),
    ]);
    const counts: ReasonCounts = { hard_bounce: 0, complaint: 0, soft_bounce: 0, manual: 0 };
    for (const r of reasons) counts[r.reason] = Number(r.n);
    return { items, total: Number(total.n), counts };
  }

  /** Counts one more temporary failure for the address; the count now. */
  async countSoftBounce(key: string, detail: string, at: string, q: Q = this.db): Promise<number> {
    const row = await q
      .insertInto('newsletter_soft_bounces')
      .values({ email_key: key, count: 1, last_detail: detail, updated_at: at })
      .onConflict((oc) =>
        oc.column('email_key').doUpdateSet((eb) => ({ count: eb('newsletter_soft_bounces.count', '+', 1), last_detail: detail, updated_at: at })),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async resetSoftBounces(key: string, q: Q = this.db): Promise<void> {
    await q.deleteFrom('newsletter_soft_bounces').where('email_key', '=', key).execute();
  }

  /**
   * Remembers a provider event. 'new' the first time; 'same' when this event
   * was handled before (a retry or replay: nothing to do); 'different' when the
   * key was used for another event (a signed token reused on a forged body).
   */
  async remember(source: string, eventKey: string, digest: string, at: string, q: Q = this.db): Promise<'new' | 'same' | 'different'> {
    const inserted = await q
      .insertInto('newsletter_webhook_events')
      .values({ source, event_key: eventKey, digest, created_at: at })
      .onConflict((oc) => oc.columns(['source', 'event_key']).doNothing())
      .returning('event_key')
      .executeTakeFirst();
    if (inserted) return 'new';
    const seen = await q.selectFrom('newsletter_webhook_events').select('digest').where('source', '=', source).where('event_key', '=', eventKey).executeTakeFirst();
    return seen?.digest === digest ? 'same' : 'different';
  }

  async forgetEventsBefore(before: string): Promise<void> {
    await this.db.deleteFrom('newsletter_webhook_events').where('created_at', '<', before).execute();
  }
}
