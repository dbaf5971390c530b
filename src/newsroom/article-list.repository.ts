/**
 * The newsroom's article list (Admin API): every status, filtered, sorted and
 * paged, plus counts per status. Kysely queries only.
 *
 * Fast at 50,000 articles: the page query selects narrow columns (never the
 * bodies) and orders by an indexed column plus id (migration 0004); counts are
 * one GROUP BY status over the articles table alone, with no joins, so the
 * status indexes answer them; bylines and sections for the page's rows come in
 * one batched query each.
 */
import { sql, type Kysely } from 'kysely';
import type { ArticleLabel, ArticleStatus, Database } from '../db/schema.js';

export type ArticleSort = 'updated' | 'published' | 'headline';

export interface ArticleListFilter {
  status?: ArticleStatus;
  sectionId?: number;
  authorId?: number;
  label?: ArticleLabel;
  /** Headline contains this text (case-insensitive), or the full-text index matches its words (see `find`). */
  q?: string;
  /** Created by this staff user. */
  createdBy?: number;
  /** Only articles submitted for review (review_requested_at set). */
  reviewRequested?: boolean;
  /** Only these ids (set internally by a headline search with few matches). */
  ids?: number[];
}

export interface ArticleListRow {
  id: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  label: ArticleLabel;
  section_id: number | null;
  saved_at: string;
  published_at: string | null;
  first_published_at: string | null;
  scheduled_at: string | null;
  top_rank: number | null;
  version: number;
  created_by: number | null;
  review_requested_at: string | null;
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Up to this many headline matches, a search looks up the matching rows by id. */
const SEARCH_NARROW_MAX = 2_000;

const STATUSES: readonly ArticleStatus[] = ['draft', 'scheduled', 'published', 'unpublished'];

/** The site search engine, as the list uses it: ids of articles (any status) whose indexed text matches. */
export interface FullTextMatcher {
  newsroomMatches(text: string, limit: number): Promise<number[] | undefined>;
}

/** Symbols the full-text index cannot see ("100%", "c++", "a_b"): such a search is a literal headline search only. */
const LITERAL_ONLY = /[^\p{L}\p{N}\p{M}\s"'’.,-]/u;
/** Control characters never match a headline (and PostgreSQL refuses NUL in text). */
const CONTROL = /\p{Cc}/gu;

export class ArticleListRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly fullText?: FullTextMatcher,
  ) {}

  private filtered(filter: Omit<ArticleListFilter, 'status'>) {
    let query = this.db.selectFrom('articles as a');
    if (filter.sectionId !== undefined) query = query.where('a.section_id', '=', filter.sectionId);
    if (filter.label !== undefined) query = query.where('a.label', '=', filter.label);
    if (filter.createdBy !== undefined) query = query.where('a.created_by', '=', filter.createdBy);
    if (filter.ids !== undefined) query = query.where('a.id', 'in', filter.ids.length ? filter.ids : [0]);
    if (filter.reviewRequested) query = query.where('a.review_requested_at', 'is not', null);
    if (filter.authorId !== undefined) {
      const authorId = filter.authorId;
      query = query.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
    }
    if (filter.q) {
      // lower() on both sides: SQLite's LIKE is case-insensitive for ASCII only, PostgreSQL's not at all.
      const pattern = likeContains(filter.q.toLowerCase());
      query = query.where(sql<boolean>`lower(a.headline) like ${pattern} escape '\\'`);
    }
    return query;
  }

  /**
   * The page and the counts. A search `q` matches an article when its headline contains
   * the text (as typed, case-insensitive), or when the site search index matches its
   * words (headline, dek, body, names; stemmed, last word as a prefix; at most
   * SEARCH_NARROW_MAX such matches) unless the text has symbols the index cannot see.
   * The headline matches are collected from the headline index alone (narrow, no table
   * rows): when there are few, the page and the counts look up just the matching rows;
   * when headline matches alone are more, they are dense enough for the sorted scan to
   * fill a page quickly, and the list shows headline matches. The chosen sort applies
   * either way (docs/admin-api.md).
   */
  async find(filter: ArticleListFilter, sort: ArticleSort, direction: 'asc' | 'desc', limit: number, offset: number) {
    let narrowed = filter;
    if (filter.q !== undefined) {
      const q = filter.q.replace(CONTROL, '');
      narrowed = { ...filter, q };
      const pattern = likeContains(q.toLowerCase());
      const [matches, fullText] = await Promise.all([
        this.db
          .selectFrom('articles as a')
          .select('a.id')
          .where(sql<boolean>`lower(a.headline) like ${pattern} escape '\\'`)
          .limit(SEARCH_NARROW_MAX + 1)
          .execute(),
        this.fullText && !LITERAL_ONLY.test(q) ? this.fullText.newsroomMatches(q, SEARCH_NARROW_MAX) : undefined,
      ]);
      if (matches.length <= SEARCH_NARROW_MAX) {
        // The ids are the whole match: the headline condition must not filter the full-text matches out again.
        const { q: _q, ...rest } = narrowed;
        narrowed = { ...rest, ids: [...new Set([...matches.map((m) => m.id), ...(fullText ?? [])])] };
      }
    }
    const { status, ...rest } = narrowed;
    const [rows, counts] = await Promise.all([this.page(narrowed, sort, direction, limit, offset), this.countsByStatus(rest)]);
    void status;
    return { rows, counts };
  }

  async page(filter: ArticleListFilter, sort: ArticleSort, direction: 'asc' | 'desc', limit: number, offset: number): Promise<ArticleListRow[]> {
    let query = this.filtered(filter).select([
      'a.id',
      'a.slug',
      'a.headline',
      'a.status',
      'a.label',
      'a.section_id',
      'a.saved_at',
      'a.published_at',
      'a.first_published_at',
      'a.scheduled_at',
      'a.top_rank',
      'a.version',
      'a.created_by',
      'a.review_requested_at',
    ]);
    if (filter.status !== undefined) query = query.where('a.status', '=', filter.status);
    if (sort === 'published') {
      // Never-published articles last in both directions and on both databases (PostgreSQL sorts nulls high, SQLite low).
      return query
        .orderBy('a.published_at', (ob) => (direction === 'asc' ? ob.asc() : ob.desc()).nullsLast())
        .orderBy('a.id', direction)
        .limit(limit)
        .offset(offset)
        .execute();
    }
    const column = sort === 'headline' ? 'a.headline' : 'a.saved_at';
    return query.orderBy(column, direction).orderBy('a.id', direction).limit(limit).offset(offset).execute();
  }

  /** How many articles match the filter (status aside), per status. */
  async countsByStatus(filter: Omit<ArticleListFilter, 'status'>): Promise<Record<ArticleStatus, number>> {
    const rows = await this.filtered(filter)
      .select(['a.status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('a.status')
      .execute();
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ArticleStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /** Ranked articles' ids, rank 1 first. */
  async ranked(): Promise<number[]> {
    const rows = await this.db.selectFrom('articles').select('id').where('top_rank', '>=', 1).orderBy('top_rank').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async sectionsByIds(ids: readonly number[]) {
    if (!ids.length) return [];
    return this.db.selectFrom('sections').select(['id', 'slug', 'name']).where('id', 'in', ids).execute();
  }

  /** The newest corrections with their article's headline (the dashboard). */
  recentCorrections(limit: number) {
    return this.db
      .selectFrom('corrections as c')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .select(['c.id', 'c.article_id', 'c.kind', 'c.body', 'c.created_at', 'a.headline'])
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
  }
}
