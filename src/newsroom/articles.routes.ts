/**
 * Admin API for articles (docs/admin-api.md): list, read, create, edit with
 * optimistic concurrency, the publishing workflow, review requests,
 * corrections, revisions, bulk actions and the home page's top stories.
 * HTTP only: parse, authorize, call, respond. The article service validates
 * article fields itself (with field paths), so the route schemas describe the
 * fields for OpenAPI without stripping unknown ones.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ArticleRow, CorrectionRow } from '../db/schema.js';
import { ADMIN_PREFIX, type AdminGuard, type StaffContext } from '../accounts/guard.js';
import type { Action } from '../accounts/permissions.js';
import { Forbidden, NotFound } from '../shared/errors.js';
import { ArticleFields, editableFields, type ArticlesService } from './articles.service.js';
import type { ArticlesRepository } from './articles.repository.js';
import type { ArticleListRepository } from './article-list.repository.js';
import type { PreviewLinks } from './preview-links.js';

export interface ArticleRoutesDeps {
  articles: ArticlesService;
  articlesRepo: ArticlesRepository;
  list: ArticleListRepository;
  guard: AdminGuard;
  previews: PreviewLinks;
  publicUrl: string;
}

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const IdParams = Type.Object({ id: Id });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union(['draft', 'scheduled', 'published', 'unpublished'].map((s) => Type.Literal(s))) as unknown as TSchema;
const LabelSchema = ArticleFields.properties.label;
const Version = Type.Integer({ minimum: 1, description: 'The version the editor started from (optimistic concurrency)' });
/** The body as OpenAPI sees it; the article service checks every node. */
const BodyDocSchema = Type.Object({ type: Type.Literal('doc'), content: Type.Array(Type.Unknown()) }, { description: 'ProseMirror/Tiptap document' });
const EditableFields = Type.Composite([Type.Omit(ArticleFields, ['body']), Type.Object({ body: BodyDocSchema })]);
// additionalProperties: true here only so that Fastify's validator (removeAdditional) does not silently drop a
// misspelt field: the article service refuses unknown fields with a 400 naming them.
const UNKNOWN_REFUSED = { additionalProperties: true, description: 'Unknown fields are refused (400)' };
const CreateBody = Type.Composite([Type.Pick(EditableFields, ['headline']), Type.Partial(Type.Omit(EditableFields, ['headline']))], UNKNOWN_REFUSED);
const PatchBody = Type.Composite(
  [Type.Partial(EditableFields), Type.Object({ version: Version, markUpdated: Type.Optional(Type.Boolean()), note: Type.Optional(Type.String({ maxLength: 500 })) })],
  UNKNOWN_REFUSED,
);

const SectionRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const AuthorRef = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const Counts = Type.Object({ all: Type.Integer(), draft: Type.Integer(), scheduled: Type.Integer(), published: Type.Integer(), unpublished: Type.Integer() });

const ListItem = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  headline: Type.String(),
  status: Status,
  label: Type.String(),
  section: Nullable(SectionRef),
  authors: Type.Array(AuthorRef),
  savedAt: Type.String(),
  publishedAt: Nullable(Type.String()),
  /** Set once an article has ever been public: bulk delete unpublishes these instead of deleting them. */
  firstPublishedAt: Nullable(Type.String()),
  scheduledAt: Nullable(Type.String()),
  topRank: Nullable(Type.Integer()),
  version: Type.Integer(),
  createdBy: Nullable(Type.Integer()),
  reviewRequestedAt: Nullable(Type.String()),
});

const ListQuery = Type.Object({
  status: Type.Optional(Status),
  sectionId: Type.Optional(Id),
  authorId: Type.Optional(Id),
  label: Type.Optional(LabelSchema),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  mine: Type.Optional(Type.Boolean({ description: 'Only articles I created' })),
  review: Type.Optional(Type.Boolean({ description: 'Only articles submitted for review' })),
  sort: Type.Optional(Type.Union([Type.Literal('updated'), Type.Literal('published'), Type.Literal('headline')])),
  direction: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

const ListResponse = Type.Object({
  items: Type.Array(ListItem),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  /** Matches of the whole filter (status included). */
  total: Type.Integer(),
  /** Matches of the filter without its status, per status: for the status tabs. */
  counts: Counts,
});

const CorrectionSchema = Type.Object({ id: Type.Integer(), kind: Type.String(), text: Type.String(), createdAt: Type.String() });

const ArticleSchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  headline: Type.String(),
  dek: Type.String(),
  body: Type.Unknown(),
  label: Type.String(),
  dateline: Type.String(),
  status: Status,
  sectionId: Nullable(Type.Integer()),
  authorIds: Type.Array(Type.Integer()),
  tagIds: Type.Array(Type.Integer()),
  imageId: Nullable(Type.Integer()),
  imageAlt: Type.String(),
  imageCaption: Type.String(),
  imageCredit: Type.String(),
  topRank: Nullable(Type.Integer()),
  breaking: Type.Boolean(),
  breakingUntil: Nullable(Type.String()),
  seoTitle: Type.String(),
  seoDescription: Type.String(),
  socialTitle: Type.String(),
  socialDescription: Type.String(),
  socialImageUrl: Type.String(),
  canonicalUrl: Type.String(),
  wordCount: Type.Integer(),
  publishedAt: Nullable(Type.String()),
  firstPublishedAt: Nullable(Type.String()),
  updatedAt: Nullable(Type.String()),
  scheduledAt: Nullable(Type.String()),
  createdAt: Type.String(),
  savedAt: Type.String(),
  createdBy: Nullable(Type.Integer()),
  reviewRequestedAt: Nullable(Type.String()),
  version: Type.Integer(),
  corrections: Type.Array(CorrectionSchema),
});
type ArticleJson = Static<typeof ArticleSchema>;

const VersionBody = Type.Object({ version: Type.Optional(Version) });
const PublishBody = Type.Object({
  version: Type.Optional(Version),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'Schedule for this time instead of publishing now' })),
});
const CorrectionBody = Type.Object({
  kind: Type.Union([Type.Literal('correction'), Type.Literal('clarification'), Type.Literal('update')]),
  text: Type.String({ minLength: 1, maxLength: 5000 }),
});
const RevisionSchema = Type.Object({ id: Type.Integer(), version: Type.Integer(), actor: Type.String(), note: Type.String(), createdAt: Type.String() });
const BulkBody = Type.Object({
  action: Type.Union([Type.Literal('unpublish'), Type.Literal('delete')]),
  ids: Type.Array(Id, { minItems: 1, maxItems: 100 }),
});
const BulkResponse = Type.Object({
  results: Type.Array(
    Type.Object({
      id: Type.Integer(),
      result: Type.Union([Type.Literal('unpublished'), Type.Literal('deleted'), Type.Literal('unchanged'), Type.Literal('not_found')]),
    }),
  ),
});
const TopStories = Type.Object({ articleIds: Type.Array(Id, { maxItems: 100 }) });
const ErrorResponse = Type.Object({ error: Type.Object({}, { additionalProperties: true }) });

function staff(request: FastifyRequest): StaffContext {
  return request.staff!; // set by requireStaff before any guarded handler runs
}

/** An article is "yours" if you created it. */
function owns(request: FastifyRequest, article: ArticleRow): boolean {
  return article.created_by !== null && article.created_by === staff(request).user.id;
}

function editAction(article: ArticleRow): Action {
  return article.status === 'published' ? 'article.edit-published' : 'article.edit';
}

function correctionJson(c: CorrectionRow) {
  return { id: c.id, kind: c.kind, text: c.body, createdAt: c.created_at };
}

export function registerArticleRoutes(app: FastifyInstance, deps: ArticleRoutesDeps): void {
  const { articles, articlesRepo, list, guard, previews, publicUrl } = deps;
  const base = `${ADMIN_PREFIX}/articles`;
  const tags = ['articles'];
  const actor = (request: FastifyRequest) => ({ actor: staff(request).user.name, userId: staff(request).user.id });

  const load = async (id: number): Promise<ArticleRow> => {
    const row = await articlesRepo.byId(id);
    if (!row) throw new NotFound('No such article');
    return row;
  };

  const toJson = async (row: ArticleRow): Promise<ArticleJson> => {
    const [bylines, tagMap, corrections] = await Promise.all([
      articlesRepo.bylines([row.id]),
      articlesRepo.tagsOfMany([row.id]),
      articlesRepo.corrections(row.id),
    ]);
    return detail(row, bylines, tagMap, corrections);
  };

  const detail = (
    row: ArticleRow,
    bylines: Map<number, { id: number }[]>,
    tagMap: Map<number, { id: number }[]>,
    corrections: CorrectionRow[],
  ): ArticleJson => ({
    id: row.id,
    ...editableFields(
      row,
      (bylines.get(row.id) ?? []).map((a) => a.id),
      (tagMap.get(row.id) ?? []).map((t) => t.id),
    ),
    status: row.status,
    wordCount: row.word_count,
    publishedAt: row.published_at,
    firstPublishedAt: row.first_published_at,
    updatedAt: row.updated_at,
    scheduledAt: row.scheduled_at,
    createdAt: row.created_at,
    savedAt: row.saved_at,
    createdBy: row.created_by,
    reviewRequestedAt: row.review_requested_at,
    version: row.version,
    corrections: corrections.map(correctionJson),
  });

  // --- list and read -------------------------------------------------------------------

  app.get(base, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags, summary: 'List articles of every status', querystring: ListQuery, response: { 200: ListResponse } },
    handler: async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const filter = {
        sectionId: q.sectionId,
        authorId: q.authorId,
        label: q.label,
        q: q.q?.trim() || undefined,
        createdBy: q.mine ? staff(request).user.id : undefined,
        reviewRequested: q.review,
      };
      const status = q.status as ArticleRow['status'] | undefined;
      const sort = q.sort ?? 'updated';
      const { rows, counts } = await list.find({ ...filter, status }, sort, q.direction ?? (sort === 'headline' ? 'asc' : 'desc'), pageSize, (page - 1) * pageSize);
      const ids = rows.map((r) => r.id);
      const sectionIds = [...new Set(rows.flatMap((r) => (r.section_id === null ? [] : [r.section_id])))];
      const [bylines, sections] = await Promise.all([articlesRepo.bylines(ids), list.sectionsByIds(sectionIds)]);
      const sectionById = new Map(sections.map((s) => [s.id, s]));
      const all = counts.draft + counts.scheduled + counts.published + counts.unpublished;
      return {
        items: rows.map((r) => ({
          id: r.id,
          slug: r.slug,
          headline: r.headline,
          status: r.status,
          label: r.label,
          section: r.section_id === null ? null : (sectionById.get(r.section_id) ?? null),
          authors: (bylines.get(r.id) ?? []).map((a) => ({ id: a.id, slug: a.slug, name: a.name })),
          savedAt: r.saved_at,
          publishedAt: r.published_at,
          firstPublishedAt: r.first_published_at,
          scheduledAt: r.scheduled_at,
          topRank: r.top_rank,
          version: r.version,
          createdBy: r.created_by,
          reviewRequestedAt: r.review_requested_at,
        })),
        page,
        pageSize,
        total: status ? counts[status] : all,
        counts: { all, ...counts },
      };
    },
  });

  app.get(`${base}/:id`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags, summary: 'One article with every field', params: IdParams, response: { 200: ArticleSchema } },
    handler: async (request) => toJson(await load((request.params as Static<typeof IdParams>).id)),
  });

  // --- create and edit -----------------------------------------------------------------

  app.post(base, {
    preHandler: guard.requireStaff('article.create'),
    schema: { tags, summary: 'Create a draft', body: CreateBody, response: { 201: ArticleSchema, 400: ErrorResponse } },
    handler: async (request, reply) => {
      const input = request.body as Record<string, unknown>;
      if ((input.topRank !== undefined && input.topRank !== null) || input.breaking === true) staff(request).assert('homepage.rank');
      const row = await articles.create(input, actor(request));
      return reply.code(201).send(await toJson(row));
    },
  });

  app.patch(`${base}/:id`, {
    preHandler: guard.requireStaff('article.edit'),
    schema: { tags, summary: 'Edit (409 if someone saved since `version`)', params: IdParams, body: PatchBody, response: { 200: ArticleSchema, 409: ErrorResponse } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const { version, markUpdated, note, ...fields } = request.body as Static<typeof PatchBody>;
      const current = await load(id);
      staff(request).assert(editAction(current), { ownsResource: owns(request, current) });
      if ('topRank' in fields || 'breaking' in fields || 'breakingUntil' in fields) staff(request).assert('homepage.rank');
      const row = await articles.update(id, fields, { ...actor(request), expectedVersion: version, markUpdated, note });
      return toJson(row);
    },
  });

  // --- workflow ------------------------------------------------------------------------

  app.post(`${base}/:id/publish`, {
    preHandler: guard.requireStaff('article.publish'),
    schema: { tags, summary: 'Publish now, or schedule with `at`', params: IdParams, body: Type.Optional(PublishBody), response: { 200: ArticleSchema } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const body = (request.body ?? {}) as Static<typeof PublishBody>;
      const current = await load(id);
      staff(request).assert('article.publish', { ownsResource: owns(request, current) });
      const row = await articles.publish(id, { ...actor(request), expectedVersion: body.version, at: body.at ? new Date(body.at) : undefined });
      return toJson(row);
    },
  });

  app.post(`${base}/:id/unpublish`, {
    preHandler: guard.requireStaff('article.unpublish'),
    schema: { tags, summary: 'Take off the site (410) or cancel a schedule', params: IdParams, body: Type.Optional(VersionBody), response: { 200: ArticleSchema } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const current = await load(id);
      staff(request).assert('article.unpublish', { ownsResource: owns(request, current) });
      return toJson(await articles.unpublish(id, actor(request)));
    },
  });

  app.post(`${base}/:id/submit`, {
    preHandler: guard.requireStaff('article.submit'),
    schema: { tags, summary: 'Ask the editors to review', params: IdParams, body: Type.Optional(VersionBody), response: { 200: ArticleSchema } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const body = (request.body ?? {}) as Static<typeof VersionBody>;
      const current = await load(id);
      staff(request).assert('article.submit', { ownsResource: owns(request, current) });
      return toJson(await articles.requestReview(id, { ...actor(request), expectedVersion: body.version }));
    },
  });

  app.post(`${base}/:id/corrections`, {
    preHandler: guard.requireStaff('correction.manage'),
    schema: { tags, summary: 'Add a dated correction, clarification or update', params: IdParams, body: CorrectionBody, response: { 201: CorrectionSchema } },
    handler: async (request, reply) => {
      const { id } = request.params as Static<typeof IdParams>;
      const { kind, text } = request.body as Static<typeof CorrectionBody>;
      const row = await articles.addCorrection(id, kind, text, actor(request));
      return reply.code(201).send(correctionJson(row));
    },
  });

  app.get(`${base}/:id/revisions`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags, summary: 'Saved versions, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(RevisionSchema) }) } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      await load(id);
      const rows = await articles.revisions(id);
      return { items: rows.map((r) => ({ id: r.id, version: r.version, actor: r.actor, note: r.note, createdAt: r.created_at })) };
    },
  });

  const RevisionParams = Type.Object({ id: Id, revisionId: Id });
  app.get(`${base}/:id/revisions/:revisionId`, {
    preHandler: guard.requireStaff('article.view'),
    schema: {
      tags,
      summary: 'One saved version with its fields (to compare with the current one)',
      params: RevisionParams,
      response: { 200: Type.Composite([RevisionSchema, Type.Object({ fields: Type.Record(Type.String(), Type.Unknown()) })]) },
    },
    handler: async (request) => {
      const { id, revisionId } = request.params as Static<typeof RevisionParams>;
      await load(id);
      const row = await articlesRepo.revision(id, revisionId);
      if (!row) throw new NotFound('No such revision of this article');
      return { id: row.id, version: row.version, actor: row.actor, note: row.note, createdAt: row.created_at, fields: JSON.parse(row.snapshot) as Record<string, unknown> };
    },
  });

  // --- private preview -----------------------------------------------------------------

  app.post(`${base}/:id/preview-link`, {
    preHandler: guard.requireStaff('article.view'),
    schema: {
      tags,
      summary: 'A private link (valid 7 days) to the exact reader rendering of the saved article, whatever its status',
      params: IdParams,
      response: { 200: Type.Object({ url: Type.String(), expiresAt: Type.String() }) },
    },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      await load(id);
      const { token, expiresAt } = await previews.tokenFor(id, staff(request).user.id);
      return { url: `${publicUrl}/preview/${token}`, expiresAt };
    },
  });

  app.post(`${base}/:id/revisions/:revisionId/restore`, {
    preHandler: guard.requireStaff('article.edit'),
    schema: { tags, summary: 'Restore an earlier version as a new save', params: RevisionParams, body: Type.Optional(VersionBody), response: { 200: ArticleSchema } },
    handler: async (request) => {
      const { id, revisionId } = request.params as Static<typeof RevisionParams>;
      const body = (request.body ?? {}) as Static<typeof VersionBody>;
      const current = await load(id);
      staff(request).assert(editAction(current), { ownsResource: owns(request, current) });
      const keep = staff(request).can('homepage.rank') ? [] : (['topRank', 'breaking', 'breakingUntil'] as const);
      return toJson(await articles.restoreRevision(id, revisionId, { ...actor(request), expectedVersion: body.version, keep }));
    },
  });

  app.get(`${ADMIN_PREFIX}/corrections`, {
    preHandler: guard.requireStaff('article.view'),
    schema: {
      tags,
      summary: 'The newest corrections, clarifications and updates across all articles',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ id: Type.Integer(), articleId: Type.Integer(), headline: Type.String(), kind: Type.String(), text: Type.String(), createdAt: Type.String() })),
        }),
      },
    },
    handler: async (request) => {
      const { limit } = request.query as { limit?: number };
      const rows = await list.recentCorrections(limit ?? 10);
      return { items: rows.map((r) => ({ id: r.id, articleId: r.article_id, headline: r.headline, kind: r.kind, text: r.body, createdAt: r.created_at })) };
    },
  });

  // --- bulk ----------------------------------------------------------------------------

  /**
   * `unpublish`: published or scheduled articles come off the site (published ones answer 410).
   * `delete`: never-published articles are deleted for good; anything ever published is
   * unpublished instead (its address keeps answering 410, never 404). All or nothing on
   * permissions: if any article is not yours to change, nothing changes (403).
   */
  app.post(`${base}/bulk`, {
    preHandler: guard.requireStaff('article.edit'),
    schema: { tags, summary: 'Unpublish or delete several articles', body: BulkBody, response: { 200: BulkResponse } },
    handler: async (request) => {
      const { action, ids } = request.body as Static<typeof BulkBody>;
      const unique = [...new Set(ids)];
      const rows = new Map<number, ArticleRow>();
      for (const id of unique) {
        const row = await articlesRepo.byId(id);
        if (row) rows.set(id, row);
      }
      const plan = new Map<number, 'unpublish' | 'delete'>();
      const refused: number[] = [];
      for (const [id, row] of rows) {
        const deletable = action === 'delete' && row.first_published_at === null && row.status !== 'published';
        const step = deletable ? 'delete' : 'unpublish';
        plan.set(id, step);
        if (!staff(request).can(step === 'delete' ? 'article.delete' : 'article.unpublish', { ownsResource: owns(request, row) })) refused.push(id);
      }
      if (refused.length) throw new Forbidden(`You may not change articles ${refused.join(', ')}; nothing was changed`);
      const results: Static<typeof BulkResponse>['results'] = [];
      for (const id of unique) {
        const row = rows.get(id);
        if (!row) {
          results.push({ id, result: 'not_found' });
        } else if (plan.get(id) === 'delete') {
          await articles.deleteDraft(id);
          results.push({ id, result: 'deleted' });
        } else if (row.status === 'published' || row.status === 'scheduled') {
          await articles.unpublish(id, actor(request));
          results.push({ id, result: 'unpublished' });
        } else {
          results.push({ id, result: 'unchanged' });
        }
      }
      return { results };
    },
  });

  // --- the home page -------------------------------------------------------------------

  app.get(`${ADMIN_PREFIX}/home/top-stories`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags: ['home'], summary: 'The ranked top stories, rank 1 first', response: { 200: TopStories } },
    handler: async () => {
      const ranked = await list.ranked();
      return { articleIds: ranked };
    },
  });

  app.put(`${ADMIN_PREFIX}/home/top-stories`, {
    preHandler: guard.requireStaff('homepage.rank'),
    schema: { tags: ['home'], summary: 'Set the top stories: ranks 1..N in this order, every other article unranked', body: TopStories, response: { 200: TopStories } },
    handler: async (request) => {
      const { articleIds } = request.body as Static<typeof TopStories>;
      await articles.setTopStories(articleIds);
      return { articleIds: await list.ranked() };
    },
  });
}
