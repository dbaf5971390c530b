/**
 * Site search storage: the `search_documents` rows and the full-text index
 * over them (SQLite FTS5 / PostgreSQL tsvector + GIN; migration 0007). Kysely
 * and SQL only; what to search for and how to rank is decided by the caller
 * (search.service.ts) and arrives here as bound parameters, never as SQL text.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, SearchDocumentsTable } from '../db/schema.js';
import type { Dialect } from '../db/connection.js';
import type { BodyNode } from '../newsroom/body.js';
import type { Byline, SectionRef } from '../newsroom/articles.repository.js';
import { cleanText } from './search-query.js';

type Q = Kysely<Database> | Transaction<Database>;

export type SearchDocument = SearchDocumentsTable;

/** Per-column weights for SQLite's bm25(), in the FTS table's column order: headline, dek, tags, authors, section, body. */
const BM25_WEIGHTS = [10, 4, 4, 4, 2, 1] as const;
/** Days for the recency decay to halve a result's score: score = relevance / (1 + age / DECAY_DAYS). */
export const DECAY_DAYS = 365;

/** Matches ranked per search at most (see `search`). */
export const POOL = 1000;
/** PostgreSQL: the pool is first looked for among this many newest stories (then as many as the density found asks for). */
const FIRST_WINDOW = 5_000;
/** PostgreSQL: every match scores at least this, plus ts_rank over headline (A) and names and dek (B). */
const BODY_MATCH_SCORE = 0.05;

/** How long a text column may be in the index (a body past this adds nothing a reader searches for). */
const MAX_BODY_CHARS = 200_000;

export interface SearchFilter {
  sectionId?: number;
  authorId?: number;
  /** Inclusive lower and exclusive upper bounds on published_at (ISO). */
  from?: string;
  before?: string;
}

export interface SearchMatch {
  /** FTS5 MATCH expression (SQLite) or to_tsquery text (PostgreSQL), built from quoted words. */
  expression: string;
  /** PostgreSQL text search configuration (regconfig name). */
  config: string;
}

export interface SearchHit {
  id: number;
  score: number;
}

export interface ResultRow {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  label: string;
  publishedAt: string;
  section: SectionRef | null;
  authors: Byline[];
}

/** The indexed text a result's highlighting is built from (search-snippets.ts). */
export interface HitText {
  dek: string;
  tags: string;
  authors: string;
  /** The body's first SNIPPET_SOURCE_CHARS characters. */
  body: string;
}

/** How much of a body is read for its snippet. */
const SNIPPET_SOURCE_CHARS = 30_000;

/** The site language -> PostgreSQL's text search configuration (built into every PostgreSQL). */
const PG_CONFIGS: Record<string, string> = {
  ar: 'arabic', hy: 'armenian', eu: 'basque', ca: 'catalan', da: 'danish', nl: 'dutch', en: 'english', fi: 'finnish',
  fr: 'french', de: 'german', el: 'greek', hi: 'hindi', hu: 'hungarian', id: 'indonesian', ga: 'irish', it: 'italian',
  lt: 'lithuanian', ne: 'nepali', nb: 'norwegian', no: 'norwegian', nn: 'norwegian', pt: 'portuguese', ro: 'romanian',
  ru: 'russian', sr: 'serbian', es: 'spanish', sv: 'swedish', ta: 'tamil', tr: 'turkish', yi: 'yiddish',
};

export function pgConfigFor(language: string): string {
  return PG_CONFIGS[language.toLowerCase().split('-')[0]!] ?? 'simple';
}

/** SQLite FTS5 tokenizer for a site language: Porter stemming is English-only, so other languages get folding alone. */
export function sqliteTokenizerFor(language: string): string {
  return language.toLowerCase().split('-')[0] === 'en' ? 'porter unicode61 remove_diacritics 2' : 'unicode61 remove_diacritics 2';
}

/** The plain text of a stored body document: every text node, block by block (no HTML rendering, no sanitizing). */
export function bodyText(bodyDoc: string): string {
  let doc: { content?: BodyNode[] };
  try {
    doc = JSON.parse(bodyDoc) as { content?: BodyNode[] };
  } catch {
    return '';
  }
  const out: string[] = [];
  let length = 0;
  const walk = (nodes: readonly BodyNode[] | undefined) => {
    for (const node of nodes ?? []) {
      if (length > MAX_BODY_CHARS) return;
      if (typeof node.text === 'string') {
        out.push(node.text);
        length += node.text.length;
      }
      const caption = node.attrs?.caption;
      if (typeof caption === 'string' && caption) out.push(' ', caption, ' ');
      walk(node.content);
      if (node.content) out.push(' ');
    }
  };
  walk(doc.content);
  return out.join('').replace(/\s+/g, ' ').trim().slice(0, MAX_BODY_CHARS);
}

const clean = (text: string) => cleanText(text).replace(/\s+/g, ' ').trim();

export class SearchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  // ------------------------------------------------------------------ documents

  /** The search documents of these articles, built from the newsroom's tables (missing ids are left out). */
  async documentsFor(q: Q, ids: readonly number[]): Promise<SearchDocument[]> {
    if (!ids.length) return [];
    const [articles, authors, tags] = await Promise.all([
      q
        .selectFrom('articles as a')
        .leftJoin('sections as s', 's.id', 'a.section_id')
        .select(['a.id', 'a.status', 'a.published_at', 'a.section_id', 'a.headline', 'a.dek', 'a.body_doc', 's.name as section_name'])
        .where('a.id', 'in', ids)
        .execute(),
      q
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.name'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute(),
      q
        .selectFrom('article_tags as at')
        .innerJoin('tags as t', 't.id', 'at.tag_id')
        .select(['at.article_id', 't.name'])
        .where('at.article_id', 'in', ids)
        .orderBy('at.article_id')
        .orderBy('at.position')
        .execute(),
    ]);
    const names = (rows: { article_id: number; name: string }[]) => {
      const map = new Map<number, string[]>();
      for (const row of rows) map.set(row.article_id, [...(map.get(row.article_id) ?? []), row.name]);
      return map;
    };
    const authorNames = names(authors);
    const tagNames = names(tags);
    return articles.map((a) => ({
      article_id: a.id,
      status: a.status,
      published_at: a.published_at,
      section_id: a.section_id,
      headline: clean(a.headline),
      dek: clean(a.dek),
      // Names separated by a comma: a phrase query must not run from one name into the next.
      tags: clean((tagNames.get(a.id) ?? []).join(', ')),
      authors: clean((authorNames.get(a.id) ?? []).join(', ')),
      section: clean(a.section_name ?? ''),
      body: cleanText(bodyText(a.body_doc)),
    }));
  }

  /** Writes documents (insert or replace). SQLite's triggers update FTS5; on PostgreSQL the tsvector is computed here. */
  async write(q: Q, docs: readonly SearchDocument[], config: string): Promise<void> {
    if (!docs.length) return;
    if (this.dialect === 'sqlite') {
      // 50 rows a statement (500 bound values, under SQLite's limit): one statement per document cost a
      // few percent of a full reindex in building and compiling SQL alone.
      for (let i = 0; i < docs.length; i += 50) {
        await q
          .insertInto('search_documents')
          .values(docs.slice(i, i + 50))
          .onConflict((oc) =>
            oc.column('article_id').doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              published_at: eb.ref('excluded.published_at'),
              section_id: eb.ref('excluded.section_id'),
              headline: eb.ref('excluded.headline'),
              dek: eb.ref('excluded.dek'),
              tags: eb.ref('excluded.tags'),
              authors: eb.ref('excluded.authors'),
              section: eb.ref('excluded.section'),
              body: eb.ref('excluded.body'),
            })),
          )
          .execute();
      }
      return;
    }
    // head_tsv (headline and names, for ranking) is computed once and reused as the start of the full vector.
    const rows = docs.map(
      (d) => sql`(${d.article_id}::integer, ${d.status}, ${d.published_at}, ${d.section_id}::integer, ${d.headline}, ${d.dek}, ${d.tags}, ${d.authors}, ${d.section}, ${d.body},
        setweight(to_tsvector(${config}::regconfig, ${d.headline}), 'A') ||
        setweight(to_tsvector(${config}::regconfig, ${d.dek} || ' ' || ${d.tags} || ' ' || ${d.authors} || ' ' || ${d.section}), 'B'))`,
    );
    await sql`insert into search_documents (article_id, status, published_at, section_id, headline, dek, tags, authors, section, body, head_tsv, tsv)
      select v.*, v.head || setweight(to_tsvector(${config}::regconfig, v.body), 'C')
      from (values ${sql.join(rows)}) as v(article_id, status, published_at, section_id, headline, dek, tags, authors, section, body, head)
      on conflict (article_id) do update set status = excluded.status, published_at = excluded.published_at, section_id = excluded.section_id,
        headline = excluded.headline, dek = excluded.dek, tags = excluded.tags, authors = excluded.authors, section = excluded.section,
        body = excluded.body, head_tsv = excluded.head_tsv, tsv = excluded.tsv`.execute(q);
  }

  async remove(q: Q, ids: readonly number[]): Promise<void> {
    if (ids.length) await q.deleteFrom('search_documents').where('article_id', 'in', ids).execute();
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Ids of the articles that show this author, section or tag (whatever their status). */
  async articleIdsWith(kind: 'author' | 'section' | 'tag', id: number): Promise<number[]> {
    const rows =
      kind === 'section'
        ? await this.db.selectFrom('articles').select('id').where('section_id', '=', id).execute()
        : kind === 'author'
          ? await this.db.selectFrom('article_authors').select('article_id as id').where('author_id', '=', id).execute()
          : await this.db.selectFrom('article_tags').select('article_id as id').where('tag_id', '=', id).execute();
    return rows.map((r) => r.id);
  }

  /** What a result shows besides the marked text: link, dek, label, time, section, bylines. */
  async rows(ids: readonly number[]): Promise<Map<number, ResultRow>> {
    const out = new Map<number, ResultRow>();
    if (!ids.length) return out;
    const [rows, bylines] = await Promise.all([
      this.db
        .selectFrom('articles as a')
        .leftJoin('sections as s', 's.id', 'a.section_id')
        .select(['a.id', 'a.slug', 'a.headline', 'a.dek', 'a.label', 'a.published_at', 's.id as section_id', 's.slug as section_slug', 's.name as section_name'])
        .where('a.id', 'in', ids)
        .execute(),
      this.db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .select(['aa.article_id', 'au.id', 'au.slug', 'au.name', 'au.title'])
        .where('aa.article_id', 'in', ids)
        .orderBy('aa.article_id')
        .orderBy('aa.position')
        .execute(),
    ]);
    const byArticle = new Map<number, Byline[]>();
    for (const b of bylines) byArticle.set(b.article_id, [...(byArticle.get(b.article_id) ?? []), { id: b.id, slug: b.slug, name: b.name, title: b.title }]);
    for (const r of rows) {
      out.set(r.id, {
        id: r.id,
        slug: r.slug,
        headline: r.headline,
        dek: r.dek,
        label: r.label,
        publishedAt: r.published_at ?? '',
        section: r.section_id !== null && r.section_slug !== null ? { id: r.section_id, slug: r.section_slug, name: r.section_name ?? '' } : null,
        authors: byArticle.get(r.id) ?? [],
      });
    }
    return out;
  }

  // ------------------------------------------------------------------ reindexing

  /** Article ids after `afterId`, in id order (reindex batches). */
  async articleIdsAfter(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db.selectFrom('articles').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async counts(): Promise<{ articles: number; documents: number }> {
    const [articles, documents] = await Promise.all([
      this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      this.db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { articles: Number(articles.n), documents: Number(documents.n) };
  }

  /** Documents whose article no longer exists (deleted while no index was kept, e.g. by hand). */
  async removeOrphans(): Promise<number> {
    const result = await this.db
      .deleteFrom('search_documents')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('articles').select('articles.id').whereRef('articles.id', '=', 'search_documents.article_id'))))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * PostgreSQL: drops the full-text GIN index before filling an empty table (maintaining it row by row took 40 % of
   * a first indexing; building it once afterwards takes a fraction of that).
   */
  async dropFullTextIndex(): Promise<void> {
    await sql`drop index if exists search_documents_window`.execute(this.db);
    await sql`drop index if exists search_documents_tsv`.execute(this.db);
    this.windowIndex = undefined;
  }

  /** PostgreSQL: whether a full-text GIN index exists (it does not while a first indexing, or an interrupted one, runs). */
  async hasFullTextIndex(): Promise<boolean> {
    const rows = await sql<{ n: number }>`select count(*)::integer as n from pg_indexes where schemaname = current_schema()
      and tablename = 'search_documents' and indexname in ('search_documents_window', 'search_documents_tsv')`.execute(this.db);
    return Number(rows.rows[0]?.n ?? 0) > 0;
  }

  /**
   * PostgreSQL: builds the full-text GIN index in one pass: over (article_id, tsv) when the btree_gin extension is
   * there (migration 0011), else over tsv alone.
   */
  async createFullTextIndex(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      const btreeGin = await sql<{ n: number }>`select count(*)::integer as n from pg_extension where extname = 'btree_gin'`.execute(trx);
      if (Number(btreeGin.rows[0]?.n ?? 0) > 0) await sql`create index if not exists search_documents_window on search_documents using gin (article_id, tsv)`.execute(trx);
      else await sql`create index if not exists search_documents_tsv on search_documents using gin (tsv)`.execute(trx);
    });
    this.windowIndex = undefined;
  }

  /** PostgreSQL: reclaims dead row versions and refreshes the planner's statistics (after a full reindex). */
  async vacuum(): Promise<void> {
    await sql`vacuum (analyze) search_documents`.execute(this.db);
  }

  /** SQLite: the FTS5 table's tokenizer as created (to tell whether the site language changed since). */
  async sqliteTokenizer(): Promise<string | undefined> {
    const row = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'search_fts'`.execute(this.db);
    return /tokenize='([^']*)'/.exec(row.rows[0]?.sql ?? '')?.[1];
  }

  /**
   * SQLite: empties the index and creates the FTS5 table again with another
   * tokenizer, in one transaction (the triggers are dropped first: deleting
   * through them would feed the old rows to the new, empty index).
   */
  async recreateSqliteIndex(tokenizer: string): Promise<void> {
    if (!/^[a-z0-9_ ]+$/.test(tokenizer)) throw new Error(`unexpected tokenizer: ${tokenizer}`);
    await this.db.transaction().execute(async (trx) => {
      await sql`drop trigger if exists search_documents_ad`.execute(trx);
      await sql`delete from search_documents`.execute(trx);
      await sql`drop table if exists search_fts`.execute(trx);
      await sql
        .raw(
          `create virtual table search_fts using fts5(headline, dek, tags, authors, section, body, ` +
            `content='search_documents', content_rowid='article_id', tokenize='${tokenizer}', prefix='3')`,
        )
        .execute(trx);
      await sql`create trigger search_documents_ad after delete on search_documents begin
        insert into search_fts(search_fts, rowid, headline, dek, tags, authors, section, body)
        values ('delete', old.article_id, old.headline, old.dek, old.tags, old.authors, old.section, old.body);
      end`.execute(trx);
    });
  }

  // ------------------------------------------------------------------ searching

  /**
   * Published, not-future matches: one page ordered by blended score (or newest
   * first), and how many there are. Ranking reads at most POOL matches, the
   * newest by article id (ids grow with time): a word found in most of the
   * archive ("harbour") would otherwise score every one of 80,000 rows on each
   * search. `total` is exact up to POOL and POOL when there are more
   * (`capped`). The full-text index drives the query (CROSS JOIN keeps SQLite
   * from starting at search_documents and running the MATCH per row).
   */
  async search(
    match: SearchMatch,
    filter: SearchFilter,
    options: { now: string; limit: number; offset: number; order: 'relevance' | 'newest'; pool?: number; windows?: readonly number[] },
  ): Promise<{ total: number; capped: boolean; hits: SearchHit[] }> {
    const { now } = options;
    const pool = options.pool ?? POOL;
    const where = this.filterSql(filter, now);
    if (this.dialect === 'postgres') return this.searchPostgres(match, where, now, pool, options);
    const decay = sql.raw(DECAY_DAYS.toFixed(1));
    const weights = sql.raw(BM25_WEIGHTS.map((w) => w.toFixed(1)).join(', '));
    // bm25() is negative (more negative = better): dividing by the age factor moves old stories towards 0.
    const order = options.order === 'newest' ? sql`published_at desc, id desc` : sql`score, id desc`;
    const rows = (
      await sql<{ id: number; score: number; total: number }>`select id, -score as score, count(*) over () as total from (
        select d.article_id as id, d.published_at as published_at,
          bm25(search_fts, ${weights}) / (1.0 + max(0.0, julianday(${now}) - julianday(d.published_at)) / ${decay}) as score
        from search_fts cross join search_documents d on d.article_id = search_fts.rowid
        where search_fts match ${match.expression} ${where}
        order by search_fts.rowid desc limit ${pool})
      order by ${order} limit ${options.limit} offset ${options.offset}`.execute(this.db)
    ).rows;
    let total = Number(rows[0]?.total ?? 0);
    if (!rows.length && options.offset > 0) {
      // Past the last page: the window count came back empty, ask for it alone.
      total = (await this.search(match, filter, { ...options, offset: 0, limit: 1 })).total;
    }
    return { total, capped: total >= pool, hits: rows.map((r) => ({ id: r.id, score: Number(r.score) })) };
  }

  /**
   * PostgreSQL: the newest `pool` matches, scored. GIN cannot list matches
   * newest first, so the pool is looked for among the newest FIRST_WINDOW
   * stories first (inside the GIN index that also covers article_id,
   * migration 0011), then, if it did not fill, among as many newest stories
   * as the density of matches just seen asks for, until it is full or the
   * whole archive was searched: a word found in most stories is answered from
   * the newest few thousand, a rare one from its few matches. Bitmap scans are
   * forced (set_config ... local): the planner otherwise walks the primary key
   * backwards testing each row's vector, detoasting a 6-8 KB vector per row
   * (seconds for a mid-frequency word). Ranking uses `head_tsv` (headline and
   * names, small and in the row) plus a base score for any match, so the
   * body's vector is never read; body-only matches rank by recency among
   * themselves. `windows` (tests) replaces the spans tried.
   */
  private async searchPostgres(
    match: SearchMatch,
    where: RawBuilder<unknown>,
    now: string,
    pool: number,
    options: { limit: number; offset: number; order: 'relevance' | 'newest'; windows?: readonly number[] },
  ): Promise<{ total: number; capped: boolean; hits: SearchHit[] }> {
    const query = sql`to_tsquery(${match.config}::regconfig, ${match.expression})`;
    const windowed = await this.hasWindowIndex();
    const scored = await this.db.transaction().execute(async (trx) => {
      // One statement, planned before its set_config calls run: max() still reads the primary key's last entry.
      const settings = await sql<{ newest: number | null }>`select (select max(article_id) from search_documents) as newest,
        set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),
        set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
      const newest = windowed ? Number(settings.rows[0]?.newest ?? 0) : 0;
      let span = windowed ? (options.windows?.[0] ?? FIRST_WINDOW) : Infinity;
      for (let attempt = 1; ; attempt++) {
        const all = span === Infinity || newest - span <= 0;
        const from = all ? sql`` : sql`and d.article_id > ${newest - span}::integer`;
        // ts_rank over the pool only: head_tsv rides along from the index scan's rows.
        const found = await sql<{ id: number; rank: number; published_at: string | null }>`select id, published_at, ts_rank(head_tsv, ${query}) as rank
          from (select d.article_id as id, d.published_at, d.head_tsv from search_documents d
            where d.tsv @@ ${query} ${from} ${where} order by d.article_id desc limit ${pool}) as newest_matches`.execute(trx);
        if (found.rows.length >= pool || all) return found.rows;
        // Not full: widen to where, at the density just seen, the pool should fill (a quarter more, for safety).
        const wanted = found.rows.length ? Math.ceil((span * pool * 1.25) / found.rows.length) : Infinity;
        span = options.windows?.[attempt] ?? Math.max(wanted, span * 2);
      }
    });
    if (!scored.length) return { total: 0, capped: false, hits: [] };
    // The recency blend in TypeScript: parsing 1,000 text timestamps as timestamptz took PostgreSQL ~1.5 ms.
    const nowMs = Date.parse(now);
    const rows = scored.map((r) => {
      const ageDays = Math.max(0, (nowMs - Date.parse(r.published_at ?? now)) / 86_400_000);
      return { id: Number(r.id), score: (BODY_MATCH_SCORE + Number(r.rank)) / (1 + ageDays / DECAY_DAYS), publishedAt: r.published_at ?? '' };
    });
    rows.sort(
      options.order === 'newest'
        ? (a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : b.id - a.id)
        : (a, b) => b.score - a.score || b.id - a.id,
    );
    const total = rows.length;
    return { total, capped: total >= pool, hits: rows.slice(options.offset, options.offset + options.limit).map((r) => ({ id: r.id, score: r.score })) };
  }

  private windowIndex: Promise<boolean> | undefined;

  /** PostgreSQL: whether migration 0011 could create the GIN index over (article_id, tsv). */
  private hasWindowIndex(): Promise<boolean> {
    this.windowIndex ??= sql<{ found: number }>`select count(*)::integer as found from pg_indexes
        where schemaname = current_schema() and tablename = 'search_documents' and indexname = 'search_documents_window'`
      .execute(this.db)
      .then((r) => Number(r.rows[0]?.found ?? 0) > 0)
      .catch(() => false);
    return this.windowIndex;
  }

  /** The indexed text of these results that their snippet is chosen from (the headline comes with the row). */
  async hitTexts(ids: readonly number[]): Promise<Map<number, HitText>> {
    const out = new Map<number, HitText>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('search_documents')
      .select(['article_id', 'dek', 'tags', 'authors', sql<string>`substr(body, 1, ${SNIPPET_SOURCE_CHARS})`.as('body')])
      .where('article_id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.article_id, { dek: r.dek, tags: r.tags, authors: r.authors, body: r.body });
    return out;
  }

  /** Any-status matches, for the newsroom's own list (at most `limit` ids, best first on SQLite, unordered on PostgreSQL). */
  async matchingIds(match: SearchMatch, limit: number): Promise<number[]> {
    if (this.dialect === 'sqlite') {
      const rows = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${match.expression} limit ${limit}`.execute(this.db);
      return rows.rows.map((r) => r.id);
    }
    const rows = await sql<{ id: number }>`select article_id as id from search_documents
      where tsv @@ to_tsquery(${match.config}::regconfig, ${match.expression}) limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => r.id);
  }

  private filterSql(filter: SearchFilter, now: string): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`and d.status = 'published' and d.published_at <= ${now}`];
    if (filter.sectionId !== undefined) parts.push(sql`and d.section_id = ${filter.sectionId}`);
    if (filter.authorId !== undefined) parts.push(sql`and d.article_id in (select article_id from article_authors where author_id = ${filter.authorId})`);
    if (filter.from !== undefined) parts.push(sql`and d.published_at >= ${filter.from}`);
    if (filter.before !== undefined) parts.push(sql`and d.published_at < ${filter.before}`);
    return sql.join(parts, sql` `);
  }
}
