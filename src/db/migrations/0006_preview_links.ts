import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * Private preview links (docs/admin-api.md, "Preview"): an unguessable token
 * shows an article's current saved state, as readers would see it, to anyone
 * holding the link (an editor on their phone, a source checking a quote) until
 * it expires. Also the admin list's section filter, sorted like the list's
 * default (recently saved first), answered from an index instead of a scan.
 */
export const previewLinks: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('preview_links')
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('created_by', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('preview_links_article').on('preview_links').columns(['article_id', 'expires_at']).execute();
    await db.schema.createIndex('articles_section_saved').on('articles').columns(['section_id', 'saved_at', 'id']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('articles_section_saved').ifExists().execute();
    await db.schema.dropTable('preview_links').ifExists().execute();
  },
});
