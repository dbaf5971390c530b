import type { Kysely } from 'kysely';
import type { Dialect } from '../connection.js';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/**
 * Staff accounts: users, server-side sessions, single-use tokens (first-run
 * setup, password reset, invitations) and the sign-in attempt counters that
 * every node shares. Secrets (session and single-use tokens) are stored only
 * as SHA-256 hashes; passwords only as argon2id hashes.
 */
export const accounts: MigrationFactory = (dialect: Dialect) => ({
  async up(db: Kysely<any>) {
    const id = (table: string) => createTableWithId(db, dialect, table);

    await id('users')
      .addColumn('email', 'text', (c) => c.notNull().unique()) // stored trimmed and lower-cased
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('totp_secret', 'text')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('totp_last_step', 'integer')
      .addColumn('password_changed_at', 'text')
      .addColumn('last_sign_in_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // There is exactly one owner at most, whatever races between nodes: the database says so.
    await db.schema.createIndex('users_single_owner').unique().on('users').column('role').where('role', '=', 'owner').execute();

    await id('sessions')
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

    await id('auth_tokens')
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('email', 'text')
      .addColumn('name', 'text')
      .addColumn('role', 'text')
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('auth_tokens_kind_email').on('auth_tokens').columns(['kind', 'email']).execute();
    await db.schema.createIndex('auth_tokens_user').on('auth_tokens').column('user_id').execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('window_started_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ['login_attempts', 'auth_tokens', 'sessions', 'users']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
});
