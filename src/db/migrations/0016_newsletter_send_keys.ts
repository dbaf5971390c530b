import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * "Send now" idempotency (docs/newsletters.md, "Delivery"): the admin sends an
 * `Idempotency-Key` (a UUID per compose session) with the request that starts
 * a send; it is stored with the send, unique per newsletter, so a double click
 * or a retried request finds the send the first one started instead of
 * mailing every reader twice. Null for sends started without a key (both
 * databases allow many nulls in a unique index).
 */
export const newsletterSendKeys: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('newsletter_sends').addColumn('idempotency_key', 'text').execute();
    await db.schema.createIndex('newsletter_sends_idempotency_key').on('newsletter_sends').columns(['newsletter_id', 'idempotency_key']).unique().execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('newsletter_sends_idempotency_key').ifExists().execute();
    await db.schema.alterTable('newsletter_sends').dropColumn('idempotency_key').execute();
  },
});
