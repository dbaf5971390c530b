import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * Open and click tracking of newsletter sends (docs/newsletters.md, "Open and
 * click tracking"). Aggregate counts only: nothing here, or anywhere else,
 * says which reader opened or clicked.
 * - newsletter_send_tracking: one row per send that tracks (none: the send
 *   did not). What it tracks is fixed when the send starts; `secret` keys the
 *   signatures of its tracked links; `opens` counts pixel loads.
 * - newsletter_send_links: the addresses the send's email linked to, one row
 *   per distinct address, numbered from 1 in the order they first appear.
 *   A click redirects only to a URL stored here (no open redirect); `clicks`
 *   counts them.
 * Both go with their send.
 */
export const newsletterTracking: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('newsletter_send_tracking')
      .addColumn('send_id', 'integer', (c) => c.primaryKey().references('newsletter_sends.id').onDelete('cascade'))
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('track_opens', 'integer', (c) => c.notNull()) // 0/1
      .addColumn('track_clicks', 'integer', (c) => c.notNull()) // 0/1
      .addColumn('opens', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('newsletter_send_links')
      .addColumn('send_id', 'integer', (c) => c.notNull().references('newsletter_sends.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('newsletter_send_links_pk', ['send_id', 'position'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('newsletter_send_links').ifExists().execute();
    await db.schema.dropTable('newsletter_send_tracking').ifExists().execute();
  },
});
