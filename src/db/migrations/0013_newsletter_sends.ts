import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Newsletter sends (docs/newsletters.md, "Delivery"):
 * - newsletter_sends: one row per send of a newsletter, with the email as
 *   rendered once (subject, HTML and text with per-reader placeholders) and
 *   the send's state: queued | sending | paused | cancelled | done.
 * - newsletter_deliveries: one row per recipient, snapshotted when the send
 *   starts (readers who subscribe later are not added; address changes later
 *   do not redirect it). Status pending | sending | sent | failed | skipped |
 *   unknown; `sending` is committed before the message goes to SMTP, so a
 *   crash leaves a trace instead of a silent duplicate. Unique per send and
 *   reader: nobody is snapshotted twice. Deleting a reader deletes their rows.
 */
export const newsletterSends: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'newsletter_sends')
      .addColumn('newsletter_id', 'integer', (c) => c.notNull().references('newsletters.id').onDelete('cascade'))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('test', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('recipient_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('newsletter_sends_newsletter').on('newsletter_sends').columns(['newsletter_id', 'id']).execute();

    await createTableWithId(db, dialect, 'newsletter_deliveries')
      .addColumn('send_id', 'integer', (c) => c.notNull().references('newsletter_sends.id').onDelete('cascade'))
      .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('message_id', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('newsletter_deliveries_send_subscriber', ['send_id', 'subscriber_id'])
      .execute();
    await db.schema.createIndex('newsletter_deliveries_work').on('newsletter_deliveries').columns(['send_id', 'status', 'id']).execute();
    await db.schema.createIndex('newsletter_deliveries_subscriber').on('newsletter_deliveries').column('subscriber_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('newsletter_deliveries').ifExists().execute();
    await db.schema.dropTable('newsletter_sends').ifExists().execute();
  },
});
