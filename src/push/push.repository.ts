/**
 * Kysely queries for Web Push: the VAPID key pair, readers' subscriptions and
 * topics, alerts and their per-subscriber deliveries. Every state change of a
 * delivery is one conditional UPDATE, so two workers never move the same row.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PushAlertsTable, PushAlertStatus, PushDeliveryStatus, PushSubscriptionsTable } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type AlertRow = Selectable<PushAlertsTable>;
export type SubscriptionRow = Selectable<PushSubscriptionsTable>;
export type DeliveryCounts = Record<PushDeliveryStatus, number>;

export interface ClaimedDelivery {
  subscriptionId: number;
  attempts: number;
  endpoint: string;
  p256dh: string;
  auth: string;
}

const EMPTY_COUNTS = (): DeliveryCounts => ({ pending: 0, sending: 0, sent: 0, failed: 0, gone: 0, unknown: 0 });

export class PushRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // --- VAPID --------------------------------------------------------------

  vapid() {
    return this.db.selectFrom('push_vapid').select(['public_key', 'private_key']).where('id', '=', 1).executeTakeFirst();
  }

  /** Keeps the first pair ever written: two nodes starting at once agree on the one that won. */
  async insertVapidIfMissing(publicKey: string, privateKey: string, at: string): Promise<void> {
    await this.db
      .insertInto('push_vapid')
      .values({ id: 1, public_key: publicKey, private_key: privateKey, created_at: at })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  // --- Subscriptions ------------------------------------------------------

  subscriptionByEndpoint(endpoint: string, q: Q = this.db): Promise<SubscriptionRow | undefined> {
    return q.selectFrom('push_subscriptions').selectAll().where('endpoint', '=', endpoint).executeTakeFirst();
  }

  async topicsOf(subscriptionId: number, q: Q = this.db): Promise<string[]> {
    const rows = await q.selectFrom('push_subscription_topics').select('topic').where('subscription_id', '=', subscriptionId).orderBy('topic').execute();
    return rows.map((r) => r.topic);
  }

  async insertSubscription(trx: Q, row: Insertable<PushSubscriptionsTable>): Promise<number> {
    const inserted = await trx.insertInto('push_subscriptions').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** A reader who subscribes again is active again (a retired subscription the browser still holds). */
  async refreshSubscription(trx: Q, id: number, keys: { p256dh: string; auth: string }, at: string): Promise<void> {
    await trx.updateTable('push_subscriptions').set({ ...keys, status: 'active', failures: 0, updated_at: at }).where('id', '=', id).execute();
  }

  async replaceTopics(trx: Q, subscriptionId: number, topics: readonly string[]): Promise<void> {
    await trx.deleteFrom('push_subscription_topics').where('subscription_id', '=', subscriptionId).execute();
    if (topics.length > 0) await trx.insertInto('push_subscription_topics').values(topics.map((topic) => ({ subscription_id: subscriptionId, topic }))).execute();
  }

  async deleteSubscription(id: number, q: Q = this.db): Promise<void> {
    await q.deleteFrom('push_subscriptions').where('id', '=', id).execute();
  }

  /** Active subscribers per topic (for the admin's topic picker). */
  async subscriberCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('push_subscription_topics as t')
      .innerJoin('push_subscriptions as s', 's.id', 't.subscription_id')
      .select(['t.topic', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('s.status', '=', 'active')
      .groupBy('t.topic')
      .execute();
    return new Map(rows.map((r) => [r.topic, Number(r.n)]));
  }

  /** A delivery that reached the push service: the subscription works, its failure count starts again. */
  async markSubscriptionWorking(ids: readonly number[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('push_subscriptions').set({ failures: 0, last_sent_at: at }).where('id', 'in', ids).execute();
  }

  /** One more alert that could not be delivered; at `retireAt` in a row the subscription is retired (no more sends). */
  async countSubscriptionFailure(id: number, retireAt: number, at: string): Promise<void> {
    await this.db
      .updateTable('push_subscriptions')
      .set((eb) => ({
        failures: eb('failures', '+', 1),
        updated_at: at,
        status: sql<'active' | 'retired'>`case when failures + 1 >= ${retireAt} then 'retired' else status end`,
      }))
      .where('id', '=', id)
      .execute();
  }

  // --- Alerts -------------------------------------------------------------

  async insertAlert(trx: Q, row: Insertable<PushAlertsTable>): Promise<number> {
    const inserted = await trx.insertInto('push_alerts').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  alert(id: number, q: Q = this.db): Promise<AlertRow | undefined> {
    return q.selectFrom('push_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  alertByRequestKey(key: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('push_alerts').selectAll().where('request_key', '=', key).executeTakeFirst();
  }

  listAlerts(limit: number, before?: number): Promise<AlertRow[]> {
    let query = this.db.selectFrom('push_alerts').selectAll().orderBy('id', 'desc').limit(limit);
    if (before !== undefined) query = query.where('id', '<', before);
    return query.execute();
  }

  /** Moves an alert between states; false when it was not in one of `from` (someone else moved it first). */
  async setAlertStatus(id: number, from: readonly PushAlertStatus[], to: PushAlertStatus, extra: Partial<Pick<AlertRow, 'started_at' | 'finished_at' | 'recipients'>> = {}, q: Q = this.db): Promise<boolean> {
    const result = await q.updateTable('push_alerts').set({ status: to, ...extra }).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async countClick(id: number): Promise<boolean> {
    const result = await this.db.updateTable('push_alerts').set((eb) => ({ clicks: eb('clicks', '+', 1) })).where('id', '=', id).where('status', 'in', ['sending', 'sent']).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // --- Deliveries ---------------------------------------------------------

  /** One pending delivery per active subscriber of the topic, fixed when the alert starts. Returns how many. */
  async snapshotRecipients(trx: Q, alertId: number, topic: string, at: string): Promise<number> {
    const result = await trx
      .insertInto('push_deliveries')
      .columns(['alert_id', 'subscription_id', 'status', 'attempts', 'next_at', 'updated_at'])
      .expression((eb) =>
        eb
          .selectFrom('push_subscription_topics as t')
          .innerJoin('push_subscriptions as s', 's.id', 't.subscription_id')
          .select([
            sql.lit(alertId).as('alert_id'),
            's.id',
            sql.lit('pending').as('status'),
            sql.lit(0).as('attempts'),
            sql<string>`cast(${at} as text)`.as('next_at'),
            sql<string>`cast(${at} as text)`.as('updated_at'),
          ])
          .where('t.topic', '=', topic)
          .where('s.status', '=', 'active'),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  /**
   * Claims up to `size` due deliveries by marking them `sending`, committed
   * before any request goes out: a row in `sending` is never sent again.
   *
   * Two statements, not an UPDATE with the SELECT inside: PostgreSQL, with no
   * statistics yet for a table that just got 100,000 rows, planned that as a
   * nested loop running the subquery once per pending row (5-25 s a claim).
   * The UPDATE's own `status = 'pending'` keeps two workers from claiming the
   * same row: the second one finds it changed and skips it.
   */
  async claimBatch(alertId: number, now: string, size: number): Promise<ClaimedDelivery[]> {
    const due = await this.db
      .selectFrom('push_deliveries')
      .select('subscription_id')
      .where('alert_id', '=', alertId)
      .where('status', '=', 'pending')
      .where('next_at', '<=', now)
      // Due first, straight from the (alert_id, status, next_at) index: ordering by subscription_id made
      // PostgreSQL walk past every delivery already done on each claim (300 ms a claim half-way through 100,000).
      .orderBy('next_at')
      .limit(size)
      .execute();
    if (due.length === 0) return [];
    const claimed = await this.db
      .updateTable('push_deliveries')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('alert_id', '=', alertId)
      .where('status', '=', 'pending')
      .where('subscription_id', 'in', due.map((d) => d.subscription_id))
      .returning(['subscription_id', 'attempts'])
      .execute();
    if (claimed.length === 0) return [];
    const subs = await this.db
      .selectFrom('push_subscriptions')
      .select(['id', 'endpoint', 'p256dh', 'auth'])
      .where('id', 'in', claimed.map((c) => c.subscription_id))
      .execute();
    const byId = new Map(subs.map((s) => [s.id, s]));
    const out: ClaimedDelivery[] = [];
    const vanished: number[] = [];
    for (const c of claimed) {
      const sub = byId.get(c.subscription_id);
      if (sub) out.push({ subscriptionId: sub.id, attempts: c.attempts, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth });
      else vanished.push(c.subscription_id);
    }
    // The reader stopped alerts between the snapshot and now: nothing to send.
    if (vanished.length > 0) await this.finishDeliveries(alertId, vanished, 'gone', now, 'the reader unsubscribed');
    return out;
  }

  async finishDeliveries(alertId: number, subscriptionIds: readonly number[], status: 'sent' | 'failed' | 'gone' | 'unknown', at: string, error: string | null = null): Promise<void> {
    if (subscriptionIds.length === 0) return;
    await this.db
      .updateTable('push_deliveries')
      .set({ status, updated_at: at, last_error: error?.slice(0, 500) ?? null })
      .where('alert_id', '=', alertId)
      .where('subscription_id', 'in', subscriptionIds)
      .where('status', '=', 'sending')
      .execute();
  }

  async retryDelivery(alertId: number, subscriptionId: number, nextAt: string, at: string, error: string): Promise<void> {
    await this.db
      .updateTable('push_deliveries')
      .set({ status: 'pending', next_at: nextAt, updated_at: at, last_error: error.slice(0, 500) })
      .where('alert_id', '=', alertId)
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * Deliveries left in `sending` by a worker that died: the request may have
   * reached the push service, so they become `unknown` and are never resent.
   */
  async abandonStale(alertId: number, olderThan: string, at: string): Promise<number> {
    const result = await this.db
      .updateTable('push_deliveries')
      .set({ status: 'unknown', updated_at: at, last_error: 'the worker stopped while sending; not sent again' })
      .where('alert_id', '=', alertId)
      .where('status', '=', 'sending')
      .where('updated_at', '<', olderThan)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** When the next waiting delivery of an alert is due, and whether any is still in flight. */
  async outstanding(alertId: number): Promise<{ nextAt: string | null; sending: number }> {
    const row = await this.db
      .selectFrom('push_deliveries')
      .select([
        sql<string | null>`min(case when status = 'pending' then next_at end)`.as('next_at'),
        sql<string | number>`sum(case when status = 'sending' then 1 else 0 end)`.as('sending'),
      ])
      .where('alert_id', '=', alertId)
      .executeTakeFirst();
    return { nextAt: row?.next_at ?? null, sending: Number(row?.sending ?? 0) };
  }

  async deliveryCounts(alertIds: readonly number[]): Promise<Map<number, DeliveryCounts>> {
    const out = new Map<number, DeliveryCounts>();
    if (alertIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('push_deliveries')
      .select(['alert_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('alert_id', 'in', alertIds)
      .groupBy(['alert_id', 'status'])
      .execute();
    for (const r of rows) {
      const counts = out.get(r.alert_id) ?? EMPTY_COUNTS();
      counts[r.status] = Number(r.n);
      out.set(r.alert_id, counts);
    }
    return out;
  }
}

export const emptyDeliveryCounts = EMPTY_COUNTS;
