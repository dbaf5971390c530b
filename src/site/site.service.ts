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
    let row = await this.articles.findBySlug(slug);
    if (!row) {
      const movedId = await this.articles.redirectFor(slug);
      if (movedId === undefined) return { kind: 'missing' };
      row = await this.articles.byId(movedId);
      if (!row) return { kind: 'missing' };
      if (row.status !== 'published') return row.status === 'unpublished' ? { kind: 'gone' } : { kind: 'missing' };
      const section = row.section_id !== null ? await this.taxonomy.sectionById(row.section_id) : undefined;
      return { kind: 'moved', to: section ? `/${section.slug}/${row.slug}` : `/article/${row.slug}` };
    }
    if (row.status === 'unpublished') return { kind: 'gone' };
    if (row.status !== 'published' || !row.published_at || row.published_at > this.now()) return { kind: 'missing' };

    // Bylines come from the authors query (same rows, same order): no second query.
    const [section, media, tags, corrections, authors] = await Promise.all([
      row.section_id !== null ? this.taxonomy.sectionById(row.section_id) : undefined,
      row.image_id !== null ? this.taxonomy.mediaById(row.image_id) : undefined,
      this.articles.tagsOf(row.id),
      this.articles.corrections(row.id),
      this.db
        .selectFrom('article_authors as aa')
        .innerJoin('authors as au', 'au.id', 'aa.author_id')
        .selectAll('au')
        .where('aa.article_id', '=', row.id)
        .orderBy('aa.position')
        .execute(),
    ]);
    const image: ImageRef | null = media
      ? imageRef(media, { alt: row.image_alt, caption: row.image_caption, credit: row.image_credit })
      : null;
    return {
      kind: 'found',
      article: {
        card: {
          id: row.id,
          slug: row.slug,
          headline: row.headline,
          dek: row.dek,
          label: row.label,
          publishedAt: row.published_at,
          updatedAt: row.updated_at,
          breaking: row.breaking === 1,
          breakingUntil: row.breaking_until,
          topRank: row.top_rank,
          section: section ? { id: section.id, slug: section.slug, name: section.name } : null,
          image,
          authors: authors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, title: a.title })),
        },
        dateline: row.dateline,
        status: row.status,
        firstPublishedAt: row.first_published_at,
        blocks: JSON.parse(row.body_blocks) as RenderedBlock[],
        wordCount: row.word_count,
        authors,
        tags,
        corrections,
        seo: {
          title: row.seo_title,
          description: row.seo_description,
          socialTitle: row.social_title,
          socialDescription: row.social_description,
          socialImageUrl: row.social_image_url,
          canonicalUrl: row.canonical_url,
        },
        savedAt: row.saved_at,
      },
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
