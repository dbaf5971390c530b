/** Kysely queries for the related-story engine. No rules here: see related.service.ts. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleLabel, ArticleStatus, Database, RelatedPickKind } from '../db/schema.js';
import type { Dialect } from '../db/connection.js';

type Q = Kysely<Database> | Transaction<Database>;

/** What the engine reads of an article to index it. */
export interface ArticleSource {
  id: number;
  headline: string;
  dek: string;
  bodyDoc: string;
  status: ArticleStatus;
  publishedAt: string | null;
  sectionId: number | null;
  label: ArticleLabel;
  tagIds: number[];
}

/** What ranking needs of an article besides its terms, kept in related_articles. */
export interface RankedMeta {
  publishedAt: string | null;
  sectionId: number | null;
  label: ArticleLabel;
}

export interface CandidateMeta {
  id: number;
  status: ArticleStatus;
  publishedAt: string | null;
  sectionId: number | null;
  label: ArticleLabel;
  headlineKey: string;
  tagIds: number[];
}

export interface PickRow {
  articleId: number;
  pickedId: number;
  kind: RelatedPickKind;
  position: number;
  score: number;
}

/** A pick as pages and the Admin API show it. */
export interface PickView {
  id: number;
  kind: RelatedPickKind;
  position: number;
  score: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  publishedAt: string | null;
  label: ArticleLabel;
  section: { id: number; slug: string; name: string } | null;
}

export interface Posting {
  term: string;
  articleId: number;
  weight: number;
}

export interface StateRow {
  inlineLinks: boolean;
  textHash: string | null;
  headlineKey: string;
  counted: boolean;
}

const SQLITE_MAX_IN = 900;

function chunks<T>(items: readonly T[], size = SQLITE_MAX_IN): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class RelatedRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async source(id: number): Promise<ArticleSource | undefined> {
    const row = await this.db
      .selectFrom('articles')
      .select(['id', 'headline', 'dek', 'body_doc', 'status', 'published_at', 'section_id', 'label'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const tags = await this.db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).execute();
    return {
      id: row.id,
      headline: row.headline,
      dek: row.dek,
      bodyDoc: row.body_doc,
      status: row.status,
      publishedAt: row.published_at,
      sectionId: row.section_id,
      label: row.label,
      tagIds: tags.map((t) => t.tag_id),
    };
  }

  /** Published articles after `afterId`, in id order: the rebuild walks the archive with it. */
  async publishedSources(afterId: number, limit: number, now: string): Promise<ArticleSource[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select(['id', 'headline', 'dek', 'body_doc', 'status', 'published_at', 'section_id', 'label'])
      .where('id', '>', afterId)
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .execute();
    const tagMap = await this.tagsOf(rows.map((r) => r.id));
    return rows.map((row) => ({
      id: row.id,
      headline: row.headline,
      dek: row.dek,
      bodyDoc: row.body_doc,
      status: row.status,
      publishedAt: row.published_at,
      sectionId: row.section_id,
      label: row.label,
      tagIds: tagMap.get(row.id) ?? [],
    }));
  }

  private async tagsOf(ids: readonly number[]): Promise<Map<number, number[]>> {
    const map = new Map<number, number[]>();
    for (const part of chunks(ids)) {
      if (!part.length) continue;
      const rows = await this.db.selectFrom('article_tags').select(['article_id', 'tag_id']).where('article_id', 'in', part).execute();
      for (const r of rows) {
        const list = map.get(r.article_id) ?? [];
        list.push(r.tag_id);
        map.set(r.article_id, list);
      }
    }
    return map;
  }

  // --- per-article state -----------------------------------------------------------------

  async state(id: number): Promise<StateRow | undefined> {
    const row = await this.db.selectFrom('related_articles').selectAll().where('article_id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { inlineLinks: row.inline_links === 1, textHash: row.text_hash, headlineKey: row.headline_key, counted: row.counted === 1 };
  }

  async saveState(q: Q, id: number, values: { textHash: string | null; headlineKey: string; counted: boolean; indexedAt: string | null; meta?: RankedMeta }): Promise<void> {
    const row = {
      text_hash: values.textHash,
      headline_key: values.headlineKey,
      counted: values.counted ? 1 : 0,
      indexed_at: values.indexedAt,
      ...(values.meta ? { published_at: values.meta.publishedAt, section_id: values.meta.sectionId, label: values.meta.label } : {}),
    };
    await q
      .insertInto('related_articles')
      .values({ article_id: id, ...row })
      .onConflict((oc) => oc.column('article_id').doUpdateSet(row))
      .execute();
  }

  async setInline(q: Q, id: number, on: boolean): Promise<void> {
    await q
      .insertInto('related_articles')
      .values({ article_id: id, inline_links: on ? 1 : 0 })
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ inline_links: on ? 1 : 0 }))
      .execute();
  }

  async countedDocs(): Promise<number> {
    const row = await this.db.selectFrom('related_articles').select((eb) => eb.fn.countAll<number>().as('n')).where('counted', '=', 1).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // --- document frequencies ----------------------------------------------------------------

  async dfOf(terms: readonly string[]): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    for (const part of chunks(terms)) {
      if (!part.length) continue;
      const rows = await this.db.selectFrom('related_df').select(['term', 'df']).where('term', 'in', part).execute();
      for (const r of rows) map.set(r.term, Number(r.df));
    }
    return map;
  }

  async addDf(q: Q, counts: ReadonlyMap<string, number>): Promise<void> {
    const rows = [...counts].map(([term, df]) => ({ term, df }));
    for (const part of chunks(rows, 400)) {
      await q
        .insertInto('related_df')
        .values(part)
        .onConflict((oc) => oc.column('term').doUpdateSet({ df: sql`related_df.df + excluded.df` }))
        .execute();
    }
  }

  /**
   * PostgreSQL, after a rebuild wrote millions of term rows: marks their pages all-visible (so posting lists are read
   * from the index alone; before, every posting was also fetched from the table) and refreshes the planner's
   * statistics. SQLite needs neither.
   */
  async vacuum(): Promise<void> {
    if (this.dialect !== 'postgres') return;
    for (const table of ['related_terms', 'related_df', 'related_articles']) await sql.raw(`vacuum (analyze) ${table}`).execute(this.db);
  }

  async clearIndex(): Promise<void> {
    await this.db.deleteFrom('related_terms').execute();
    await this.db.deleteFrom('related_df').execute();
    await this.db.updateTable('related_articles').set({ counted: 0, text_hash: null }).execute();
  }

  // --- terms ---------------------------------------------------------------------------------

  async replaceTerms(q: Q, id: number, publishedAt: string, terms: ReadonlyMap<string, number>): Promise<void> {
    await q.deleteFrom('related_terms').where('article_id', '=', id).execute();
    const rows = [...terms].map(([term, weight]) => ({ article_id: id, term, weight, published_at: publishedAt }));
    for (const part of chunks(rows, 200)) if (part.length) await q.insertInto('related_terms').values(part).execute();
  }

  async insertTermsBulk(q: Q, rows: { article_id: number; term: string; weight: number; published_at: string }[]): Promise<void> {
    for (const part of chunks(rows, 1500)) if (part.length) await q.insertInto('related_terms').values(part).execute();
  }

  async deleteTermsOf(q: Q, ids: readonly number[]): Promise<void> {
    for (const part of chunks(ids)) if (part.length) await q.deleteFrom('related_terms').where('article_id', 'in', part).execute();
  }

  async saveStates(q: Q, rows: readonly { id: number; textHash: string; headlineKey: string; counted: boolean; indexedAt: string; meta: RankedMeta }[]): Promise<void> {
    const values = rows.map((r) => ({
      article_id: r.id,
      text_hash: r.textHash,
      headline_key: r.headlineKey,
      counted: r.counted ? 1 : 0,
      indexed_at: r.indexedAt,
      published_at: r.meta.publishedAt,
      section_id: r.meta.sectionId,
      label: r.meta.label,
    }));
    for (const part of chunks(values, 400)) {
      if (!part.length) continue;
      await q
        .insertInto('related_articles')
        .values(part)
        .onConflict((oc) =>
          oc.column('article_id').doUpdateSet((eb) => ({
            text_hash: eb.ref('excluded.text_hash'),
            headline_key: eb.ref('excluded.headline_key'),
            counted: eb.ref('excluded.counted'),
            indexed_at: eb.ref('excluded.indexed_at'),
            published_at: eb.ref('excluded.published_at'),
            section_id: eb.ref('excluded.section_id'),
            label: eb.ref('excluded.label'),
          })),
        )
        .execute();
    }
  }

  async deleteTerms(q: Q, id: number): Promise<void> {
    await q.deleteFrom('related_terms').where('article_id', '=', id).execute();
  }

  /** Stored vectors of several articles (term -> weight). */
  async vectors(ids: readonly number[]): Promise<Map<number, Map<string, number>>> {
    const map = new Map<number, Map<string, number>>();
    for (const part of chunks(ids)) {
      if (!part.length) continue;
      const rows = await this.db.selectFrom('related_terms').select(['article_id', 'term', 'weight']).where('article_id', 'in', part).execute();
      for (const r of rows) {
        let v = map.get(r.article_id);
        if (!v) map.set(r.article_id, (v = new Map()));
        v.set(r.term, Number(r.weight));
      }
    }
    return map;
  }

  /**
   * For each term, its `limit` strongest articles published in [from, to]:
   * one statement, each term an index range scan (term, weight desc, published_at).
   */
  async postings(terms: readonly { term: string; limit: number }[], from: string, to: string): Promise<Posting[]> {
    if (!terms.length) return [];
    if (this.dialect === 'postgres') {
      // One small plan for every term (a 30-branch UNION ALL is planned anew on each call: most of its cost).
      const result = await sql<{ term: string; article_id: number; weight: number }>`select p.term, p.article_id, p.weight
        from unnest(${terms.map((t) => t.term)}::text[], ${terms.map((t) => t.limit)}::integer[]) as q(term, lim)
        cross join lateral (select r.term, r.article_id, r.weight from related_terms r
          where r.term = q.term and r.published_at >= ${from} and r.published_at <= ${to} order by r.weight desc limit q.lim) as p`.execute(this.db);
      return result.rows.map((r) => ({ term: r.term, articleId: Number(r.article_id), weight: Number(r.weight) }));
    }
    const parts = terms.map(
      ({ term, limit }) =>
        sql`select * from (select term, article_id, weight from related_terms where term = ${term} and published_at >= ${from} and published_at <= ${to} order by weight desc limit ${limit}) as p`,
    );
    const result = await sql<{ term: string; article_id: number; weight: number }>`${sql.join(parts, sql` union all `)}`.execute(this.db);
    return result.rows.map((r) => ({ term: r.term, articleId: Number(r.article_id), weight: Number(r.weight) }));
  }

  async candidates(ids: readonly number[]): Promise<Map<number, CandidateMeta>> {
    const map = new Map<number, CandidateMeta>();
    if (!ids.length) return map;
    const tagsRead = this.tagsOf(ids); // at the same time as the rows below
    for (const part of chunks(ids)) {
      // From the engine's own rows, not `articles` (see migration 0008): an article is a candidate while indexed.
      const rows = await this.db
        .selectFrom('related_articles')
        .select(['article_id', 'indexed_at', 'published_at', 'section_id', 'label', 'headline_key'])
        .where('article_id', 'in', part)
        .execute();
      for (const r of rows) {
        map.set(r.article_id, {
          id: r.article_id,
          status: r.indexed_at !== null ? 'published' : 'unpublished',
          publishedAt: r.published_at,
          sectionId: r.section_id,
          label: r.label,
          headlineKey: r.headline_key,
          tagIds: [],
        });
      }
    }
    const tags = await tagsRead;
    for (const [id, list] of tags) {
      const meta = map.get(id);
      if (meta) meta.tagIds = list;
    }
    return map;
  }

  // --- picks ---------------------------------------------------------------------------------

  async picksOf(ids: readonly number[]): Promise<Map<number, PickRow[]>> {
    const map = new Map<number, PickRow[]>();
    for (const part of chunks(ids)) {
      if (!part.length) continue;
      const rows = await this.db.selectFrom('related_picks').selectAll().where('article_id', 'in', part).orderBy('position').execute();
      for (const r of rows) {
        const list = map.get(r.article_id) ?? [];
        list.push({ articleId: r.article_id, pickedId: r.picked_id, kind: r.kind, position: r.position, score: Number(r.score) });
        map.set(r.article_id, list);
      }
    }
    return map;
  }

  async replacePicks(q: Q, articleId: number, rows: readonly Omit<PickRow, 'articleId'>[]): Promise<void> {
    await q.deleteFrom('related_picks').where('article_id', '=', articleId).execute();
    if (!rows.length) return;
    await q
      .insertInto('related_picks')
      .values(rows.map((r) => ({ article_id: articleId, picked_id: r.pickedId, kind: r.kind, position: r.position, score: r.score })))
      .execute();
  }

  /** Deletes every automatic pick of `pickedId` in one statement; returns the articles that showed it. */
  async removeAutoPicksOf(q: Q, pickedId: number): Promise<number[]> {
    const rows = await q.selectFrom('related_picks').select('article_id').where('picked_id', '=', pickedId).where('kind', '!=', 'removed').execute();
    await q.deleteFrom('related_picks').where('picked_id', '=', pickedId).where('kind', '=', 'auto').execute();
    return [...new Set(rows.map((r) => r.article_id))];
  }

  async deleteAutoPicks(q: Q, articleId: number): Promise<void> {
    await q.deleteFrom('related_picks').where('article_id', '=', articleId).where('kind', '=', 'auto').execute();
  }

  /** Picks with what a page or the editor needs to show them, in order. */
  async pickViews(articleId: number, kinds: readonly RelatedPickKind[]): Promise<PickView[]> {
    const rows = await this.db
      .selectFrom('related_picks as p')
      .innerJoin('articles as a', 'a.id', 'p.picked_id')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .select(['p.picked_id', 'p.kind', 'p.position', 'p.score', 'a.slug', 'a.headline', 'a.status', 'a.published_at', 'a.label', 'a.section_id', 's.slug as section_slug', 's.name as section_name'])
      .where('p.article_id', '=', articleId)
      .where('p.kind', 'in', [...kinds])
      .orderBy('p.position')
      .execute();
    return rows.map((r) => ({
      id: r.picked_id,
      kind: r.kind,
      position: r.position,
      score: Number(r.score),
      slug: r.slug,
      headline: r.headline,
      status: r.status,
      publishedAt: r.published_at,
      label: r.label,
      section: r.section_id !== null && r.section_slug !== null && r.section_name !== null ? { id: r.section_id, slug: r.section_slug, name: r.section_name } : null,
    }));
  }

  async existingArticles(ids: readonly number[]): Promise<Map<number, { status: ArticleStatus; publishedAt: string | null }>> {
    const map = new Map<number, { status: ArticleStatus; publishedAt: string | null }>();
    for (const part of chunks(ids)) {
      if (!part.length) continue;
      const rows = await this.db.selectFrom('articles').select(['id', 'status', 'published_at']).where('id', 'in', part).execute();
      for (const r of rows) map.set(r.id, { status: r.status, publishedAt: r.published_at });
    }
    return map;
  }

  async sectionOf(id: number): Promise<{ id: number; slug: string; name: string } | undefined> {
    return this.db.selectFrom('sections').select(['id', 'slug', 'name']).where('id', '=', id).executeTakeFirst();
  }
}
