/**
 * Bounce and complaint webhooks (docs/newsletters.md, "Bounces, complaints and
 * suppression"). No session, no CSRF: the mail services call these from their
 * servers, and each request proves itself by its signature, checked before
 * anything else is read.
 *
 *   POST /webhooks/newsletters/ses       Amazon SES via SNS (signed by AWS)
 *   POST /webhooks/newsletters/postmark  Postmark (basic credentials in the URL)
 *   POST /webhooks/newsletters/mailgun   Mailgun (HMAC with the signing key)
 *   POST /webhooks/newsletters/generic   our own format (HMAC, X-Broadsheet-Signature)
 *   POST /webhooks/newsletters/inbound/… unsubscribe requests sent to the List-Unsubscribe mailto: (inbound.ts)
 *
 * Answers: 204 handled (a replay too: it changes nothing), 400 malformed,
 * 401 unsigned, 403 a bad signature (or an untrusted topic, a stale time, a
 * reused token), 404 when that endpoint is not configured: without its
 * secret an endpoint accepts nothing at all.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../../shared/clock.js';
import type { SubscribersService } from '../subscribers.service.js';
import type { SuppressionsService } from '../suppressions.service.js';
import { readGeneric, verifyGenericSignature } from './generic.js';
import { genericInboundSubject, readPostmarkInbound, unsubscribeTokenIn } from './inbound.js';
import { readMailgun } from './mailgun.js';
import { readPostmark } from './postmark.js';
import { SesWebhook } from './ses.js';
import type { Verdict } from './verdict.js';

export const WEBHOOK_PREFIX = '/webhooks/newsletters';
/** Amazon SNS messages are at most 256 KB; the others are far smaller. */
const BODY_LIMIT = 512 * 1024;

export interface WebhookRoutesDeps {
  config: Config['newsletterWebhooks'];
  suppressions: SuppressionsService;
  /** For unsubscribe requests by email. */
  subscribers: Pick<SubscribersService, 'unsubscribeByToken'>;
  clock: Clock;
}

function answer(reply: FastifyReply, status: number, code: string, message: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: { status, code, message, requestId: String(reply.request.id) } });
}

const CODES: Record<number, string> = { 400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 502: 'bad_gateway', 503: 'unavailable' };

export async function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRoutesDeps): Promise<void> {
  const { config, suppressions, subscribers, clock } = deps;
  const ses = new SesWebhook({ topicArns: config.sesTopicArns, testOrigin: config.snsTestOrigin, now: () => clock.now() });

  /** Applies a verified provider message once; a replay is answered as handled. */
  const apply = async (reply: FastifyReply, source: string, verdict: Verdict) => {
    if (!verdict.ok) {
      reply.request.log.warn({ source, status: verdict.status, why: verdict.message }, 'newsletter webhook refused');
      return answer(reply, verdict.status, CODES[verdict.status] ?? 'refused', verdict.message);
    }
    const outcome = await suppressions.handle(source, verdict.eventKey, verdict.digest, verdict.events);
    if (outcome === 'reused') return answer(reply, 403, 'forbidden', 'This signed token was already used for another event');
    return reply.code(204).header('cache-control', 'no-store').send();
  };
  /** An email that arrived at the mailto: address, verified: unsubscribes when its subject is a request; 204 either way. */
  const unsubscribeRequest = async (reply: FastifyReply, source: string, subject: string) => {
    const token = unsubscribeTokenIn(subject);
    const outcome = token ? await subscribers.unsubscribeByToken(token, source) : 'not a request';
    reply.request.log.info({ source, outcome }, 'unsubscribe request by email');
    return reply.code(204).header('cache-control', 'no-store').send();
  };
  const notConfigured = (reply: FastifyReply, what: string) => answer(reply, 404, 'not_found', `This webhook is not set up (${what} is not configured)`);

  await app.register(
    async (scope) => {
      // The raw body, whatever its type (SNS sends JSON as text/plain): signatures are over the bytes as sent.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));
      // Providers read JSON: a body over the limit (413) gets the same kind of answer as the rest, not the site's HTML page.
      scope.setErrorHandler(async (error: FastifyError, request, reply) => {
        const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status === 500) request.log.error({ err: error, url: request.url }, 'newsletter webhook failed');
        const message = status === 413 ? 'The request body is too large' : status === 500 ? 'Something went wrong on our side; send it again later' : error.message;
        return answer(reply, status, CODES[status] ?? (status === 413 ? 'too_large' : 'internal'), message);
      });
      const raw = (body: unknown) => (typeof body === 'string' ? body : '');
      const route = { schema: { hide: true }, bodyLimit: BODY_LIMIT };

      scope.post('/ses', route, async (request, reply) => {
        if (config.sesTopicArns.length === 0) return notConfigured(reply, 'NEWSLETTER_SES_TOPIC_ARNS');
        const verdict = await ses.read(raw(request.body));
        if (verdict.ok === 'subscribe') {
          if (!(await ses.confirmSubscription(verdict.url))) return answer(reply, 502, 'bad_gateway', 'The subscription could not be confirmed; Amazon SNS will send the confirmation again');
          request.log.info({ topicArn: verdict.topicArn }, 'newsletter bounce topic subscription confirmed');
          return reply.code(204).send();
        }
        return apply(reply, 'ses', verdict);
      });

      scope.post('/postmark', route, async (request, reply) => {
        if (!config.postmarkAuth) return notConfigured(reply, 'NEWSLETTER_POSTMARK_WEBHOOK_AUTH');
        return apply(reply, 'postmark', readPostmark(config.postmarkAuth, request.headers.authorization, raw(request.body)));
      });

      scope.post('/mailgun', route, async (request, reply) => {
        if (!config.mailgunSigningKey) return notConfigured(reply, 'NEWSLETTER_MAILGUN_SIGNING_KEY');
        return apply(reply, 'mailgun', readMailgun(config.mailgunSigningKey, raw(request.body), clock.now()));
      });

      scope.post('/generic', route, async (request, reply) => {
        if (!config.secret) return notConfigured(reply, 'NEWSLETTER_WEBHOOK_SECRET');
        const header = request.headers['x-broadsheet-signature'];
        return apply(reply, 'webhook', readGeneric(config.secret, typeof header === 'string' ? header : undefined, raw(request.body), clock.now()));
      });

      scope.post('/inbound/ses', route, async (request, reply) => {
        if (config.sesTopicArns.length === 0) return notConfigured(reply, 'NEWSLETTER_SES_TOPIC_ARNS');
        const verdict = await ses.readInbound(raw(request.body));
        if (verdict.ok === 'subscribe') {
          if (!(await ses.confirmSubscription(verdict.url))) return answer(reply, 502, 'bad_gateway', 'The subscription could not be confirmed; Amazon SNS will send the confirmation again');
          return reply.code(204).send();
        }
        if (verdict.ok === 'ignore') return reply.code(204).send();
        if (!verdict.ok) return answer(reply, verdict.status, CODES[verdict.status] ?? 'refused', verdict.message);
        return unsubscribeRequest(reply, 'mailto (ses)', verdict.subject);
      });

      scope.post('/inbound/postmark', route, async (request, reply) => {
        if (!config.postmarkAuth) return notConfigured(reply, 'NEWSLETTER_POSTMARK_WEBHOOK_AUTH');
        const verdict = readPostmarkInbound(config.postmarkAuth, request.headers.authorization, raw(request.body));
        if (!verdict.ok) return answer(reply, verdict.status, CODES[verdict.status] ?? 'refused', verdict.message);
        return unsubscribeRequest(reply, 'mailto (postmark)', verdict.subject);
      });

      scope.post('/inbound/generic', route, async (request, reply) => {
        if (!config.secret) return notConfigured(reply, 'NEWSLETTER_WEBHOOK_SECRET');
        const header = request.headers['x-broadsheet-signature'];
        const signed = verifyGenericSignature(config.secret, typeof header === 'string' ? header : undefined, raw(request.body), clock.now());
        if (!signed.ok) return answer(reply, signed.status, CODES[signed.status] ?? 'refused', signed.message);
        const subject = genericInboundSubject(request.headers['content-type'], raw(request.body));
        if (!subject.ok) return answer(reply, subject.status, CODES[subject.status] ?? 'refused', subject.message);
        return unsubscribeRequest(reply, 'mailto', subject.subject);
      });
    },
    { prefix: WEBHOOK_PREFIX },
  );
}
