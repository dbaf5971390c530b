/** Wiring for breaking-news Web Push (docs/push.md): repository, VAPID keys, services and the job. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/runner.js';
import type { Clock } from '../shared/clock.js';
import type { ArticlesRepository } from '../newsroom/articles.repository.js';
import type { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import { articlePath } from '../site/format.js';
import { PushRepository } from './push.repository.js';
import { loadVapidKeys, type VapidKeys } from './vapid.js';
import { PushSubscriptions } from './subscriptions.service.js';
import { PUSH_ALERT_JOB, PushAlerts } from './alerts.service.js';
import { PushDelivery } from './delivery.service.js';
import { PushSender } from './sender.js';
import { topicChoices, type TopicChoice } from './topics.js';

export interface PushDeps {
  config: Config;
  kysely: Kysely<Database>;
  jobs: JobQueue;
  runner: JobRunner;
  clock: Clock;
  log: Logger;
  articles: ArticlesRepository;
  taxonomy: TaxonomyRepository;
}

export interface Push {
  repo: PushRepository;
  keys: VapidKeys;
  subscriptions: PushSubscriptions;
  alerts: PushAlerts;
  delivery: PushDelivery;
  /** Breaking news and every section, for the reader's and the editor's topic pickers. */
  topics(): Promise<TopicChoice[]>;
  close(): Promise<void>;
}

export async function createPush(deps: PushDeps): Promise<Push> {
  const { config, clock } = deps;
  const repo = new PushRepository(deps.kysely);
  const keys = await loadVapidKeys(config.push, repo, clock);
  const sectionIds = async () => new Set((await deps.taxonomy.sections()).map((s) => s.id));
  const subscriptions = new PushSubscriptions({ repo, clock, endpointPolicy: { allowLocal: config.push.allowLocalEndpoints }, sectionIds });
  const alerts = new PushAlerts({
    repo,
    jobs: deps.jobs,
    clock,
    publicUrl: config.publicUrl,
    sectionIds,
    poke: () => deps.runner.poke(),
    articlePath: async (id) => {
      const article = await deps.articles.byId(id);
      if (!article || article.status !== 'published') return undefined;
      const section = article.section_id ? await deps.taxonomy.sectionById(article.section_id) : undefined;
      return articlePath({ slug: article.slug, section: section ? { slug: section.slug } : null });
    },
  });
  // Made on first use: a process that never sends (a web node) opens no sockets.
  let sender: PushSender | undefined;
  const delivery = new PushDelivery({ repo, jobs: deps.jobs, clock, log: deps.log.child({ component: 'push' }), sender: async () => (sender ??= new PushSender(config.push, keys, (error) => deps.log.warn({ err: error }, 'push encryption worker failed; encrypting on the main thread'))) });
  deps.runner.register(PUSH_ALERT_JOB, async (payload) => {
    const alertId = (payload as { alertId?: unknown }).alertId;
    if (typeof alertId === 'number') await delivery.run(alertId);
  });
  return {
    repo,
    keys,
    subscriptions,
    alerts,
    delivery,
    topics: async () => topicChoices(await deps.taxonomy.sections()),
    close: async () => {
      await sender?.close();
    },
  };
}
