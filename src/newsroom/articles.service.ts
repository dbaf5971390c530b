/**
 * The rules of the newsroom's articles: validation, slugs and redirects,
 * revisions on every save, the publishing workflow (draft, scheduled,
 * published, unpublished), corrections, and announcing what changed.
 */
import '../shared/formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Transaction } from 'kysely';
import type { ArticleRow, ArticleUpdate, CorrectionRow, Database } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { JobQueue } from '../jobs/queue.js';
import type { ArticlesRepository } from './articles.repository.js';
import type { TaxonomyRepository } from './taxonomy.repository.js';
import { BodyDoc, renderBody, validateDoc, type BodyDoc as BodyDocType } from './body.js';
import { htmlToDoc } from './body-html.js';
import { isSlug, slugify } from './slug.js';

const Label = Type.Union([
  Type.Literal('news'),
  Type.Literal('analysis'),
  Type.Literal('opinion'),
  Type.Literal('review'),
  Type.Literal('fact-check'),
  Type.Literal('sponsored'),
]);
const Text = (max: number) => Type.String({ maxLength: max });
const OptionalId = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);
const IsoTime = Type.String({ format: 'date-time', maxLength: 40 });

export const ArticleFields = Type.Object(
  {
    headline: Type.String({ minLength: 1, maxLength: 300 }),
    dek: Text(600),
    slug: Text(200),
    body: BodyDoc,
    bodyHtml: Text(2_000_000),
    label: Label,
    dateline: Text(120),
    sectionId: OptionalId,
    authorIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 }),
    tagIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50 }),
    imageId: OptionalId,
    imageAlt: Text(500),
    imageCaption: Text(1000),
    imageCredit: Text(300),
    topRank: Type.Union([Type.Integer({ minimum: 1, maximum: 100 }), Type.Null()]),
    breaking: Type.Boolean(),
    breakingUntil: Type.Union([IsoTime, Type.Null()]),
    seoTitle: Text(300),
    seoDescription: Text(500),
    socialTitle: Text(300),
    socialDescription: Text(500),
    socialImageUrl: Text(1000),
    canonicalUrl: Text(1000),
  },
  { additionalProperties: false },
);

export const ArticleCreate = Type.Composite([
  Type.Pick(ArticleFields, ['headline']),
  Type.Partial(Type.Omit(ArticleFields, ['headline'])),
], { additionalProperties: false });
export type ArticleCreate = Static<typeof ArticleCreate>;

export const ArticlePatch = Type.Partial(ArticleFields, { additionalProperties: false });
export type ArticlePatch = Static<typeof ArticlePatch>;

const checkCreate = TypeCompiler.Compile(ArticleCreate);
const checkPatch = TypeCompiler.Compile(ArticlePatch);

function validationError(compiled: typeof checkCreate | typeof checkPatch, input: unknown): Invalid {
  // TypeBox reports several errors for one field ("Expected required property", "Expected string"): keep the first.
  const fields: { path: string; message: string }[] = [];
  for (const e of compiled.Errors(input)) {
    const path = e.path || '/';
    if (!fields.some((f) => f.path === path)) fields.push({ path, message: e.message });
    if (fields.length === 20) break;
  }
  return new Invalid('The article has invalid fields', fields);
}

/** Plain saves by one person closer together than this are kept as one revision. */
const REVISION_FOLD_MS = 10 * 60 * 1000;

export interface SaveOptions {
  actor: string;
  /** Optimistic concurrency: the version the editor started from. */
  expectedVersion?: number;
  note?: string;
  /** For a published article: mark this save as a reader-visible update ("Updated" time). */
  markUpdated?: boolean;
  /** The staff user saving (recorded as `created_by` on create). */
  userId?: number;
}

interface Membership {
  status: ArticleRow['status'];
  sectionId: number | null;
  authorIds: number[];
  tagIds: number[];
  publishedAt: string | null;
  topRank: number | null;
  breaking: number;
  breakingUntil: string | null;
  slug: string;
}

/**
 * Keeps something derived from an article (the search index) in step with it:
 * called inside the transaction of every write that changes what it holds,
 * after the write, so both commit or neither does. Also called for deletes
 * (the article is gone by then).
 */
export type ArticleIndexer = (trx: Transaction<Database>, articleId: number) => Promise<void>;

export interface ArticlesServiceDeps {
  articles: ArticlesRepository;
  taxonomy: TaxonomyRepository;
  events: EventBus;
  jobs: JobQueue;
  clock: Clock;
  indexers?: ArticleIndexer[];
}

export const PUBLISH_JOB = 'article.publish-scheduled';

export class ArticlesService {
  constructor(private readonly deps: ArticlesServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async get(id: number): Promise<ArticleRow> {
    return this.mustFind(id);
  }

  async create(input: unknown, options: SaveOptions): Promise<ArticleRow> {
    if (!checkCreate.Check(input)) throw validationError(checkCreate, input);
    const data = input as ArticleCreate;
    const now = this.now();
    const body = this.bodyFrom(data) ?? { type: 'doc', content: [] };
    const rendered = renderBody(body);
    await this.checkReferences(data);
    const id = await this.deps.articles.transaction(async (trx) => {
      const slug = await this.uniqueSlug(trx, data.slug ?? data.headline, data.slug !== undefined);
      const id = await this.deps.articles.insert(trx, {
        slug,
        headline: data.headline.trim(),
        dek: data.dek?.trim() ?? '',
        body_doc: JSON.stringify(body),
        body_blocks: JSON.stringify(rendered.blocks),
        word_count: rendered.wordCount,
        label: data.label ?? 'news',
        dateline: data.dateline?.trim() ?? '',
        status: 'draft',
        section_id: data.sectionId ?? null,
        image_id: data.imageId ?? null,
        image_alt: data.imageAlt ?? '',
        image_caption: data.imageCaption ?? '',
        image_credit: data.imageCredit ?? '',
        top_rank: data.topRank ?? null,
        breaking: data.breaking ? 1 : 0,
        breaking_until: data.breakingUntil ?? null,
        seo_title: data.seoTitle ?? '',
        seo_description: data.seoDescription ?? '',
        social_title: data.socialTitle ?? '',
        social_description: data.socialDescription ?? '',
        social_image_url: data.socialImageUrl ?? '',
        canonical_url: data.canonicalUrl ?? '',
        version: 1,
        created_at: now,
        saved_at: now,
        created_by: options.userId ?? null,
      });
      await this.deps.articles.setAuthors(trx, id, dedupe(data.authorIds ?? []));
      await this.deps.articles.setTags(trx, id, dedupe(data.tagIds ?? []));
      await this.recordRevision(trx, id, options, now);
      await this.index(trx, id);
      return id;
    });
    const row = await this.mustFind(id);
    await this.deps.events.emit('article.saved', { articleId: id, change: { tags: [`a:${id}`] } });
    return row;
  }

  async update(id: number, input: unknown, options: SaveOptions): Promise<ArticleRow> {
    if (!checkPatch.Check(input)) throw validationError(checkPatch, input);
    const data = input as ArticlePatch;
    await this.checkReferences(data);
    const now = this.now();
    const { before, after } = await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw await this.versionConflict(trx, current, options.expectedVersion);
      }
      const before = await this.membership(trx, current);
      const patch: ArticleUpdate = { version: current.version + 1, saved_at: now };
      if (data.headline !== undefined) patch.headline = data.headline.trim();
      if (data.dek !== undefined) patch.dek = data.dek.trim();
      if (data.slug !== undefined && data.slug !== current.slug) {
        patch.slug = await this.uniqueSlug(trx, data.slug, true, id);
        if (current.status === 'published' || current.status === 'unpublished' || current.first_published_at) {
          await this.deps.articles.addRedirect(trx, current.slug, id, now);
        }
        await this.deps.articles.removeRedirect(trx, patch.slug);
      }
      const body = this.bodyFrom(data);
      if (body) {
        const rendered = renderBody(body);
        patch.body_doc = JSON.stringify(body);
        patch.body_blocks = JSON.stringify(rendered.blocks);
        patch.word_count = rendered.wordCount;
      }
      if (data.label !== undefined) patch.label = data.label;
      if (data.dateline !== undefined) patch.dateline = data.dateline.trim();
      if (data.sectionId !== undefined) patch.section_id = data.sectionId;
      if (data.imageId !== undefined) patch.image_id = data.imageId;
      if (data.imageAlt !== undefined) patch.image_alt = data.imageAlt;
      if (data.imageCaption !== undefined) patch.image_caption = data.imageCaption;
      if (data.imageCredit !== undefined) patch.image_credit = data.imageCredit;
      if (data.topRank !== undefined) patch.top_rank = data.topRank;
      if (data.breaking !== undefined) patch.breaking = data.breaking ? 1 : 0;
      if (data.breakingUntil !== undefined) patch.breaking_until = data.breakingUntil;
      if (data.seoTitle !== undefined) patch.seo_title = data.seoTitle;
      if (data.seoDescription !== undefined) patch.seo_description = data.seoDescription;
      if (data.socialTitle !== undefined) patch.social_title = data.socialTitle;
      if (data.socialDescription !== undefined) patch.social_description = data.socialDescription;
      if (data.socialImageUrl !== undefined) patch.social_image_url = data.socialImageUrl;
      if (data.canonicalUrl !== undefined) patch.canonical_url = data.canonicalUrl;
      if (options.markUpdated && current.status === 'published') patch.updated_at = now;
      const ok = await this.deps.articles.update(trx, id, patch, current.version);
      if (!ok) throw await this.versionConflict(trx, current, current.version);
      if (data.authorIds !== undefined) await this.deps.articles.setAuthors(trx, id, dedupe(data.authorIds));
      if (data.tagIds !== undefined) await this.deps.articles.setTags(trx, id, dedupe(data.tagIds));
      await this.recordRevision(trx, id, options, now);
      await this.index(trx, id);
      const updated = (await this.deps.articles.findById(trx, id))!;
      return { before, after: await this.membership(trx, updated) };
    });
    await this.announce('article.saved', id, before, after);
    return this.mustFind(id);
  }

  /**
   * Publishes now, or schedules when `at` is in the future. Publishing again after
   * an unpublish keeps the original publication time.
   */
  async publish(id: number, options: SaveOptions & { at?: Date }): Promise<ArticleRow> {
    const nowDate = this.deps.clock.now();
    if (options.at && options.at.getTime() > nowDate.getTime()) return this.schedule(id, options.at, options);
    const now = nowDate.toISOString();
    const { before, after } = await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw await this.versionConflict(trx, current, options.expectedVersion);
      }
      const before = await this.membership(trx, current);
      if (current.status === 'published') return { before, after: before };
      const publishedAt = current.published_at ?? now;
      await this.deps.articles.update(trx, id, {
        status: 'published',
        published_at: publishedAt,
        first_published_at: current.first_published_at ?? now,
        scheduled_at: null,
        review_requested_at: null,
        version: current.version + 1,
        saved_at: now,
      });
      await this.recordRevision(trx, id, { ...options, note: options.note ?? 'Published' }, now);
      await this.index(trx, id);
      const updated = (await this.deps.articles.findById(trx, id))!;
      return { before, after: await this.membership(trx, updated) };
    });
    await this.deps.jobs.cancel(`${PUBLISH_JOB}:${id}`);
    if (before.status !== 'published') await this.announce('article.published', id, before, after);
    return this.mustFind(id);
  }

  async schedule(id: number, at: Date, options: SaveOptions): Promise<ArticleRow> {
    const now = this.now();
    if (at.getTime() <= this.deps.clock.now().getTime()) throw new Invalid('The scheduled time must be in the future', [{ path: '/at', message: 'must be in the future' }]);
    const { before, after } = await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      if (current.status === 'published') throw new Conflict('This article is already published');
      const before = await this.membership(trx, current);
      await this.deps.articles.update(trx, id, {
        status: 'scheduled',
        scheduled_at: at.toISOString(),
        version: current.version + 1,
        saved_at: now,
      });
      await this.recordRevision(trx, id, { ...options, note: options.note ?? `Scheduled for ${at.toISOString()}` }, now);
      await this.index(trx, id);
      const updated = (await this.deps.articles.findById(trx, id))!;
      return { before, after: await this.membership(trx, updated) };
    });
    // The job is the fast path; publishDue() on every worker start is the safety net.
    await this.deps.jobs.enqueue(PUBLISH_JOB, { articleId: id }, { runAt: at, uniqueKey: `${PUBLISH_JOB}:${id}` });
    await this.announce('article.saved', id, before, after);
    return this.mustFind(id);
  }

  async unpublish(id: number, options: SaveOptions): Promise<ArticleRow> {
    const now = this.now();
    const { before, after } = await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      const before = await this.membership(trx, current);
      if (current.status === 'unpublished' || current.status === 'draft') return { before, after: before };
      await this.deps.articles.update(trx, id, {
        status: current.status === 'scheduled' ? 'draft' : 'unpublished',
        scheduled_at: null,
        version: current.version + 1,
        saved_at: now,
      });
      await this.recordRevision(trx, id, { ...options, note: options.note ?? 'Unpublished' }, now);
      await this.index(trx, id);
      const updated = (await this.deps.articles.findById(trx, id))!;
      return { before, after: await this.membership(trx, updated) };
    });
    await this.deps.jobs.cancel(`${PUBLISH_JOB}:${id}`);
    if (before.status === 'published') await this.announce('article.unpublished', id, before, after);
    else await this.announce('article.saved', id, before, after);
    return this.mustFind(id);
  }

  /** Publishes every scheduled article whose time has come (idempotent). */
  async publishDue(): Promise<number[]> {
    const due = await this.deps.articles.dueScheduled(this.now());
    for (const id of due) await this.publish(id, { actor: 'scheduler', note: 'Published on schedule' });
    return due;
  }

  /** A dated correction, clarification or update; it advances the article's modified time. */
  async addCorrection(id: number, kind: CorrectionRow['kind'], text: string, options: SaveOptions): Promise<CorrectionRow> {
    if (!['correction', 'clarification', 'update'].includes(kind)) {
      throw new Invalid('Unknown kind of correction', [{ path: '/kind', message: 'must be correction, clarification or update' }]);
    }
    const body = text.trim();
    if (!body || body.length > 5000) throw new Invalid('Correction text is required', [{ path: '/text', message: 'must be 1 to 5000 characters' }]);
    const now = this.now();
    const correctionId = await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      const correctionId = await this.deps.articles.insertCorrection(trx, id, kind, body, now);
      await this.deps.articles.update(trx, id, {
        updated_at: current.status === 'published' ? now : current.updated_at,
        version: current.version + 1,
        saved_at: now,
      });
      await this.recordRevision(trx, id, { ...options, note: options.note ?? `Added ${kind}` }, now);
      return correctionId;
    });
    await this.deps.events.emit('article.saved', { articleId: id, change: { tags: [`a:${id}`, 'sitemap'] } });
    const rows = await this.deps.articles.corrections(id);
    return rows.find((r) => r.id === correctionId)!;
  }

  revisions(id: number) {
    return this.deps.articles.revisions(id);
  }

  /** Restores the editable fields of an earlier revision as a new save (history is never rewritten). */
  async restoreRevision(id: number, revisionId: number, options: SaveOptions & { keep?: readonly (keyof ArticlePatch)[] }): Promise<ArticleRow> {
    const revision = await this.deps.articles.revision(id, revisionId);
    if (!revision) throw new NotFound('No such revision');
    const snapshot = JSON.parse(revision.snapshot) as ArticlePatch;
    // Fields the caller may not change (e.g. the home-page ranking for writers) keep their current values.
    for (const key of options.keep ?? []) delete snapshot[key];
    return this.update(id, snapshot, { ...options, note: options.note ?? `Restored revision ${revision.version}` });
  }

  /** A contributor asks the editors to review a draft (or scheduled/unpublished article). */
  async requestReview(id: number, options: SaveOptions): Promise<ArticleRow> {
    const now = this.now();
    await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      if (current.status === 'published') throw new Conflict('This article is already published');
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw await this.versionConflict(trx, current, options.expectedVersion);
      }
      await this.deps.articles.update(trx, id, { review_requested_at: now, version: current.version + 1, saved_at: now });
      await this.recordRevision(trx, id, { ...options, note: options.note ?? 'Submitted for review' }, now);
    });
    await this.deps.events.emit('article.saved', { articleId: id, change: { tags: [`a:${id}`] } });
    return this.mustFind(id);
  }

  /**
   * Deletes an article that readers never saw (no first publication), with its
   * revisions, corrections and links. Anything ever published is refused: unpublish it.
   */
  async deleteDraft(id: number): Promise<void> {
    await this.deps.articles.transaction(async (trx) => {
      const current = await this.deps.articles.findById(trx, id);
      if (!current) throw new NotFound('No such article');
      if (current.first_published_at !== null || current.status === 'published') {
        throw new Conflict('Articles that were ever published cannot be deleted; unpublish them instead');
      }
      await this.deps.articles.delete(trx, id);
      await this.index(trx, id);
    });
    await this.deps.jobs.cancel(`${PUBLISH_JOB}:${id}`);
    await this.deps.events.emit('article.saved', { articleId: id, change: { tags: [`a:${id}`] } });
  }

  /**
   * The editors' top-stories order: ranks 1..N in the given order, every other
   * article unranked, in one transaction. Ranking is front-page curation, so it
   * does not bump article versions (an open editor does not conflict with it).
   */
  async setTopStories(articleIds: readonly number[]): Promise<void> {
    const ids = dedupe(articleIds);
    if (ids.length !== articleIds.length) throw new Invalid('Each article may appear once', [{ path: '/articleIds', message: 'duplicate ids' }]);
    if (ids.length > 100) throw new Invalid('At most 100 top stories', [{ path: '/articleIds', message: 'at most 100' }]);
    const touched = await this.deps.articles.transaction(async (trx) => {
      const previous = await this.deps.articles.rankedIds(trx);
      const existing = await this.deps.articles.existingIds(trx, ids);
      const problems = ids.flatMap((id, i) => (existing.has(id) ? [] : [{ path: `/articleIds/${i}`, message: `no article with id ${id}` }]));
      if (problems.length) throw new Invalid('Unknown articles', problems);
      const keep = new Set(ids);
      for (const id of previous) if (!keep.has(id)) await this.deps.articles.update(trx, id, { top_rank: null });
      for (const [i, id] of ids.entries()) await this.deps.articles.update(trx, id, { top_rank: i + 1 });
      return [...new Set([...previous, ...ids])];
    });
    await this.deps.events.emit('content.changed', { change: { tags: ['list:home', ...touched.map((id) => `a:${id}`)] } });
  }

  private async index(trx: Transaction<Database>, id: number): Promise<void> {
    for (const indexer of this.deps.indexers ?? []) await indexer(trx, id);
  }

  private async mustFind(id: number): Promise<ArticleRow> {
    const row = await this.deps.articles.byId(id);
    if (!row) throw new NotFound('No such article');
    return row;
  }

  private bodyFrom(data: ArticlePatch): BodyDocType | undefined {
    if (data.body !== undefined && data.bodyHtml !== undefined) {
      throw new Invalid('Send the body as a document or as HTML, not both', [{ path: '/bodyHtml', message: 'conflicts with body' }]);
    }
    if (data.body !== undefined) return validateDoc(data.body);
    if (data.bodyHtml !== undefined) return htmlToDoc(data.bodyHtml);
    return undefined;
  }

  private async checkReferences(data: ArticlePatch): Promise<void> {
    const problems: { path: string; message: string }[] = [];
    const check = async (table: 'authors' | 'tags' | 'sections', ids: readonly number[] | undefined, path: string) => {
      if (!ids?.length) return;
      const found = await this.deps.taxonomy.existingIds(table, ids);
      ids.forEach((id, i) => {
        if (!found.has(id)) problems.push({ path: ids.length === 1 && path === '/sectionId' ? path : `${path}/${i}`, message: `no ${table.slice(0, -1)} with id ${id}` });
      });
    };
    await check('authors', data.authorIds, '/authorIds');
    await check('tags', data.tagIds, '/tagIds');
    if (data.sectionId) await check('sections', [data.sectionId], '/sectionId');
    if (data.imageId && !(await this.deps.taxonomy.mediaById(data.imageId))) problems.push({ path: '/imageId', message: `no image with id ${data.imageId}` });
    if (data.slug !== undefined && !isSlug(data.slug)) {
      problems.push({ path: '/slug', message: 'use lowercase letters, digits and single hyphens' });
    }
    if (data.canonicalUrl && !/^https?:\/\/\S+$/.test(data.canonicalUrl)) problems.push({ path: '/canonicalUrl', message: 'must be an absolute http(s) URL' });
    if (data.socialImageUrl && !/^(https?:\/\/|\/)\S+$/.test(data.socialImageUrl)) problems.push({ path: '/socialImageUrl', message: 'must be a URL' });
    if (problems.length) throw new Invalid('The article has invalid fields', problems);
  }

  private async uniqueSlug(
    trx: Parameters<ArticlesRepository['slugTaken']>[0],
    source: string,
    explicit: boolean,
    exceptId?: number,
  ): Promise<string> {
    const base = explicit ? source : slugify(source);
    if (!(await this.deps.articles.slugTaken(trx, base, exceptId))) return base;
    if (explicit) throw new Invalid('That slug is already used by another article', [{ path: '/slug', message: 'already taken' }]);
    for (let n = 2; n < 1000; n++) {
      const candidate = `${base}-${n}`;
      if (!(await this.deps.articles.slugTaken(trx, candidate, exceptId))) return candidate;
    }
    throw new Conflict('Could not find a free slug');
  }

  /** Runs inside the save's transaction (`trx`): on SQLite a query outside it would deadlock. */
  private async versionConflict(
    trx: Parameters<ArticlesRepository['findById']>[0],
    current: ArticleRow,
    expected: number,
  ): Promise<Conflict> {
    const revisions = await this.deps.articles.revisions(current.id, trx);
    const latest = revisions[0];
    return new Conflict(`This article was changed by ${latest?.actor ?? 'someone else'} since you opened it`, {
      currentVersion: current.version,
      yourVersion: expected,
      changedBy: latest?.actor ?? null,
      changedAt: latest?.created_at ?? current.saved_at,
    });
  }

  private async recordRevision(
    trx: Parameters<ArticlesRepository['findById']>[0],
    id: number,
    options: SaveOptions,
    now: string,
  ): Promise<void> {
    const row = (await this.deps.articles.findById(trx, id))!;
    const snapshot = editableFields(row, await this.deps.articles.authorIds(trx, id), await this.deps.articles.tagIds(trx, id));
    // The editor autosaves every few seconds: one person's plain saves within REVISION_FOLD_MS of the revision they
    // follow are folded into it (it keeps its start time and takes the newest state), so the history holds one
    // revision per ten minutes of typing, not one per sentence. Publishing, notes, restores, another person, or the
    // window running out start a new one; the first version is never folded.
    const note = options.note ?? '';
    const latest = note ? undefined : await this.deps.articles.latestRevision(trx, id);
    if (
      latest &&
      latest.note === '' &&
      latest.actor === options.actor &&
      latest.version > 1 &&
      Date.parse(now) - Date.parse(latest.created_at) < REVISION_FOLD_MS
    ) {
      await this.deps.articles.replaceRevision(trx, latest.id, { version: row.version, snapshot: JSON.stringify(snapshot) });
      return;
    }
    await this.deps.articles.insertRevision(trx, {
      article_id: id,
      version: row.version,
      actor: options.actor,
      note,
      snapshot: JSON.stringify(snapshot),
      created_at: now,
    });
  }

  private async membership(trx: Parameters<ArticlesRepository['findById']>[0], row: ArticleRow): Promise<Membership> {
    return {
      status: row.status,
      sectionId: row.section_id,
      authorIds: await this.deps.articles.authorIds(trx, row.id),
      tagIds: await this.deps.articles.tagIds(trx, row.id),
      publishedAt: row.published_at,
      topRank: row.top_rank,
      breaking: row.breaking,
      breakingUntil: row.breaking_until,
      slug: row.slug,
    };
  }

  /**
   * Works out which cached pages the change touches: always the pages that show
   * this article (`a:<id>`); list pages only when the article joined or left them.
   */
  private async announce(
    event: 'article.saved' | 'article.published' | 'article.unpublished',
    id: number,
    before: Membership,
    after: Membership,
  ): Promise<void> {
    const tags = new Set<string>([`a:${id}`]);
    const visible = before.status === 'published' || after.status === 'published';
    if (visible) {
      tags.add('sitemap');
      const changed =
        before.status !== after.status ||
        before.sectionId !== after.sectionId ||
        before.publishedAt !== after.publishedAt ||
        before.topRank !== after.topRank ||
        before.breaking !== after.breaking ||
        before.breakingUntil !== after.breakingUntil ||
        !sameSet(before.authorIds, after.authorIds) ||
        !sameSet(before.tagIds, after.tagIds);
      if (changed && (before.breaking === 1 || after.breaking === 1)) tags.add('breaking');
      if (changed) {
        for (const m of [before, after]) {
          tags.add('list:home');
          tags.add('list:archive');
          tags.add('list:all');
          if (m.sectionId !== null) tags.add(`list:section:${m.sectionId}`);
          for (const a of m.authorIds) tags.add(`list:author:${a}`);
          for (const t of m.tagIds) tags.add(`list:tag:${t}`);
        }
      }
    }
    await this.deps.events.emit(event, { articleId: id, change: { tags: [...tags] } });
  }
}

/** The fields an editor can change, as the API and revisions carry them. */
export function editableFields(row: ArticleRow, authorIds: number[], tagIds: number[]) {
  return {
    headline: row.headline,
    dek: row.dek,
    slug: row.slug,
    body: JSON.parse(row.body_doc) as BodyDocType,
    label: row.label,
    dateline: row.dateline,
    sectionId: row.section_id,
    authorIds,
    tagIds,
    imageId: row.image_id,
    imageAlt: row.image_alt,
    imageCaption: row.image_caption,
    imageCredit: row.image_credit,
    topRank: row.top_rank,
    breaking: row.breaking === 1,
    breakingUntil: row.breaking_until,
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
    socialTitle: row.social_title,
    socialDescription: row.social_description,
    socialImageUrl: row.social_image_url,
    canonicalUrl: row.canonical_url,
  } satisfies ArticlePatch;
}

function dedupe(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}
