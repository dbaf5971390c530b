/**
 * Quality of related stories on the evaluation set (bench/related-corpus.ts):
 * loads the corpus into a fresh SQLite app, publishes every article in date
 * order through the real services with the job worker draining after each
 * publish (so picks come from the incremental path: own picks plus neighbour
 * updates), then measures precision@2 of the inline picks: the share of
 * articles whose two inline links both point into their own cluster.
 * The same is measured after a full rebuild, for comparison.
 *
 *   node --import tsx bench/related-eval.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/app.js';
import { docFromParagraphs } from '../src/newsroom/body.js';
import type { Clock } from '../src/shared/clock.js';
import { evaluationCorpus, type EvalArticle } from './related-corpus.js';

export interface EvalFigures {
  articles: number;
  clusters: number;
  /** Both inline picks from the article's own cluster (incremental path). */
  precisionAt2: number;
  /** The first inline pick from the own cluster. */
  precisionAt1: number;
  /** Articles with fewer than two picks. */
  short: number;
  /** precision@2 after a full rebuild of index and picks. */
  precisionAt2Rebuilt: number;
  /** Baseline: the two stories of the same section published nearest in time (what a "latest in section" box shows). */
  baselineAt2: number;
  ms: number;
}

class MovableClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
}

async function measure(app: App, ids: Map<number, EvalArticle>): Promise<{ p2: number; p1: number; short: number }> {
  let both = 0;
  let first = 0;
  let short = 0;
  for (const [id, article] of ids) {
    const { picks } = await app.related.pagePicks(id);
    const top = picks.slice(0, 2).map((p) => ids.get(p.id)?.cluster);
    if (top.length < 2) short++;
    if (top[0] === article.cluster) first++;
    if (top.length === 2 && top.every((c) => c === article.cluster)) both++;
  }
  return { p2: both / ids.size, p1: first / ids.size, short };
}

/** precision@2 of the naive baseline: the two same-section stories nearest in time. */
function baseline(corpus: readonly EvalArticle[]): number {
  let both = 0;
  for (const a of corpus) {
    const near = corpus
      .filter((b) => b !== a && b.section === a.section)
      .sort((x, y) => Math.abs(x.daysAgo - a.daysAgo) - Math.abs(y.daysAgo - a.daysAgo))
      .slice(0, 2);
    if (near.length === 2 && near.every((b) => b.cluster === a.cluster)) both++;
  }
  return both / corpus.length;
}

export async function runRelatedEval(): Promise<EvalFigures> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-related-eval-'));
  const now = new Date('2026-11-29T12:00:00.000Z');
  const clock = new MovableClock(now);
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false', PAGE_CACHE: 'false' }), { clock });
  try {
    const corpus = evaluationCorpus();
    const sections = new Map<string, number>();
    const tags = new Map<string, number>();
    for (const a of corpus) {
      if (!sections.has(a.section)) sections.set(a.section, (await app.taxonomy.createSection({ name: a.section })).id);
      for (const t of a.tags) if (!tags.has(t)) tags.set(t, (await app.taxonomy.createTag({ name: t })).id);
    }
    const ids = new Map<number, EvalArticle>();
    const ordered = [...corpus].sort((a, b) => b.daysAgo - a.daysAgo);
    for (const [i, a] of ordered.entries()) {
      // Minutes apart within a day, so publication order is the corpus's order.
      clock.current = new Date(now.getTime() - a.daysAgo * 86_400_000 + i * 60_000 - 86_400_000);
      const created = await app.articles.create(
        { headline: a.headline, dek: a.dek, body: docFromParagraphs(a.paragraphs), sectionId: sections.get(a.section), tagIds: a.tags.map((t) => tags.get(t)!) },
        { actor: 'eval' },
      );
      await app.articles.publish(created.id, { actor: 'eval' });
      await app.runner.drain();
      ids.set(created.id, a);
    }
    clock.current = now;
    const incremental = await measure(app, ids);
    await app.related.rebuild({ picks: true });
    const rebuilt = await measure(app, ids);
    return {
      articles: corpus.length,
      clusters: new Set(corpus.map((a) => a.cluster)).size,
      precisionAt2: incremental.p2,
      precisionAt1: incremental.p1,
      short: incremental.short,
      precisionAt2Rebuilt: rebuilt.p2,
      baselineAt2: baseline(corpus),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printEval(f: EvalFigures): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`related stories, evaluation set: ${f.articles} articles in ${f.clusters} clusters (overlapping in pairs)`);
  console.log(`  precision@2 (both inline picks from the own cluster), incremental jobs: ${f.precisionAt2.toFixed(3)} (${pct(f.precisionAt2)})  target >= 0.900`);
  console.log(`  precision@1 (first inline pick), incremental jobs:                     ${f.precisionAt1.toFixed(3)}`);
  console.log(`  precision@2 after a full rebuild:                                        ${f.precisionAt2Rebuilt.toFixed(3)}`);
  console.log(`  baseline, the two same-section stories nearest in time:                  ${f.baselineAt2.toFixed(3)}`);
  console.log(`  articles with fewer than two picks: ${f.short}; took ${(f.ms / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await runRelatedEval();
  printEval(figures);
  if (figures.precisionAt2 < 0.9) process.exitCode = 1;
}
