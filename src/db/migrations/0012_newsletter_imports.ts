import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Subscriber CSV imports (docs/newsletters.md, "Import and export"):
 * - newsletter_imports: one row per uploaded file, its column mapping,
 *   progress and report. `resume_record` counts the file's CSV records
 *   (header and blank lines included) already imported: it is advanced in
 *   the same transaction as each batch's writes, so a job that resumes after
 *   a crash neither skips nor repeats rows.
 * - newsletter_import_files: the file itself (decoded to UTF-8) until the
 *   import ends. A table of its own so that the progress updates, one per
 *   batch, do not rewrite megabytes of text each time (SQLite rewrites the
 *   whole row).
 */
export const newsletterImports: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await createTableWithId(db, dialect, 'newsletter_imports')
      .addColumn('status', 'text', (c) => c.notNull()) // queued | running | done | failed
      .addColumn('filename', 'text', (c) => c.notNull())
      .addColumn('importer', 'text', (c) => c.notNull()) // who asserted consent, as shown in consent records
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('newsletter_ids', 'text', (c) => c.notNull()) // JSON number[]
      .addColumn('encoding', 'text', (c) => c.notNull())
      .addColumn('delimiter', 'text', (c) => c.notNull())
      .addColumn('has_header', 'integer', (c) => c.notNull())
      .addColumn('email_column', 'integer', (c) => c.notNull()) // 0-based
      .addColumn('name_columns', 'text', (c) => c.notNull()) // JSON number[], 0-based, joined with a space
      .addColumn('headers', 'text', (c) => c.notNull().defaultTo('[]')) // JSON string[]: the header row, when there is one
      .addColumn('total_rows', 'integer')
      .addColumn('resume_record', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duplicate_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('invalid_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('invalid_rows', 'text', (c) => c.notNull().defaultTo('[]')) // JSON { line, reason }[], capped
      .addColumn('skipped_rows', 'text', (c) => c.notNull().defaultTo('[]')) // JSON { line, reason }[], capped
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('newsletter_imports_created').on('newsletter_imports').column('created_at').execute();
    await db.schema
      .createTable('newsletter_import_files')
      .addColumn('import_id', 'integer', (c) => c.primaryKey().references('newsletter_imports.id').onDelete('cascade'))
      .addColumn('content', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('newsletter_import_files').ifExists().execute();
    await db.schema.dropTable('newsletter_imports').ifExists().execute();
  },
});
