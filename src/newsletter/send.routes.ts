/**
 * Admin API for newsletter sends in progress (`newsletter.manage`: editors and up).
 * HTTP only: the rules are in delivery.service.ts.
 *
 *   GET  /api/admin/newsletter-sends/:id                 status, recipients, counts by delivery status, problems
 *   POST /api/admin/newsletter-sends/:id/pause           stop before the next batch
 *   POST /api/admin/newsletter-sends/:id/resume          carry on with the recipients not yet sent to
 *   POST /api/admin/newsletter-sends/:id/cancel          nobody else gets it (pending recipients are skipped)
 * Each answers with the send as GET does; a change the send's state does not allow is a 409.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { DeliveryService, SendView } from './delivery.service.js';
import { SendTrackingJson } from './tracking.routes.js';

export interface SendRoutesDeps {
  delivery: DeliveryService;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Count = Type.Integer({ minimum: 0 });
export const SendJson = Type.Object({
  id: Type.Integer(),
  newsletterId: Type.Integer(),
  subject: Type.String(),
  status: Type.Union(['queued', 'sending', 'paused', 'cancelled', 'done'].map((s) => Type.Literal(s))),
  test: Type.Boolean(),
  recipients: Count,
  counts: Type.Object({ pending: Count, sending: Count, sent: Count, failed: Count, skipped: Count }),
  problems: Type.Array(Type.Object({ email: Type.String(), status: Type.String(), attempts: Count, error: Type.Union([Type.String(), Type.Null()]) })),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  tracking: SendTrackingJson,
});

export function registerSendRoutes(app: FastifyInstance, deps: SendRoutesDeps): void {
  const { delivery, guard } = deps;
  const base = `${ADMIN_PREFIX}/newsletter-sends`;
  const access = guard.requireStaff('newsletter.manage');
  const schema = { tags: ['newsletters'], params: IdParams, response: { 200: SendJson } };
  const id = (request: { params: unknown }) => (request.params as Static<typeof IdParams>).id;

  app.get(`${base}/:id`, { preHandler: access, schema, handler: async (request): Promise<SendView> => delivery.view(id(request)) });
  app.post(`${base}/:id/pause`, { preHandler: access, schema, handler: async (request) => delivery.pause(id(request)) });
  app.post(`${base}/:id/resume`, { preHandler: access, schema, handler: async (request) => delivery.resume(id(request)) });
  app.post(`${base}/:id/cancel`, { preHandler: access, schema, handler: async (request) => delivery.cancel(id(request)) });
}
