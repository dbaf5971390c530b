/**
 * Forgetting addresses that never confirmed (docs/newsletters.md, "Sign-up
 * rules"). Anyone can type anyone's address into a sign-up form; if its owner
 * never confirms, we have no consent to keep it, so after PENDING_KEEP_MS the
 * reader, their pending subscriptions and their `requested` consent records
 * are deleted. A reader with anything besides old pending subscriptions
 * (subscribed, unsubscribed, a recent request) is kept whole.
 *
 * A durable job (`newsletter.purge-pending`, one for all workers) runs daily.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { RecurringJob } from '../jobs/recurring.js';
import type { Clock } from '../shared/clock.js';

export const PURGE_PENDING_JOB = 'newsletter.purge-pending';
export const PENDING_KEEP_MS = 30 * 24 * 3_600_000;
const JOB_KEY = 'newsletter-purge-pending';
const DAY_MS = 24 * 3_600_000;
/** Readers deleted per statement: short transactions, whatever the backlog. */
const CHUNK = 1000;

export class PendingPurge {
  /** Runs once a day. */
  private readonly recurring: RecurringJob;

  constructor(private readonly deps: { db: Kysely<Database>; jobs: JobQueue; clock: Clock; log: Logger }) {
    this.recurring = new RecurringJob(deps, PURGE_PENDING_JOB, JOB_KEY, (now) => new Date(now.getTime() + DAY_MS));
  }

  /** On every worker start. */
  async ensureQueued(): Promise<void> {
    await this.recurring.ensureQueued();
  }

  /** The job: purge, then run again in a day, whatever happened. */
  async run(): Promise<number> {
    return this.recurring.run(() => this.purge());
  }

  /** Deletes readers whose every subscription is a request older than PENDING_KEEP_MS. Returns how many. */
  async purge(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - PENDING_KEEP_MS).toISOString();
    let total = 0;
    for (;;) {
      const result = await this.deps.db
        .deleteFrom('newsletter_subscribers')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('newsletter_subscribers as s')
            .select('s.id')
            .where((w) => w.exists(w.selectFrom('newsletter_subscriptions as p').select('p.subscriber_id').whereRef('p.subscriber_id', '=', 's.id').where('p.status', '=', 'pending')))
            .where((w) =>
              w.not(
                w.exists(
                  w
                    .selectFrom('newsletter_subscriptions as k')
                    .select('k.subscriber_id')
                    .whereRef('k.subscriber_id', '=', 's.id')
                    .where((x) => x.or([x('k.status', '<>', 'pending'), x('k.requested_at', '>=', cutoff)])),
                ),
              ),
            )
            .limit(CHUNK),
        )
        .executeTakeFirst();
      const deleted = Number(result.numDeletedRows);
      total += deleted;
      if (deleted < CHUNK) break;
    }
    if (total > 0) this.deps.log.info({ deleted: total }, 'newsletter readers who never confirmed were forgotten');
    return total;
  }
}
