/**
 * Admin API for the suppression list (`newsletter.manage`: editors and up).
 * HTTP only: the rules are in suppressions.service.ts.
 *
 *   GET    /api/admin/newsletter-suppressions      q (address contains), reason, page, pageSize; counts per reason
 *   POST   /api/admin/newsletter-suppressions      { email, detail? } → 201 (reason manual); 409 when listed already
 *   DELETE /api/admin/newsletter-suppressions/:id  204: lifted
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { SuppressionReason } from '../db/schema.js';
import { ManualSuppression, SUPPRESSION_REASONS, type SuppressionsService } from './suppressions.service.js';

export interface SuppressionRoutesDeps {
  suppressions: SuppressionsService;
  guard: AdminGuard;
}

const Reason = Type.Union(SUPPRESSION_REASONS.map((r) => Type.Literal(r)));
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Suppression = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  reason: Reason,
  source: Type.String(),
  detail: Type.String(),
  createdAt: Type.String(),
  subscriberId: Type.Union([Type.Integer(), Type.Null()]),
});
const Counts = Type.Object({ hard_bounce: Type.Integer(), complaint: Type.Integer(), soft_bounce: Type.Integer(), manual: Type.Integer() });
const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    reason: Type.Optional(Reason),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
// Described for OpenAPI; the service refuses unknown fields itself (Fastify would drop them silently).
const AddBody = { ...ManualSuppression, additionalProperties: true };

export function registerSuppressionRoutes(app: FastifyInstance, deps: SuppressionRoutesDeps): void {
  const { suppressions, guard } = deps;
  const base = `${ADMIN_PREFIX}/newsletter-suppressions`;
  const access = guard.requireStaff('newsletter.manage');

  app.get(base, {
    preHandler: access,
    schema: {
      tags: ['newsletters'],
      querystring: ListQuery,
      response: { 200: Type.Object({ items: Type.Array(Suppression), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: Counts }) },
    },
    handler: async (request) => {
      const query = request.query as Static<typeof ListQuery>;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      const result = await suppressions.list({ q: query.q?.trim() || undefined, reason: query.reason as SuppressionReason | undefined }, page, pageSize);
      return { ...result, page, pageSize };
    },
  });
  app.post(base, {
    preHandler: access,
    schema: { tags: ['newsletters'], body: AddBody, response: { 201: Suppression } },
    handler: async (request, reply) => {
      return reply.code(201).send(await suppressions.addManual(request.body, request.staff!.user.email));
    },
  });
  app.delete(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams },
    handler: async (request, reply) => {
      await suppressions.lift((request.params as Static<typeof IdParams>).id);
      return reply.code(204).send();
    },
  });
}
