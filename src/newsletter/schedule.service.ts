/**
 * The newsletter scheduler (docs/newsletters.md, "Schedules and automatic
 * sends"): a durable job that runs every minute, one queued at a time (unique
 * key), and re-queues itself when it ends, so it survives restarts and runs
 * once a minute however many workers there are.
 *
 * Each run looks at every automatic newsletter: the latest slot of its
 * schedule at or before now, in the site's time zone. A slot is sent at most
 * once: the send records the slot (`scheduled_for`, unique per newsletter),
 * so two workers racing or a worker that died after starting the send cannot
 * send it again; and the newsletter records the latest slot dealt with
 * (`schedule_done_until`), so a slot with nothing to send, or one missed by
 * too much, is not looked at again every minute.
 */
import type { Logger } from 'pino';
import type { NewsletterRow } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { RecurringJob } from '../jobs/recurring.js';
import type { Clock } from '../shared/clock.js';
import type { ComposeService } from './compose.service.js';
import type { DeliveryService } from './delivery.service.js';
import type { Schedule } from './newsletters.service.js';
import { latestSlot } from './schedule-slots.js';
import type { ScheduleRepository } from './schedule.repository.js';
import { isUniqueViolation } from '../db/errors.js';

export const SCHEDULE_JOB = 'newsletter.schedule';
const JOB_KEY = 'newsletter-schedule';
/**
 * A slot found later than this (the workers were down, the job kept failing)
 * is skipped and logged instead of sent: a morning newsletter arriving in the
 * afternoon is worse than none, and the next slot's issue covers its stories.
 */
export const MAX_LATENESS_MS = 2 * 60 * 60_000;
const MINUTE_MS = 60_000;

export type SlotOutcome =
  | { newsletterId: number; slot: string; outcome: 'sent'; sendId: number }
  | { newsletterId: number; slot: string; outcome: 'already-sent' | 'no-readers' | 'no-stories' | 'missed' };

export interface NewsletterSchedulerDeps {
  repo: ScheduleRepository;
  compose: ComposeService;
  delivery: DeliveryService;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  timeZone: () => string;
}


export class NewsletterScheduler {
  /** Runs at the start of every minute. */
  private readonly recurring: RecurringJob;

  constructor(private readonly deps: NewsletterSchedulerDeps) {
    this.recurring = new RecurringJob(deps, SCHEDULE_JOB, JOB_KEY, (now) => new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS));
  }

  /** Makes sure the recurring job exists (on every worker start). */
  async ensureQueued(): Promise<void> {
    await this.recurring.ensureQueued();
  }

  /** The job: this minute's slots, then the next run at the start of the next minute, whatever happened. */
  async run(): Promise<SlotOutcome[]> {
    return this.recurring.run(() => this.tick());
  }

  /** Every automatic newsletter's latest slot, dealt with. One newsletter's failure does not hold up the others. */
  async tick(): Promise<SlotOutcome[]> {
    const outcomes: SlotOutcome[] = [];
    for (const newsletter of await this.deps.repo.automatic()) {
      try {
        const outcome = await this.handle(newsletter);
        if (outcome) outcomes.push(outcome);
      } catch (error) {
        // Tried again next minute (the slot is not marked done), until it is too late.
        this.deps.log.error({ err: error, newsletterId: newsletter.id }, 'scheduled newsletter could not be sent; trying again next minute');
      }
    }
    return outcomes;
  }

  private async handle(newsletter: NewsletterRow): Promise<SlotOutcome | undefined> {
    const schedule = parseSchedule(newsletter.schedule);
    if (!schedule) return undefined;
    const now = this.deps.clock.now();
    const slotAt = latestSlot(schedule, this.deps.timeZone(), now);
    if (!slotAt) return undefined;
    const slot = slotAt.toISOString();
    if (newsletter.schedule_done_until !== null && slot <= newsletter.schedule_done_until) return undefined;
    const base = { newsletterId: newsletter.id, slot };
    const log = this.deps.log.child({ newsletterId: newsletter.id, newsletter: newsletter.slug, slot });

    // A worker that started the send and stopped before recording the slot as done.
    if ((await this.deps.repo.sendForSlot(newsletter.id, slot)) !== undefined) return this.done({ ...base, outcome: 'already-sent' });
    const late = now.getTime() - slotAt.getTime();
    if (late > MAX_LATENESS_MS) {
      log.warn({ lateMinutes: Math.round(late / MINUTE_MS) }, 'scheduled newsletter skipped: its slot was missed by more than 2 hours (no worker ran); the next slot covers its stories');
      return this.done({ ...base, outcome: 'missed' });
    }
    // Nobody to send to: no empty send either (it would move "the last send", and its stories would be lost for
    // the first readers to come).
    if ((await this.deps.repo.subscribedCount(newsletter.id)) === 0) {
      log.info('scheduled newsletter skipped: nobody is subscribed');
      return this.done({ ...base, outcome: 'no-readers' });
    }
    // Since the last send (else the slot before this one): the composer's own default.
    const candidates = await this.deps.compose.candidates(newsletter.id);
    if (candidates.items.length === 0) {
      log.info({ since: candidates.since }, 'scheduled newsletter skipped: no stories published since the last send');
      return this.done({ ...base, outcome: 'no-stories' });
    }
    const email = await this.deps.compose.render(newsletter.id, { subject: candidates.subject, itemIds: candidates.items.map((i) => i.id) });
    try {
      const { sendId } = await this.deps.delivery.startSend({ newsletterId: newsletter.id, email, scheduledFor: slot });
      log.info({ sendId, stories: candidates.items.length }, 'scheduled newsletter send started');
      return this.done({ ...base, outcome: 'sent', sendId });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another worker started this slot's send between our check and our insert.
      return this.done({ ...base, outcome: 'already-sent' });
    }
  }

  private async done<T extends SlotOutcome>(outcome: T): Promise<T> {
    await this.deps.repo.markDone(outcome.newsletterId, outcome.slot);
    return outcome;
  }
}

function parseSchedule(text: string | null): Schedule | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Schedule;
    return Array.isArray(value?.days) && typeof value.time === 'string' ? value : null;
  } catch {
    return null;
  }
}
