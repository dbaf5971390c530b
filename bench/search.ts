/**
 * Site search benchmark (docs/search.md), on the generated newsroom:
 *
 * 1. Full reindex (`reindex()`, what `broadsheet reindex` runs) from an empty
 *    index: time, articles per second, resident memory before and at its peak.
 * 2. Search latency through the real HTTP page (GET /search?q=..., the whole
 *    reader page rendered, one request at a time from this process, measured
 *    at the client): p50 / p95 / max for 1-, 2- and 3-word queries.
 * 3. Recall on known queries: every published article whose headline has the
 *    words, whose byline has the author, or which carries the tag, must be in
 *    the results; and for a known headline, the newest such story must be on
 *    the first page.
 *
 * SQLite: a copy of the cached generated file (data/bench, see generate.ts), so
 * the cache stays untouched. PostgreSQL: --database-url of a database already
 * filled by `generate.js --into-env` (its index is emptied and rebuilt).
 *
 *   node dist/bench/search.js [--articles=100000] [--database-url=postgres://...?schema=...] [--rounds=3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/app.js';
import { reindex } from '../src/related/reindex.js';
import { parseQuery } from '../src/related/search-query.js';
import { ensureSqliteNewsroom } from './generate.js';

export interface SearchBenchOptions {
  articles: number;
  databaseUrl?: string;
  /** Times each query is asked (after one warm-up pass). */
  rounds: number;
  log?: (line: string) => void;
}

export interface LatencyFigures {
  words: number;
  queries: number;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  meanResults: number;
}

export interface SearchBenchReport {
  database: string;
  articles: number;
  reindex: { ms: number; articlesPerSecond: number; rssBeforeMb: number; rssPeakMb: number };
  latency: LatencyFigures[];
  recall: { checks: number; recall: number; misses: string[]; knownItemTop20: number };
  loadAverage: string;
  targets: { p95Ms: number; reindexMs: number };
}

/** Queries readers of the generated newsroom would type (its vocabulary: bench/generate.ts). */
const QUERIES: Record<1 | 2 | 3, string[]> = {
  1: ['harbour', 'ferry', 'budget', 'dredging', 'seawall', 'tenants', 'nakamura', 'cannery', 'zoning', 'library', 'festival', 'flooding'],
  2: ['ferry timetable', 'school budget', 'harbour dredging', 'rent stabilisation', 'bike lane', 'police budget', 'gull island', 'water rate', 'Pier 9', 'housing levy', 'council approves', 'storm drain'],
  3: ['affordable housing levy', 'night market permit', 'electric ferry order', 'bus fare overhaul', 'teacher contracts vote', 'port security review', 'Kessick Transit delays', 'heat emergency plan', 'youth jobs scheme', 'waterfront trail funding', 'clinic opening hours', 'arts grant programme'],
};

const rssMb = () => process.memoryUsage.rss() / 1024 / 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runSearchBench(options: SearchBenchOptions): Promise<SearchBenchReport> {
  const log = options.log ?? (() => undefined);
  let databaseUrl: string;
  let cleanup = () => {};
  let database: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-search-bench-'));
  if (options.databaseUrl) {
    databaseUrl = options.databaseUrl;
    database = `postgres (${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')})`;
  } else {
    const newsroom = await ensureSqliteNewsroom({ articles: options.articles, log });
    const copy = path.join(work, 'newsroom.db');
    fs.copyFileSync(newsroom.file, copy);
    databaseUrl = `sqlite:${copy}`;
    database = `sqlite (copy of ${path.basename(newsroom.file)})`;
  }
  cleanup = () => fs.rmSync(work, { recursive: true, force: true });

  const app = await createApp(loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: work, LOG_LEVEL: 'silent', PAGE_CACHE: 'false', SEED_DEMO: 'false', PORT: '0', HOST: '127.0.0.1' }));
  try {
    // 1. Reindex from empty.
    await sql`delete from search_documents`.execute(app.db.kysely);
    const rssBeforeMb = rssMb();
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb())), 50);
    let lastLog = 0;
    const report = await reindex(
      { search: app.search.repository, settings: app.settings },
      {
        onProgress: (done, total) => {
          rssPeakMb = Math.max(rssPeakMb, rssMb());
          if (performance.now() - lastLog > 5000 || done === total) {
            lastLog = performance.now();
            log(`  reindexing: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
          }
        },
      },
    );
    clearInterval(sampler);
    const reindexFigures = { ms: report.ms, articlesPerSecond: Math.round(report.articles / (report.ms / 1000)), rssBeforeMb: round(rssBeforeMb), rssPeakMb: round(rssPeakMb) };
    log(`  reindex: ${report.articles} articles in ${(report.ms / 1000).toFixed(1)} s; RSS ${reindexFigures.rssBeforeMb} -> peak ${reindexFigures.rssPeakMb} MB`);

    // 2. Latency through the page.
    const address = await app.start({ worker: false, http: true });
    const base = address!.replace('0.0.0.0', '127.0.0.1');
    const latency: LatencyFigures[] = [];
    for (const words of [1, 2, 3] as const) {
      const times: number[] = [];
      let results = 0;
      for (let r = 0; r <= options.rounds; r++) {
        for (const q of QUERIES[words]) {
          const started = performance.now();
          const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
          const body = await res.text();
          const ms = performance.now() - started;
          if (res.status !== 200) throw new Error(`/search?q=${q} answered ${res.status}`);
          if (r === 0) {
            results += Number(/([\d,]+) results? for/i.exec(body)?.[1]?.replace(/,/g, '') ?? 0);
            continue; // warm-up pass
          }
          times.push(ms);
        }
      }
      times.sort((a, b) => a - b);
      latency.push({
        words,
        queries: QUERIES[words].length,
        requests: times.length,
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        max: round(times.at(-1) ?? 0),
        meanResults: Math.round(results / QUERIES[words].length),
      });
      log(`  ${words}-word queries: p50 ${round(percentile(times, 50))} ms, p95 ${round(percentile(times, 95))} ms, max ${round(times.at(-1) ?? 0)} ms`);
    }

    // 3. Recall on known queries.
    const recall = await recallChecks(app);
    log(`  recall: ${(recall.recall * 100).toFixed(1)} % over ${recall.checks} checks; known headline on page 1: ${(recall.knownItemTop20 * 100).toFixed(0)} %`);
    return {
      database,
      articles: report.articles,
      reindex: reindexFigures,
      latency,
      recall,
      loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
      targets: { p95Ms: 30, reindexMs: 120_000 },
    };
  } finally {
    await app.stop();
    cleanup();
  }
}

/** Every expected story found (recall over the whole result set), and known headlines' newest story on page 1. */
async function recallChecks(app: App): Promise<SearchBenchReport['recall']> {
  const db = app.db.kysely;
  const now = new Date().toISOString();
  const repo = app.search.repository;
  const all = async (q: string) => {
    const match = app.search.service.match(parseQuery(q));
    if (!match) return new Set<number>();
    const { hits } = await repo.search(match, {}, { now, limit: 1_000_000, offset: 0, order: 'relevance', pool: 1_000_000 });
    return new Set(hits.map((h) => h.id));
  };
  const firstPage = async (q: string) => {
    const match = app.search.service.match(parseQuery(q))!;
    return (await repo.search(match, {}, { now, limit: 20, offset: 0, order: 'relevance' })).hits.map((h) => h.id);
  };
  let expectedTotal = 0;
  let foundTotal = 0;
  let checks = 0;
  const misses: string[] = [];
  const check = async (label: string, q: string, expected: number[]) => {
    const found = await all(q);
    const missing = expected.filter((id) => !found.has(id));
    checks++;
    expectedTotal += expected.length;
    foundTotal += expected.length - missing.length;
    if (missing.length) misses.push(`${label} "${q}": ${missing.length} of ${expected.length} missing`);
  };
  const published = () => db.selectFrom('articles as a').where('a.status', '=', 'published').where('a.published_at', '<=', now);

  // Known headlines: 20 spread over the archive.
  const sample = await published().select(['a.id', 'a.headline']).where(sql<boolean>`a.id % 5000 = 17`).orderBy('a.id').limit(20).execute();
  let top20 = 0;
  for (const { headline } of sample) {
    const same = await published().select(['a.id', 'a.published_at']).where('a.headline', '=', headline).orderBy('a.published_at', 'desc').execute();
    await check('headline', headline, same.map((r) => r.id));
    if ((await firstPage(headline)).includes(same[0]!.id)) top20++;
  }
  // Authors by name, tags by name.
  const authors = await db.selectFrom('authors').select(['id', 'name']).orderBy('id').limit(6).execute();
  for (const author of authors) {
    const rows = await published().innerJoin('article_authors as aa', 'aa.article_id', 'a.id').select('a.id').where('aa.author_id', '=', author.id).execute();
    await check('author', author.name, rows.map((r) => r.id));
  }
  const tags = await db.selectFrom('tags').select(['id', 'name']).orderBy('id', 'desc').limit(6).execute();
  for (const tag of tags) {
    const rows = await published().innerJoin('article_tags as at', 'at.article_id', 'a.id').select('a.id').where('at.tag_id', '=', tag.id).execute();
    await check('tag', `"${tag.name}"`, rows.map((r) => r.id));
  }
  return { checks, recall: expectedTotal ? foundTotal / expectedTotal : 1, misses, knownItemTop20: sample.length ? top20 / sample.length : 1 };
}

export function printSearchReport(report: SearchBenchReport): void {
  console.log(`Search benchmark: ${report.database}, ${report.articles.toLocaleString('en')} articles, load average ${report.loadAverage}`);
  console.log(
    `  full reindex: ${(report.reindex.ms / 1000).toFixed(1)} s (target ${report.targets.reindexMs / 1000} s), ${report.reindex.articlesPerSecond} articles/s, RSS ${report.reindex.rssBeforeMb} MB before, ${report.reindex.rssPeakMb} MB peak`,
  );
  console.log('  GET /search (whole page, sequential, client-side time):');
  for (const l of report.latency) {
    console.log(`    ${l.words}-word: p50 ${l.p50} ms, p95 ${l.p95} ms (target ${report.targets.p95Ms} ms), max ${l.max} ms; ${l.requests} requests over ${l.queries} queries, ${l.meanResults.toLocaleString('en')} results on average`);
  }
  console.log(`  recall: ${(report.recall.recall * 100).toFixed(2)} % of expected stories found over ${report.recall.checks} known queries; newest story with a known headline on page 1: ${(report.recall.knownItemTop20 * 100).toFixed(0)} %`);
  for (const miss of report.recall.misses) console.log(`    miss: ${miss}`);
}

async function main(): Promise<void> {
  const args = new Map(
    process.argv.slice(2).map((a) => {
      const [k, v] = a.replace(/^--/, '').split(/=(.*)/s);
      return [k!, v ?? 'true'] as const;
    }),
  );
  for (const key of args.keys()) if (!['articles', 'database-url', 'rounds'].includes(key)) throw new Error(`unknown flag --${key}`);
  const articles = Number(args.get('articles') ?? 100_000);
  const rounds = Number(args.get('rounds') ?? 3);
  const report = await runSearchBench({ articles, rounds, databaseUrl: args.get('database-url'), log: (l) => console.log(l) });
  printSearchReport(report);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
