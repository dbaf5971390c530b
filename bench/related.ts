/**
 * Speed of the related-story engine on the generated newsroom (default
 * 100,000 articles, bench/generate.ts):
 *
 * - index build: the full rebuild of terms and document frequencies (what an
 *   upgraded site runs once in the background);
 * - picks for one new article: publish a new story, then the job's first part
 *   (its terms, candidates, rescoring, storing its picks), p50/p95 over 50;
 * - a publish's full update: the whole job, its own picks plus inserting it
 *   into its neighbours' lists (TUNING.neighbours at most).
 *
 * SQLite: works on a copy of the cached bench file (the cache stays as it
 * was). PostgreSQL: pass --postgres=<url of a database generated with
 * `DATABASE_URL=... node dist/bench/generate.js --articles=N --into-env`>;
 * the engine's tables are filled there and left in place.
 *
 *   node --import tsx bench/related.ts [--articles=100000] [--new=50] [--postgres=postgres://...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/app.js';
import { docFromParagraphs } from '../src/newsroom/body.js';
import { docText } from '../src/related/text.js';
import { benchDataDir, ensureSqliteNewsroom } from './generate.js';

export interface RelatedBenchFigures {
  database: 'sqlite' | 'postgres';
  articles: number;
  rebuildMs: number;
  terms: number;
  newArticles: number;
  ownP50: number;
  ownP95: number;
  fullP50: number;
  fullP95: number;
  fullMax: number;
  /** Mean number of neighbour lists a publish changed. */
  neighboursChanged: number;
  /** Mean picks the new articles got. */
  picks: number;
  loadAverage: number[];
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The cached SQLite newsroom of that size, whatever schema hash it was generated under (migrations bring it up to date). */
async function sqliteFile(articles: number, log: (line: string) => void): Promise<string> {
  const existing = fs.existsSync(benchDataDir) ? fs.readdirSync(benchDataDir).filter((f) => f.startsWith(`newsroom-${articles}-`) && f.endsWith('.db')) : [];
  if (existing.length) return path.join(benchDataDir, existing.sort().at(-1)!);
  return (await ensureSqliteNewsroom({ articles, log })).file;
}

async function measure(app: App, database: 'sqlite' | 'postgres', count: number, log: (line: string) => void, rebuild = true): Promise<RelatedBenchFigures> {
  const db = app.db.kysely;
  const articles = Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow()).n);

  log(`  building the related index over ${articles.toLocaleString('en')} published articles ...`);
  const t0 = performance.now();
  let lastShown = 0;
  const indexed = Number((await db.selectFrom('related_terms').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const built = !rebuild && indexed > 0 ? { terms: indexed } : await app.related.rebuild({
    onProgress: (stage, done) => {
      if (performance.now() - lastShown > 5000) {
        lastShown = performance.now();
        log(`    ${stage}: ${done.toLocaleString('en')}`);
      }
    },
  });
  const rebuildMs = performance.now() - t0;

  // New stories made of other stories' material: a headline and dek from one, paragraphs from two more, so they
  // share the archive's vocabulary (and its biggest posting lists) like real follow-ups do.
  const random = rng(7);
  const maxId = Number((await db.selectFrom('articles').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
  const sourceRow = async () => {
    for (;;) {
      const id = 1 + Math.floor(random() * maxId);
      const row = await db.selectFrom('articles').select(['headline', 'dek', 'body_doc', 'section_id']).where('id', '=', id).where('status', '=', 'published').executeTakeFirst();
      if (row) return row;
    }
  };
  const own: number[] = [];
  const full: number[] = [];
  let neighbours = 0;
  let picks = 0;
  for (let i = 0; i < count; i++) {
    const [a, b, c] = [await sourceRow(), await sourceRow(), await sourceRow()];
    const paragraphs = [...docText(b.body_doc).split('\n'), ...docText(c.body_doc).split('\n')].filter((p) => p.trim().length > 40);
    const created = await app.articles.create(
      { headline: `${a.headline}: what changes now`, dek: a.dek, body: docFromParagraphs([...paragraphs.slice(0, 6), ...paragraphs.slice(-6)]), sectionId: a.section_id ?? undefined },
      { actor: 'bench' },
    );
    await app.articles.publish(created.id, { actor: 'bench' });
    const started = performance.now();
    const outcome = await app.related.index(created.id);
    full.push(performance.now() - started);
    own.push(outcome.ms?.own ?? 0);
    neighbours += outcome.changed.filter((id) => id !== created.id).length;
    picks += (await app.related.picksFor(created.id)).picks.length;
  }
  own.sort((x, y) => x - y);
  full.sort((x, y) => x - y);
  return {
    database,
    articles,
    rebuildMs: Math.round(rebuildMs),
    terms: built.terms,
    newArticles: count,
    ownP50: quantile(own, 0.5),
    ownP95: quantile(own, 0.95),
    fullP50: quantile(full, 0.5),
    fullP95: quantile(full, 0.95),
    fullMax: full.at(-1) ?? 0,
    neighboursChanged: neighbours / count,
    picks: picks / count,
    loadAverage: os.loadavg(),
  };
}

export async function runRelatedBench(
  options: { articles?: number; newArticles?: number; postgresUrl?: string; log?: (line: string) => void; /** Keep the SQLite copy in this folder and reuse its index (for tuning). */ reuseDir?: string; /** Called as each database's figures are ready. */ onResult?: (r: RelatedBenchFigures) => void } = {},
): Promise<RelatedBenchFigures[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const count = options.newArticles ?? 50;
  const results: RelatedBenchFigures[] = [];

  const file = await sqliteFile(options.articles ?? 100_000, log);
  const work = options.reuseDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-related-bench-'));
  fs.mkdirSync(work, { recursive: true });
  try {
    if (!fs.existsSync(path.join(work, 'newsroom.db'))) {
      log(`  copying ${path.basename(file)} ...`);
      fs.copyFileSync(file, path.join(work, 'newsroom.db'));
    }
    const app = await createApp(loadConfig({ DATA_DIR: work, DATABASE_URL: `sqlite:${path.join(work, 'newsroom.db')}`, LOG_LEVEL: 'silent', PAGE_CACHE: 'false', SEED_DEMO: 'false' }));
    try {
      results.push(await measure(app, 'sqlite', count, log, !options.reuseDir));
      options.onResult?.(results.at(-1)!);
    } finally {
      await app.stop();
    }
  } finally {
    if (!options.reuseDir) fs.rmSync(work, { recursive: true, force: true });
  }

  if (options.postgresUrl) {
    const app = await createApp(loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_URL: options.postgresUrl, LOG_LEVEL: 'silent', PAGE_CACHE: 'false', SEED_DEMO: 'false' }));
    try {
      // With --reuse (tuning), an already built PostgreSQL index is kept as well.
      results.push(await measure(app, 'postgres', count, log, !options.reuseDir));
      options.onResult?.(results.at(-1)!);
    } finally {
      await app.stop();
    }
  }
  return results;
}

export function printRelatedBench(results: readonly RelatedBenchFigures[]): void {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  for (const r of results) {
    console.log(`related stories on ${r.database}, ${r.articles.toLocaleString('en')} published articles (load average ${r.loadAverage.map((l) => l.toFixed(2)).join(' ')})`);
    console.log(`  index build (terms and frequencies): ${(r.rebuildMs / 1000).toFixed(1)} s, ${r.terms.toLocaleString('en')} terms stored`);
    console.log(`  picks for one new article:  p50 ${ms(r.ownP50)}  p95 ${ms(r.ownP95)}   (target p95 <= 50 ms)   over ${r.newArticles} new articles, ${r.picks.toFixed(1)} picks each`);
    console.log(`  full update of a publish:   p50 ${ms(r.fullP50)}  p95 ${ms(r.fullP95)}  max ${ms(r.fullMax)}   (target <= 500 ms)   ${r.neighboursChanged.toFixed(1)} neighbour lists changed each`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
  await runRelatedBench({
    onResult: (r) => printRelatedBench([r]),
    articles: arg('articles') ? Number(arg('articles')) : undefined,
    newArticles: arg('new') ? Number(arg('new')) : undefined,
    postgresUrl: arg('postgres'),
    reuseDir: arg('reuse'),
  });
}
