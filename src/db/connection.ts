/**
 * Opens the database named by the configuration: an embedded SQLite file
 * (zero setup) or PostgreSQL. Everything above this file speaks Kysely and
 * does not care which one it got, except for the few places that ask `dialect`.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Checks that the database answers (used by /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// PostgreSQL returns BIGINT (count(*), sums) as strings by default; our counts fit in a double.
pg.types.setTypeParser(20, (value: string) => Number(value));

export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const database = new SQLite(config.file);
    // WAL lets readers proceed while a writer commits; NORMAL sync is durable across
    // application crashes (only an OS crash can lose the last commit).
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return {
      kysely,
      dialect: 'sqlite',
      async ping() {
        await sql`select 1`.execute(kysely);
      },
      async close() {
        await kysely.destroy();
      },
    };
  }

  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    options: config.schema ? `-c search_path=${config.schema}` : undefined,
  });
  if (config.schema) {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${config.schema}`);
    } finally {
      client.release();
    }
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      await kysely.destroy();
    },
  };
}
