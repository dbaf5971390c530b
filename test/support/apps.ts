/**
 * Real apps for tests: every storage-touching test runs once on SQLite (a file in
 * a fresh temporary folder) and once on PostgreSQL (a fresh schema in the `test`
 * database, dropped afterwards), against a real listening HTTP server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, type App } from '../../src/app.js';
import type { Clock } from '../../src/shared/clock.js';

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export class TestClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: App;
  url: string;
  dialect: DialectName;
  config: Config;
  clock: TestClock;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: TestClock;
  /** Listen on a port (default true). */
  listen?: boolean;
  /** Start the in-process job worker (default false: tests drain jobs themselves). */
  worker?: boolean;
  /** Reuse an existing data directory / schema (to test restarts). */
  reuse?: { dataDir: string; schema?: string };
}

export function testEnv(dialect: DialectName, dataDir: string, schema: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    JOBS_POLL_MS: '50',
    PUBLIC_URL: 'http://news.test',
    ...(dialect === 'postgres' ? { DATABASE_URL: `${POSTGRES_URL}?schema=${schema}` } : {}),
    ...extra,
  };
}

export async function startTestApp(dialect: DialectName, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.reuse?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-${dialect}-`));
  const schema = options.reuse?.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const config = loadConfig(testEnv(dialect, dataDir, schema, options.env));
  const clock = options.clock ?? new TestClock();
  const app = await createApp(config, { clock });
  let url = '';
  if (options.listen ?? true) {
    const address = await app.start({ worker: options.worker ?? false, http: true });
    url = address!.replace('0.0.0.0', '127.0.0.1');
  } else if (options.worker) {
    await app.start({ worker: true, http: false });
  }
  return {
    app,
    url,
    dialect,
    config,
    clock,
    async close() {
      await app.stop();
      if (!options.reuse) await dropTestStorage(dialect, dataDir, schema);
    },
  };
}

export async function dropTestStorage(dialect: DialectName, dataDir: string, schema: string): Promise<void> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
  }
}

/** Fails loudly when PostgreSQL is not there: the PostgreSQL suites are required, never skipped. */
export async function assertPostgresReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`PostgreSQL is required for the test suite and is not reachable at ${POSTGRES_URL}: ${String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
