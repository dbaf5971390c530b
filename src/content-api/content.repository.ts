/**
 * Kysely queries the Content API needs beyond the newsroom's own: published
 * articles in keyset order (a cursor is the last row's sort value and id, so
 * pages stay stable while articles are published), and media rows by id or
 * by stored file (for the variants of images inside article bodies).
 */
import type { Kysely } from 'kysely';
import type { ArticleLabel, Database, MediaRow } from '../db/schema.js';
import { CARD_COLUMNS, type CardRow } from '../newsroom/articles.repository.js';

export type ArticleSort = 'published' | 'modified';

export interface ArticleQuery {
  sectionId?: number;
  tagId?: number;
  authorId?: number;
  label?: ArticleLabel;
  /** true: only the live breaking stories; false: none of them. */
  breaking?: boolean;
  /** Changed at or after this instant (saved_at, any change readers can see). */
  modifiedSince?: string;
  sort: ArticleSort;
  /** The last row of the previous page. */
  after?: { at: string; id: number };
  limit: number;
  now: string;
}

export interface ListedRow extends CardRow {
  saved_at: string;
  dateline: string;
  first_published_at: string | null;
  status: string;
  /** Only when the body was asked for. */
  body_blocks?: string;
  word_count?: number;
}

const LISTED_COLUMNS = [...CARD_COLUMNS, 'a.saved_at', 'a.dateline', 'a.first_published_at', 'a.status'] as const;
const BODY_COLUMNS = ['a.body_blocks', 'a.word_count'] as const;

export class ContentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Newest published first (`published`), or oldest change first (`modified`,
   * for apps that keep a copy in step: changes made while they page land after
   * their cursor, never before it).
   */
  async articles(q: ArticleQuery & { withBody: boolean }): Promise<ListedRow[]> {
    let query = this.base(q.withBody)
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', q.now);
    if (q.sectionId !== undefined) query = query.where('a.section_id', '=', q.sectionId);
    if (q.label !== undefined) query = query.where('a.label', '=', q.label);
    if (q.authorId !== undefined) {
      const authorId = q.authorId;
      query = query.where('a.id', 'in', (eb) => eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId));
    }
    if (q.tagId !== undefined) {
      const tagId = q.tagId;
      query = query.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
    }
    if (q.breaking === true) {
      query = query.where('a.breaking', '=', 1).where((eb) => eb.or([eb('a.breaking_until', 'is', null), eb('a.breaking_until', '>', q.now)]));
    } else if (q.breaking === false) {
      query = query.where((eb) => eb.or([eb('a.breaking', '=', 0), eb('a.breaking_until', '<=', q.now)]));
    }
    if (q.modifiedSince) query = query.where('a.saved_at', '>=', q.modifiedSince);
    const after = q.after;
    if (q.sort === 'published') {
      if (after) query = query.where((eb) => eb.or([eb('a.published_at', '<', after.at), eb.and([eb('a.published_at', '=', after.at), eb('a.id', '<', after.id)])]));
      query = query.orderBy('a.published_at', 'desc').orderBy('a.id', 'desc');
    } else {
      if (after) query = query.where((eb) => eb.or([eb('a.saved_at', '>', after.at), eb.and([eb('a.saved_at', '=', after.at), eb('a.id', '>', after.id)])]));
      query = query.orderBy('a.saved_at', 'asc').orderBy('a.id', 'asc');
    }
    return (await query.limit(q.limit).execute()) as ListedRow[];
  }

  /** When the soonest live breaking story stops being breaking (undefined: none will). */
  async nextBreakingEnd(now: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => eb.fn.min('breaking_until').as('end'))
      .where('status', '=', 'published')
      .where('breaking', '=', 1)
      .where('breaking_until', '>', now)
      .executeTakeFirst();
    return row?.end ?? undefined;
  }

  /** One article in any status (the caller decides what may be shown), with its body. */
  async article(by: { id: number } | { slug: string }): Promise<ListedRow | undefined> {
    const query = this.base(true);
    const row = await ('id' in by ? query.where('a.id', '=', by.id) : query.where('a.slug', '=', by.slug)).executeTakeFirst();
    return row as ListedRow | undefined;
  }

  private base(withBody: boolean) {
    const query = this.db
      .selectFrom('articles as a')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .leftJoin('media as m', 'm.id', 'a.image_id');
    return withBody ? query.select([...LISTED_COLUMNS, ...BODY_COLUMNS]) : query.select(LISTED_COLUMNS);
  }

  async mediaByIds(ids: readonly number[]): Promise<Map<number, MediaRow>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  async mediaByKeys(keys: readonly string[]): Promise<Map<string, MediaRow>> {
    if (!keys.length) return new Map();
    const rows = await this.db.selectFrom('media').selectAll().where('storage_key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.storage_key, r]));
  }

  /** Published article counts per author (for the authors list). */
  async articleCountsByAuthor(now: string): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('article_authors as aa')
      .innerJoin('articles as a', 'a.id', 'aa.article_id')
      .select(['aa.author_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now)
      .groupBy('aa.author_id')
      .execute();
    return new Map(rows.map((r) => [r.author_id, Number(r.n)]));
  }
}
