/** Queries for donation receipts (migration 0022): the donation with its donor, and which receipts went out. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export class ReceiptsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  donationWithDonor(donationId: number) {
    return this.db
      .selectFrom('donations')
      .innerJoin('donors', 'donors.id', 'donations.donor_id')
      .select([
        'donations.id',
        'donations.amount_minor',
        'donations.refunded_minor',
        'donations.currency',
        'donations.frequency',
        'donations.status',
        'donations.paid_at',
        'donors.email',
        'donors.name',
      ])
      .where('donations.id', '=', donationId)
      .executeTakeFirst();
  }

  async sent(donationId: number): Promise<boolean> {
    return (await this.db.selectFrom('donation_receipts').select('donation_id').where('donation_id', '=', donationId).executeTakeFirst()) !== undefined;
  }

  async recordSent(donationId: number, messageId: string, at: string): Promise<void> {
    await this.db.insertInto('donation_receipts').values({ donation_id: donationId, message_id: messageId, sent_at: at }).onConflict((oc) => oc.column('donation_id').doNothing()).execute();
  }
}
