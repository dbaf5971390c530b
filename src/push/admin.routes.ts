/**
 * Admin API for push alerts (`push.send`: editors, admins and the owner; see docs/push.md):
 *
 *   GET  /api/admin/push/topics              [{ topic, label, subscribers }]
 *   GET  /api/admin/push/alerts?before=&limit=  newest first, with sent / failed / clicked counts
 *   POST /api/admin/push/alerts              { title, body, url?|articleId, topic, urgency?, ttlMinutes?, sendAt?, requestKey? }
 *                                            201 a new alert; 200 the earlier one when requestKey was seen
 *   GET  /api/admin/push/alerts/:id
 *   POST /api/admin/push/alerts/:id/cancel   a scheduled alert; 409 once it has started
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { AlertInput, type PushAlerts } from './alerts.service.js';
import type { Push } from './module.js';

export interface PushAdminRoutesDeps {
  push: Push;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const ListQuery = Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) });
const Counts = Type.Object({ sent: Type.Integer(), failed: Type.Integer(), waiting: Type.Integer(), clicked: Type.Integer(), removed: Type.Integer(), unknown: Type.Integer() });
export const AlertJson = Type.Object({
  id: Type.Integer(),
  articleId: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  body: Type.String(),
  url: Type.String(),
  topic: Type.String(),
  urgency: Type.String(),
  ttlMinutes: Type.Integer(),
  status: Type.String(),
  sendAt: Type.String(),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  recipients: Type.Integer(),
  counts: Counts,
});

export function registerPushAdminRoutes(app: FastifyInstance, deps: PushAdminRoutesDeps): void {
  const { push, guard } = deps;
  const alerts: PushAlerts = push.alerts;

  app.get(`${ADMIN_PREFIX}/push/topics`, {
    preHandler: guard.requireStaff('push.send'),
    schema: { tags: ['push'], response: { 200: Type.Object({ items: Type.Array(Type.Object({ topic: Type.String(), label: Type.String(), subscribers: Type.Integer() })) }) } },
    handler: async () => {
      const [choices, counts] = await Promise.all([push.topics(), push.repo.subscriberCounts()]);
      return { items: choices.map((c) => ({ ...c, subscribers: counts.get(c.topic) ?? 0 })) };
    },
  });

  app.get(`${ADMIN_PREFIX}/push/alerts`, {
    preHandler: guard.requireStaff('push.send'),
    schema: { tags: ['push'], querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(AlertJson) }) } },
    handler: async (request) => {
      const query = request.query as Static<typeof ListQuery>;
      return { items: await alerts.list(query.limit ?? 50, query.before) };
    },
  });

  app.post(`${ADMIN_PREFIX}/push/alerts`, {
    preHandler: guard.requireStaff('push.send'),
    // The service checks the body strictly (an unknown field is a 400, not dropped).
    schema: { tags: ['push'], body: { ...AlertInput, additionalProperties: true }, response: { 200: AlertJson, 201: AlertJson } },
    handler: async (request, reply) => {
      const { alert, created } = await alerts.create(request.body, request.staff!.user.id);
      return reply.code(created ? 201 : 200).header('location', `${ADMIN_PREFIX}/push/alerts/${alert.id}`).send(alert);
    },
  });

  app.get(`${ADMIN_PREFIX}/push/alerts/:id`, {
    preHandler: guard.requireStaff('push.send'),
    schema: { tags: ['push'], params: IdParams, response: { 200: AlertJson } },
    handler: async (request) => alerts.get((request.params as Static<typeof IdParams>).id),
  });

  app.post(`${ADMIN_PREFIX}/push/alerts/:id/cancel`, {
    preHandler: guard.requireStaff('push.send'),
    schema: { tags: ['push'], params: IdParams, response: { 200: AlertJson } },
    handler: async (request) => alerts.cancel((request.params as Static<typeof IdParams>).id),
  });
}
