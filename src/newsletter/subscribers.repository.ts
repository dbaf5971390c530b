/** Queries for readers (subscribers), their subscriptions and consent records. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConsentAction, ConsentRow, Database, SubscriberRow, SubscriptionRow, SubscriptionStatus } from '../db/schema.js';
import { emptyCounts, type StatusCounts } from './newsletters.repository.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewConsent {
  subscriberId: number;
  newsletter: { id: number; name: string };
  action: ConsentAction;
  source: string;
  ip: string | null;
  at: string;
}

export interface SubscriberFilter {
  /** Part of the address or name, case-insensitive. */
  q?: string;
  newsletterId?: number;
  status?: SubscriptionStatus;
}

/** `%` and `_` in what someone typed are literal. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SubscribersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  byId(id: number, q: Q = this.db): Promise<SubscriberRow | undefined> {
    return q.selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byKey(key: string, q: Q = this.db): Promise<SubscriberRow | undefined> {
    return q.selectFrom('newsletter_subscribers').selectAll().where('email_key', '=', key).executeTakeFirst();
  }

  /** Creates the reader, or returns the existing one when another request created the same address first. */
  async findOrCreate(row: { email: string; key: string; name: string; secret: string; at: string }, q: Q = this.db): Promise<{ subscriber: SubscriberRow; created: boolean }> {
    const inserted = await q
      .insertInto('newsletter_subscribers')
      .values({ email: row.email, email_key: row.key, name: row.name, secret: row.secret, created_at: row.at, updated_at: row.at })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { subscriber: inserted, created: true };
    return { subscriber: (await this.byKey(row.key, q))!, created: false };
  }

  async setName(id: number, name: string, at: string, q: Q = this.db): Promise<void> {
    await q.updateTable('newsletter_subscribers').set({ name, updated_at: at }).where('id', '=', id).execute();
  }

  async setConfirmationSent(id: number, at: string, q: Q = this.db): Promise<void> {
    await q.updateTable('newsletter_subscribers').set({ confirmation_sent_at: at }).where('id', '=', id).execute();
  }

  subscriptions(subscriberId: number, q: Q = this.db): Promise<SubscriptionRow[]> {
    return q.selectFrom('newsletter_subscriptions').selectAll().where('subscriber_id', '=', subscriberId).orderBy('newsletter_id').execute();
  }

  /** Adds a subscription unless one exists already (two sign-ups at once); true when this call added it. */
  async insertSubscription(row: SubscriptionRow, q: Q = this.db): Promise<boolean> {
    const result = await q
      .insertInto('newsletter_subscriptions')
      .values(row)
      .onConflict((oc) => oc.columns(['subscriber_id', 'newsletter_id']).doNothing())
      .returning('subscriber_id')
      .executeTakeFirst();
    return result !== undefined;
  }

  async setStatus(
    subscriberId: number,
    newsletterId: number,
    change: { status: SubscriptionStatus; at: string; source?: string; requestedAt?: string; confirmedAt?: string | null; unsubscribedAt?: string | null },
    q: Q = this.db,
  ): Promise<void> {
    await q
      .updateTable('newsletter_subscriptions')
      .set({
        status: change.status,
        updated_at: change.at,
        ...(change.source !== undefined ? { source: change.source } : {}),
        ...(change.requestedAt !== undefined ? { requested_at: change.requestedAt } : {}),
        ...(change.confirmedAt !== undefined ? { confirmed_at: change.confirmedAt } : {}),
        ...(change.unsubscribedAt !== undefined ? { unsubscribed_at: change.unsubscribedAt } : {}),
      })
      .where('subscriber_id', '=', subscriberId)
      .where('newsletter_id', '=', newsletterId)
      .execute();
  }

  /** Pending subscriptions asked for at or before `issuedAt` become subscribed; returns the newsletters confirmed. */
  async confirmPending(subscriberId: number, issuedAt: string, at: string, q: Q = this.db): Promise<number[]> {
    const rows = await q
      .updateTable('newsletter_subscriptions')
      .set({ status: 'subscribed', confirmed_at: at, unsubscribed_at: null, updated_at: at })
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'pending')
      .where('requested_at', '<=', issuedAt)
      .returning('newsletter_id')
      .execute();
    return rows.map((r) => r.newsletter_id);
  }

  /** Appends a consent record. There is no update: records are evidence, removed only with the reader. */
  async addConsent(consent: NewConsent, q: Q = this.db): Promise<void> {
    await q
      .insertInto('newsletter_consents')
      .values({
        subscriber_id: consent.subscriberId,
        newsletter_id: consent.newsletter.id,
        newsletter_name: consent.newsletter.name,
        action: consent.action,
        source: consent.source,
        ip: consent.ip,
        created_at: consent.at,
      })
      .execute();
  }

  consents(subscriberId: number, q: Q = this.db): Promise<ConsentRow[]> {
    return q.selectFrom('newsletter_consents').selectAll().where('subscriber_id', '=', subscriberId).orderBy('id').execute();
  }

  /** Deletes the reader; their subscriptions and consent records go with them (foreign keys cascade). */
  async delete(id: number, q: Q = this.db): Promise<boolean> {
    const result = await q.deleteFrom('newsletter_subscribers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** One page of readers matching the filter, newest first, with the total and per-status counts. */
  async search(filter: SubscriberFilter, page: number, pageSize: number): Promise<{ items: SubscriberRow[]; total: number; counts: StatusCounts }> {
    let base = this.db.selectFrom('newsletter_subscribers as s');
    if (filter.q) {
      const pattern = likePattern(filter.q);
      base = base.where((eb) => eb.or([eb('s.email_key', 'like', sql<string>`${pattern} escape '\\'`), eb(sql`lower(s.name)`, 'like', sql<string>`${pattern} escape '\\'`)]));
    }
    const withStatus =
      filter.newsletterId !== undefined || filter.status !== undefined
        ? base.where((eb) =>
            eb.exists(
              eb
                .selectFrom('newsletter_subscriptions as x')
                .select(sql`1`.as('one'))
                .whereRef('x.subscriber_id', '=', 's.id')
                .$if(filter.newsletterId !== undefined, (qb) => qb.where('x.newsletter_id', '=', filter.newsletterId!))
                .$if(filter.status !== undefined, (qb) => qb.where('x.status', '=', filter.status!)),
            ),
          )
        : base;
    const [items, total, statusRows] = await Promise.all([
      withStatus.selectAll('s').orderBy('s.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      withStatus.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
      base
        .innerJoin('newsletter_subscriptions as sub', 'sub.subscriber_id', 's.id')
        .$if(filter.newsletterId !== undefined, (qb) => qb.where('sub.newsletter_id', '=', filter.newsletterId!))
        .select(['sub.status', (eb) => eb.fn.countAll<string | number>().as('n')])
        .groupBy('sub.status')
        .execute(),
    ]);
    const counts = emptyCounts();
    for (const row of statusRows) counts[row.status] = Number(row.n);
    return { items, total: Number(total.n), counts };
  }

  async subscriptionsOf(subscriberIds: readonly number[]): Promise<SubscriptionRow[]> {
    if (!subscriberIds.length) return [];
    return this.db.selectFrom('newsletter_subscriptions').selectAll().where('subscriber_id', 'in', subscriberIds).orderBy('newsletter_id').execute();
  }
}
