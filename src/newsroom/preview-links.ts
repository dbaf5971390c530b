/**
 * Private preview links: `/preview/<token>` shows an article's current saved
 * state exactly as its page will look, to whoever holds the link, for a week.
 * The token is 256 random bits, so the link is the permission (like a shared
 * document link); it never appears in sitemaps or feeds, the page says
 * `noindex`, and `Referrer-Policy: no-referrer` keeps it out of other sites' logs.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';

const LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** A link with less than this left is replaced rather than handed out again. */
const REUSE_MIN_LEFT_MS = 24 * 3600 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class PreviewLinks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** The article's preview token: a recent one if it has a day left, otherwise a new one. */
  async tokenFor(articleId: number, userId: number | null): Promise<{ token: string; expiresAt: string }> {
    const now = this.clock.now().getTime();
    const reusable = await this.db
      .selectFrom('preview_links')
      .select(['token', 'expires_at'])
      .where('article_id', '=', articleId)
      .where('expires_at', '>', new Date(now + REUSE_MIN_LEFT_MS).toISOString())
      .orderBy('expires_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (reusable) return { token: reusable.token, expiresAt: reusable.expires_at };

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now + LIFETIME_MS).toISOString();
    await this.db
      .insertInto('preview_links')
      .values({ token, article_id: articleId, created_by: userId, created_at: new Date(now).toISOString(), expires_at: expiresAt })
      .execute();
    // Expired links of this article are of no use to anyone.
    await this.db.deleteFrom('preview_links').where('article_id', '=', articleId).where('expires_at', '<=', new Date(now).toISOString()).execute();
    return { token, expiresAt };
  }

  /** The article a live token shows, or undefined (unknown, malformed or expired). */
  async resolve(token: string): Promise<number | undefined> {
    if (!TOKEN.test(token)) return undefined;
    const row = await this.db
      .selectFrom('preview_links')
      .select('article_id')
      .where('token', '=', token)
      .where('expires_at', '>', this.clock.now().toISOString())
      .executeTakeFirst();
    return row?.article_id;
  }
}
