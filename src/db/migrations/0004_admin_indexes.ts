import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * What the Admin API's article list needs (docs/admin-api.md):
 * - `created_by`: the staff user who created the article; authors and
 *   contributors may edit only their own (null for imported/demo articles).
 * - `review_requested_at`: set when a contributor submits a draft for review,
 *   cleared when it is published.
 * - indexes so the newsroom's list answers its first page from an index at
 *   50,000 articles, whatever the sort: recently saved (the default), published
 *   time, headline, with or without a status filter, and "mine". Counts per
 *   status come from the existing (status, ...) indexes.
 */
export const adminIndexes: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('articles').addColumn('created_by', 'integer').execute();
    await db.schema.alterTable('articles').addColumn('review_requested_at', 'text').execute();
    await db.schema.createIndex('articles_saved').on('articles').columns(['saved_at', 'id']).execute();
    await db.schema.createIndex('articles_status_saved').on('articles').columns(['status', 'saved_at', 'id']).execute();
    // "Newest published first, never-published last": PostgreSQL sorts nulls high, so its index says where they go
    // (SQLite sorts nulls low, and a backward scan of the plain index already puts them last).
    if (dialect === 'postgres') await sql`create index articles_published on articles (published_at desc nulls last, id desc)`.execute(db);
    else await db.schema.createIndex('articles_published').on('articles').columns(['published_at', 'id']).execute();
    await db.schema.createIndex('articles_headline').on('articles').columns(['headline', 'id']).execute();
    await db.schema.createIndex('articles_status_headline').on('articles').columns(['status', 'headline', 'id']).execute();
    await db.schema.createIndex('articles_created_by').on('articles').columns(['created_by', 'saved_at']).execute();
  },
  async down(db: Kysely<any>) {
    for (const name of ['articles_created_by', 'articles_status_headline', 'articles_headline', 'articles_published', 'articles_status_saved', 'articles_saved']) {
      await db.schema.dropIndex(name).ifExists().execute();
    }
    await db.schema.alterTable('articles').dropColumn('review_requested_at').execute();
    await db.schema.alterTable('articles').dropColumn('created_by').execute();
  },
});
