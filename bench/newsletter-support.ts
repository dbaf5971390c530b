/**
 * What the newsletter benchmarks share: a fresh database of either kind (a
 * SQLite file in a temporary folder, or a PostgreSQL schema of its own in
 * database `test`, dropped afterwards), a resident-memory sampler, and the
 * SMTP sink child process (bench/newsletter-sink.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/app.js';

export type BenchDialect = 'sqlite' | 'postgres';
export const BENCH_DIALECTS: readonly BenchDialect[] = ['sqlite', 'postgres'];
export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  dialect: BenchDialect;
  dataDir: string;
  env: Record<string, string>;
  /** Where the figures came from, for the report. */
  label: string;
  drop(): Promise<void>;
}

/** An empty database of the given kind; `drop()` removes it (and the data folder). */
export function freshDatabase(dialect: BenchDialect, name: string): BenchDatabase {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `broadsheet-${name}-`));
  if (dialect === 'sqlite') {
    const file = path.join(dataDir, 'bench.db');
    return {
      dialect,
      dataDir,
      env: { DATABASE_URL: `sqlite:${file}` },
      label: 'SQLite (a new file on the local disk)',
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${name.replace(/\W+/g, '_')}_${process.pid}_${Date.now().toString(36)}`;
  return {
    dialect,
    dataDir,
    env: { DATABASE_URL: `${BENCH_POSTGRES_URL}?schema=${schema}` },
    label: `PostgreSQL (schema ${schema} in ${BENCH_POSTGRES_URL.replace(/\/\/[^@/]*@/, '//***@')}, same machine)`,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The app as `broadsheet worker` builds it, on that database, without HTTP or the polling worker. */
export async function benchApp(database: BenchDatabase, env: Record<string, string> = {}): Promise<App> {
  return createApp(
    loadConfig({
      DATA_DIR: database.dataDir,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      PAGE_CACHE: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://news.example.org',
      MAIL_FROM: 'The Bench Gazette <news@news.example.org>',
      ...database.env,
      ...env,
    }),
  );
}

export const rssMb = (): number => process.memoryUsage.rss() / 1024 / 1024;

/** Samples this process's resident memory every `everyMs` (100 ms) until `stop()`, which returns the peak in MB. */
export function rssSampler(everyMs = 100): { stop(): number; peak(): number } {
  let peak = rssMb();
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), everyMs);
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssMb());
      return peak;
    },
  };
}

export const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** The SMTP sink in a child process: its port, and how many messages it has accepted so far. */
export class SmtpSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'newsletter-sink.js');
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the SMTP sink exited with ${code}`)));
      child.on('message', (message: { type?: string; port?: number }) => {
        if (message.type === 'ready') resolve(message.port!);
      });
    });
    return new SmtpSink(child, port);
  }

  count(): Promise<{ messages: number; bytes: number }> {
    return new Promise((resolve) => {
      const onMessage = (message: { type?: string; messages?: number; bytes?: number }) => {
        if (message.type !== 'count') return;
        this.child.off('message', onMessage);
        resolve({ messages: message.messages!, bytes: message.bytes! });
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'count' });
    });
  }

  /** Share of one core the sink has used so far (user + system seconds). */
  cpuSeconds(): number {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return NaN;
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

export function machineLine(): string {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${model}, ${os.availableParallelism()} cores (nproc), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
}

export const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
