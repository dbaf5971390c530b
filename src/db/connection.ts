/**
 * Opens the database named by the configuration: an embedded SQLite file
 * (zero setup) or PostgreSQL. Everything above this file speaks Kysely and
 * does not care which one it got, except for the few places that ask `dialect`.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import type { Database } from './schema.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Checks that the database answers (used by /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query again; preparing (parsing and
 * planning) cost more than running most of our queries. Kysely uses the one
 * connection for one query at a time, so a prepared statement is never in use
 * twice at once and can be kept, keyed by its SQL text (parameters are bound
 * per run). Bounded, oldest first out: `in (?, ?, ...)` lists vary in length.
 */
function withStatementCache(database: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

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
    // 32 MiB of page cache instead of SQLite's 2 MiB: the search index's b-trees and the hot article rows stay in
    // memory (a full search reindex of 100,000 articles rereads its segments while merging them).
    database.pragma('cache_size = -32768');
    // Checkpoints in a worker thread (checkpointer.ts); if it fails, commits checkpoint as SQLite does by default.
    database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    const checkpointer = startCheckpointer(config.file, {
      onError: () => {
        if (database.open) database.pragma('wal_autocheckpoint = 1000');
      },
    });
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    return {
      kysely,
      dialect: 'sqlite',
      async ping() {
        await sql`select 1`.execute(kysely);
      },
      async close() {
        await checkpointer.stop();
        await kysely.destroy();
      },
    };
  }

  // Loaded only for PostgreSQL, to keep SQLite start-up lean.
  const { default: pg } = await import('pg');
  // PostgreSQL returns BIGINT (count(*), sums) as strings by default; our counts fit in a double.
  pg.types.setTypeParser(20, (value: string) => Number(value));
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
