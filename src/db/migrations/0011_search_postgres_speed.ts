import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * PostgreSQL search speed at 100,000 articles (docs/search.md, "PostgreSQL
 * plan"); nothing changes on SQLite.
 *
 * - `head_tsv`: headline (weight A) and dek, tags, authors, section (B) only.
 *   Ranking 1,000 matches with ts_rank on the full vector detoasted 1,000
 *   bodies' vectors (6-8 KB each); this small one sits in the row.
 * - The GIN index also covers `article_id` (the btree_gin extension, part of
 *   PostgreSQL's contrib and trusted since PostgreSQL 13), so "matches among
 *   the newest N stories" is answered inside the index: a word found in most
 *   of the archive no longer makes each search visit tens of thousands of
 *   rows. Where the extension cannot be created (no privilege, a trimmed
 *   install) the plain index stays and searches take the slower plan.
 */
export const searchPostgresSpeed: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    if (dialect !== 'postgres') return;
    await sql`alter table search_documents add column head_tsv tsvector not null default ''::tsvector`.execute(db);
    const config = pgConfig(await siteLanguage(db));
    await sql`update search_documents set head_tsv =
      setweight(to_tsvector(${config}::regconfig, headline), 'A') ||
      setweight(to_tsvector(${config}::regconfig, dek || ' ' || tags || ' ' || authors || ' ' || section), 'B')`.execute(db);
    // Migrations run in one transaction: a failed CREATE EXTENSION must not abort it.
    await sql`savepoint btree_gin`.execute(db);
    try {
      await sql`create extension if not exists btree_gin with schema public`.execute(db);
      await sql`release savepoint btree_gin`.execute(db);
    } catch {
      await sql`rollback to savepoint btree_gin`.execute(db);
      return;
    }
    await sql`create index search_documents_window on search_documents using gin (article_id, tsv)`.execute(db);
    await sql`drop index search_documents_tsv`.execute(db);
  },
  async down(db: Kysely<any>) {
    if (dialect !== 'postgres') return;
    await sql`create index if not exists search_documents_tsv on search_documents using gin (tsv)`.execute(db);
    await sql`drop index if exists search_documents_window`.execute(db);
    await sql`alter table search_documents drop column head_tsv`.execute(db);
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

/**
 * The site language -> text search configuration, for the common languages (a frozen copy: migrations never import
 * app code that may change). Others get 'simple' here; `broadsheet reindex` rewrites every document with the full
 * mapping (search.repository.ts).
 */
function pgConfig(language: string): string {
  const byCode: Record<string, string> = { en: 'english', fr: 'french', de: 'german', es: 'spanish', it: 'italian', pt: 'portuguese', nl: 'dutch', da: 'danish', fi: 'finnish', nb: 'norwegian', no: 'norwegian', nn: 'norwegian', sv: 'swedish', ru: 'russian', tr: 'turkish', hu: 'hungarian', ro: 'romanian' };
  return byCode[language.toLowerCase().split('-')[0] ?? ''] ?? 'simple';
}
