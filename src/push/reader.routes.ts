/**
 * The reader side of push alerts (JSON for the /alerts page's script and the service worker):
 *
 *   GET    /push/key                  { publicKey }: the VAPID key for pushManager.subscribe
 *   PUT    /push/subscription         { subscription, topics } saves or updates; 201 new, 200 updated
 *   POST   /push/subscription/find    { endpoint, auth } -> { topics, active }; 404 when we do not hold it
 *   DELETE /push/subscription         { endpoint, auth } stops alerts; 204
 *   POST   /push/alerts/:id/click     the service worker counts a click on a notification; 204
 *
 * Forgery: these take JSON only (a form on another site cannot send it
 * without CORS, which we do not grant) and, like the site's other reader
 * forms, refuse a browser that says the request came from another site.
 * Each is rate-limited per network.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, Invalid } from '../shared/errors.js';
import { TooManyAttempts } from '../accounts/errors.js';
import { addressKey, type AttemptLimiter, type LimitKey } from '../accounts/rate-limit.js';
import { fromOwnSite } from '../newsletter/signup.routes.js';
import { SaveSubscriptionBody, SubscriptionRef, type PushSubscriptions } from './subscriptions.service.js';
import type { PushAlerts } from './alerts.service.js';
import type { PushRepository } from './push.repository.js';

export interface PushReaderRoutesDeps {
  subscriptions: PushSubscriptions;
  repo: PushRepository;
  publicKey: string;
  limiter: AttemptLimiter;
  publicUrl: string;
}

/** A reader changes their alerts a few times at most; 30 a minute from one network is far beyond that. */
const subscriptionKey = (ip: string): LimitKey => ({ key: `push:${addressKey(ip).key}`, policy: { maxFailures: 30, windowMs: 60_000, lockMs: 60_000 } });
const clickKey = (ip: string): LimitKey => ({ key: `push-click:${addressKey(ip).key}`, policy: { maxFailures: 60, windowMs: 60_000, lockMs: 60_000 } });

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export function registerPushReaderRoutes(app: FastifyInstance, deps: PushReaderRoutesDeps): void {
  const publicOrigin = new URL(deps.publicUrl).origin;

  const guard = async (request: FastifyRequest, key: (ip: string) => LimitKey) => {
    if (!fromOwnSite(request, publicOrigin)) throw new Forbidden('Alert requests come from this site’s own pages');
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new Invalid('Send JSON (Content-Type: application/json)');
    if (!(await deps.limiter.take(key(request.ip)))) throw new TooManyAttempts(60);
  };

  app.get('/push/key', {
    schema: { tags: ['push'], response: { 200: Type.Object({ publicKey: Type.String() }) } },
    handler: async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send({ publicKey: deps.publicKey }),
  });

  app.put('/push/subscription', {
    schema: { tags: ['push'], body: { ...SaveSubscriptionBody, additionalProperties: true }, response: { 200: Type.Object({ topics: Type.Array(Type.String()) }), 201: Type.Object({ topics: Type.Array(Type.String()) }) } },
    handler: async (request, reply) => {
      await guard(request, subscriptionKey);
      const saved = await deps.subscriptions.save(request.body as Static<typeof SaveSubscriptionBody>);
      return reply.code(saved.created ? 201 : 200).header('cache-control', 'no-store').send({ topics: saved.topics });
    },
  });

  app.post('/push/subscription/find', {
    schema: { tags: ['push'], body: SubscriptionRef, response: { 200: Type.Object({ topics: Type.Array(Type.String()), active: Type.Boolean() }) } },
    handler: async (request, reply) => {
      await guard(request, subscriptionKey);
      return reply.header('cache-control', 'no-store').send(await deps.subscriptions.find(request.body as Static<typeof SubscriptionRef>));
    },
  });

  app.delete('/push/subscription', {
    schema: { tags: ['push'], body: SubscriptionRef },
    handler: async (request, reply) => {
      await guard(request, subscriptionKey);
      await deps.subscriptions.remove(request.body as Static<typeof SubscriptionRef>);
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  });

  app.post('/push/alerts/:id/click', {
    schema: { tags: ['push'], params: IdParams },
    handler: async (request, reply) => {
      if (!fromOwnSite(request, publicOrigin)) throw new Forbidden('Clicks are counted from this site’s own service worker');
      if (!(await deps.limiter.take(clickKey(request.ip)))) throw new TooManyAttempts(60);
      // Aggregate only: nothing about the reader is kept. An unknown or unsent alert counts nothing, silently.
      await deps.repo.countClick((request.params as Static<typeof IdParams>).id);
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  });
}
