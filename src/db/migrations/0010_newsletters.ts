import type { Kysely } from 'kysely';
import type { Dialect } from '../connection.js';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Newsletters and their readers (docs/newsletters.md):
 * - newsletters: what a reader can sign up to (sender, schedule and template
 *   options are stored for the composing and delivery slices).
 * - newsletter_subscribers: one row per address. `email` keeps the local part
 *   as typed (some mail servers honour its case) with the domain lower-cased;
 *   `email_key` is the whole address lower-cased and unique, so
 *   Ann@Example.org and ann@example.org are one reader. `secret` keys the HMAC
 *   of that reader's signed links.
 * - newsletter_subscriptions: one row per reader and newsletter, with its status.
 * - newsletter_consents: append-only evidence of consent given and withdrawn
 *   (when, how, from which page, the address only when the site records it).
 *   Rows name the newsletter as it was called then, and survive its deletion.
 * Deleting a reader deletes their subscriptions and consent records (cascade).
 */
export const newsletters: MigrationFactory = (dialect: Dialect) => ({
  async up(db: Kysely<any>) {
    const id = (table: string) => createTableWithId(db, dialect, table);

    await id('newsletters')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('sender_email', 'text', (c) => c.notNull())
      .addColumn('reply_to', 'text')
      .addColumn('schedule', 'text') // JSON { days, time } in the site's time zone, or null: sent by hand
      .addColumn('template', 'text', (c) => c.notNull().defaultTo('{}')) // JSON { logoUrl, accentColor, intro }
      .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('public'))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await id('newsletter_subscribers')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('confirmation_sent_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('newsletter_subscribers_created').on('newsletter_subscribers').column('created_at').execute();

    await db.schema
      .createTable('newsletter_subscriptions')
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
      .addColumn('newsletter_id', 'integer', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('confirmed_at', 'text')
      .addColumn('unsubscribed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('newsletter_subscriptions_pk', ['subscriber_id', 'newsletter_id'])
      .execute();
    await db.schema.createIndex('newsletter_subscriptions_list').on('newsletter_subscriptions').columns(['newsletter_id', 'status', 'subscriber_id']).execute();

    await id('newsletter_consents')
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
      .addColumn('newsletter_id', 'integer', (c) => c.references('newsletters.id').onDelete('set null'))
      .addColumn('newsletter_name', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull()) // requested | confirmed | withdrawn
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('newsletter_consents_subscriber').on('newsletter_consents').columns(['subscriber_id', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('newsletter_consents').ifExists().execute();
    await db.schema.dropTable('newsletter_subscriptions').ifExists().execute();
    await db.schema.dropTable('newsletter_subscribers').ifExists().execute();
    await db.schema.dropTable('newsletters').ifExists().execute();
  },
});
