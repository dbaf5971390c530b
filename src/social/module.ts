/** Social distribution, wired: accounts, posting on publish, its job (docs/social.md). */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/runner.js';
import type { MediaStorage } from '../media/storage.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/events.js';
import { SocialAccounts } from './accounts.service.js';
import { SOCIAL_POST_JOB, SocialPosts } from './posts.service.js';
import { SocialRepository } from './social.repository.js';

export interface Social {
  accounts: SocialAccounts;
  posts: SocialPosts;
}

export function createSocial(deps: { kysely: Kysely<Database>; events: EventBus; jobs: JobQueue; runner: JobRunner; clock: Clock; log: Logger; publicUrl: string; media: MediaStorage }): Social {
  const repo = new SocialRepository(deps.kysely);
  const log = deps.log.child({ component: 'social' });
  const accounts = new SocialAccounts({ repo, clock: deps.clock, log });
  const posts = new SocialPosts({ repo, accounts, jobs: deps.jobs, clock: deps.clock, log, publicUrl: deps.publicUrl, media: deps.media, poke: () => deps.runner.poke() });
  // Never in the publishing request's way: a failure here is logged by the event bus, and catchUp() on the next start retries.
  deps.events.on('article.published', async ({ articleId }) => void (await posts.queueForPublish(articleId)));
  deps.runner.register(SOCIAL_POST_JOB, (payload, job) => posts.run((payload as { postId: number }).postId, job));
  return { accounts, posts };
}
