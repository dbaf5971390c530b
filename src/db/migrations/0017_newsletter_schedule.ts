import type { Kysely } from 'kysely';
import type { MigrationFactory } from './index.js';

/**
 * Schedules and breaking news (docs/newsletters.md, "Schedules and automatic
 * sends", "Breaking news from the editor"):
 * - newsletters.send_mode: `manual` (the schedule is only shown; editors send
 *   from the composer) or `automatic` (the scheduler sends each slot unreviewed).
 * - newsletters.schedule_done_until: the latest slot the scheduler has dealt
 *   with (sent, skipped for having no stories, or missed), or when automatic
 *   sending was switched on: slots at or before it are never sent, so an
 *   empty slot is not looked at again every minute and switching a newsletter
 *   to automatic at 07:00 does not send that morning's 06:30 issue at once.
 * - newsletter_sends.scheduled_for: the slot a scheduled send is for. Unique
 *   per newsletter, so a slot is sent at most once even when two workers race
 *   or one dies between starting the send and recording the slot as done.
 * - newsletter_sends.article_id, article_round: a breaking-news send of one
 *   story; the round is 1 for the first send of that story to that newsletter
 *   and counts up for each explicit "send again". Unique per newsletter, so a
 *   double click cannot email twice. Null for every other send (many nulls
 *   are allowed in a unique index on both databases).
 */
export const newsletterSchedule: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('newsletters').addColumn('send_mode', 'text', (c) => c.notNull().defaultTo('manual')).execute();
    await db.schema.alterTable('newsletters').addColumn('schedule_done_until', 'text').execute();
    await db.schema.alterTable('newsletter_sends').addColumn('scheduled_for', 'text').execute();
    await db.schema.alterTable('newsletter_sends').addColumn('article_id', 'integer', (c) => c.references('articles.id').onDelete('set null')).execute();
    await db.schema.alterTable('newsletter_sends').addColumn('article_round', 'integer').execute();
    await db.schema.createIndex('newsletter_sends_slot').on('newsletter_sends').columns(['newsletter_id', 'scheduled_for']).unique().execute();
    await db.schema.createIndex('newsletter_sends_article').on('newsletter_sends').columns(['newsletter_id', 'article_id', 'article_round']).unique().execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('newsletter_sends_article').ifExists().execute();
    await db.schema.dropIndex('newsletter_sends_slot').ifExists().execute();
    await db.schema.alterTable('newsletter_sends').dropColumn('article_round').execute();
    await db.schema.alterTable('newsletter_sends').dropColumn('article_id').execute();
    await db.schema.alterTable('newsletter_sends').dropColumn('scheduled_for').execute();
    await db.schema.alterTable('newsletters').dropColumn('schedule_done_until').execute();
    await db.schema.alterTable('newsletters').dropColumn('send_mode').execute();
  },
});
