/**
 * The Content API under load (issue 7, "Benchmark"): the article list (20
 * articles) and one article (body as HTML and blocks, related picks,
 * corrections) with a valid key, with the answer cache on and off, each
 * beside a bare node:http server sending the same bytes (bench/raw-server.ts),
 * in one run; and the list revalidated with If-None-Match (a 304: what an
 * app's HTTP cache costs the server), with the cache on and off.
 *
 * The demo newsroom in a fresh SQLite file, served by two `node
 * dist/src/main.js serve` children, one with CONTENT_API_CACHE=false;
 * autocannon loads each URL in rotating rounds on the three servers so drift
 * on a shared machine hits all of them. Then p50/p95 of 300 sequential
 * requests per URL and server (one client, no queueing: the latency of one
 * request). Every keyed request still looks its key up and counts against the
 * key's limit (one database write per request), cached or not, as in
 * production.
 *
 *   node dist/bench/content-api.js [--duration=S (10)] [--warmup=S (2)] [--connections=N (10)] [--report=file.json]
 *
 * bench/run.ts runs it in a child process as the part `content-api`.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { combineLoad, measureLoad, serveBroadsheet, serveRaw, stop, type Child, type LoadSide } from './child-servers.js';

export interface ContentApiTarget {
  name: string;
  path: string;
  bytes: number;
  /** The answer cache on (the default): after the first request, every answer is a hit. */
  api: LoadSide;
  /** CONTENT_API_CACHE=false: every answer built from the database. */
  uncached: LoadSide;
  raw: LoadSide;
  /** Cached API req/s over raw req/s. */
  ratio: number;
  /** Uncached API req/s over raw req/s. */
  uncachedRatio: number;
  /** Sequential single-client latency, ms. */
  sequential: { p50: number; p95: number };
  sequentialUncached: { p50: number; p95: number };
}

export interface ContentApiBenchReport {
  list: ContentApiTarget;
  article: ContentApiTarget;
  revalidated: LoadSide;
  revalidatedUncached: LoadSide;
  load: { connections: number; duration: number; loadAverageStart: string; loadAverageEnd: string; cores: number };
}

function get(port: number, urlPath: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const PUBLIC_URL = 'http://localhost:3000';

/** The demo newsroom and a key whose limit the load cannot reach. */
async function prepare(dir: string): Promise<{ databaseUrl: string; secret: string; articleId: number }> {
  const databaseUrl = `sqlite:${path.join(dir, 'newsroom.db')}`;
  const app = await createApp(loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dir, SEED_DEMO: 'false', PUBLIC_URL }));
  try {
    await seedDemo(app);
    const { secret } = await app.contentApi.keys.create({ name: 'Benchmark', rateLimit: 100_000 }, null);
    // The longest published story: the heaviest single-article answer the demo has.
    const rows = await app.db.kysely.selectFrom('articles').select(['id', 'body_blocks']).where('status', '=', 'published').execute();
    const longest = rows.sort((a, b) => b.body_blocks.length - a.body_blocks.length)[0]!;
    return { databaseUrl, secret, articleId: longest.id };
  } finally {
    await app.stop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function sequential(port: number, urlPath: string, headers: Record<string, string>, count: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await get(port, urlPath, headers);
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${urlPath}: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function runContentApiBench(options: { duration: number; warmup: number; connections: number; log: (line: string) => void }): Promise<ContentApiBenchReport> {
  const { log } = options;
  const loadAverageStart = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-content-api-'));
  const servers: Child[] = [];
  try {
    const { databaseUrl, secret, articleId } = await prepare(work);
    // One public address for both servers (it is in every link of the answers), so their bytes can be compared.
    const api = await serveBroadsheet(databaseUrl, work, { PUBLIC_URL: PUBLIC_URL });
    servers.push(api);
    const uncached = await serveBroadsheet(databaseUrl, work, { PUBLIC_URL: PUBLIC_URL, CONTENT_API_CACHE: 'false' });
    servers.push(uncached);
    const headers = { authorization: `Bearer ${secret}`, 'accept-encoding': 'identity' };
    const targets: { name: string; path: string; raw?: Child; bytes: number; etag: string }[] = [
      { name: 'Article list (20, no body)', path: '/api/content/v1/articles?limit=20', bytes: 0, etag: '' },
      { name: 'One article (body, blocks, related, corrections)', path: `/api/content/v1/articles/${articleId}`, bytes: 0, etag: '' },
    ];
    for (const [i, target] of targets.entries()) {
      const res = await get(api.port, target.path, headers);
      if (res.status !== 200) throw new Error(`${target.path}: ${res.status} ${res.body.toString()}`);
      // Both servers must send the same bytes: the cache changes where the answer comes from, nothing else.
      const hit = await get(api.port, target.path, headers);
      const fresh = await get(uncached.port, target.path, headers);
      if (hit.headers['x-cache'] !== 'HIT') throw new Error(`${target.path}: the second request was not a cache hit`);
      if (!hit.body.equals(res.body) || !fresh.body.equals(res.body) || fresh.headers.etag !== res.headers.etag) throw new Error(`${target.path}: cached and uncached answers differ`);
      const file = path.join(work, `answer-${i}.json`);
      fs.writeFileSync(file, res.body);
      target.raw = await serveRaw(file, String(res.headers['content-type']));
      servers.push(target.raw);
      target.bytes = res.body.length;
      target.etag = String(res.headers.etag);
      log(`  ${target.path}: ${target.bytes.toLocaleString('en')} bytes`);
    }
    const load = (seconds: number, expect = 200, extra: Record<string, string> = {}) => ({ seconds, connections: options.connections, headers: { ...headers, ...extra }, expect });
    if (options.warmup > 0) {
      for (const target of targets) for (const server of [api, uncached]) await measureLoad('warm-up', server, target.path, load(options.warmup));
    }

    const results: ContentApiTarget[] = [];
    for (const target of targets) {
      const parts: Record<'api' | 'uncached' | 'raw', LoadSide[]> = { api: [], uncached: [], raw: [] };
      const server = { api, uncached, raw: target.raw! };
      // Rotate (cached, uncached, raw, then raw, uncached, cached): drift on a shared machine hits every side alike.
      for (let round = 0; round < 2; round++) {
        const order = (['api', 'uncached', 'raw'] as const).slice();
        if (round % 2 === 1) order.reverse();
        for (const side of order) parts[side].push(await measureLoad(side, server[side], target.path, load(options.duration / 4)));
      }
      const apiSide = combineLoad(`Content API, cache on: ${target.name}`, parts.api);
      const uncachedSide = combineLoad(`Content API, cache off: ${target.name}`, parts.uncached);
      const rawSide = combineLoad(`Raw node:http, the same bytes`, parts.raw);
      const seq = await sequential(api.port, target.path, headers, 300);
      const seqUncached = await sequential(uncached.port, target.path, headers, 300);
      results.push({
        name: target.name,
        path: target.path,
        bytes: target.bytes,
        api: apiSide,
        uncached: uncachedSide,
        raw: rawSide,
        ratio: apiSide.rps / rawSide.rps,
        uncachedRatio: uncachedSide.rps / rawSide.rps,
        sequential: seq,
        sequentialUncached: seqUncached,
      });
      log(
        `  ${target.name}: cache on ${Math.round(apiSide.rps)} req/s, off ${Math.round(uncachedSide.rps)} req/s, raw ${Math.round(rawSide.rps)} req/s; ` +
          `sequential p50/p95 on ${seq.p50.toFixed(2)}/${seq.p95.toFixed(2)} ms, off ${seqUncached.p50.toFixed(2)}/${seqUncached.p95.toFixed(2)} ms`,
      );
    }
    const revalidate = (server: Child, name: string) =>
      measureLoad(name, server, targets[0]!.path, load(options.duration / 4, 304, { 'if-none-match': targets[0]!.etag }));
    const revalidated = await revalidate(api, 'Article list revalidated (If-None-Match: 304), cache on');
    const revalidatedUncached = await revalidate(uncached, 'Article list revalidated (If-None-Match: 304), cache off');
    return {
      list: results[0]!,
      article: results[1]!,
      revalidated,
      revalidatedUncached,
      load: { connections: options.connections, duration: options.duration, loadAverageStart, loadAverageEnd: os.loadavg().map((l) => l.toFixed(2)).join(' '), cores: os.availableParallelism() },
    };
  } finally {
    for (const server of servers) await stop(server);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Rows for bench/run.ts's table. No target is set by the issue beyond "beside a raw node:http baseline": these are figures. */
export function contentApiTargets(report: ContentApiBenchReport): { what: string; goal: string; measured: string; pass: boolean }[] {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return [report.list, report.article].map((t) => ({
    what: `Content API, ${t.name}: req/s with the answer cache on / off vs raw node:http (same bytes)`,
    goal: 'measured (no target)',
    measured:
      `${fmt(t.api.rps)} / ${fmt(t.uncached.rps)} vs ${fmt(t.raw.rps)} req/s (${fmt(t.ratio, 3)} / ${fmt(t.uncachedRatio, 3)}); ` +
      `${fmt(t.api.cpuUsPerRequest)} / ${fmt(t.uncached.cpuUsPerRequest)} µs CPU/request; ` +
      `sequential p50 ${fmt(t.sequential.p50, 2)} / ${fmt(t.sequentialUncached.p50, 2)} ms, p95 ${fmt(t.sequential.p95, 2)} / ${fmt(t.sequentialUncached.p95, 2)} ms; ${fmt(t.bytes)} bytes`,
    pass: t.api.bad === 0 && t.uncached.bad === 0 && t.raw.bad === 0,
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Map(process.argv.slice(2).map((a) => /^--([a-z-]+)=(.*)$/.exec(a)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1]!, m[2]!]));
  const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback);
  runContentApiBench({ duration: num('duration', 10), warmup: num('warmup', 2), connections: num('connections', 10), log: (line) => console.log(line) })
    .then((report) => {
      if (args.get('report')) fs.writeFileSync(args.get('report')!, JSON.stringify(report));
      for (const side of [report.list.api, report.list.uncached, report.list.raw, report.article.api, report.article.uncached, report.article.raw, report.revalidated, report.revalidatedUncached])
        console.log(`  ${side.name}: ${Math.round(side.rps)} req/s, p50 ${side.p50} ms, p99 ${side.p99} ms, server CPU ${Math.round(side.serverCpu * 100)} %, ${Math.round(side.cpuUsPerRequest)} µs CPU/request${side.bad ? `, ${side.bad} bad` : ''}`);
      for (const t of contentApiTargets(report)) console.log(`  ${t.pass ? 'OK  ' : 'BAD '}  ${t.what}: ${t.measured}`);
      console.log(`  load average ${report.load.loadAverageStart} at the start, ${report.load.loadAverageEnd} at the end (${report.load.cores} cores)`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
