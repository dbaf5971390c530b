import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * Site search (docs/search.md). `search_documents` holds, per article, the
 * text readers search (headline, dek, tag names, author names, section name,
 * body text) and what results are filtered on (status, published_at,
 * section_id). The filter columns come first: SQLite reads a row's leading
 * columns without walking the body's overflow pages.
 *
 * SQLite: an FTS5 table over it (external content: the text is stored once),
 * kept in step by triggers, so every write to `search_documents` updates the
 * index in the same transaction. Tokenizer `unicode61` folding diacritics,
 * with Porter stemming for English sites (the site language when this ran;
 * `broadsheet reindex` rebuilds it for another language). A prefix index for
 * 3 characters makes "last word as a prefix" queries cheap.
 *
 * PostgreSQL: a weighted `tsvector` column (headline A; dek, tags, authors,
 * section B; body C) computed when the row is written, with a GIN index.
 *
 * The table starts empty: rows are written by article saves and by
 * `broadsheet reindex` (the worker also queues a reindex when it finds
 * articles missing from the index, e.g. right after this migration).
 */
export const search: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('search_documents')
      .addColumn('article_id', 'integer', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('section_id', 'integer')
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('dek', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('authors', 'text', (c) => c.notNull())
      .addColumn('section', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('search_documents_status_published').on('search_documents').columns(['status', 'published_at']).execute();
    if (dialect === 'postgres') {
      await sql`alter table search_documents add column tsv tsvector not null default ''::tsvector`.execute(db);
      await sql`create index search_documents_tsv on search_documents using gin (tsv)`.execute(db);
      return;
    }
    const language = await siteLanguage(db);
    const tokenizer = language === 'en' || language.startsWith('en-') ? 'porter unicode61 remove_diacritics 2' : 'unicode61 remove_diacritics 2';
    await sql
      .raw(
        `create virtual table search_fts using fts5(headline, dek, tags, authors, section, body, ` +
          `content='search_documents', content_rowid='article_id', tokenize='${tokenizer}', prefix='3')`,
      )
      .execute(db);
    await sql`create trigger search_documents_ai after insert on search_documents begin
      insert into search_fts(rowid, headline, dek, tags, authors, section, body)
      values (new.article_id, new.headline, new.dek, new.tags, new.authors, new.section, new.body);
    end`.execute(db);
    await sql`create trigger search_documents_ad after delete on search_documents begin
      insert into search_fts(search_fts, rowid, headline, dek, tags, authors, section, body)
      values ('delete', old.article_id, old.headline, old.dek, old.tags, old.authors, old.section, old.body);
    end`.execute(db);
    // Status-only changes (publish, unpublish) leave the text alone: the index is not touched.
    await sql`create trigger search_documents_au after update on search_documents
      when old.headline is not new.headline or old.dek is not new.dek or old.tags is not new.tags
        or old.authors is not new.authors or old.section is not new.section or old.body is not new.body
      begin
      insert into search_fts(search_fts, rowid, headline, dek, tags, authors, section, body)
      values ('delete', old.article_id, old.headline, old.dek, old.tags, old.authors, old.section, old.body);
      insert into search_fts(rowid, headline, dek, tags, authors, section, body)
      values (new.article_id, new.headline, new.dek, new.tags, new.authors, new.section, new.body);
    end`.execute(db);
  },
  async down(db: Kysely<any>) {
    if (dialect === 'sqlite') {
      for (const trigger of ['search_documents_ai', 'search_documents_ad', 'search_documents_au']) await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
      await sql`drop table if exists search_fts`.execute(db);
    }
    await db.schema.dropTable('search_documents').ifExists().execute();
  },
});

async function siteLanguage(db: Kysely<any>): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'site').executeTakeFirst();
  try {
    const language = row ? (JSON.parse(row.value as string) as { language?: unknown }).language : undefined;
    return typeof language === 'string' ? language : 'en';
  } catch {
    return 'en';
  }
}
