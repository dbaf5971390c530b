/**
 * Readers' push subscriptions: saved (or updated) with the topics they chose,
 * looked up, and removed. Changing or removing one needs its `auth` secret as
 * well as its endpoint: only the browser that holds the subscription knows it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Forbidden, Invalid, NotFound, type FieldProblem } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { checkEndpoint, EndpointRefused, type EndpointPolicy } from './endpoint-guard.js';
import { authProblem, canonicalKey, p256dhProblem } from './subscription-keys.js';
import type { PushRepository } from './push.repository.js';
import { BREAKING_TOPIC, sectionIdOf } from './topics.js';

const Key = Type.String({ minLength: 1, maxLength: 200 });

export const SubscriptionJson = Type.Object(
  {
    endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
    expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    keys: Type.Object({ p256dh: Key, auth: Key }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const SaveSubscriptionBody = Type.Object(
  {
    subscription: SubscriptionJson,
    topics: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 100, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const SubscriptionRef = Type.Object(
  { endpoint: Type.String({ minLength: 1, maxLength: 2048 }), auth: Key },
  { additionalProperties: false },
);

export type SaveSubscriptionInput = Static<typeof SaveSubscriptionBody>;
export type SubscriptionRefInput = Static<typeof SubscriptionRef>;

export interface SubscriptionsDeps {
  repo: PushRepository;
  clock: Clock;
  endpointPolicy: EndpointPolicy;
  /** The section ids that exist now (a topic for a deleted section is refused). */
  sectionIds: () => Promise<Set<number>>;
}

export class PushSubscriptions {
  constructor(private readonly deps: SubscriptionsDeps) {}

  /** Saves a browser's subscription and its topics (new, or an update of the same endpoint). */
  async save(input: SaveSubscriptionInput): Promise<{ topics: string[]; created: boolean }> {
    const problems: FieldProblem[] = [];
    const p256dh = p256dhProblem(input.subscription.keys.p256dh);
    if (p256dh) problems.push({ path: '/subscription/keys/p256dh', message: p256dh });
    const auth = authProblem(input.subscription.keys.auth);
    if (auth) problems.push({ path: '/subscription/keys/auth', message: auth });
    const topics = [...new Set(input.topics)].sort();
    const sections = await this.deps.sectionIds();
    topics.forEach((topic, i) => {
      const section = sectionIdOf(topic);
      if (topic !== BREAKING_TOPIC && (section === undefined || !sections.has(section))) problems.push({ path: `/topics/${i}`, message: `“${topic}” is not a topic (breaking, or section:<id> of a section)` });
    });
    let endpoint: string;
    try {
      endpoint = (await checkEndpoint(input.subscription.endpoint, this.deps.endpointPolicy)).href;
    } catch (error) {
      if (!(error instanceof EndpointRefused)) throw error;
      problems.unshift({ path: '/subscription/endpoint', message: error.message });
      endpoint = '';
    }
    if (problems.length > 0) throw new Invalid(problems[0]!.message, problems);

    const keys = { p256dh: canonicalKey(input.subscription.keys.p256dh), auth: canonicalKey(input.subscription.keys.auth) };
    const now = this.deps.clock.now().toISOString();
    const { repo } = this.deps;
    return repo.transaction(async (trx) => {
      const existing = await repo.subscriptionByEndpoint(endpoint, trx);
      if (existing && existing.auth !== keys.auth) throw new Forbidden('This subscription belongs to another browser');
      const id = existing ? existing.id : await repo.insertSubscription(trx, { endpoint, ...keys, status: 'active', failures: 0, created_at: now, updated_at: now });
      if (existing) await repo.refreshSubscription(trx, id, keys, now);
      await repo.replaceTopics(trx, id, topics);
      return { topics, created: !existing };
    });
  }

  /** The topics of this browser's subscription (404 when we do not have it: it was removed or never saved). */
  async find(ref: SubscriptionRefInput): Promise<{ topics: string[]; active: boolean }> {
    const row = await this.owned(ref);
    return { topics: await this.deps.repo.topicsOf(row.id), active: row.status === 'active' };
  }

  async remove(ref: SubscriptionRefInput): Promise<void> {
    const row = await this.owned(ref);
    await this.deps.repo.deleteSubscription(row.id);
  }

  private async owned(ref: SubscriptionRefInput) {
    let endpoint: string;
    try {
      endpoint = new URL(ref.endpoint).href;
    } catch {
      throw new Invalid('The endpoint is not a URL', [{ path: '/endpoint', message: 'The endpoint is not a URL' }]);
    }
    const row = await this.deps.repo.subscriptionByEndpoint(endpoint);
    // Same answer for "no such endpoint" and "wrong secret": nobody learns which endpoints we hold.
    if (!row || row.auth !== canonicalKey(ref.auth)) throw new NotFound('We have no alerts subscription for this browser');
    return row;
  }
}
