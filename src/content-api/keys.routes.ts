/**
 * Admin API for Content API keys (`apikeys.manage`: admins and the owner).
 * HTTP only: the rules are in keys.service.ts.
 *
 *   GET   /api/admin/api-keys               every key, newest first (never a secret)
 *   POST  /api/admin/api-keys               { name, rateLimit?, corsOrigins? } → 201 { key, secret }: the only time the secret is shown
 *   PATCH /api/admin/api-keys/:id           { name?, rateLimit?, corsOrigins? } → the key
 *   POST  /api/admin/api-keys/:id/revoke    → the key, revoked (at once, on every node); again: unchanged
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { KeyInput, KeyPatch, type ApiKeysService } from './keys.service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Key = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  rateLimit: Type.Integer(),
  corsOrigins: Type.Array(Type.String()),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
// Described for OpenAPI; the service checks the body itself (Fastify would drop unknown fields silently).
const loose = <T extends object>(schema: T) => ({ ...schema, additionalProperties: true });

export function registerApiKeyRoutes(app: FastifyInstance, deps: { keys: ApiKeysService; guard: AdminGuard }): void {
  const { keys, guard } = deps;
  const base = `${ADMIN_PREFIX}/api-keys`;
  const access = guard.requireStaff('apikeys.manage');

  app.get(base, {
    preHandler: access,
    schema: { tags: ['content-api'], response: { 200: Type.Object({ items: Type.Array(Key) }) } },
    handler: async () => ({ items: await keys.list() }),
  });
  app.post(base, {
    preHandler: access,
    schema: { tags: ['content-api'], body: loose(KeyInput), response: { 201: Type.Object({ key: Key, secret: Type.String() }) } },
    handler: async (request, reply) => reply.code(201).send(await keys.create(request.body, request.staff!.user.id)),
  });
  app.patch(`${base}/:id`, {
    preHandler: access,
    schema: { tags: ['content-api'], params: IdParams, body: loose(KeyPatch), response: { 200: Key } },
    handler: async (request) => keys.update((request.params as Static<typeof IdParams>).id, request.body),
  });
  app.post(`${base}/:id/revoke`, {
    preHandler: access,
    schema: { tags: ['content-api'], params: IdParams, response: { 200: Key } },
    handler: async (request) => keys.revoke((request.params as Static<typeof IdParams>).id),
  });
}
