/** Kysely queries for articles and what hangs off them. No rules here: see articles.service.ts. */
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type {
  ArticleRow,
  ArticleUpdate,
  AuthorRow,
  CorrectionRow,
  Database,
  NewArticleRow,
} from '../db/schema.js';
import { imageRef, type ImageRef } from './media.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface Byline {
  id: number;
  slug: string;
  name: string;
  title: string;
}

export interface SectionRef {
  id: number;
  slug: string;
  name: string;
}

export interface TagRef {
  id: number;
  slug: string;
  name: string;
}

export interface ArticleCard {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  label: ArticleRow['label'];
  publishedAt: string;
  updatedAt: string | null;
  breaking: boolean;
  breakingUntil: string | null;
  topRank: number | null;
  section: SectionRef | null;
  image: ImageRef | null;
  authors: Byline[];
}

export interface ListFilter {
  sectionId?: number;
  authorId?: number;
  tagId?: number;
  /** Inclusive lower and exclusive upper bound on published_at (ISO strings). */
  publishedFrom?: string;
  publishedBefore?: string;
  excludeIds?: number[];
}

export const CARD_COLUMNS = [
  'a.id',
  'a.slug',
  'a.headline',
  'a.dek',
  'a.label',
  'a.published_at',
  'a.updated_at',
  'a.breaking',
  'a.breaking_until',
  'a.top_rank',
  'a.section_id',
  'a.image_alt',
  'a.image_caption',
  'a.image_credit',
  's.slug as section_slug',
  's.name as section_name',
  'm.storage_key',
  'm.width',
  'm.height',
  'm.alt',
  'm.caption',
  'm.credit',
  'm.variants',
  'm.mime',
] as const;

/** What an article page needs from the article row besides the card: not `body_doc` (the editor's source). */
const PAGE_COLUMNS = [
  ...CARD_COLUMNS,
  'a.status',
  'a.dateline',
  'a.first_published_at',
  'a.body_blocks',
  'a.word_count',
  'a.seo_title',
  'a.seo_description',
  'a.social_title',
  'a.social_description',
  'a.social_image_url',
  'a.canonical_url',
  'a.saved_at',
] as const;

/** An article page's row: the article, its section and its lead image in one read. */
export interface ArticlePageRow {
  card: ArticleCard;
  status: ArticleRow['status'];
  sectionSlug: string | null;
  dateline: string;
  firstPublishedAt: string | null;
  bodyBlocks: string;
  wordCount: number;
  seo: { title: string; description: string; socialTitle: string; socialDescription: string; socialImageUrl: string; canonicalUrl: string };
  savedAt: string;
}

/** What hangs off one article on its page: bylines (full author rows), tags, corrections. */
export interface ArticlePageExtras {
  authors: AuthorRow[];
  tags: TagRef[];
  corrections: CorrectionRow[];
}

/**
 * A query compiled once, run with new parameters: the reader's hottest queries
 * otherwise pay Kysely's query building and compiling (~25 µs) on every page.
 */
function prepared<R>(compiled: CompiledQuery<R>): (...parameters: unknown[]) => CompiledQuery<R> {
  const count = compiled.parameters.length;
  return (...parameters) => {
    if (parameters.length !== count) throw new Error(`prepared query: ${count} parameters expected, ${parameters.length} given`);
    return { ...compiled, parameters };
  };
}

/** Stands for "now" in a compiled query's parameters until it runs. */
const NOW = '\u0000now';

export class ArticlesRepository {
  private readonly pageQueries: ReturnType<ArticlesRepository['compilePageQueries']>;

  constructor(private readonly db: Kysely<Database>) {
    this.pageQueries = this.compilePageQueries();
  }

  private compilePageQueries() {
    const page = () =>
      this.db
        .selectFrom('articles as a')
        .leftJoin('sections as s', 's.id', 'a.section_id')
        .leftJoin('media as m', 'm.id', 'a.image_id')
        .select(PAGE_COLUMNS);
    return {
      breaking: this.publishedCards({}, NOW)
        .select(CARD_COLUMNS)
        .where('a.breaking', '=', 1)
        .where((eb) => eb.or([eb('a.breaking_until', 'is', null), eb('a.breaking_until', '>', NOW)]))
        .orderBy('a.published_at', 'desc')
        .limit(1)
        .compile(),
      bySlug: prepared(page().where('a.slug', '=', '').compile()),
      byId: prepared(page().where('a.id', '=', 0).compile()),
      authors: prepared(
        this.db
          .selectFrom('article_authors as aa')
          .innerJoin('authors as au', 'au.id', 'aa.author_id')
          .selectAll('au')
          .where('aa.article_id', '=', 0)
          .orderBy('aa.position')
          .compile(),
      ),
      tags: prepared(
        this.db
          .selectFrom('article_tags as at')
          .innerJoin('tags as t', 't.id', 'at.tag_id')
          .select(['t.id', 't.slug', 't.name'])
          .where('at.article_id', '=', 0)
          .orderBy('at.position')
          .compile(),
      ),
      corrections: prepared(
        this.db
          .selectFrom('corrections')
          .selectAll()
          .where('article_id', '=', 0)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .compile(),
      ),
    };
  }

  /**
   * An article as its page shows it, by slug or id (any status): article,
   * section and lead image in one query, without the editor's `body_doc`. The
   * card's bylines are filled in by `pageExtras` (they come with the authors).
   */
  async pageArticle(by: { slug: string } | { id: number }): Promise<ArticlePageRow | undefined> {
    const query = 'slug' in by ? this.pageQueries.bySlug(by.slug) : this.pageQueries.byId(by.id);
    const row = (await this.db.executeQuery(query)).rows[0];
    if (!row) return undefined;
    return {
      card: cardFromRow(row, []),
      status: row.status,
      sectionSlug: row.section_slug,
      dateline: row.dateline,
      firstPublishedAt: row.first_published_at,
      bodyBlocks: row.body_blocks,
      wordCount: row.word_count,
      seo: {
        title: row.seo_title,
        description: row.seo_description,
        socialTitle: row.social_title,
        socialDescription: row.social_description,
        socialImageUrl: row.social_image_url,
        canonicalUrl: row.canonical_url,
      },
      savedAt: row.saved_at,
    };
  }

  /** An article page's authors (in byline order), tags (in order) and corrections (newest first). */
  async pageExtras(articleId: number): Promise<ArticlePageExtras> {
    const [authors, tags, corrections] = await Promise.all([
      this.db.executeQuery(this.pageQueries.authors(articleId)),
      this.db.executeQuery(this.pageQueries.tags(articleId)),
      this.db.executeQuery(this.pageQueries.corrections(articleId)),
    ]);
    return { authors: authors.rows, tags: tags.rows, corrections: corrections.rows };
  }

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insert(q: Q, row: NewArticleRow): Promise<number> {
    const { id } = await q.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  }

  async update(q: Q, id: number, patch: ArticleUpdate, expectedVersion?: number): Promise<boolean> {
    let query = q.updateTable('articles').set(patch).where('id', '=', id);
    if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  findById(q: Q, id: number): Promise<ArticleRow | undefined> {
    return q.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byId(id: number): Promise<ArticleRow | undefined> {
    return this.findById(this.db, id);
  }

  findBySlug(slug: string): Promise<ArticleRow | undefined> {
    return this.db.selectFrom('articles').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  /** Used by another article, or still redirecting readers to another article (its old slug). */
  async slugTaken(q: Q, slug: string, exceptId?: number): Promise<boolean> {
    let query = q.selectFrom('articles').select('id').where('slug', '=', slug);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    if ((await query.executeTakeFirst()) !== undefined) return true;
    let redirect = q.selectFrom('article_redirects').select('article_id').where('old_slug', '=', slug);
    if (exceptId !== undefined) redirect = redirect.where('article_id', '!=', exceptId);
    return (await redirect.executeTakeFirst()) !== undefined;
  }

  async redirectFor(slug: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('article_redirects').select('article_id').where('old_slug', '=', slug).executeTakeFirst();
    return row?.article_id;
  }

  async addRedirect(q: Q, oldSlug: string, articleId: number, now: string): Promise<void> {
    await q
      .insertInto('article_redirects')
      .values({ old_slug: oldSlug, article_id: articleId, created_at: now })
      .onConflict((oc) => oc.column('old_slug').doUpdateSet({ article_id: articleId, created_at: now }))
      .execute();
  }

  async removeRedirect(q: Q, slug: string): Promise<void> {
    await q.deleteFrom('article_redirects').where('old_slug', '=', slug).execute();
  }

  async setAuthors(q: Q, articleId: number, authorIds: readonly number[]): Promise<void> {
    await q.deleteFrom('article_authors').where('article_id', '=', articleId).execute();
    if (authorIds.length)
      await q
        .insertInto('article_authors')
        .values(authorIds.map((author_id, position) => ({ article_id: articleId, author_id, position })))
        .execute();
  }

  async setTags(q: Q, articleId: number, tagIds: readonly number[]): Promise<void> {
    await q.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
    if (tagIds.length)
      await q
        .insertInto('article_tags')
        .values(tagIds.map((tag_id, position) => ({ article_id: articleId, tag_id, position })))
        .execute();
  }

  async authorIds(q: Q, articleId: number): Promise<number[]> {
    const rows = await q
      .selectFrom('article_authors')
      .select('author_id')
      .where('article_id', '=', articleId)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.author_id);
  }

  async tagIds(q: Q, articleId: number): Promise<number[]> {
    const rows = await q.selectFrom('article_tags').select('tag_id').where('article_id', '=', articleId).orderBy('position').execute();
    return rows.map((r) => r.tag_id);
  }

  async bylines(articleIds: readonly number[]): Promise<Map<number, Byline[]>> {
    const map = new Map<number, Byline[]>();
    if (!articleIds.length) return map;
    const rows = await this.db
      .selectFrom('article_authors as aa')
      .innerJoin('authors as au', 'au.id', 'aa.author_id')
      .select(['aa.article_id', 'au.id', 'au.slug', 'au.name', 'au.title'])
      .where('aa.article_id', 'in', articleIds)
      .orderBy('aa.article_id')
      .orderBy('aa.position')
      .execute();
    for (const row of rows) {
      const list = map.get(row.article_id) ?? [];
      list.push({ id: row.id, slug: row.slug, name: row.name, title: row.title });
      map.set(row.article_id, list);
    }
    return map;
  }

  async tagsOf(articleId: number): Promise<TagRef[]> {
    return this.db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['t.id', 't.slug', 't.name'])
      .where('at.article_id', '=', articleId)
      .orderBy('at.position')
      .execute();
  }

  async tagsOfMany(articleIds: readonly number[]): Promise<Map<number, TagRef[]>> {
    const map = new Map<number, TagRef[]>();
    if (!articleIds.length) return map;
    const rows = await this.db
      .selectFrom('article_tags as at')
      .innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.id', 't.slug', 't.name'])
      .where('at.article_id', 'in', articleIds)
      .orderBy('at.article_id')
      .orderBy('at.position')
      .execute();
    for (const row of rows) {
      const list = map.get(row.article_id) ?? [];
      list.push({ id: row.id, slug: row.slug, name: row.name });
      map.set(row.article_id, list);
    }
    return map;
  }

  corrections(articleId: number): Promise<CorrectionRow[]> {
    return this.db
      .selectFrom('corrections')
      .selectAll()
      .where('article_id', '=', articleId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async correctionsOfMany(articleIds: readonly number[]): Promise<Map<number, CorrectionRow[]>> {
    const map = new Map<number, CorrectionRow[]>();
    if (!articleIds.length) return map;
    const rows = await this.db
      .selectFrom('corrections')
      .selectAll()
      .where('article_id', 'in', articleIds)
      .orderBy('created_at', 'desc')
      .execute();
    for (const row of rows) {
      const list = map.get(row.article_id) ?? [];
      list.push(row);
      map.set(row.article_id, list);
    }
    return map;
  }

  async insertCorrection(q: Q, articleId: number, kind: CorrectionRow['kind'], body: string, at: string): Promise<number> {
    const { id } = await q
      .insertInto('corrections')
      .values({ article_id: articleId, kind, body, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async insertRevision(
    q: Q,
    revision: { article_id: number; version: number; actor: string; note: string; snapshot: string; created_at: string },
  ): Promise<void> {
    await q.insertInto('revisions').values(revision).execute();
  }

  /** The article's newest revision (to fold a run of autosaves into one). */
  latestRevision(q: Q, articleId: number) {
    return q
      .selectFrom('revisions')
      .select(['id', 'version', 'actor', 'note', 'created_at'])
      .where('article_id', '=', articleId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async replaceRevision(q: Q, id: number, revision: { version: number; snapshot: string }): Promise<void> {
    await q.updateTable('revisions').set(revision).where('id', '=', id).execute();
  }

  /** Pass the open transaction when inside one: SQLite has a single connection, so querying `this.db` there would wait forever. */
  revisions(articleId: number, q: Q = this.db) {
    return q
      .selectFrom('revisions')
      .select(['id', 'version', 'actor', 'note', 'created_at'])
      .where('article_id', '=', articleId)
      .orderBy('version', 'desc')
      .execute();
  }

  revision(articleId: number, revisionId: number) {
    return this.db
      .selectFrom('revisions')
      .selectAll()
      .where('article_id', '=', articleId)
      .where('id', '=', revisionId)
      .executeTakeFirst();
  }

  private publishedCards(filter: ListFilter, now: string) {
    return this.published(filter, now).leftJoin('sections as s', 's.id', 'a.section_id').leftJoin('media as m', 'm.id', 'a.image_id');
  }

  /**
   * Published articles matching the filter, without the card joins: counting
   * through the joins made SQLite read every matching row (image_id sits after
   * the large body columns, so each read walks overflow pages) instead of
   * answering from an index.
   */
  private published(filter: ListFilter, now: string) {
    let query = this.db
      .selectFrom('articles as a')
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now);
    if (filter.sectionId !== undefined) query = query.where('a.section_id', '=', filter.sectionId);
    if (filter.authorId !== undefined) {
      const authorId = filter.authorId;
      query = query.where('a.id', 'in', (eb) =>
        eb.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId),
      );
    }
    if (filter.tagId !== undefined) {
      const tagId = filter.tagId;
      query = query.where('a.id', 'in', (eb) => eb.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId));
    }
    if (filter.publishedFrom) query = query.where('a.published_at', '>=', filter.publishedFrom);
    if (filter.publishedBefore) query = query.where('a.published_at', '<', filter.publishedBefore);
    if (filter.excludeIds?.length) query = query.where('a.id', 'not in', filter.excludeIds);
    return query;
  }

  /** Published articles, newest first, as cards with bylines. */
  async listPublished(filter: ListFilter, limit: number, offset: number, now: string): Promise<ArticleCard[]> {
    const rows = await this.publishedCards(filter, now)
      .select(CARD_COLUMNS)
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return this.toCards(rows);
  }

  async countPublished(filter: ListFilter, now: string): Promise<number> {
    const row = await this.published(filter, now)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Editor-ranked top stories (rank 1 first), then nothing else: callers fill with recency. */
  async listTopRanked(limit: number, now: string): Promise<ArticleCard[]> {
    const rows = await this.publishedCards({}, now)
      .select(CARD_COLUMNS)
      // Ranks are 1..100 (validated), so this is "is not null" in a form SQLite's planner
      // answers from articles_top_rank; with "is not null" it scanned every published row.
      .where('a.top_rank', '>=', 1)
      .orderBy('a.top_rank')
      .orderBy('a.published_at', 'desc')
      .limit(limit)
      .execute();
    return this.toCards(rows);
  }

  /** The live breaking story, if any: flagged and not past its expiry. */
  async liveBreaking(now: string): Promise<ArticleCard | undefined> {
    // Asked on every rendered page (the banner): compiled once, run with the time.
    const query = this.pageQueries.breaking;
    const rows = (await this.db.executeQuery<CardRow>({ ...query, parameters: query.parameters.map((p) => (p === NOW ? now : p)) })).rows;
    return (await this.toCards(rows))[0];
  }

  /** Months that have published articles, newest first, with counts. */
  async archiveMonths(now: string): Promise<{ month: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select((eb) => [eb.fn<string>('substr', ['published_at', eb.val(1), eb.val(7)]).as('month'), eb.fn.countAll<number>().as('count')])
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .groupBy('month')
      .orderBy('month', 'desc')
      .execute();
    return rows.map((r) => ({ month: r.month, count: Number(r.count) }));
  }

  /** Ids and timestamps of every published article, for sitemaps (paged by id for stable pages). */
  async sitemapPage(afterOffset: number, limit: number, now: string) {
    return this.db
      .selectFrom('articles as a')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .leftJoin('media as m', 'm.id', 'a.image_id')
      .select(['a.id', 'a.slug', 'a.headline', 'a.published_at', 'a.updated_at', 'a.saved_at', 'a.image_alt', 's.slug as section_slug', 'm.storage_key', 'm.alt'])
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now)
      .orderBy('a.id')
      .limit(limit)
      .offset(afterOffset)
      .execute();
  }

  /** Scheduled articles whose time has come. */
  async dueScheduled(now: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', now)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes an article and everything that hangs off it. */
  async delete(q: Q, id: number): Promise<void> {
    for (const table of ['article_authors', 'article_tags', 'article_redirects', 'corrections', 'revisions', 'preview_links'] as const) {
      await q.deleteFrom(table).where('article_id', '=', id).execute();
    }
    await q.deleteFrom('articles').where('id', '=', id).execute();
  }

  /** Every article with a top-stories rank (any status). */
  async rankedIds(q: Q): Promise<number[]> {
    const rows = await q.selectFrom('articles').select('id').where('top_rank', '>=', 1).execute();
    return rows.map((r) => r.id);
  }

  async existingIds(q: Q, ids: readonly number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await q.selectFrom('articles').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  async imageFor(mediaId: number) {
    return this.db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirst();
  }

  private async toCards(rows: CardRow[]): Promise<ArticleCard[]> {
    const bylines = await this.bylines(rows.map((r) => r.id));
    return rows.map((row) => cardFromRow(row, bylines.get(row.id) ?? []));
  }

  /**
   * The newest published articles with their stored bodies, for feeds: cards
   * (with bylines, one batched query) plus the body blocks, dateline and the
   * featured image's size in bytes.
   */
  async feedEntries(filter: ListFilter, limit: number, now: string): Promise<FeedEntryRow[]> {
    const rows = await this.publishedCards(filter, now)
      .select([...CARD_COLUMNS, 'a.body_blocks', 'a.dateline', 'm.bytes as image_bytes'])
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    const cards = await this.toCards(rows);
    return rows.map((row, i) => ({ card: cards[i]!, bodyBlocks: row.body_blocks, dateline: row.dateline, imageBytes: row.image_bytes }));
  }

  /**
   * One article sitemap page: published articles in id order with everything a
   * `<url>` needs. The page's ids come from the (status, published_at) index
   * alone; the rows then come in chunks, each chunk with its section slugs,
   * image keys and correction times in batched queries. Chunks because on
   * SQLite the body columns sit in front of the ones read here, so every row
   * read walks the body's overflow pages: 50,000 rows in one synchronous call
   * would hold the event loop for seconds; between chunks other requests run.
   */
  async sitemapEntries(offset: number, limit: number, now: string): Promise<SitemapEntryRow[]> {
    const ids = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
    if (!ids.length) return [];
    const sections = new Map((await this.db.selectFrom('sections').select(['id', 'slug']).execute()).map((s) => [s.id, s.slug]));
    const out: SitemapEntryRow[] = [];
    for (const chunk of chunks(ids.map((r) => r.id), SITEMAP_CHUNK)) {
      // better-sqlite3 answers synchronously, so an await alone never lets the event loop run.
      if (out.length) await new Promise((resolve) => setImmediate(resolve));
      const rows = await this.db
        .selectFrom('articles')
        .select(['id', 'slug', 'published_at', 'updated_at', 'canonical_url', 'section_id', 'image_id'])
        .where('id', 'in', chunk)
        .orderBy('id')
        .execute();
      const imageIds = [...new Set(rows.flatMap((r) => (r.image_id === null ? [] : [r.image_id])))];
      const [media, corrections] = await Promise.all([
        imageIds.length ? this.db.selectFrom('media').select(['id', 'storage_key']).where('id', 'in', imageIds).execute() : [],
        this.db
          .selectFrom('corrections')
          .select((eb) => ['article_id', eb.fn.max('created_at').as('latest')])
          .where('article_id', 'in', chunk)
          .groupBy('article_id')
          .execute(),
      ]);
      const storageKey = new Map(media.map((m) => [m.id, m.storage_key]));
      const corrected = new Map(corrections.map((c) => [c.article_id, c.latest]));
      for (const r of rows) {
        out.push({
          id: r.id,
          slug: r.slug,
          published_at: r.published_at,
          updated_at: r.updated_at,
          canonical_url: r.canonical_url,
          section_slug: r.section_id === null ? null : (sections.get(r.section_id) ?? null),
          storage_key: r.image_id === null ? null : (storageKey.get(r.image_id) ?? null),
          corrected_at: corrected.get(r.id) ?? null,
        });
      }
    }
    return out;
  }

  /** Articles published in [since, now], newest first, for the Google News sitemap. */
  newsSitemapEntries(since: string, now: string, limit: number) {
    return this.db
      .selectFrom('articles as a')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.id', 'a.slug', 'a.headline', 'a.published_at', 'a.canonical_url', 's.slug as section_slug'])
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now)
      .where('a.published_at', '>=', since)
      .orderBy('a.published_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * The newest publication time of the site and of each section. One small
   * index lookup per section (articles_section_published), never a scan.
   */
  async latestPublished(now: string): Promise<{ latest: string | null; sections: Map<number, string> }> {
    const [overall, sections] = await Promise.all([
      this.db
        .selectFrom('articles')
        .select((eb) => eb.fn.max('published_at').as('latest'))
        .where('status', '=', 'published')
        .where('published_at', '<=', now)
        .executeTakeFirst(),
      this.db
        .selectFrom('sections as s')
        .select((eb) => [
          's.id',
          eb
            .selectFrom('articles as a')
            .select((e) => e.fn.max('a.published_at').as('m'))
            .whereRef('a.section_id', '=', 's.id')
            .where('a.status', '=', 'published')
            .where('a.published_at', '<=', now)
            .as('latest'),
        ])
        .execute(),
    ]);
    return {
      latest: overall?.latest ?? null,
      sections: new Map(sections.flatMap((r) => (r.latest ? [[r.id, r.latest] as const] : []))),
    };
  }

  /**
   * Authors with at least one published article, with their newest publication
   * time: per author, the newest published article found walking the
   * (status, published_at) index backwards and probing article_authors; joining
   * every authored article instead read 50,000 article rows.
   */
  async sitemapAuthors(now: string) {
    const rows = await this.db
      .selectFrom('authors as au')
      .select((eb) => [
        'au.id',
        'au.slug',
        'au.updated_at',
        eb
          .selectFrom('articles as a')
          .select('a.published_at')
          .where('a.status', '=', 'published')
          .where('a.published_at', '<=', now)
          .where((e) =>
            e.exists(e.selectFrom('article_authors as aa').select('aa.article_id').whereRef('aa.article_id', '=', 'a.id').whereRef('aa.author_id', '=', 'au.id')),
          )
          .orderBy('a.published_at', 'desc')
          .limit(1)
          .as('latest'),
      ])
      .orderBy('au.id')
      .execute();
    return rows.flatMap((r) => (r.latest ? [{ id: r.id, slug: r.slug, updatedAt: r.updated_at, latest: r.latest }] : []));
  }
}

export interface SitemapEntryRow {
  id: number;
  slug: string;
  published_at: string | null;
  updated_at: string | null;
  canonical_url: string;
  section_slug: string | null;
  storage_key: string | null;
  corrected_at: string | null;
}

/** Rows per query when reading a sitemap page (also well under SQLite's 32,766 bound values). */
const SITEMAP_CHUNK = 2_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface FeedEntryRow {
  card: ArticleCard;
  /** JSON RenderedBlock[]: sanitized HTML per top-level block. */
  bodyBlocks: string;
  dateline: string;
  imageBytes: number | null;
}

export interface CardRow {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  label: ArticleRow['label'];
  published_at: string | null;
  updated_at: string | null;
  breaking: number;
  breaking_until: string | null;
  top_rank: number | null;
  section_id: number | null;
  image_alt: string;
  image_caption: string;
  image_credit: string;
  section_slug: string | null;
  section_name: string | null;
  storage_key: string | null;
  width: number | null;
  height: number | null;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  variants: string | null;
  mime: string | null;
}

function cardFromRow(row: CardRow, authors: Byline[]): ArticleCard {
  return {
    id: row.id,
    slug: row.slug,
    headline: row.headline,
    dek: row.dek,
    label: row.label,
    publishedAt: row.published_at ?? '',
    updatedAt: row.updated_at,
    breaking: row.breaking === 1,
    breakingUntil: row.breaking_until,
    topRank: row.top_rank,
    section:
      row.section_id !== null && row.section_slug !== null
        ? { id: row.section_id, slug: row.section_slug, name: row.section_name ?? '' }
        : null,
    image:
      row.storage_key !== null
        ? imageRef(
            {
              storage_key: row.storage_key,
              width: row.width ?? 0,
              height: row.height ?? 0,
              alt: row.alt ?? '',
              caption: row.caption ?? '',
              credit: row.credit ?? '',
              variants: row.variants ?? '[]',
              mime: row.mime ?? 'image/jpeg',
            },
            { alt: row.image_alt, caption: row.image_caption, credit: row.image_credit },
          )
        : null,
    authors,
  };
}
