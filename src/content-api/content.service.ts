/**
 * What the Content API answers, shaped for apps and partners: only published,
 * non-future articles (never a draft's data), absolute URLs, images with every
 * variant the media library made, bodies as sanitized HTML and as structured
 * blocks, related picks and corrections. Lists page with an opaque cursor (the
 * last row's sort value and id), stable while articles are published.
 * `fields` keeps only the named top-level fields; `include` expands or adds
 * the heavier parts. Each answer notes, in the AnswerTags it is given, the
 * cache tags of what it shows (answer-cache.ts). No HTTP here: content.routes.ts.
 */
import { MARK_END, MARK_START } from '../related/search-snippets.js';
import type { SearchService } from '../related/search.service.js';
import type { RelatedService } from '../related/related.service.js';
import { pickPath } from '../related/related.service.js';
import type { ArticleLabel, AuthorRow, CorrectionRow, MediaRow } from '../db/schema.js';
import type { ArticlesRepository, TagRef } from '../newsroom/articles.repository.js';
import { parseVariants } from '../newsroom/media.js';
import { readingMinutes, blocksToHtml, type RenderedBlock } from '../newsroom/body.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { Clock } from '../shared/clock.js';
import { escapeHtml } from '../shared/html.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { ANY_ARTICLE_TAG, AnswerTags } from './answer-cache.js';
import { toContentBlock, type ContentBlock } from './blocks.js';
import type { ArticleSort, ContentRepository, ListedRow } from './content.repository.js';
import { siteColours } from './colours.js';

export const API_PREFIX = '/api/content/v1';
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export const ARTICLE_FIELDS = [
  'id', 'slug', 'url', 'headline', 'dek', 'label', 'dateline', 'breaking', 'publishedAt', 'firstPublishedAt', 'updatedAt', 'modifiedAt',
  'section', 'authors', 'image', 'tags', 'body', 'corrections', 'related',
] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];
/** `authors` and `section` expand the short references into full objects; the others add a field. */
export const INCLUDES = ['authors', 'section', 'tags', 'body', 'corrections', 'related'] as const;
export type Include = (typeof INCLUDES)[number];
export const LABELS: readonly ArticleLabel[] = ['news', 'analysis', 'opinion', 'review', 'fact-check', 'sponsored'];

export interface ApiImage {
  url: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  mime: string;
  /** Every resized copy, smallest first (JPEG or the original format, WebP, AVIF). */
  variants: { url: string; width: number; height: number; format: string }[];
}

export type ApiBlock = Exclude<ContentBlock, { type: 'image' }> | { type: 'image'; image: ApiImage; caption: string; credit: string };

export interface ArticleListParams {
  section?: string;
  tag?: string;
  author?: string;
  label?: string;
  breaking?: boolean;
  updatedSince?: string;
  sort?: ArticleSort;
  limit?: number;
  cursor?: string;
  fields?: string;
  include?: string;
}

export interface Shape {
  fields: Set<string> | undefined;
  include: Set<Include>;
}

export interface ContentServiceDeps {
  content: ContentRepository;
  articles: ArticlesRepository;
  taxonomy: TaxonomyRepository;
  related: RelatedService;
  search: SearchService;
  settings: SettingsStore;
  clock: Clock;
  publicUrl: string;
}

type Json = Record<string, unknown>;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const SLUG = /^[a-z0-9-]{1,200}$/;

function parameterProblem(name: string, message: string): Invalid {
  return new Invalid(message, [{ path: `/${name}`, message }]);
}

/** Comma-separated names, each from `allowed`; a 400 naming the unknown ones otherwise. */
function nameList<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): Set<T> | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((v) => v.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (unknown.length) throw parameterProblem(name, `Unknown ${name}: ${unknown.join(', ')}. Known: ${allowed.join(', ')}`);
  return new Set(names as T[]);
}

export function parseShape(fields: string | undefined, include: string | undefined, defaults: readonly Include[]): Shape {
  return {
    fields: nameList('fields', fields, ARTICLE_FIELDS),
    include: nameList('include', include, INCLUDES) ?? new Set(defaults),
  };
}

/** The opaque cursor: base64url of [sort, last value, last id]. */
export function encodeCursor(sort: ArticleSort, at: string, id: number): string {
  return Buffer.from(JSON.stringify([sort === 'published' ? 'p' : 'm', at, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: ArticleSort): { at: string; id: number } {
  const problem = parameterProblem('cursor', 'This cursor is not valid here: pass back nextCursor from a list with the same sort');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw problem;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw problem;
  }
  if (!Array.isArray(value) || value.length !== 3) throw problem;
  const [kind, at, id] = value as unknown[];
  if (kind !== (sort === 'published' ? 'p' : 'm') || typeof at !== 'string' || !ISO_INSTANT.test(at) || !Number.isSafeInteger(id) || (id as number) < 1) throw problem;
  return { at, id: id as number };
}

export class ContentService {
  private readonly origin: string;

  constructor(private readonly deps: ContentServiceDeps) {
    this.origin = deps.publicUrl;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** A site address made absolute; addresses elsewhere are left alone. */
  absolute = (url: string): string => (url.startsWith('/') && !url.startsWith('//') ? this.origin + url : url);

  private image(media: Pick<MediaRow, 'storage_key' | 'width' | 'height' | 'alt' | 'caption' | 'credit' | 'variants' | 'mime'>, overrides: { alt?: string; caption?: string; credit?: string } = {}): ApiImage {
    return {
      url: this.absolute(`/media/${media.storage_key}`),
      width: media.width,
      height: media.height,
      alt: overrides.alt || media.alt,
      caption: overrides.caption || media.caption,
      credit: overrides.credit || media.credit,
      mime: media.mime,
      variants: parseVariants(media.variants)
        .sort((a, b) => a.width - b.width || a.format.localeCompare(b.format))
        .map((v) => ({ url: this.absolute(`/media/${v.key}`), width: v.width, height: v.height, format: v.format })),
    };
  }

  private rowImage(row: ListedRow): ApiImage | null {
    if (row.storage_key === null) return null;
    return this.image(
      { storage_key: row.storage_key, width: row.width ?? 0, height: row.height ?? 0, alt: row.alt ?? '', caption: row.caption ?? '', credit: row.credit ?? '', variants: row.variants ?? '[]', mime: row.mime ?? 'image/jpeg' },
      { alt: row.image_alt, caption: row.image_caption, credit: row.image_credit },
    );
  }

  private articleUrl(row: { slug: string; section_slug: string | null }): string {
    return this.absolute(pickPath({ slug: row.slug, section: row.section_slug ? { slug: row.section_slug } : null }));
  }

  private isLiveBreaking(row: ListedRow, now: string): boolean {
    return row.breaking === 1 && (row.breaking_until === null || row.breaking_until > now);
  }

  // --- articles --------------------------------------------------------------------------------

  async listArticles(params: ArticleListParams, seen = new AnswerTags()): Promise<{ items: Json[]; nextCursor: string | null }> {
    const shape = parseShape(params.fields, params.include, []);
    const sort = params.sort ?? 'published';
    // Which writes change the list: joining or leaving it always announces list:all. A label, or a sort or
    // filter by modification time, changes with any save, which names only the saved article.
    seen.add(params.label !== undefined || sort === 'modified' || params.updatedSince !== undefined ? ANY_ARTICLE_TAG : 'list:all');
    // A filter by slug finds another row (or none) after a rename or a new section, tag or author.
    if (params.section !== undefined) seen.add('sections');
    if (params.tag !== undefined) seen.add('tags');
    if (params.author !== undefined) seen.add('authors');
    const after = params.cursor !== undefined ? decodeCursor(params.cursor, sort) : undefined;
    const limit = params.limit ?? DEFAULT_LIMIT;
    const filter: { sectionId?: number; tagId?: number; authorId?: number } = {};
    const empty = { items: [], nextCursor: null };
    // An unknown section, tag or author matches nothing (as an empty filter would): a 200 with no items.
    if (params.section !== undefined) {
      const section = SLUG.test(params.section) ? await this.deps.taxonomy.sectionBySlug(params.section) : undefined;
      if (!section) return empty;
      filter.sectionId = section.id;
    }
    if (params.tag !== undefined) {
      const tag = SLUG.test(params.tag) ? await this.deps.taxonomy.tagBySlug(params.tag) : undefined;
      if (!tag) return empty;
      filter.tagId = tag.id;
    }
    if (params.author !== undefined) {
      const author = SLUG.test(params.author) ? await this.deps.taxonomy.authorBySlug(params.author) : undefined;
      if (!author) return empty;
      filter.authorId = author.id;
    }
    if (params.label !== undefined && !(LABELS as readonly string[]).includes(params.label)) {
      throw parameterProblem('label', `Unknown label "${params.label}". Known: ${LABELS.join(', ')}`);
    }
    let modifiedSince: string | undefined;
    if (params.updatedSince !== undefined) {
      const time = ISO_INSTANT.test(params.updatedSince) ? Date.parse(params.updatedSince) : Number.NaN;
      if (Number.isNaN(time)) throw parameterProblem('updated_since', 'updated_since must be a date and time such as 2026-01-31T09:00:00Z');
      modifiedSince = new Date(time).toISOString();
    }
    const now = this.now();
    if (params.breaking === false) {
      // A story joins this list when its breaking flag runs out, with no write to announce it.
      const end = await this.deps.content.nextBreakingEnd(now);
      if (end) seen.expireAt(Date.parse(end));
    }
    const rows = await this.deps.content.articles({
      ...filter,
      label: params.label as ArticleLabel | undefined,
      breaking: params.breaking,
      modifiedSince,
      sort,
      after,
      limit: limit + 1,
      now,
      withBody: wants(shape, 'body'),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor(sort, sort === 'published' ? last.published_at! : last.saved_at, last.id) : null;
    return { items: await this.shapeArticles(page, shape, now, seen), nextCursor };
  }

  /** One published article by id (digits) or slug; an old slug finds the article it now has. */
  async article(ref: string, shape: Shape, seen = new AnswerTags()): Promise<Json> {
    const now = this.now();
    let row = /^\d{1,10}$/.test(ref) ? await this.deps.content.article({ id: Number(ref) }) : undefined;
    if (!row && SLUG.test(ref)) {
      // A digits ref that is not an id, or a slug found through a redirect: an article published later may
      // answer to it instead (a new id, a slug taken again). Publications announce list:all.
      if (/^\d{1,10}$/.test(ref)) seen.add('list:all');
      row = await this.deps.content.article({ slug: ref });
      if (!row) {
        seen.add('list:all');
        const movedId = await this.deps.articles.redirectFor(ref);
        if (movedId !== undefined) row = await this.deps.content.article({ id: movedId });
      }
    }
    // Drafts, scheduled, unpublished and future articles are all "not found": nothing about them leaks.
    if (!row || row.status !== 'published' || !row.published_at || row.published_at > now) throw new NotFound('No published article has that id or slug');
    const [item] = await this.shapeArticles([row], shape, now, seen);
    return item!;
  }

  private async shapeArticles(rows: ListedRow[], shape: Shape, now: string, seen: AnswerTags): Promise<Json[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const need = (field: ArticleField) => wants(shape, field);
    const [bylines, tags, corrections, fullAuthors, sections] = await Promise.all([
      need('authors') && !shape.include.has('authors') ? this.deps.articles.bylines(ids) : undefined,
      need('tags') ? this.deps.articles.tagsOfMany(ids) : undefined,
      need('corrections') ? this.deps.articles.correctionsOfMany(ids) : undefined,
      need('authors') && shape.include.has('authors') ? this.authorsOf(ids) : undefined,
      need('section') && shape.include.has('section') ? this.deps.taxonomy.sections() : undefined,
    ]);
    const related = need('related') ? await Promise.all(rows.map((r) => this.relatedOf(r.id))) : undefined;
    const bodies = need('body') ? await Promise.all(rows.map((r) => this.body(r))) : undefined;
    return rows.map((row, i) => {
      seen.add(`a:${row.id}`);
      // The answer changes when the story's breaking flag runs out, even with no write.
      if (this.isLiveBreaking(row, now) && row.breaking_until !== null) seen.expireAt(Date.parse(row.breaking_until));
      const out: Json = {};
      const put = (field: ArticleField, value: () => unknown) => {
        if (need(field)) out[field] = value();
      };
      put('id', () => row.id);
      put('slug', () => row.slug);
      put('url', () => this.articleUrl(row));
      put('headline', () => row.headline);
      put('dek', () => row.dek);
      put('label', () => row.label);
      put('dateline', () => row.dateline);
      put('breaking', () => this.isLiveBreaking(row, now));
      put('publishedAt', () => row.published_at);
      put('firstPublishedAt', () => row.first_published_at ?? row.published_at);
      put('updatedAt', () => row.updated_at);
      put('modifiedAt', () => row.saved_at);
      put('section', () => {
        if (row.section_id === null || row.section_slug === null) return null;
        seen.add(`section:${row.section_id}`);
        const ref = { id: row.section_id, slug: row.section_slug, name: row.section_name ?? '' };
        const full = sections?.find((s) => s.id === row.section_id);
        return full ? { ...ref, description: full.description, url: this.absolute(`/${full.slug}`) } : ref;
      });
      put('authors', () => {
        const list = fullAuthors?.get(row.id) ?? bylines?.get(row.id)?.map((b) => ({ id: b.id, slug: b.slug, name: b.name, title: b.title })) ?? [];
        for (const author of list) seen.add(`author:${String(author.id)}`);
        return list;
      });
      put('image', () => this.rowImage(row));
      put('tags', () => {
        const list = tags?.get(row.id) ?? [];
        for (const t of list) seen.add(`tag:${t.id}`);
        return list.map((t: TagRef) => ({ id: t.id, slug: t.slug, name: t.name }));
      });
      put('body', () => bodies?.[i]);
      put('corrections', () => (corrections?.get(row.id) ?? []).map((c: CorrectionRow) => ({ id: c.id, kind: c.kind, body: c.body, createdAt: c.created_at })));
      put('related', () => {
        // The picks (related:<id>), each pick's own headline and status, and the settings' rules for sponsored picks.
        const picks = related?.[i] ?? [];
        seen.add(`related:${row.id}`, 'settings', ...picks.map((p) => `a:${String(p.id)}`));
        return picks;
      });
      return out;
    });
  }

  private async body(row: ListedRow): Promise<Json> {
    const blocks = JSON.parse(row.body_blocks ?? '[]') as RenderedBlock[];
    const structured = blocks.map((b) => toContentBlock(b, this.absolute)).filter((b): b is ContentBlock => b !== null);
    // Images in the body that live in the media library get their variants too.
    const keys = structured.flatMap((b) => (b.type === 'image' && b.src.startsWith('/media/') ? [b.src.slice('/media/'.length)] : []));
    const media = await this.deps.content.mediaByKeys(keys);
    const apiBlocks: ApiBlock[] = structured.map((b) => {
      if (b.type !== 'image') return b;
      const stored = b.src.startsWith('/media/') ? media.get(b.src.slice('/media/'.length)) : undefined;
      const image: ApiImage = stored
        ? this.image(stored, { alt: b.alt, caption: b.caption, credit: b.credit })
        : { url: this.absolute(b.src), width: b.width ?? 0, height: b.height ?? 0, alt: b.alt, caption: b.caption, credit: b.credit, mime: '', variants: [] };
      return { type: 'image', image, caption: b.caption, credit: b.credit };
    });
    const wordCount = row.word_count ?? 0;
    return { html: blocksToHtml(blocks), blocks: apiBlocks, wordCount, readingMinutes: readingMinutes(wordCount) };
  }

  private async relatedOf(articleId: number): Promise<Json[]> {
    const { picks } = await this.deps.related.pagePicks(articleId);
    return picks.map((p) => ({
      id: p.id,
      slug: p.slug,
      headline: p.headline,
      url: this.absolute(pickPath(p)),
      label: p.label,
      publishedAt: p.publishedAt,
      section: p.section,
      pinned: p.kind === 'pinned',
    }));
  }

  private async authorsOf(articleIds: number[]): Promise<Map<number, Json[]>> {
    const bylines = await this.deps.articles.bylines(articleIds);
    const ids = [...new Set([...bylines.values()].flat().map((b) => b.id))];
    const rows = new Map((await this.deps.taxonomy.authorsByIds(ids)).map((a) => [a.id, a]));
    const avatars = await this.deps.content.mediaByIds([...rows.values()].flatMap((a) => (a.avatar_media_id !== null ? [a.avatar_media_id] : [])));
    const out = new Map<number, Json[]>();
    for (const [articleId, list] of bylines) {
      out.set(articleId, list.flatMap((b) => (rows.has(b.id) ? [this.author(rows.get(b.id)!, avatars)] : [])));
    }
    return out;
  }

  /** An author as readers may see them: never their email address. */
  private author(a: AuthorRow, avatars: Map<number, MediaRow>, articleCount?: number): Json {
    const avatar = a.avatar_media_id !== null ? avatars.get(a.avatar_media_id) : undefined;
    return {
      id: a.id,
      slug: a.slug,
      name: a.name,
      title: a.title,
      bio: a.bio,
      expertise: jsonArray(a.expertise),
      social: nonEmpty(jsonRecord(a.social)),
      avatar: avatar ? this.image(avatar) : null,
      url: this.absolute(`/author/${a.slug}`),
      articles: this.absolute(`${API_PREFIX}/articles?author=${encodeURIComponent(a.slug)}`),
      ...(articleCount !== undefined ? { articleCount } : {}),
    };
  }

  // --- the rest -------------------------------------------------------------------------------

  async sections(seen = new AnswerTags()): Promise<Json[]> {
    seen.add('sections');
    const rows = await this.deps.taxonomy.sections();
    return rows.map((s) => ({
      id: s.id,
      slug: s.slug,
      name: s.name,
      description: s.description,
      url: this.absolute(`/${s.slug}`),
      articles: this.absolute(`${API_PREFIX}/articles?section=${encodeURIComponent(s.slug)}`),
    }));
  }

  async tags(seen = new AnswerTags()): Promise<Json[]> {
    seen.add('tags');
    const rows = await this.deps.taxonomy.tags();
    return rows.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      description: t.description,
      url: this.absolute(`/tag/${t.slug}`),
      articles: this.absolute(`${API_PREFIX}/articles?tag=${encodeURIComponent(t.slug)}`),
    }));
  }

  async authors(seen = new AnswerTags()): Promise<Json[]> {
    // Profiles (authors, and author:<id> for avatar changes) and article counts (any publication: list:all).
    seen.add('authors', 'list:all');
    const [rows, counts] = await Promise.all([this.deps.taxonomy.authors(), this.deps.content.articleCountsByAuthor(this.now())]);
    const avatars = await this.deps.content.mediaByIds(rows.flatMap((a) => (a.avatar_media_id !== null ? [a.avatar_media_id] : [])));
    for (const a of rows) seen.add(`author:${a.id}`);
    return rows.map((a) => this.author(a, avatars, counts.get(a.id) ?? 0));
  }

  async authorBySlug(slug: string, seen = new AnswerTags()): Promise<Json> {
    seen.add('authors', 'list:all');
    const row = SLUG.test(slug) ? await this.deps.taxonomy.authorBySlug(slug) : undefined;
    if (!row) throw new NotFound('No author has that slug');
    seen.add(`author:${row.id}`);
    const [counts, avatars] = await Promise.all([
      this.deps.content.articleCountsByAuthor(this.now()),
      this.deps.content.mediaByIds(row.avatar_media_id !== null ? [row.avatar_media_id] : []),
    ]);
    return this.author(row, avatars, counts.get(row.id) ?? 0);
  }

  /** What an app needs to brand itself and link out: never secrets, receipts' legal details or internal switches. */
  site(seen = new AnswerTags()): Json {
    seen.add('settings');
    const s = this.deps.settings.get();
    return {
      name: s.name,
      tagline: s.tagline,
      description: s.description,
      language: s.language,
      timeZone: s.timeZone,
      url: this.origin,
      logo: s.logoUrl ? { url: this.absolute(s.logoUrl) } : null,
      colours: siteColours(),
      social: nonEmpty(s.social),
      appLinks: nonEmpty(s.appLinks),
      policies: Object.fromEntries(Object.entries(nonEmpty(s.policies)).map(([k, v]) => [k, this.absolute(v)])),
      feeds: { rss: this.absolute('/feed.xml'), atom: this.absolute('/feed.atom'), json: this.absolute('/feed.json') },
    };
  }

  async search(params: { q: string; section?: string; author?: string; from?: string; to?: string; page?: number; sort?: 'relevance' | 'newest' }): Promise<Json> {
    const result = await this.deps.search.search({ ...params, page: params.page !== undefined ? String(params.page) : undefined });
    const plain = (text: string) => text.replaceAll(MARK_START, '').replaceAll(MARK_END, '');
    const marked = (text: string) => escapeHtml(text).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
    return {
      query: params.q,
      sort: result.sort,
      total: result.total,
      totalIsCapped: result.capped,
      page: result.page,
      pages: result.pages,
      ignoredFilters: result.ignored,
      items: result.items.map((item) => ({
        id: item.id,
        slug: item.slug,
        url: this.absolute(pickPath(item)),
        headline: plain(item.headline),
        headlineHtml: marked(item.headline),
        snippet: plain(item.snippet),
        snippetHtml: marked(item.snippet),
        dek: item.dek,
        label: item.label,
        publishedAt: item.publishedAt,
        section: item.section,
        authors: item.authors.map((a) => ({ id: a.id, slug: a.slug, name: a.name, title: a.title })),
        article: this.absolute(`${API_PREFIX}/articles/${item.id}`),
      })),
    };
  }
}

function wants(shape: Shape, field: ArticleField): boolean {
  if (field === 'id') return true;
  if ((INCLUDES as readonly string[]).includes(field) && field !== 'authors' && field !== 'section') {
    return shape.include.has(field as Include) || (shape.fields?.has(field) ?? false);
  }
  return shape.fields === undefined || shape.fields.has(field) || shape.include.has(field as Include);
}

function jsonArray(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function jsonRecord(text: string): Record<string, string> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Only the entries that are set (an app shows a button per entry). */
function nonEmpty(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => typeof v === 'string' && v !== ''));
}
