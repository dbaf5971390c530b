/**
 * Queries for breaking-news sends (Kysely only): the story's state, and the
 * sends of that story to a newsletter so far.
 */
import type { Kysely } from 'kysely';
import type { ArticleStatus, Database } from '../db/schema.js';

export interface ArticleState {
  id: number;
  headline: string;
  status: ArticleStatus;
  published_at: string | null;
}

export interface ArticleSend {
  id: number;
  created_at: string;
  article_round: number;
}

export class BreakingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  article(id: number): Promise<ArticleState | undefined> {
    return this.db.selectFrom('articles').select(['id', 'headline', 'status', 'published_at']).where('id', '=', id).executeTakeFirst();
  }

  /** The latest send of this story to this newsletter (test sends included: they reached readers' inboxes too). */
  async latestSend(articleId: number, newsletterId: number): Promise<ArticleSend | undefined> {
    const row = await this.db
      .selectFrom('newsletter_sends')
      .select(['id', 'created_at', 'article_round'])
      .where('newsletter_id', '=', newsletterId)
      .where('article_id', '=', articleId)
      .orderBy('article_round', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { id: row.id, created_at: row.created_at, article_round: row.article_round ?? 1 } : undefined;
  }
}
