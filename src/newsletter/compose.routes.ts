/**
 * Admin API for composing a newsletter issue (`newsletter.manage`: editors and
 * up). HTTP only: bodies are checked by ComposeService (unknown fields are a
 * 400, not silently dropped), so the body schemas here describe and allow extras.
 *
 *   GET  /api/admin/newsletters/:id/candidates?since=   suggested stories (and the others) with a subject
 *   POST /api/admin/newsletters/:id/preview             { subject, intro?, itemIds } → { subject, html, text } for the sample reader
 *   POST /api/admin/newsletters/:id/test-email          the same plus `to` → one "[Test]" email (10 an hour per staff member)
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { TooManyAttempts } from '../accounts/errors.js';
import { ComposeInput, TestEmailInput, type ComposeService } from './compose.service.js';

export interface ComposeRoutesDeps {
  compose: ComposeService;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const CandidatesQuery = Type.Object({ since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date and time; default: the last send (else the previous scheduled slot, else 24 hours ago)' })) });

const Item = Type.Object({
  id: Type.Integer(),
  headline: Type.String(),
  dek: Type.String(),
  url: Type.String(),
  image: Type.Union([Type.Object({ url: Type.String(), width: Type.Integer(), height: Type.Integer(), alt: Type.String() }), Type.Null()]),
  byline: Type.Array(Type.String()),
  section: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String(),
  topRank: Type.Union([Type.Integer(), Type.Null()]),
});
const Rendered = Type.Object({ subject: Type.String(), html: Type.String(), text: Type.String() });

export function registerComposeRoutes(app: FastifyInstance, deps: ComposeRoutesDeps): void {
  const { compose, guard } = deps;
  const base = `${ADMIN_PREFIX}/newsletters/:id`;
  const access = guard.requireStaff('newsletter.manage');
  const idOf = (params: unknown) => (params as Static<typeof IdParams>).id;

  app.get(`${base}/candidates`, {
    preHandler: access,
    schema: {
      tags: ['newsletters'],
      params: IdParams,
      querystring: CandidatesQuery,
      response: { 200: Type.Object({ since: Type.String(), lastSendAt: Type.Union([Type.String(), Type.Null()]), subject: Type.String(), items: Type.Array(Item), others: Type.Array(Item) }) },
    },
    handler: async (request) => compose.candidates(idOf(request.params), (request.query as Static<typeof CandidatesQuery>).since),
  });
  app.post(`${base}/preview`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams, body: { ...ComposeInput, additionalProperties: true }, response: { 200: Rendered } },
    handler: async (request) => compose.preview(idOf(request.params), request.body),
  });
  app.post(`${base}/test-email`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams, body: { ...TestEmailInput, additionalProperties: true }, response: { 200: Type.Object({ to: Type.String(), subject: Type.String() }) } },
    handler: async (request, reply) => {
      try {
        return await compose.sendTest(request.staff!.user.id, idOf(request.params), request.body);
      } catch (error) {
        if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds));
        throw error;
      }
    },
  });
}
