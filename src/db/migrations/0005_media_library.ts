import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * The media library: the uploaded file's name (searchable), the SHA-256 of the
 * uploaded bytes (identical uploads become one library item), and who uploaded
 * it (authors and contributors may edit their own uploads).
 */
export const mediaLibrary: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('media').addColumn('filename', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('media').addColumn('content_hash', 'text').execute();
    await db.schema
      .alterTable('media')
      .addColumn('uploaded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .execute();
    await db.schema.createIndex('media_content_hash').unique().on('media').column('content_hash').execute();
    await db.schema.createIndex('media_created').on('media').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('articles_image').on('articles').column('image_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('articles_image').ifExists().execute();
    await db.schema.dropIndex('media_created').ifExists().execute();
    await db.schema.dropIndex('media_content_hash').ifExists().execute();
    await db.schema.alterTable('media').dropColumn('uploaded_by').execute();
    await db.schema.alterTable('media').dropColumn('content_hash').execute();
    await db.schema.alterTable('media').dropColumn('filename').execute();
  },
});
