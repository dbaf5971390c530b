/** Kysely queries for social distribution: connected accounts, per-article options, posts. */
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, SocialAccountsTable, SocialPostsTable } from '../db/schema.js';

export type SocialAccountRow = Selectable<SocialAccountsTable>;
export type SocialPostRow = Selectable<SocialPostsTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** What a post needs to know about its article. */
export interface ArticleForPost {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  status: string;
  first_published_at: string | null;
  social_title: string;
  social_description: string;
  image_alt: string;
  section_slug: string | null;
  storage_key: string | null;
  media_alt: string | null;
}

export class SocialRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Accounts.
  accounts(): Promise<SocialAccountRow[]> {
    return this.db.selectFrom('social_accounts').selectAll().orderBy('network').execute();
  }

  account(network: string): Promise<SocialAccountRow | undefined> {
    return this.db.selectFrom('social_accounts').selectAll().where('network', '=', network).executeTakeFirst();
  }

  async saveAccount(row: Insertable<SocialAccountsTable>): Promise<void> {
    await this.db
      .insertInto('social_accounts')
      .values(row)
      .onConflict((oc) =>
        oc.column('network').doUpdateSet({
          settings: row.settings,
          secrets: row.secrets,
          display_name: '',
          profile_url: '',
          verified_at: null,
          last_error: null,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  async updateAccount(network: string, patch: Updateable<SocialAccountsTable>): Promise<void> {
    await this.db.updateTable('social_accounts').set(patch).where('network', '=', network).execute();
  }

  async deleteAccount(network: string): Promise<boolean> {
    const result = await this.db.deleteFrom('social_accounts').where('network', '=', network).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // Per-article options.
  options(articleId: number): Promise<{ opt_out: number; texts: string } | undefined> {
    return this.db.selectFrom('social_article_options').select(['opt_out', 'texts']).where('article_id', '=', articleId).executeTakeFirst();
  }

  async saveOptions(articleId: number, optOut: boolean, texts: string, now: string): Promise<void> {
    const values = { article_id: articleId, opt_out: optOut ? 1 : 0, texts, updated_at: now };
    await this.db
      .insertInto('social_article_options')
      .values(values)
      .onConflict((oc) => oc.column('article_id').doUpdateSet({ opt_out: values.opt_out, texts, updated_at: now }))
      .execute();
  }

  article(id: number, q: Q = this.db): Promise<ArticleForPost | undefined> {
    return q
      .selectFrom('articles as a')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .leftJoin('media as m', 'm.id', 'a.image_id')
      .select(['a.id', 'a.slug', 'a.headline', 'a.dek', 'a.status', 'a.first_published_at', 'a.social_title', 'a.social_description', 'a.image_alt', 's.slug as section_slug', 'm.storage_key', 'm.alt as media_alt'])
      .where('a.id', '=', id)
      .executeTakeFirst();
  }

  /** Published articles first published since `since`, for the start-up catch-up. */
  async recentlyPublished(since: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'published')
      .where('first_published_at', '>=', since)
      .orderBy('first_published_at')
      .limit(500)
      .execute();
    return rows.map((r) => r.id);
  }

  // Posts.
  posts(articleId: number): Promise<SocialPostRow[]> {
    return this.db.selectFrom('social_posts').selectAll().where('article_id', '=', articleId).orderBy('network').execute();
  }

  post(id: number): Promise<SocialPostRow | undefined> {
    return this.db.selectFrom('social_posts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  postFor(articleId: number, network: string, q: Q = this.db): Promise<SocialPostRow | undefined> {
    return q.selectFrom('social_posts').selectAll().where('article_id', '=', articleId).where('network', '=', network).executeTakeFirst();
  }

  /** Inserts the post unless the article already has one on that network; returns the new id, or undefined. */
  async insertPostIfAbsent(q: Q, row: Insertable<SocialPostsTable>): Promise<number | undefined> {
    const inserted = await q
      .insertInto('social_posts')
      .values(row)
      .onConflict((oc) => oc.columns(['article_id', 'network']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted?.id;
  }

  async updatePost(id: number, patch: Updateable<SocialPostsTable>, q: Q = this.db): Promise<void> {
    await q.updateTable('social_posts').set(patch).where('id', '=', id).execute();
  }

  /** Marks the post as being sent now (counting the attempt), unless it was finished meanwhile. */
  async startPosting(id: number, text: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('social_posts')
      .set((eb) => ({ status: 'posting', text, attempts: eb('attempts', '+', 1), updated_at: now, next_attempt_at: null }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'posting'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
