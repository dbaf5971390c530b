import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * Breaking-news Web Push (docs/push.md):
 * - push_vapid: the one VAPID key pair, created on first start (row id 1), so
 *   every node signs with the same key and readers' subscriptions stay valid.
 * - push_subscriptions: one row per browser that opted in; `failures` counts
 *   alerts in a row that could not be delivered (a subscription is retired at
 *   the limit); a 404/410 from the push service deletes the row.
 * - push_subscription_topics: which topics ("breaking", "section:<id>") a
 *   subscription chose, indexed for the fan-out.
 * - push_alerts: what an editor sent or scheduled, with its click count.
 * - push_deliveries: one row per alert and subscriber, claimed ("sending")
 *   before the request goes out, so that a crash never sends twice.
 */
export const push: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('push_vapid')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await createTableWithId(db, dialect, 'push_subscriptions')
      .addColumn('endpoint', 'text', (c) => c.notNull().unique())
      .addColumn('p256dh', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_sent_at', 'text')
      .execute();

    await db.schema
      .createTable('push_subscription_topics')
      .addColumn('subscription_id', 'integer', (c) => c.notNull().references('push_subscriptions.id').onDelete('cascade'))
      .addColumn('topic', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('push_subscription_topics_pk', ['topic', 'subscription_id'])
      .execute();
    await db.schema.createIndex('push_subscription_topics_sub').on('push_subscription_topics').column('subscription_id').execute();

    await createTableWithId(db, dialect, 'push_alerts')
      .addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('urgency', 'text', (c) => c.notNull())
      .addColumn('ttl_seconds', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('send_at', 'text', (c) => c.notNull())
      .addColumn('request_key', 'text', (c) => c.unique())
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('push_alerts_created').on('push_alerts').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('push_deliveries')
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('push_alerts.id').onDelete('cascade'))
      // No foreign key: a subscription that is removed (410) keeps its delivery row for the alert's counts.
      .addColumn('subscription_id', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addPrimaryKeyConstraint('push_deliveries_pk', ['alert_id', 'subscription_id'])
      .execute();
    await db.schema.createIndex('push_deliveries_due').on('push_deliveries').columns(['alert_id', 'status', 'next_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('push_deliveries').ifExists().execute();
    await db.schema.dropTable('push_alerts').ifExists().execute();
    await db.schema.dropTable('push_subscription_topics').ifExists().execute();
    await db.schema.dropTable('push_subscriptions').ifExists().execute();
    await db.schema.dropTable('push_vapid').ifExists().execute();
  },
});
