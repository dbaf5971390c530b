/**
 * Queries for schedules and last sends (Kysely only): which newsletters go
 * out on their own, when each was last sent, and which slots are dealt with.
 */
import type { Kysely } from 'kysely';
import type { Database, NewsletterRow } from '../db/schema.js';

export class ScheduleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Newsletters the scheduler sends: automatic, with a schedule. */
  automatic(): Promise<NewsletterRow[]> {
    return this.db.selectFrom('newsletters').selectAll().where('send_mode', '=', 'automatic').where('schedule', 'is not', null).orderBy('id').execute();
  }

  /**
   * When the newsletter last went to its readers: the newest send's creation
   * time, leaving out test sends and cancelled ones (an editor stopped those,
   * so their stories are offered again).
   */
  async lastSendAt(newsletterId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('newsletter_sends')
      .select((eb) => eb.fn.max('created_at').as('last'))
      .where('newsletter_id', '=', newsletterId)
      .where('test', '=', 0)
      .where('status', '!=', 'cancelled')
      .executeTakeFirst();
    return row?.last ?? null;
  }

  /** How many readers would get a send now (subscribed). */
  async subscribedCount(newsletterId: number): Promise<number> {
    const row = await this.db
      .selectFrom('newsletter_subscriptions')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('newsletter_id', '=', newsletterId)
      .where('status', '=', 'subscribed')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The send started for a slot, if any (there is at most one: the index is unique). */
  async sendForSlot(newsletterId: number, slot: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('newsletter_sends').select('id').where('newsletter_id', '=', newsletterId).where('scheduled_for', '=', slot).executeTakeFirst();
    return row?.id;
  }

  /** Records that every slot up to `slot` is dealt with (never moves backwards). */
  async markDone(newsletterId: number, slot: string): Promise<void> {
    await this.db
      .updateTable('newsletters')
      .set({ schedule_done_until: slot })
      .where('id', '=', newsletterId)
      .where((eb) => eb.or([eb('schedule_done_until', 'is', null), eb('schedule_done_until', '<', slot)]))
      .execute();
  }
}
