/**
 * Queries for open and click tracking: what a send tracks, its links, and the
 * aggregate counters. Counting is one atomic UPDATE (`n = n + 1`), so any
 * number of nodes can count at once without losing or double-counting.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, NewsletterSendTrackingTable } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export type TrackingRow = Selectable<NewsletterSendTrackingTable>;

export class TrackingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores what a starting send tracks and its links (numbered from 1), in the send's transaction. */
  async insert(trx: Q, row: { sendId: number; secret: string; trackOpens: boolean; trackClicks: boolean; urls: readonly string[] }): Promise<void> {
    await trx
      .insertInto('newsletter_send_tracking')
      .values({ send_id: row.sendId, secret: row.secret, track_opens: row.trackOpens ? 1 : 0, track_clicks: row.trackClicks ? 1 : 0, opens: 0 })
      .execute();
    // In chunks: SQLite allows at most 32,766 parameters in one statement.
    for (let i = 0; i < row.urls.length; i += 500) {
      const values = row.urls.slice(i, i + 500).map((url, j) => ({ send_id: row.sendId, position: i + j + 1, url, clicks: 0 }));
      await trx.insertInto('newsletter_send_links').values(values).execute();
    }
  }

  /** The send's HTML after the one-time rewrite. */
  async replaceHtml(trx: Q, sendId: number, html: string): Promise<void> {
    await trx.updateTable('newsletter_sends').set({ html }).where('id', '=', sendId).execute();
  }

  get(sendId: number): Promise<TrackingRow | undefined> {
    return this.db.selectFrom('newsletter_send_tracking').selectAll().where('send_id', '=', sendId).executeTakeFirst();
  }

  /** Counts a click and says where it goes, in one statement; undefined when the send has no such link. */
  async countClick(sendId: number, position: number): Promise<string | undefined> {
    const row = await this.db
      .updateTable('newsletter_send_links')
      .set({ clicks: sql`clicks + 1` })
      .where('send_id', '=', sendId)
      .where('position', '=', position)
      .returning('url')
      .executeTakeFirst();
    return row?.url;
  }

  /** Where a link goes, without counting (when counting failed, or for a HEAD request). */
  async linkUrl(sendId: number, position: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('newsletter_send_links').select('url').where('send_id', '=', sendId).where('position', '=', position).executeTakeFirst();
    return row?.url;
  }

  /** False when the send is gone (deleted since its row was cached). */
  async countOpen(sendId: number): Promise<boolean> {
    const result = await this.db.updateTable('newsletter_send_tracking').set({ opens: sql`opens + 1` }).where('send_id', '=', sendId).where('track_opens', '=', 1).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async links(sendId: number): Promise<{ position: number; url: string; clicks: number }[]> {
    return this.db.selectFrom('newsletter_send_links').select(['position', 'url', 'clicks']).where('send_id', '=', sendId).orderBy('position').execute();
  }
}
