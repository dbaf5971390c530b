/**
 * Admin API for starting a newsletter send from a composition, and listing a
 * newsletter's sends (`newsletter.manage`). HTTP only: the rules are in
 * send-now.service.ts; the body is checked there as a ComposeInput (unknown
 * fields are a 400), so the schema here describes it and allows extras.
 *
 *   POST /api/admin/newsletters/:id/sends   { subject, intro?, itemIds } (+ Idempotency-Key header)
 *        → 201 with the send and its Location; the same key again → 200 with the send it started.
 *        409 with no stories, or when nobody is subscribed.
 *   GET  /api/admin/newsletters/:id/sends?page=&pageSize=   newest first
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { ComposeInput } from './compose.service.js';
import { SendJson } from './send.routes.js';
import type { SendNowService } from './send-now.service.js';

export interface SendNowRoutesDeps {
  sendNow: SendNowService;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Headers = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'One per composition (the admin sends a UUID): repeating the request answers with the send it started' }),
  ),
});
const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const Count = Type.Integer({ minimum: 0 });
const SendSummaryJson = Type.Object({
  id: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  test: Type.Boolean(),
  recipients: Count,
  counts: Type.Record(Type.String(), Count),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

export function registerSendNowRoutes(app: FastifyInstance, deps: SendNowRoutesDeps): void {
  const { sendNow, guard } = deps;
  const path = `${ADMIN_PREFIX}/newsletters/:id/sends`;
  const access = guard.requireStaff('newsletter.manage');

  app.post(path, {
    preHandler: access,
    schema: {
      tags: ['newsletters'],
      params: IdParams,
      headers: Headers,
      body: { ...ComposeInput, additionalProperties: true },
      response: { 200: SendJson, 201: SendJson },
    },
    handler: async (request, reply) => {
      const { send, created } = await sendNow.sendNow({
        newsletterId: (request.params as Static<typeof IdParams>).id,
        body: request.body,
        idempotencyKey: (request.headers as Static<typeof Headers>)['idempotency-key'],
        createdBy: request.staff!.user.id,
      });
      reply.code(created ? 201 : 200).header('location', `${ADMIN_PREFIX}/newsletter-sends/${send.id}`);
      return send;
    },
  });

  app.get(path, {
    preHandler: access,
    schema: {
      tags: ['newsletters'],
      params: IdParams,
      querystring: ListQuery,
      response: { 200: Type.Object({ items: Type.Array(SendSummaryJson), page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() }) },
    },
    handler: async (request) => {
      const query = request.query as Static<typeof ListQuery>;
      return sendNow.list((request.params as Static<typeof IdParams>).id, query.page ?? 1, query.pageSize ?? 20);
    },
  });
}
