/** Queries for newsletters. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, NewsletterRow, NewslettersTable, SubscriptionStatus } from '../db/schema.js';

export type StatusCounts = Record<SubscriptionStatus, number>;

export const emptyCounts = (): StatusCounts => ({ pending: 0, subscribed: 0, unsubscribed: 0, bounced: 0, complained: 0 });

export class NewslettersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  all(): Promise<NewsletterRow[]> {
    return this.db.selectFrom('newsletters').selectAll().orderBy('position').orderBy('name').orderBy('id').execute();
  }

  /** The newsletters readers may sign up to, in the order the newsroom chose. */
  publicOnes(): Promise<NewsletterRow[]> {
    return this.db.selectFrom('newsletters').selectAll().where('visibility', '=', 'public').orderBy('position').orderBy('name').orderBy('id').execute();
  }

  byId(id: number): Promise<NewsletterRow | undefined> {
    return this.db.selectFrom('newsletters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  bySlug(slug: string): Promise<NewsletterRow | undefined> {
    return this.db.selectFrom('newsletters').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  async insert(row: Insertable<NewslettersTable>): Promise<NewsletterRow> {
    return this.db.insertInto('newsletters').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, patch: Updateable<NewslettersTable>): Promise<void> {
    await this.db.updateTable('newsletters').set(patch).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('newsletters').where('id', '=', id).execute();
  }

  /** Subscriptions per status for each newsletter (newsletters without any are absent). */
  async countsByNewsletter(): Promise<Map<number, StatusCounts>> {
    const rows = await this.db
      .selectFrom('newsletter_subscriptions')
      .select(['newsletter_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy(['newsletter_id', 'status'])
      .execute();
    const counts = new Map<number, StatusCounts>();
    for (const row of rows) {
      const entry = counts.get(row.newsletter_id) ?? emptyCounts();
      entry[row.status] = Number(row.n);
      counts.set(row.newsletter_id, entry);
    }
    return counts;
  }
}
