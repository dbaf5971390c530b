/**
 * Admin API for reader prompts (`prompts.manage`: editors and up; campaigns are
 * editorial choices and their counts are aggregates, no reader data). HTTP only: the
 * service checks bodies itself (unknown fields are a 400).
 *
 *   GET    /api/admin/prompts             list
 *   POST   /api/admin/prompts             create → 201
 *   GET    /api/admin/prompts/:id         one
 *   PATCH  /api/admin/prompts/:id         change
 *   DELETE /api/admin/prompts/:id         204 (its counts go with it)
 *   GET    /api/admin/prompts/:id/stats   per-variant impressions, clicks, conversions, rates (from, to: YYYY-MM-DD)
 *   POST   /api/admin/prompts/preview     the reader HTML of a campaign as typed (not saved)
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { CampaignsService } from './campaigns.service.js';
import type { PromptStats } from './stats.service.js';
import { CampaignInput, CampaignPatch } from './model.js';

export interface PromptRoutesDeps {
  campaigns: CampaignsService;
  stats: PromptStats;
  guard: AdminGuard;
  /** Renders a campaign as typed into reader HTML for the editor's preview. */
  preview: (input: unknown) => Promise<string>;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const StatsQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false });

export function registerPromptRoutes(app: FastifyInstance, deps: PromptRoutesDeps): void {
  const { campaigns, stats, guard } = deps;
  const base = `${ADMIN_PREFIX}/prompts`;
  const access = guard.requireStaff('prompts.manage');
  // Described for OpenAPI; the service refuses unknown fields itself.
  const describe = (schema: typeof CampaignInput | typeof CampaignPatch) => ({ ...schema, additionalProperties: true });

  app.get(base, {
    preHandler: access,
    schema: { tags: ['prompts'] },
    handler: async () => ({ items: await campaigns.list() }),
  });
  app.post(base, {
    preHandler: access,
    schema: { tags: ['prompts'], body: describe(CampaignInput) },
    handler: async (request, reply) => reply.code(201).send(await campaigns.create(request.body)),
  });
  app.post(`${base}/preview`, {
    preHandler: access,
    schema: { tags: ['prompts'], body: describe(CampaignInput) },
    handler: async (request) => ({ html: await deps.preview(request.body) }),
  });
  app.get(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['prompts'], params: IdParams },
    handler: async (request) => campaigns.get((request.params as Static<typeof IdParams>).id),
  });
  app.patch(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['prompts'], params: IdParams, body: describe(CampaignPatch) },
    handler: async (request) => campaigns.update((request.params as Static<typeof IdParams>).id, request.body),
  });
  app.delete(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['prompts'], params: IdParams },
    handler: async (request, reply) => {
      await campaigns.delete((request.params as Static<typeof IdParams>).id);
      return reply.code(204).send();
    },
  });
  app.get(`${base}/:id/stats`, {
    preHandler: access,
    schema: { tags: ['prompts'], params: IdParams, querystring: StatsQuery },
    handler: async (request) => stats.forCampaign((request.params as Static<typeof IdParams>).id, request.query as Static<typeof StatsQuery>),
  });
}
