/** Queries for donor sign-in and the donor page (migration 0022 on top of 0018's donors and gifts). */
import type { Kysely } from 'kysely';
import type { Database, DonationRow, DonorRow, RecurringGiftRow } from '../db/schema.js';

export class DonorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The donor with this address who has given at least once (refunded gifts count: they may still want to see them). */
  donorWithGiftsByKey(emailKey: string): Promise<DonorRow | undefined> {
    return this.db
      .selectFrom('donors')
      .selectAll()
      .where('email_key', '=', emailKey)
      .where((eb) => eb.exists(eb.selectFrom('donations').select('donations.id').whereRef('donations.donor_id', '=', 'donors.id')))
      .executeTakeFirst();
  }

  donorById(id: number): Promise<DonorRow | undefined> {
    return this.db.selectFrom('donors').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // --- sign-in links ----------------------------------------------------------------------------

  async insertLink(link: { donorId: number; tokenHash: string; expiresAt: string; at: string }): Promise<void> {
    await this.db.insertInto('donor_links').values({ donor_id: link.donorId, token_hash: link.tokenHash, expires_at: link.expiresAt, used_at: null, created_at: link.at }).execute();
  }

  linkByHash(tokenHash: string) {
    return this.db.selectFrom('donor_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Marks the link used if it still works; false when another request used it first or it expired. */
  async useLink(id: number, at: string): Promise<boolean> {
    const result = await this.db.updateTable('donor_links').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', at).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // --- sessions ---------------------------------------------------------------------------------

  async insertSession(session: { donorId: number; tokenHash: string; expiresAt: string; at: string }): Promise<void> {
    await this.db.insertInto('donor_sessions').values({ donor_id: session.donorId, token_hash: session.tokenHash, expires_at: session.expiresAt, created_at: session.at }).execute();
  }

  sessionByHash(tokenHash: string) {
    return this.db.selectFrom('donor_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('donor_sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Forgets expired links and sessions (the tables stay small). */
  async prune(now: string): Promise<void> {
    await this.db.deleteFrom('donor_links').where('expires_at', '<', now).execute();
    await this.db.deleteFrom('donor_sessions').where('expires_at', '<', now).execute();
  }

  // --- the donor page ---------------------------------------------------------------------------

  giftsOf(donorId: number): Promise<DonationRow[]> {
    return this.db.selectFrom('donations').selectAll().where('donor_id', '=', donorId).orderBy('paid_at', 'desc').orderBy('id', 'desc').limit(500).execute();
  }

  recurringOf(donorId: number): Promise<RecurringGiftRow[]> {
    return this.db.selectFrom('recurring_gifts').selectAll().where('donor_id', '=', donorId).orderBy('id', 'desc').execute();
  }
}
