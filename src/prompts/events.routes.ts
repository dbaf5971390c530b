/**
 * The reader side of prompt counting:
 *
 *   POST /prompts/events   the reader script's beacon: { events: [{ campaign, variant, type }] }, at most
 *                          50 per request; same-origin only; rate-limited per network; 204.
 *
 * and a newsletter sign-up sent from a prompt's form (POST /newsletters with the
 * hidden fields `prompt` and `prompt_variant`) counts as that variant's conversion
 * when the sign-up succeeds (200, not the honeypot).
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance } from 'fastify';
import { Forbidden, Invalid } from '../shared/errors.js';
import { TooManyAttempts } from '../accounts/errors.js';
import { addressKey, type AttemptLimiter, type LimitKey } from '../accounts/rate-limit.js';
import { fromOwnSite } from '../newsletter/signup.routes.js';
import type { PromptStats } from './stats.service.js';

export const MAX_EVENTS_PER_BEACON = 50;

/** With `strict`, anything else in the body is refused (never silently dropped): no personal data comes in by accident. */
const eventsBody = (strict: boolean) =>
  Type.Object(
    {
      events: Type.Array(
        Type.Object(
          {
            campaign: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
            variant: Type.String({ minLength: 1, maxLength: 20, pattern: '^[a-z0-9-]+$' }),
            type: Type.Union([Type.Literal('impression'), Type.Literal('click'), Type.Literal('dismiss'), Type.Literal('conversion')]),
          },
          { additionalProperties: !strict },
        ),
        { minItems: 1, maxItems: MAX_EVENTS_PER_BEACON },
      ),
    },
    { additionalProperties: !strict },
  );
const EventsBody = eventsBody(true);
const checkEvents = TypeCompiler.Compile(EventsBody);

/** A page view sends one beacon or two; 120 a minute from one network is far beyond any reader. */
const beaconKey = (ip: string): LimitKey => ({ key: `prompts:${addressKey(ip).key}`, policy: { maxFailures: 120, windowMs: 60_000, lockMs: 60_000 } });

export interface PromptEventRoutesDeps {
  stats: PromptStats;
  limiter: AttemptLimiter;
  publicUrl: string;
}

export function registerPromptEventRoutes(app: FastifyInstance, deps: PromptEventRoutesDeps): void {
  const publicOrigin = new URL(deps.publicUrl).origin;

  app.post('/prompts/events', {
    schema: { tags: ['prompts'], body: eventsBody(false) },
    handler: async (request, reply) => {
      if (!fromOwnSite(request, publicOrigin)) throw new Forbidden('Prompt events come from this site’s own pages');
      if (!checkEvents.Check(request.body)) {
        const fields = [...checkEvents.Errors(request.body)].slice(0, 5).map((e) => ({ path: e.path || '/', message: e.message }));
        throw new Invalid('Send { events: [{ campaign, variant, type }] }', fields);
      }
      if (!(await deps.limiter.take(beaconKey(request.ip)))) throw new TooManyAttempts(60);
      await deps.stats.record((request.body as Static<typeof EventsBody>).events);
      return reply.code(204).header('cache-control', 'no-store').send();
    },
  });

  // A successful sign-up from a prompt's form is its conversion. Counted after the newsletter
  // route answered, so the sign-up itself is untouched by prompts.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/newsletters' || reply.statusCode !== 200) return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body.website === 'string' && body.website !== '') return; // the honeypot: a bot, not a reader
    const campaign = Number(body.prompt);
    const variant = body.prompt_variant;
    if (!Number.isInteger(campaign) || campaign < 1 || typeof variant !== 'string' || !/^[a-z0-9-]{1,20}$/.test(variant)) return;
    try {
      await deps.stats.record([{ campaign, variant, type: 'conversion' }]);
    } catch (error) {
      request.log.warn({ err: error }, 'could not count a prompt conversion');
    }
  });
}
