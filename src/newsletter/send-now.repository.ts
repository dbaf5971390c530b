/**
 * Queries for "send now" and the admin's list of a newsletter's sends: the
 * send an Idempotency-Key already started, and a page of sends with their
 * delivery counts (one grouped query for the whole page).
 */
import type { Kysely } from 'kysely';
import type { Database, SendStatus } from '../db/schema.js';

export interface SendSummaryRow {
  id: number;
  subject: string;
  status: SendStatus;
  test: number;
  recipient_count: number;
  created_at: string;
  finished_at: string | null;
}

export class SendNowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async sendIdByKey(newsletterId: number, key: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('newsletter_sends').select('id').where('newsletter_id', '=', newsletterId).where('idempotency_key', '=', key).executeTakeFirst();
    return row?.id;
  }

  /** A page of the newsletter's sends, newest first, and how many there are. */
  async page(newsletterId: number, page: number, pageSize: number): Promise<{ rows: SendSummaryRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.db
        .selectFrom('newsletter_sends')
        .select(['id', 'subject', 'status', 'test', 'recipient_count', 'created_at', 'finished_at'])
        .where('newsletter_id', '=', newsletterId)
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db
        .selectFrom('newsletter_sends')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('newsletter_id', '=', newsletterId)
        .executeTakeFirst(),
    ]);
    return { rows, total: Number(total?.n ?? 0) };
  }

  /** Deliveries per send and status, for the sends listed. */
  async countsBySend(sendIds: readonly number[]): Promise<Map<number, Map<string, number>>> {
    const bySend = new Map<number, Map<string, number>>();
    if (sendIds.length === 0) return bySend;
    const rows = await this.db
      .selectFrom('newsletter_deliveries')
      .select(['send_id', 'status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('send_id', 'in', sendIds)
      .groupBy(['send_id', 'status'])
      .execute();
    for (const row of rows) {
      const counts = bySend.get(row.send_id) ?? new Map<string, number>();
      counts.set(row.status, Number(row.n));
      bySend.set(row.send_id, counts);
    }
    return bySend;
  }
}
