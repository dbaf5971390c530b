import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * What ranking reads of a candidate story (docs/related.md), kept beside the
 * engine's own state in related_articles while the story is indexed: its
 * publication time, section and label. Reading them from `articles` walked
 * each row's overflow pages (the body comes first in the row) and was most of
 * the cost of ranking at 100,000 articles.
 */
export const relatedRanking: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('related_articles').addColumn('published_at', 'text').execute();
    await db.schema.alterTable('related_articles').addColumn('section_id', 'integer').execute();
    await db.schema.alterTable('related_articles').addColumn('label', 'text', (c) => c.notNull().defaultTo('news')).execute();
    // Articles indexed before this migration: copied once from their rows.
    await sql`update related_articles set
        published_at = (select a.published_at from articles a where a.id = related_articles.article_id),
        section_id = (select a.section_id from articles a where a.id = related_articles.article_id),
        label = coalesce((select a.label from articles a where a.id = related_articles.article_id), 'news')`.execute(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('related_articles').dropColumn('label').execute();
    await db.schema.alterTable('related_articles').dropColumn('section_id').execute();
    await db.schema.alterTable('related_articles').dropColumn('published_at').execute();
  },
});
