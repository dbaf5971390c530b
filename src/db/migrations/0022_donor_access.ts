import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * Donor receipts and sign-in (docs/revenue.md, "Receipts" and "The donor page"):
 * - donation_receipts: one row per donation whose receipt the mail server
 *   accepted, written right after it did: a receipt job that runs again (a
 *   worker died after sending) finds it and sends nothing.
 * - donor_links: sign-in links emailed to donors. Only the SHA-256 of the
 *   token is kept; a link works once (`used_at`) and until `expires_at`.
 * - donor_sessions: a donor's signed-in browser, by the hash of its cookie.
 */
export const donorAccess: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('donation_receipts')
      .addColumn('donation_id', 'integer', (c) => c.primaryKey().references('donations.id').onDelete('cascade'))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .execute();

    await createTableWithId(db, dialect, 'donor_links')
      .addColumn('donor_id', 'integer', (c) => c.notNull().references('donors.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('donor_links_expiry').on('donor_links').column('expires_at').execute();

    await createTableWithId(db, dialect, 'donor_sessions')
      .addColumn('donor_id', 'integer', (c) => c.notNull().references('donors.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('donor_sessions_donor').on('donor_sessions').column('donor_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('donor_sessions').ifExists().execute();
    await db.schema.dropTable('donor_links').ifExists().execute();
    await db.schema.dropTable('donation_receipts').ifExists().execute();
  },
});
