import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Bounces, complaints and the suppression list (docs/newsletters.md, "Bounces,
 * complaints and suppression"):
 * - newsletter_suppressions: addresses nothing is sent to, keyed like readers
 *   by `email_key` (the whole address lower-cased) and not by reader id, so the
 *   list also covers addresses that were never (or are no longer) readers.
 *   reason hard_bounce | complaint | soft_bounce | manual; `source` says who
 *   reported it (ses, postmark, mailgun, webhook, smtp, or the staff member).
 * - newsletter_soft_bounces: temporary failures counted per address since the
 *   last delivery report; at the site's limit the address is suppressed.
 * - newsletter_webhook_events: the provider events already handled (by the
 *   provider's event id, or the signed token), so a replayed or retried
 *   webhook changes nothing twice. Kept for a week.
 */
export const newsletterSuppressions: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'newsletter_suppressions')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('newsletter_suppressions_reason').on('newsletter_suppressions').columns(['reason', 'id']).execute();

    await db.schema
      .createTable('newsletter_soft_bounces')
      .addColumn('email_key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_detail', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('newsletter_webhook_events')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('event_key', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('newsletter_webhook_events_pk', ['source', 'event_key'])
      .execute();
    await db.schema.createIndex('newsletter_webhook_events_created').on('newsletter_webhook_events').column('created_at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('newsletter_webhook_events').ifExists().execute();
    await db.schema.dropTable('newsletter_soft_bounces').ifExists().execute();
    await db.schema.dropTable('newsletter_suppressions').ifExists().execute();
  },
});
