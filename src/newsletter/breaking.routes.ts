/**
 * Admin API for breaking news from the article editor (`newsletter.manage`).
 * HTTP only: the rules are in breaking.service.ts, which checks the body
 * (unknown fields are a 400, not silently dropped).
 *
 *   POST /api/admin/articles/:id/newsletter-send   { newsletterId, subject?, again? }
 *        201 the send (as GET /api/admin/newsletter-sends/:id answers) with its Location;
 *        409 when the story is not published, or already went to that newsletter (and when) without `again`.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { BreakingSendInput, type BreakingNews } from './breaking.service.js';
import { SendJson } from './send.routes.js';

export interface BreakingRoutesDeps {
  breaking: BreakingNews;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export function registerBreakingRoutes(app: FastifyInstance, deps: BreakingRoutesDeps): void {
  const { breaking, guard } = deps;
  app.post(`${ADMIN_PREFIX}/articles/:id/newsletter-send`, {
    preHandler: guard.requireStaff('newsletter.manage'),
    schema: { tags: ['newsletters'], params: IdParams, body: { ...BreakingSendInput, additionalProperties: true }, response: { 201: SendJson } },
    handler: async (request, reply) => {
      const send = await breaking.send((request.params as Static<typeof IdParams>).id, request.body, request.staff!.user.id);
      return reply.code(201).header('location', `${ADMIN_PREFIX}/newsletter-sends/${send.id}`).send(send);
    },
  });
}
