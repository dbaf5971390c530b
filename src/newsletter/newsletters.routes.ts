/**
 * Admin API for newsletters and their readers (`newsletter.manage`: editors and
 * up). HTTP only: bodies are checked by the services (unknown fields are a 400,
 * not silently dropped), so the body schemas here describe and allow extras.
 *
 *   GET    /api/admin/newsletters            list, with subscriber counts per status
 *   POST   /api/admin/newsletters            create → 201
 *   GET    /api/admin/newsletters/:id        one
 *   PATCH  /api/admin/newsletters/:id        change
 *   DELETE /api/admin/newsletters/:id        204; 409 while it has readers (hide it instead)
 *   GET    /api/admin/subscribers            search (q, newsletterId, status, page, pageSize) with counts
 *   GET    /api/admin/subscribers/:id        one reader: subscriptions and consent records
 *   DELETE /api/admin/subscribers/:id        204: the reader and everything kept about them
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { ConsentRow, SubscriberRow, SubscriptionRow } from '../db/schema.js';
import { NewsletterCreate, NewsletterPatch, Schedule, Template, type NewslettersService } from './newsletters.service.js';
import type { SubscribersService } from './subscribers.service.js';

export interface NewsletterRoutesDeps {
  newsletters: NewslettersService;
  subscribers: SubscribersService;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Status = Type.Union(['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained'].map((s) => Type.Literal(s)));
const Counts = Type.Object({ pending: Type.Integer(), subscribed: Type.Integer(), unsubscribed: Type.Integer(), bounced: Type.Integer(), complained: Type.Integer() });

const Newsletter = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  senderName: Type.String(),
  senderEmail: Type.String(),
  replyTo: Type.Union([Type.String(), Type.Null()]),
  schedule: Type.Union([Schedule, Type.Null()]),
  template: Template,
  visibility: Type.Union([Type.Literal('public'), Type.Literal('hidden')]),
  position: Type.Integer(),
  sendMode: Type.Union([Type.Literal('manual'), Type.Literal('automatic')]),
  counts: Counts,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Subscription = Type.Object({
  newsletterId: Type.Integer(),
  status: Status,
  source: Type.String(),
  requestedAt: Type.String(),
  confirmedAt: Type.Union([Type.String(), Type.Null()]),
  unsubscribedAt: Type.Union([Type.String(), Type.Null()]),
});
const SubscriberSummary = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  subscriptions: Type.Array(Type.Object({ newsletterId: Type.Integer(), status: Status })),
});
const SubscriberDetail = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  subscriptions: Type.Array(Type.Intersect([Subscription, Type.Object({ newsletterName: Type.String() })])),
  consents: Type.Array(
    Type.Object({
      newsletterId: Type.Union([Type.Integer(), Type.Null()]),
      newsletterName: Type.String(),
      action: Type.String(),
      source: Type.String(),
      ip: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ),
});

const SubscriberQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    newsletterId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    status: Type.Optional(Status),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const subscriptionJson = (s: SubscriptionRow) => ({
  newsletterId: s.newsletter_id,
  status: s.status,
  source: s.source,
  requestedAt: s.requested_at,
  confirmedAt: s.confirmed_at,
  unsubscribedAt: s.unsubscribed_at,
});
const consentJson = (c: ConsentRow) => ({ newsletterId: c.newsletter_id, newsletterName: c.newsletter_name, action: c.action, source: c.source, ip: c.ip, createdAt: c.created_at });
const summaryJson = (s: SubscriberRow, subs: SubscriptionRow[]) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  createdAt: s.created_at,
  subscriptions: subs.map((x) => ({ newsletterId: x.newsletter_id, status: x.status })),
});

export function registerNewsletterRoutes(app: FastifyInstance, deps: NewsletterRoutesDeps): void {
  const { newsletters, subscribers, guard } = deps;
  const base = ADMIN_PREFIX;
  const access = guard.requireStaff('newsletter.manage');
  // Described for OpenAPI; the service refuses unknown fields itself.
  const describe = (schema: typeof NewsletterCreate | typeof NewsletterPatch) => ({ ...schema, additionalProperties: true });

  app.get(`${base}/newsletters`, {
    preHandler: access,
    schema: { tags: ['newsletters'], response: { 200: Type.Object({ items: Type.Array(Newsletter) }) } },
    handler: async () => ({ items: await newsletters.list() }),
  });
  app.post(`${base}/newsletters`, {
    preHandler: access,
    schema: { tags: ['newsletters'], body: describe(NewsletterCreate), response: { 201: Newsletter } },
    handler: async (request, reply) => reply.code(201).send(await newsletters.create(request.body)),
  });
  app.get(`${base}/newsletters/:id`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams, response: { 200: Newsletter } },
    handler: async (request) => newsletters.get((request.params as Static<typeof IdParams>).id),
  });
  app.patch(`${base}/newsletters/:id`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams, body: describe(NewsletterPatch), response: { 200: Newsletter } },
    handler: async (request) => newsletters.update((request.params as Static<typeof IdParams>).id, request.body),
  });
  app.delete(`${base}/newsletters/:id`, {
    preHandler: access,
    schema: { tags: ['newsletters'], params: IdParams },
    handler: async (request, reply) => {
      await newsletters.delete((request.params as Static<typeof IdParams>).id);
      return reply.code(204).send();
    },
  });

  app.get(`${base}/subscribers`, {
    preHandler: access,
    schema: {
      tags: ['subscribers'],
      querystring: SubscriberQuery,
      response: { 200: Type.Object({ items: Type.Array(SubscriberSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: Counts }) },
    },
    handler: async (request) => {
      const query = request.query as Static<typeof SubscriberQuery>;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      const q = query.q?.trim();
      const result = await subscribers.search({ q: q || undefined, newsletterId: query.newsletterId, status: query.status as SubscriptionRow['status'] | undefined }, page, pageSize);
      return { items: result.items.map((i) => summaryJson(i.subscriber, i.subscriptions)), total: result.total, page, pageSize, counts: result.counts };
    },
  });
  app.get(`${base}/subscribers/:id`, {
    preHandler: access,
    schema: { tags: ['subscribers'], params: IdParams, response: { 200: SubscriberDetail } },
    handler: async (request) => {
      const detail = await subscribers.detail((request.params as Static<typeof IdParams>).id);
      const s = detail.subscriber;
      return {
        id: s.id,
        email: s.email,
        name: s.name,
        createdAt: s.created_at,
        updatedAt: s.updated_at,
        subscriptions: detail.subscriptions.map((x) => ({ ...subscriptionJson(x), newsletterName: x.newsletter_name })),
        consents: detail.consents.map(consentJson),
      };
    },
  });
  app.delete(`${base}/subscribers/:id`, {
    preHandler: access,
    schema: { tags: ['subscribers'], params: IdParams },
    handler: async (request, reply) => {
      await subscribers.delete((request.params as Static<typeof IdParams>).id);
      return reply.code(204).send();
    },
  });
}
