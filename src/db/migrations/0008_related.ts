import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * The related-story engine (docs/related.md):
 * - related_articles: one row per article the engine knows (its per-article
 *   inline switch, the fingerprint of its indexed text, its vector norm).
 * - related_terms: each published article's top terms, `weight` = its share of
 *   the article's vector; (term, weight) ordered so a term's strongest
 *   articles are read first, with published_at beside them to skip old ones
 *   without touching the article rows.
 * - related_df: document frequencies (how many articles use a term).
 * - related_picks: the ranked picks per article: automatic, pinned by an
 *   editor (kept through recomputation), or removed by an editor (never
 *   picked again for that article).
 */
export const related: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    const real = dialect === 'postgres' ? 'double precision' : 'real';
    await db.schema
      .createTable('related_articles')
      .addColumn('article_id', 'integer', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('inline_links', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('text_hash', 'text')
      .addColumn('headline_key', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('counted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('indexed_at', 'text')
      .execute();
    await db.schema
      .createTable('related_terms')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('term', 'text', (c) => c.notNull())
      .addColumn('weight', real, (c) => c.notNull())
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('related_terms_pk', ['article_id', 'term'])
      .execute();
    await db.schema.createIndex('related_terms_posting').on('related_terms').columns(['term', 'weight desc', 'published_at', 'article_id']).execute();
    await db.schema
      .createTable('related_df')
      .addColumn('term', 'text', (c) => c.primaryKey())
      .addColumn('df', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('related_picks')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('picked_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('score', real, (c) => c.notNull())
      .addPrimaryKeyConstraint('related_picks_pk', ['article_id', 'picked_id'])
      .execute();
    await db.schema.createIndex('related_picks_picked').on('related_picks').columns(['picked_id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('related_picks').ifExists().execute();
    await db.schema.dropTable('related_df').ifExists().execute();
    await db.schema.dropTable('related_terms').ifExists().execute();
    await db.schema.dropTable('related_articles').ifExists().execute();
  },
});
