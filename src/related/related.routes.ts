/**
 * Admin API for an article's related stories (docs/related.md): read the
 * picks, and set pins, their order, removals and the inline switch. HTTP only;
 * RelatedService holds the rules. Changing picks is editing the article, so it
 * takes the same permission as editing it in its current state.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { ArticlesRepository } from '../newsroom/articles.repository.js';
import { NotFound } from '../shared/errors.js';
import type { RelatedService } from './related.service.js';

export interface RelatedRoutesDeps {
  related: RelatedService;
  articlesRepo: ArticlesRepository;
  guard: AdminGuard;
}

const Id = Type.Integer({ minimum: 1 });
const IdParams = Type.Object({ id: Id });
const PickSchema = Type.Object({
  id: Type.Integer(),
  headline: Type.String(),
  slug: Type.String(),
  url: Type.String({ description: 'Site-relative path of the picked story' }),
  section: Type.Union([Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }), Type.Null()]),
  status: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  pinned: Type.Boolean(),
  score: Type.Number(),
});
const PicksResponse = Type.Object({
  articleId: Type.Integer(),
  inline: Type.Boolean({ description: 'Inline "READ:" links appear in this article' }),
  picks: Type.Array(PickSchema, { description: 'In order; the first ones are the inline links' }),
  removed: Type.Array(PickSchema, { description: 'Stories the editors removed: never picked again for this article' }),
});
const PicksBody = Type.Object(
  {
    inline: Type.Optional(Type.Boolean()),
    picks: Type.Optional(Type.Array(Type.Object({ id: Id, pinned: Type.Boolean() }, { additionalProperties: false }), { maxItems: 20 })),
    removed: Type.Optional(Type.Array(Id, { maxItems: 200 })),
  },
  { additionalProperties: false },
);

export function registerRelatedRoutes(app: FastifyInstance, deps: RelatedRoutesDeps): void {
  const { related, articlesRepo, guard } = deps;
  const base = `${ADMIN_PREFIX}/articles/:id/related`;
  const tags = ['related'];

  app.get(base, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags, summary: "An article's related stories", params: IdParams, response: { 200: PicksResponse } },
    handler: async (request) => related.picksFor((request.params as Static<typeof IdParams>).id),
  });

  app.put(base, {
    preHandler: guard.requireStaff('article.edit'),
    schema: {
      tags,
      summary: "Set an article's pinned, removed and inline related stories (the engine fills the rest)",
      params: IdParams,
      body: PicksBody,
      response: { 200: PicksResponse },
    },
    handler: async (request: FastifyRequest) => {
      const { id } = request.params as Static<typeof IdParams>;
      const article = await articlesRepo.byId(id);
      if (!article) throw new NotFound('No such article');
      const staff = request.staff!;
      const owns = article.created_by !== null && article.created_by === staff.user.id;
      staff.assert(article.status === 'published' ? 'article.edit-published' : 'article.edit', { ownsResource: owns });
      return related.setPicks(id, request.body as Static<typeof PicksBody>);
    },
  });
}
