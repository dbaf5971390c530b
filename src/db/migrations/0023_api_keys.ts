import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * The Content API's keys (docs/content-api.md):
 * - api_keys: one row per app or partner. Only the SHA-256 of the secret is
 *   kept (the secret is shown once, when the key is made); `prefix` is its
 *   first characters, so the admin can tell keys apart. A revoked key keeps
 *   its row (who had access, until when) and never works again.
 * - api_key_usage: requests per key per minute, for the per-key rate limit on
 *   every node (Redis holds these counters instead when it is configured).
 */
export const apiKeys: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'api_keys')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('rate_limit', 'integer', (c) => c.notNull())
      .addColumn('cors_origins', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('api_key_usage')
      .addColumn('key_id', 'integer', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
      .addColumn('window_start', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('api_key_usage_pk', ['key_id', 'window_start'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('api_key_usage').ifExists().execute();
    await db.schema.dropTable('api_keys').ifExists().execute();
  },
});
