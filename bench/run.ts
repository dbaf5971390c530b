/**
 * `npm run bench`: Broadsheet's reader-side performance on a 50,000-article
 * newsroom, in one run.
 *
 *  - start-up: spawn `node dist/src/main.js serve` -> first good /healthz, the
 *    "ready" log line's ms, resident memory at rest;
 *  - article page from the page cache, beside a bare node:http server sending
 *    the same bytes (alternating rounds, so drift on a shared machine hits both);
 *  - article page rendered (PAGE_CACHE=false), cycling over thousands of slugs;
 *  - home and a section page, cached and rendered;
 *  - resident memory after the load;
 *  - the Admin API article list (first page, a few filters), signed in as an
 *    editor: p50/p95 of sequential requests (bench/admin-list.ts);
 *  - the admin app's download size, gzip, first screen and later chunks (bench/admin-bundle.ts);
 *  - related stories: quality on the evaluation set (bench/related-eval.ts: precision@2) and speed on a
 *    100,000-article newsroom (bench/related.ts: picks for a new article, a publish's neighbour update);
 *  - site search on a 100,000-article newsroom (bench/search.ts: full reindex, p95 of 1-3 word queries, recall);
 *  - newsletters (each in a child process, on a fresh SQLite file and a fresh PostgreSQL schema in database `test`):
 *    a send to 100,000 readers through a local SMTP sink beside the sink's own limit (bench/newsletter-send.ts),
 *    and a 100,000-row CSV import (bench/newsletter-import.ts);
 *  - reader prompts (in a child process, two demo newsrooms): the same cached article with four active prompts
 *    and with none, alternating rounds, and the prompt script's size gzip (bench/prompts.ts);
 *  - the Content API (in a child process, the demo newsroom): the article list and one article with a valid key,
 *    with the answer cache on and off, each beside raw node:http sending the same bytes, sequential p50/p95, and a 304 revalidation (bench/content-api.ts);
 *  - breaking-news push (in a child process, SQLite and PostgreSQL): one alert to 100,000 subscriptions through a
 *    local HTTPS push service, beside that service's own limit, and peak memory (bench/push-fanout.ts).
 *
 * Every server is a child process; this process only generates load. Besides
 * requests per second the table shows the server's CPU use (from /proc), so
 * a run where the load generator and not the server was the limit shows up,
 * and CPU time per request, which moves much less than req/s when the
 * machine is busy.
 *
 * Flags: --articles=N (default 50000)  --only=startup,article,home,section,admin,bundle,related,related-eval,search,newsletter-send,newsletter-import,prompts,content-api,push-fanout
 *        --duration=S (10)  --warmup=S (2)  --connections=N (10)
 *        --regenerate  --profile (write .cpuprofile files of the servers)
 *        --database-url=postgres://... (an already generated database; see generate.ts)
 */
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { projectRoot } from '../src/shared/paths.js';
import { benchDataDir, DEFAULT_ARTICLES, ensureSqliteNewsroom } from './generate.js';
import { measureAdminList, prepareAdminBench, type AdminListMeasurement } from './admin-list.js';
import { measureAdminBundle, type BundleReport } from './admin-bundle.js';
import { printRelatedBench, runRelatedBench, type RelatedBenchFigures } from './related.js';
import { printEval, runRelatedEval, type EvalFigures } from './related-eval.js';
import { printSearchReport, runSearchBench, type SearchBenchReport } from './search.js';
import { sendTargets, type SendBenchReport } from './newsletter-send.js';
import { importTargets, type ImportBenchReport } from './newsletter-import.js';
import { promptsTargets, type PromptsBenchReport } from './prompts.js';
import { contentApiTargets, type ContentApiBenchReport } from './content-api.js';
import { fanoutTargets, type FanoutReport } from './push-fanout.js';

// ---------------------------------------------------------------- options

interface Options {
  articles: number;
  only: Set<string> | null;
  duration: number;
  warmup: number;
  connections: number;
  regenerate: boolean;
  profile: boolean;
  databaseUrl?: string;
}

const PARTS = ['startup', 'article', 'home', 'section', 'admin', 'bundle', 'related', 'related-eval', 'search', 'newsletter-send', 'newsletter-import', 'prompts', 'content-api', 'push-fanout'] as const;

function parseOptions(argv: string[]): Options {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}`);
    args.set(match[1]!, match[2] ?? 'true');
  }
  const num = (name: string, fallback: number, min: number) => {
    const raw = args.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
    return value;
  };
  let only: Set<string> | null = null;
  if (args.has('only')) {
    only = new Set(args.get('only')!.split(',').map((s) => s.trim()).filter(Boolean));
    for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only takes ${PARTS.join(', ')}`);
  }
  for (const key of args.keys()) {
    if (!['articles', 'only', 'duration', 'warmup', 'connections', 'regenerate', 'profile', 'database-url'].includes(key)) throw new Error(`unknown flag --${key}`);
  }
  return {
    articles: Math.round(num('articles', DEFAULT_ARTICLES, 1)),
    only,
    duration: num('duration', 10, 1),
    warmup: num('warmup', 2, 0),
    connections: Math.round(num('connections', 10, 1)),
    regenerate: args.has('regenerate'),
    profile: args.has('profile'),
    databaseUrl: args.get('database-url'),
  };
}

// ---------------------------------------------------------------- machine

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function machineInfo() {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
  return {
    cpu: mhz ? `${model} @ ${Math.round(Number(mhz))} MHz` : model,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

// ---------------------------------------------------------------- child processes

function procStatus(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** User + system CPU seconds used by a process so far. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

class Server {
  readonly output: string[] = [];
  readonly spawnedAt = performance.now();
  private exited: Promise<number | null>;
  private readyWaiters: ((line: Record<string, unknown>) => void)[] = [];
  readyLine: Record<string, unknown> | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
    readyPattern: RegExp,
  ) {
    children.add(child);
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }));
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (this.output.length < 200) this.output.push(line);
        if (!this.readyLine && readyPattern.test(line)) {
          try {
            this.readyLine = JSON.parse(line) as Record<string, unknown>;
          } catch {
            this.readyLine = { msg: line };
          }
          for (const waiter of this.readyWaiters) waiter(this.readyLine);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  }

  get pid(): number {
    return this.child.pid!;
  }

  ready(timeoutMs = 30_000): Promise<Record<string, unknown>> {
    if (this.readyLine) return Promise.resolve(this.readyLine);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ready line after ${timeoutMs} ms\n${this.output.join('\n')}`)), timeoutMs);
      this.readyWaiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before it was ready:\n${this.output.join('\n')}`));
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

interface BroadsheetEnv {
  databaseUrl: string;
  pageCache: boolean;
}

async function startBroadsheet(name: string, env: BroadsheetEnv, options: Options): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-'));
  const nodeArgs: string[] = [];
  if (options.profile) {
    const dir = path.join(benchDataDir, 'profiles');
    fs.mkdirSync(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`);
  }
  const child = spawn(process.execPath, [...nodeArgs, path.join(projectRoot, 'dist/src/main.js'), 'serve'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: env.databaseUrl,
      PAGE_CACHE: env.pageCache ? 'true' : 'false',
      LOG_LEVEL: 'info', // the "ready" line is info; request logs are debug only
      SEED_DEMO: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = new Server(name, port, child, /Broadsheet is ready/);
  child.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return server;
}

async function startRaw(file: string, contentType: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/bench/raw-server.js'), String(port), file, contentType], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = new Server('raw node:http', port, child, /raw server ready/);
  await server.ready();
  return server;
}

// ---------------------------------------------------------------- HTTP

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, urlPath: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
  });
}

/** Polls /healthz until it answers 200; returns ms since the server was spawned. */
async function firstHealthy(server: Server, timeoutMs = 30_000): Promise<number> {
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited:\n${server.output.join('\n')}`);
    try {
      const res = await get(server.port, '/healthz');
      if (res.status === 200) return performance.now() - server.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() - server.spawnedAt > timeoutMs) throw new Error(`${server.name}: not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ---------------------------------------------------------------- load

interface Measurement {
  name: string;
  rps: number;
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  mbPerSec: number;
  /** Share of one core the server used during the run (1 = 100 %). */
  serverCpu: number;
  /** Server CPU time per request, in microseconds. */
  cpuUsPerRequest: number;
  /** Share of one core the load generator (this process) used. */
  clientCpu: number;
  bad: number;
}

async function load(port: number, paths: readonly string[], seconds: number, connections: number): Promise<Result> {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}${paths[0]}`,
    connections,
    duration: seconds,
    timeout: 10,
    headers: { 'accept-encoding': 'identity', accept: 'text/html' },
    requests:
      paths.length > 1
        ? [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) }]
        : undefined,
  });
}

async function measure(name: string, server: Server, paths: readonly string[], seconds: number, options: Options): Promise<Measurement> {
  const cpuBefore = cpuSeconds(server.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await load(server.port, paths, seconds, options.connections);
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const client = process.cpuUsage(clientBefore);
  const requests = result.requests.total;
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) console.warn(`  ! ${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts ${JSON.stringify(result.statusCodeStats)}`);
  return {
    name,
    rps: requests / result.duration,
    requests,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mbPerSec: result.throughput.average / 1024 / 1024,
    serverCpu: cpu / wall,
    cpuUsPerRequest: requests ? (cpu / requests) * 1e6 : NaN,
    clientCpu: (client.user + client.system) / 1e6 / wall,
    bad,
  };
}

function combine(name: string, parts: Measurement[]): Measurement {
  const requests = parts.reduce((s, p) => s + p.requests, 0);
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  const avg = (f: (m: Measurement) => number) => parts.reduce((s, p) => s + f(p) * p.seconds, 0) / seconds;
  return {
    name,
    rps: requests / seconds,
    requests,
    seconds,
    p50: avg((p) => p.p50),
    p99: Math.max(...parts.map((p) => p.p99)),
    mbPerSec: avg((p) => p.mbPerSec),
    serverCpu: avg((p) => p.serverCpu),
    cpuUsPerRequest: parts.reduce((s, p) => s + p.cpuUsPerRequest * p.requests, 0) / requests,
    clientCpu: avg((p) => p.clientCpu),
    bad: parts.reduce((s, p) => s + p.bad, 0),
  };
}

async function warm(server: Server, paths: readonly string[], options: Options): Promise<void> {
  if (options.warmup > 0) await load(server.port, paths, options.warmup, options.connections);
}

// ---------------------------------------------------------------- sample URLs

interface Samples {
  /** Published articles in the database. */
  published: number;
  /** The story the cached measurements hit: the newest one with a lead image. */
  article: string;
  /** Many different stories, spread over the whole archive, for rendered pages. */
  articles: string[];
  section: string;
}

async function samples(databaseUrl: string, count: number): Promise<Samples> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: os.tmpdir() });
  const db = await openDatabase(config.database);
  try {
    const rows = await db.kysely
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.id', 'a.slug', 's.slug as section', 'a.image_id'])
      .where('a.status', '=', 'published')
      .orderBy('a.id')
      .execute();
    if (!rows.length) throw new Error('the bench database has no published articles');
    const step = Math.max(1, Math.floor(rows.length / count));
    const articles: string[] = [];
    for (let i = rows.length - 1; i >= 0 && articles.length < count; i -= step) articles.push(`/${rows[i]!.section}/${rows[i]!.slug}`);
    // Interleave old and new stories instead of walking the archive in order.
    for (let i = articles.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [articles[i], articles[j]] = [articles[j]!, articles[i]!];
    }
    const newest = [...rows].reverse().find((r) => r.image_id !== null) ?? rows.at(-1)!;
    const biggest = await db.kysely
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['s.slug', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('s.slug')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    return { published: rows.length, article: `/${newest.section}/${newest.slug}`, articles, section: `/${biggest.slug}` };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------- output

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');

function table(headers: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w, i) => (rightAlign[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|', ...rows.map(line)].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Target {
  what: string;
  goal: string;
  measured: string;
  pass: boolean;
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const runs = (part: (typeof PARTS)[number]) => !options.only || options.only.has(part);
  const benchStarted = performance.now();
  const machine = machineInfo();
  console.log('Broadsheet benchmark');
  console.log(`  machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage}`);

  for (const file of ['dist/src/main.js', 'dist/bench/raw-server.js']) {
    if (!fs.existsSync(path.join(projectRoot, file))) throw new Error(`${file} is missing: run \`npm run build\` (or \`npm run bench\`)`);
  }

  // The newsroom.
  let databaseUrl: string;
  let databaseNote: string;
  if (options.databaseUrl) {
    databaseUrl = options.databaseUrl;
    databaseNote = `${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')} (as given)`;
  } else {
    const started = performance.now();
    const newsroom = await ensureSqliteNewsroom({ articles: options.articles, force: options.regenerate, log: (l) => console.log(l) });
    const seconds = (performance.now() - started) / 1000;
    databaseUrl = `sqlite:${newsroom.file}`;
    const mb = fs.statSync(newsroom.file).size / 1024 / 1024;
    databaseNote = `${path.relative(projectRoot, newsroom.file)} (${fmt(mb)} MB, ${newsroom.generated ? `generated in ${fmt(seconds, 1)} s` : 'cached'})`;
  }
  const urls = await samples(databaseUrl, 5000);
  console.log(`  newsroom: ${fmt(urls.published)} published articles, ${databaseNote}`);
  console.log(`  load: autocannon, ${options.connections} connections, ${options.duration} s per measurement after ${options.warmup} s warm-up`);
  console.log(`  pages: article ${urls.article}, section ${urls.section}, ${fmt(urls.articles.length)} articles for rendered pages\n`);

  const measurements: Measurement[] = [];
  const targets: Target[] = [];
  const memory: { server: string; when: string; rssMb: number; hwmMb: number }[] = [];
  const startups: { healthzMs: number; readyMs: number; rssMb: number }[] = [];
  const record = (m: Measurement) => {
    measurements.push(m);
    console.log(`  ${m.name}: ${fmt(m.rps)} req/s, p50 ${fmt(m.p50, 1)} ms, p99 ${fmt(m.p99, 1)} ms, server CPU ${fmt(m.serverCpu * 100)} %, ${fmt(m.cpuUsPerRequest)} µs CPU/request, load generator CPU ${fmt(m.clientCpu * 100)} %`);
    return m;
  };

  // d. Start-up (three times: the first spawn also pays for cold disk caches).
  if (runs('startup')) {
    console.log('Start-up');
    for (let i = 0; i < 3; i++) {
      const server = await startBroadsheet(`startup-${i + 1}`, { databaseUrl, pageCache: true }, options);
      const healthzMs = await firstHealthy(server);
      const ready = await server.ready();
      await new Promise((r) => setTimeout(r, 200)); // let start-up garbage settle
      const { rssMb } = procStatus(server.pid);
      startups.push({ healthzMs, readyMs: Number(ready.ms), rssMb });
      console.log(`  run ${i + 1}: /healthz after ${fmt(healthzMs)} ms, "ready" log says ${ready.ms} ms, RSS ${fmt(rssMb)} MB`);
      await server.stop();
    }
  }

  // a, c. Cached pages.
  let articleBytes = 0;
  if (runs('article') || runs('home') || runs('section')) {
    console.log('\nPage cache on');
    const server = await startBroadsheet('cached', { databaseUrl, pageCache: true }, options);
    await server.ready();
    await firstHealthy(server);
    memory.push({ server: 'cache on', when: 'at rest', ...procStatus(server.pid) });

    if (runs('article')) {
      await get(server.port, urls.article);
      const page = await get(server.port, urls.article);
      if (page.status !== 200 || page.headers['x-cache'] !== 'HIT') throw new Error(`article page: status ${page.status}, x-cache ${page.headers['x-cache']}`);
      articleBytes = page.body.length;
      const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-raw-')), 'page.html');
      fs.writeFileSync(bodyFile, page.body);
      const raw = await startRaw(bodyFile, String(page.headers['content-type']));
      try {
        const check = await get(raw.port, urls.article);
        if (!check.body.equals(page.body)) throw new Error('the raw server does not send the same bytes');
        await warm(raw, [urls.article], options);
        await warm(server, [urls.article], options);
        // Alternate, so that a noisy neighbour slows both sides rather than one.
        const rounds = 2;
        const rawParts: Measurement[] = [];
        const ourParts: Measurement[] = [];
        for (let r = 0; r < rounds; r++) {
          rawParts.push(await measure('raw', raw, [urls.article], options.duration / rounds, options));
          ourParts.push(await measure('broadsheet', server, [urls.article], options.duration / rounds, options));
        }
        const baseline = record(combine('Article, raw node:http, same bytes (baseline)', rawParts));
        const cached = record(combine('Article, page cache', ourParts));
        const ratio = cached.rps / baseline.rps;
        console.log(`  ratio: ${fmt(ratio, 2)} (CPU per request: ${fmt(cached.cpuUsPerRequest)} µs vs ${fmt(baseline.cpuUsPerRequest)} µs)`);
        if (baseline.serverCpu < 0.9) console.log(`  note: the raw server used only ${fmt(baseline.serverCpu * 100)} % of a core: the load generator may be the limit`);
        targets.push({ what: 'Article, cached: req/s vs raw node:http', goal: '>= 0.80', measured: `${fmt(ratio, 2)} (CPU per request: ${fmt(baseline.cpuUsPerRequest / cached.cpuUsPerRequest, 2)})`, pass: ratio >= 0.8 });
      } finally {
        await raw.stop();
        fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true });
      }
    }
    if (runs('home')) {
      await get(server.port, '/');
      await warm(server, ['/'], options);
      record(await measure('Home, page cache', server, ['/'], options.duration, options));
    }
    if (runs('section')) {
      await get(server.port, urls.section);
      await warm(server, [urls.section], options);
      record(await measure(`Section ${urls.section}, page cache`, server, [urls.section], options.duration, options));
    }
    memory.push({ server: 'cache on', when: 'after load', ...procStatus(server.pid) });
    await server.stop();
  }

  // b, c. Rendered pages.
  if (runs('article') || runs('home') || runs('section')) {
    console.log('\nPage cache off (PAGE_CACHE=false): every request renders');
    const server = await startBroadsheet('uncached', { databaseUrl, pageCache: false }, options);
    await server.ready();
    await firstHealthy(server);
    memory.push({ server: 'cache off', when: 'at rest', ...procStatus(server.pid) });
    if (runs('article')) {
      const first = await get(server.port, urls.articles[0]!);
      if (first.status !== 200 || first.headers['x-cache'] !== 'MISS') throw new Error(`rendered article: status ${first.status}, x-cache ${first.headers['x-cache']}`);
      await warm(server, urls.articles, options);
      const m = record(await measure(`Article, rendered, ${fmt(urls.articles.length)} different slugs`, server, urls.articles, options.duration, options));
      // "On one core": the measured rate when the server had a whole core, else scaled up
      // to one (on a shared machine it often gets less).
      const perCore = m.rps / Math.min(1, m.serverCpu);
      targets.push({ what: 'Article, rendered, at one full core', goal: '>= 1,500 pages/s', measured: `${fmt(perCore)} pages/s (measured ${fmt(m.rps)} at ${fmt(m.serverCpu * 100)} % CPU)`, pass: perCore >= 1500 });
    }
    if (runs('home')) {
      await warm(server, ['/'], options);
      record(await measure('Home, rendered', server, ['/'], options.duration, options));
    }
    if (runs('section')) {
      await warm(server, [urls.section], options);
      record(await measure(`Section ${urls.section}, rendered`, server, [urls.section], options.duration, options));
    }
    memory.push({ server: 'cache off', when: 'after load', ...procStatus(server.pid) });
    await server.stop();
  }

  // e. The Admin API article list (an editor's first page and a few filters).
  const adminLists: AdminListMeasurement[] = [];
  if (runs('admin')) {
    console.log('\nAdmin API article list (sequential requests, signed in as an editor)');
    const { sectionId } = await prepareAdminBench(databaseUrl);
    const server = await startBroadsheet('admin', { databaseUrl, pageCache: true }, options);
    try {
      await server.ready();
      await firstHealthy(server);
      const requests = 200;
      for (const m of await measureAdminList({ port: server.port, sectionId, requests, warmup: 10, cpuSeconds: () => cpuSeconds(server.pid) })) {
        adminLists.push(m);
        console.log(`  ${m.name}: p50 ${fmt(m.p50, 1)} ms, p95 ${fmt(m.p95, 1)} ms, max ${fmt(m.max, 1)} ms, ${fmt(m.cpuUsPerRequest)} µs CPU/request (${fmt(m.total)} matching)`);
      }
    } finally {
      await server.stop();
    }
    const first = adminLists[0]!;
    targets.push({ what: 'Admin API article list, first page: p95', goal: '< 50 ms', measured: `${fmt(first.p95, 1)} ms (p50 ${fmt(first.p50, 1)} ms)`, pass: first.p95 < 50 });
  }

  let bundle: BundleReport | undefined;
  if (runs('bundle')) {
    bundle = measureAdminBundle();
    console.log('\nAdmin app download (dist/admin)');
    for (const f of bundle.initial) console.log(`  first screen: ${f.file} ${fmt(f.bytes / 1024, 1)} KB, gzip ${fmt(f.gzip / 1024, 1)} KB, brotli ${fmt(f.brotli / 1024, 1)} KB`);
    if (bundle.largestLazy) console.log(`  largest later chunk: ${bundle.largestLazy.file} gzip ${fmt(bundle.largestLazy.gzip / 1024, 1)} KB; all later chunks gzip ${fmt(bundle.lazyGzip / 1024, 1)} KB`);
    targets.push({
      what: 'Admin app: first-screen download, gzip',
      goal: '< 400 KB',
      measured: `${fmt(bundle.initialGzip / 1024, 1)} KB (brotli ${fmt(bundle.initialBrotli / 1024, 1)} KB)`,
      pass: bundle.initialGzip < 400 * 1024,
    });
  }

  let relatedEval: EvalFigures | undefined;
  if (runs('related-eval')) {
    console.log('\nRelated stories: quality on the evaluation set (bench/related-corpus.ts)');
    relatedEval = await runRelatedEval();
    printEval(relatedEval);
    targets.push({ what: 'Related stories: precision@2 on the evaluation set', goal: '>= 0.90', measured: relatedEval.precisionAt2.toFixed(3), pass: relatedEval.precisionAt2 >= 0.9 });
  }
  let related: RelatedBenchFigures[] = [];
  if (runs('related')) {
    console.log('\nRelated stories: speed on a 100,000-article newsroom (bench/related.ts)');
    related = await runRelatedBench({ postgresUrl: databaseUrl.startsWith('postgres') ? databaseUrl : undefined, log: (line) => console.log(line) });
    printRelatedBench(related);
    for (const r of related) {
      targets.push({ what: `Related (${r.database}): picks for one new article, p95`, goal: '<= 50 ms', measured: `${fmt(r.ownP95, 1)} ms`, pass: r.ownP95 <= 50 });
      targets.push({ what: `Related (${r.database}): a publish's full neighbour update, max`, goal: '<= 500 ms', measured: `${fmt(r.fullMax, 1)} ms (p95 ${fmt(r.fullP95, 1)} ms)`, pass: r.fullMax <= 500 });
    }
  }

  let search: SearchBenchReport | undefined;
  if (runs('search')) {
    console.log('\nSite search on a 100,000-article newsroom (bench/search.ts)');
    search = await runSearchBench({ articles: 100_000, rounds: 5, databaseUrl: databaseUrl.startsWith('postgres') ? databaseUrl : undefined, log: (line) => console.log(line) });
    printSearchReport(search);
    const worst = Math.max(...search.latency.map((l) => l.p95));
    targets.push({ what: `Search (${search.database}): p95 of 1-3 word queries, worst`, goal: `<= ${search.targets.p95Ms} ms`, measured: `${fmt(worst, 1)} ms`, pass: worst <= search.targets.p95Ms });
    targets.push({ what: `Search (${search.database}): full reindex`, goal: `<= ${search.targets.reindexMs / 1000} s`, measured: `${fmt(search.reindex.ms / 1000, 1)} s (peak RSS ${fmt(search.reindex.rssPeakMb)} MB)`, pass: search.reindex.ms <= search.targets.reindexMs });
  }

  // Newsletters and push: each part in a child process, so its peak memory is its own.
  const newsletterPart = <T>(script: string): T => {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-')), 'report.json');
    const child = spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'dist/bench', script), `--report=${report}`], { cwd: projectRoot, stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`${script} failed (exit ${child.status})`);
    const figures = JSON.parse(fs.readFileSync(report, 'utf8')) as T;
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    return figures;
  };
  let newsletterSend: SendBenchReport | undefined;
  if (runs('newsletter-send')) {
    console.log('\nNewsletter send: 100,000 readers, a 10-story digest, DKIM, a local SMTP sink (bench/newsletter-send.ts)');
    newsletterSend = newsletterPart<SendBenchReport>('newsletter-send.js');
    targets.push(...sendTargets(newsletterSend));
  }
  let newsletterImport: ImportBenchReport | undefined;
  if (runs('newsletter-import')) {
    console.log('\nSubscriber CSV import: 100,000 rows (bench/newsletter-import.ts)');
    newsletterImport = newsletterPart<ImportBenchReport>('newsletter-import.js');
    targets.push(...importTargets(newsletterImport));
  }
  let prompts: PromptsBenchReport | undefined;
  if (runs('prompts')) {
    console.log('\nReader prompts: a cached article with four active prompts vs none, the prompt script gzip (bench/prompts.ts)');
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-')), 'report.json');
    const flags = [`--duration=${options.duration}`, `--warmup=${options.warmup}`, `--connections=${options.connections}`, `--report=${report}`];
    const child = spawnSync(process.execPath, [path.join(projectRoot, 'dist/bench/prompts.js'), ...flags], { cwd: projectRoot, stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`prompts.js failed (exit ${child.status})`);
    prompts = JSON.parse(fs.readFileSync(report, 'utf8')) as PromptsBenchReport;
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    targets.push(...promptsTargets(prompts));
  }
  let contentApi: ContentApiBenchReport | undefined;
  if (runs('content-api')) {
    console.log('\nContent API: the article list and one article with a key, answer cache on and off, beside raw node:http with the same bytes (bench/content-api.ts)');
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-')), 'report.json');
    const flags = [`--duration=${options.duration}`, `--warmup=${options.warmup}`, `--connections=${options.connections}`, `--report=${report}`];
    const child = spawnSync(process.execPath, [path.join(projectRoot, 'dist/bench/content-api.js'), ...flags], { cwd: projectRoot, stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`content-api.js failed (exit ${child.status})`);
    contentApi = JSON.parse(fs.readFileSync(report, 'utf8')) as ContentApiBenchReport;
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    targets.push(...contentApiTargets(contentApi));
  }

  let pushFanout: FanoutReport | undefined;
  if (runs('push-fanout')) {
    console.log('\nBreaking-news push: one alert to 100,000 subscriptions through a local push service (bench/push-fanout.ts)');
    pushFanout = newsletterPart<FanoutReport>('push-fanout.js');
    targets.push(...fanoutTargets(pushFanout));
  }

  if (startups.length) {
    const ready = median(startups.map((s) => s.readyMs));
    const healthz = median(startups.map((s) => s.healthzMs));
    targets.push({ what: 'Start-up: "ready" log line ms (median of 3)', goal: '<= 1,000 ms', measured: `${fmt(ready)} ms`, pass: ready <= 1000 });
    targets.push({ what: 'Start-up: spawn to first good /healthz (median of 3)', goal: '<= 1,000 ms', measured: `${fmt(healthz)} ms`, pass: healthz <= 1000 });
  }
  const peaks = [...memory.map((m) => m.hwmMb), ...startups.map((s) => s.rssMb)];
  if (peaks.length) {
    const peak = Math.max(...peaks);
    targets.push({ what: 'Memory: peak RSS of a server (VmHWM)', goal: '<= 200 MB', measured: `${fmt(peak)} MB`, pass: peak <= 200 });
  }

  // The report.
  console.log('\n## Results\n');
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}, Node ${machine.node}; load average at start ${machine.loadAverage}.`);
  console.log(`Newsroom: ${fmt(urls.published)} published articles; ${databaseNote}. Article page: ${fmt(articleBytes)} bytes.`);
  if (databaseUrl.startsWith('postgres')) console.log('PostgreSQL: the database server\'s own CPU is not in the server CPU columns.');
  console.log(`Load: autocannon in the bench process, ${options.connections} connections, ${options.duration} s per row; each server is its own process (one core).\n`);
  if (measurements.length) {
    console.log(
      table(
        ['Measurement', 'req/s', 'p50 ms', 'p99 ms', 'MB/s', 'server CPU', 'client CPU', 'CPU µs/req', 'req per CPU-s'],
        measurements.map((m) => [m.name, fmt(m.rps), fmt(m.p50, 1), fmt(m.p99, 1), fmt(m.mbPerSec, 1), `${fmt(m.serverCpu * 100)} %`, `${fmt(m.clientCpu * 100)} %`, fmt(m.cpuUsPerRequest), fmt(1e6 / m.cpuUsPerRequest)]),
        [false, true, true, true, true, true, true, true, true],
      ),
    );
    console.log();
  }
  if (adminLists.length) {
    console.log(
      table(
        ['Admin API list (sequential)', 'requests', 'p50 ms', 'p95 ms', 'max ms', 'CPU µs/req', 'matching'],
        adminLists.map((m) => [`${m.name} (${m.path.replace('/api/admin', '')})`, fmt(m.requests), fmt(m.p50, 1), fmt(m.p95, 1), fmt(m.max, 1), fmt(m.cpuUsPerRequest), fmt(m.total)]),
        [false, true, true, true, true, true, true],
      ),
    );
    console.log();
  }
  if (startups.length) {
    console.log(
      table(
        ['Start-up run', 'spawn -> /healthz ms', '"ready" log ms', 'RSS at rest MB'],
        startups.map((s, i) => [String(i + 1), fmt(s.healthzMs), fmt(s.readyMs), fmt(s.rssMb)]),
        [false, true, true, true],
      ),
    );
    console.log();
  }
  if (memory.length) {
    console.log(
      table(
        ['Server', 'when', 'RSS MB', 'peak RSS MB'],
        memory.map((m) => [m.server, m.when, fmt(m.rssMb), fmt(m.hwmMb)]),
        [false, false, true, true],
      ),
    );
    console.log();
  }
  if (targets.length) {
    console.log(table(['Target', 'goal', 'measured', 'result'], targets.map((t) => [t.what, t.goal, t.measured, t.pass ? 'PASS' : 'MISS'])));
    console.log();
  }
  const resultsFile = path.join(benchDataDir, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(benchDataDir, { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify({ machine, options: { ...options, only: options.only ? [...options.only] : null }, databaseNote, urls: { article: urls.article, section: urls.section }, articleBytes, measurements, adminLists, bundle, relatedEval, related, search, newsletterSend, newsletterImport, prompts, contentApi, pushFanout, startups, memory, targets }, null, 2));
  console.log(`Load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${machine.cores} cores): with more runnable processes than cores, req/s says more about the neighbours than about Broadsheet; CPU µs/req and req per CPU-second move much less.`);
  console.log(`Bench wall time ${fmt((performance.now() - benchStarted) / 1000, 0)} s; results saved to ${path.relative(projectRoot, resultsFile)}`);
  if (options.profile) console.log(`CPU profiles in ${path.relative(projectRoot, path.join(benchDataDir, 'profiles'))} (summarise with node dist/bench/profile-summary.js <file>)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
