import type { Kysely } from 'kysely';
import { createTableWithId } from './helpers.js';
import type { MigrationFactory } from './index.js';

/**
 * Social distribution on publish (docs/social.md):
 * - social_accounts: one connected posting account per network. `settings` is
 *   JSON the admin sees (instance URL, handle, page id ...); `secrets` is JSON
 *   the Admin API never returns (tokens, app passwords).
 * - social_article_options: the editor's per-article choices (opt-out, custom
 *   text per network).
 * - social_posts: one row per article and network, the state of its post. The
 *   remote id and URL are written as soon as the network answers; the row is
 *   what a retried job reads to avoid posting twice.
 */
export const social: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('social_accounts')
      .addColumn('network', 'text', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('profile_url', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('verified_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('connected_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('social_article_options')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('opt_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('texts', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await createTableWithId(db, dialect, 'social_posts')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('network', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('remote_id', 'text')
      .addColumn('remote_url', 'text')
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('posted_at', 'text')
      .addUniqueConstraint('social_posts_article_network', ['article_id', 'network'])
      .execute();
    await db.schema.createIndex('social_posts_status').on('social_posts').columns(['status', 'updated_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('social_posts').ifExists().execute();
    await db.schema.dropTable('social_article_options').ifExists().execute();
    await db.schema.dropTable('social_accounts').ifExists().execute();
  },
});
