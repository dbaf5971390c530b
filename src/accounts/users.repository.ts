/** Queries for staff accounts: users, sessions, single-use tokens and sign-in attempt counters. */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type {
  AuthTokenKind,
  AuthTokenRow,
  AuthTokensTable,
  Database,
  SessionRow,
  SessionsTable,
  UserRow,
  UsersTable,
} from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
}

export interface AttemptRow {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // --- users ----------------------------------------------------------------

  async countUsers(q: Q = this.db): Promise<number> {
    const row = await q.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findUserById(id: number, q: Q = this.db): Promise<UserRow | undefined> {
    return q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByEmail(email: string, q: Q = this.db): Promise<UserRow | undefined> {
    return q.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findOwner(q: Q = this.db): Promise<UserRow | undefined> {
    return q.selectFrom('users').selectAll().where('role', '=', 'owner').executeTakeFirst();
  }

  listUsers(q: Q = this.db): Promise<UserRow[]> {
    return q.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute();
  }

  async insertUser(row: Insertable<UsersTable>, q: Q = this.db): Promise<number> {
    const inserted = await q.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  async updateUser(id: number, patch: Updateable<UsersTable>, q: Q = this.db): Promise<void> {
    await q.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Records a TOTP time step as used, unless it (or a later one) already was: no code works twice. */
  async useTotpStep(id: number, step: number, q: Q = this.db): Promise<boolean> {
    const result = await q
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // --- sessions -------------------------------------------------------------

  async insertSession(row: Insertable<SessionsTable>, q: Q = this.db): Promise<number> {
    const inserted = await q.insertInto('sessions').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  async findSession(tokenHash: string, q: Q = this.db): Promise<SessionWithUser | undefined> {
    const session = await q.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!session) return undefined;
    const user = await this.findUserById(session.user_id, q);
    return user ? { session, user } : undefined;
  }

  async touchSession(id: number, lastSeenAt: string, q: Q = this.db): Promise<void> {
    await q.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: number, q: Q = this.db): Promise<void> {
    await q.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteSessionsOfUser(userId: number, exceptSessionId?: number, q: Q = this.db): Promise<number> {
    let query = q.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  listSessionsOfUser(userId: number, q: Q = this.db): Promise<SessionRow[]> {
    return q.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
  }

  /** Removes sessions past their absolute expiry or idle for longer than allowed. */
  async deleteExpiredSessions(nowIso: string, idleCutoffIso: string, q: Q = this.db): Promise<void> {
    await q
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', nowIso), eb('last_seen_at', '<=', idleCutoffIso)]))
      .execute();
  }

  // --- single-use tokens ----------------------------------------------------

  async insertToken(row: Insertable<AuthTokensTable>, q: Q = this.db): Promise<number> {
    const inserted = await q.insertInto('auth_tokens').values(row).returning('id').executeTakeFirstOrThrow();
    return inserted.id;
  }

  findToken(kind: AuthTokenKind, tokenHash: string, q: Q = this.db): Promise<AuthTokenRow | undefined> {
    return q.selectFrom('auth_tokens').selectAll().where('kind', '=', kind).where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Marks a token used; false when another request used it first (single use, even across nodes). */
  async useToken(id: number, nowIso: string, q: Q = this.db): Promise<boolean> {
    const result = await q
      .updateTable('auth_tokens')
      .set({ used_at: nowIso })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Retires every unused token of a kind for a user or an email address (a newer one replaces them). */
  async retireTokens(kind: AuthTokenKind, who: { userId?: number; email?: string }, nowIso: string, q: Q = this.db): Promise<void> {
    let query = q.updateTable('auth_tokens').set({ used_at: nowIso }).where('kind', '=', kind).where('used_at', 'is', null);
    if (who.userId !== undefined) query = query.where('user_id', '=', who.userId);
    if (who.email !== undefined) query = query.where('email', '=', who.email);
    await query.execute();
  }

  pendingInvitations(nowIso: string, q: Q = this.db): Promise<AuthTokenRow[]> {
    return q
      .selectFrom('auth_tokens')
      .selectAll()
      .where('kind', '=', 'invite')
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .orderBy('created_at', 'desc')
      .execute();
  }

  findTokenById(id: number, q: Q = this.db): Promise<AuthTokenRow | undefined> {
    return q.selectFrom('auth_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async deleteSpentTokens(cutoffIso: string, q: Q = this.db): Promise<void> {
    await q
      .deleteFrom('auth_tokens')
      .where((eb) => eb.or([eb('expires_at', '<', cutoffIso), eb('used_at', '<', cutoffIso)]))
      .execute();
  }

  // --- sign-in attempt counters -------------------------------------------

  getAttempts(key: string, q: Q = this.db): Promise<AttemptRow | undefined> {
    return q.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /**
   * Counts one failure for `key` atomically (several nodes may count at once):
   * a window older than `windowCutoffIso` starts over at 1.
   */
  async countFailure(key: string, nowIso: string, windowCutoffIso: string, q: Q = this.db): Promise<AttemptRow> {
    const result = await sql<AttemptRow>`
      insert into login_attempts (key, failures, window_started_at, locked_until)
      values (${key}, 1, ${nowIso}, null)
      on conflict (key) do update set
        failures = case when login_attempts.window_started_at < ${windowCutoffIso} then 1 else login_attempts.failures + 1 end,
        locked_until = case when login_attempts.window_started_at < ${windowCutoffIso} then null else login_attempts.locked_until end,
        window_started_at = case when login_attempts.window_started_at < ${windowCutoffIso} then ${nowIso} else login_attempts.window_started_at end
      returning key, failures, window_started_at, locked_until`.execute(q);
    return result.rows[0]!;
  }

  async lockAttempts(key: string, untilIso: string, q: Q = this.db): Promise<void> {
    await q.updateTable('login_attempts').set({ locked_until: untilIso }).where('key', '=', key).execute();
  }

  async clearAttempts(key: string, q: Q = this.db): Promise<void> {
    await q.deleteFrom('login_attempts').where('key', '=', key).execute();
  }

  async deleteStaleAttempts(cutoffIso: string, q: Q = this.db): Promise<void> {
    await q
      .deleteFrom('login_attempts')
      .where('window_started_at', '<', cutoffIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', cutoffIso)]))
      .execute();
  }
}
