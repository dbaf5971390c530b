/**
 * POST /webhooks/stripe: Stripe's events about payments (docs/revenue.md).
 * No session, no CSRF: Stripe calls it from its servers and each request
 * proves itself by the Stripe-Signature header over the raw body, checked with
 * the SDK before anything is read. Answers (JSON):
 *   200 handled, or already handled (a replay changes nothing), or not ours
 *   400 a bad or missing signature: nothing stored
 *   404 donations are not set up (no Stripe keys)
 *   500 something failed on our side: Stripe retries later
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { BadSignature, type StripeEvents } from './stripe-events.service.js';

/** Stripe's event payloads are well under this. */
const BODY_LIMIT = 512 * 1024;

function answer(reply: FastifyReply, status: number, body: Record<string, unknown>) {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}

export async function registerStripeWebhookRoute(app: FastifyInstance, deps: { stripeEvents: StripeEvents }): Promise<void> {
  const { stripeEvents } = deps;
  await app.register(
    async (scope) => {
      // The signature is over the bytes as sent: keep them, whatever the content type says.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
      scope.setErrorHandler(async (error: FastifyError, request, reply) => {
        const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) request.log.error({ err: error }, 'stripe webhook failed');
        return answer(reply, status, { error: { status, message: status === 500 ? 'Something went wrong on our side; Stripe will send it again' : error.message, requestId: String(request.id) } });
      });
      scope.post('/stripe', { schema: { hide: true }, bodyLimit: BODY_LIMIT }, async (request, reply) => {
        if (!stripeEvents.enabled) return answer(reply, 404, { error: { status: 404, message: 'Donations are not set up (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)' } });
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['stripe-signature'];
        let event;
        try {
          event = stripeEvents.verify(raw, typeof signature === 'string' ? signature : undefined);
        } catch (error) {
          if (error instanceof BadSignature) {
            request.log.warn({ why: error.message }, 'stripe webhook refused');
            return answer(reply, 400, { error: { status: 400, message: 'The Stripe signature is missing or does not match' } });
          }
          throw error;
        }
        const outcome = await stripeEvents.handle(event);
        return answer(reply, 200, { received: true, outcome });
      });
    },
    { prefix: '/webhooks' },
  );
}
