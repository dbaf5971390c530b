/**
 * What reader pages show, loaded from the newsroom. Every loader also returns
 * the cache tags of what it read, so the page cache can be invalidated exactly.
 */
import type { AuthorRow, CorrectionRow, SectionRow, TagRow } from '../db/schema.js';
import type { ArticleCard, ArticlesRepository, ListFilter, SectionRef, TagRef } from '../newsroom/articles.repository.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { RenderedBlock } from '../newsroom/body.js';
import { imageRef, type ImageRef } from '../newsroom/media.js';
import type { Clock } from '../shared/clock.js';
import type { Kysely } from 'kysely';
import type { Database, PageRow } from '../db/schema.js';

export interface ArticleView {
  card: ArticleCard;
  dateline: string;
  status: string;
  firstPublishedAt: string | null;
  blocks: RenderedBlock[];
  wordCount: number;
  authors: AuthorRow[];
  tags: TagRef[];
  corrections: CorrectionRow[];
  seo: { title: string; description: string; socialTitle: string; socialDescription: string; socialImageUrl: string; canonicalUrl: string };
  savedAt: string;
}

export type ArticleLookup =
  | { kind: 'found'; article: ArticleView }
  | { kind: 'moved'; to: string }
  | { kind: 'gone' }
  | { kind: 'missing' };

export interface Paged<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

export const PAGE_SIZE = 20;

export class SiteService {
  private sectionsCache: SectionRef[] | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly articles: ArticlesRepository,
    private readonly taxonomy: TaxonomyRepository,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** Navigation sections; kept in memory and dropped when a section changes. */
  async sections(): Promise<SectionRef[]> {
    if (!this.sectionsCache) {
      const rows = await this.taxonomy.sections();
      this.sectionsCache = rows.map((s) => ({ id: s.id, slug: s.slug, name: s.name }));
    }
    return this.sectionsCache;
  }

  forgetSections(): void {
    this.sectionsCache = undefined;
  }

  breaking(): Promise<ArticleCard | undefined> {
    return this.articles.liveBreaking(this.now());
  }

  /** An article by slug, following old slugs; unpublished answers "gone", drafts "missing". */
  async article(slug: string): Promise<ArticleLookup> {
    // Article, section and lead image in one query; then authors, tags and corrections.
    const row = await this.articles.pageArticle({ slug });
    if (!row) {
      const movedId = await this.articles.redirectFor(slug);
      if (movedId === undefined) return { kind: 'missing' };
      const moved = await this.articles.pageArticle({ id: movedId });
      if (!moved) return { kind: 'missing' };
      if (moved.status !== 'published') return moved.status === 'unpublished' ? { kind: 'gone' } : { kind: 'missing' };
      return { kind: 'moved', to: moved.sectionSlug !== null ? `/${moved.sectionSlug}/${moved.card.slug}` : `/article/${moved.card.slug}` };
    }
    if (row.status === 'unpublished') return { kind: 'gone' };
    if (row.status !== 'published' || !row.card.publishedAt || row.card.publishedAt > this.now()) return { kind: 'missing' };

    return { kind: 'found', article: await this.view(row) };
  }

  /** An article in any state, as its page would show it: for private previews of drafts. */
  async previewArticle(id: number): Promise<ArticleView | undefined> {
    const row = await this.articles.pageArticle({ id });
    if (!row) return undefined;
    // A draft has no publication time yet: show the one it would get if published now.
    if (!row.card.publishedAt) row.card.publishedAt = this.now();
    return this.view(row);
  }

  private async view(row: NonNullable<Awaited<ReturnType<ArticlesRepository['pageArticle']>>>): Promise<ArticleView> {
    // Bylines come from the authors query (same rows, same order): no second query.
    const { authors, tags, corrections } = await this.articles.pageExtras(row.card.id);
    row.card.authors = authors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, title: a.title }));
    return {
      card: row.card,
      dateline: row.dateline,
      status: row.status,
      firstPublishedAt: row.firstPublishedAt,
      blocks: JSON.parse(row.bodyBlocks) as RenderedBlock[],
      wordCount: row.wordCount,
      authors,
      tags,
      corrections,
      seo: row.seo,
      savedAt: row.savedAt,
    };
  }

  async list(filter: ListFilter, page: number, pageSize = PAGE_SIZE): Promise<Paged<ArticleCard>> {
    const now = this.now();
    const total = await this.articles.countPublished(filter, now);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const items = page <= pages ? await this.articles.listPublished(filter, pageSize, (page - 1) * pageSize, now) : [];
    return { items, page, pages, total };
  }

  latest(limit: number, filter: ListFilter = {}): Promise<ArticleCard[]> {
    return this.articles.listPublished(filter, limit, 0, this.now());
  }

  topStories(limit: number): Promise<ArticleCard[]> {
    return this.articles.listTopRanked(limit, this.now());
  }

  archiveMonths() {
    return this.articles.archiveMonths(this.now());
  }

  tagsOfMany(ids: readonly number[]) {
    return this.articles.tagsOfMany(ids);
  }

  correctionsOfMany(ids: readonly number[]) {
    return this.articles.correctionsOfMany(ids);
  }

  section(slug: string): Promise<SectionRow | undefined> {
    return this.taxonomy.sectionBySlug(slug);
  }

  tag(slug: string): Promise<TagRow | undefined> {
    return this.taxonomy.tagBySlug(slug);
  }

  author(slug: string): Promise<AuthorRow | undefined> {
    return this.taxonomy.authorBySlug(slug);
  }

  async authorAvatar(author: AuthorRow): Promise<ImageRef | null> {
    if (author.avatar_media_id === null) return null;
    const media = await this.taxonomy.mediaById(author.avatar_media_id);
    return media ? imageRef(media) : null;
  }

  page(slug: string): Promise<PageRow | undefined> {
    return this.db.selectFrom('pages').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  sitemapArticles(offset: number, limit: number) {
    return this.articles.sitemapPage(offset, limit, this.now());
  }

  countPublished(filter: ListFilter = {}) {
    return this.articles.countPublished(filter, this.now());
  }

  allSections() {
    return this.taxonomy.sections();
  }

  allAuthors() {
    return this.taxonomy.authors();
  }

  allTags() {
    return this.taxonomy.tags();
  }

  /** Feeds: the newest published articles with full bodies (bylines batched). */
  feedArticles(filter: ListFilter, limit: number) {
    return this.articles.feedEntries(filter, limit, this.now());
  }

  sitemapArticleEntries(offset: number, limit: number) {
    return this.articles.sitemapEntries(offset, limit, this.now());
  }

  /** Articles published within the last `withinMs`, newest first (Google News sitemap). */
  newsSitemapArticles(withinMs: number, limit: number) {
    const now = this.clock.now();
    return this.articles.newsSitemapEntries(new Date(now.getTime() - withinMs).toISOString(), now.toISOString(), limit);
  }

  /** Newest publication time of the site and of each section. */
  latestPublished() {
    return this.articles.latestPublished(this.now());
  }

  sitemapAuthors() {
    return this.articles.sitemapAuthors(this.now());
  }
}
