/**
 * Rebuilds the whole search index (`broadsheet reindex`, and the worker's
 * `search.reindex` job). Safe while the site serves: articles are indexed in
 * batches of BATCH (on PostgreSQL two at a time), each in its own short
 * transaction that also holds the batch's article rows (PostgreSQL: FOR
 * SHARE), so a save that lands during the rebuild is never overwritten by
 * older text; searches keep answering from the index as it is. On SQLite, when the site language asks for another
 * tokenizer than the index was built with, the index is emptied and created
 * again first (searches find fewer stories until the rebuild ends).
 */
import cliProgress from 'cli-progress';
import { sql } from 'kysely';
import type { SettingsStore } from '../newsroom/settings.js';
import { pgConfigFor, sqliteTokenizerFor, type SearchRepository } from './search.repository.js';

const BATCH = 500;
/** PostgreSQL batches written at the same time. */
const PG_CONCURRENCY = 2;

export interface ReindexReport {
  articles: number;
  /** Index rows removed because their article no longer exists. */
  removed: number;
  /** SQLite: the FTS table was created again for another tokenizer. */
  recreated: boolean;
  ms: number;
}

export interface ReindexDeps {
  search: SearchRepository;
  settings: SettingsStore;
}

export async function reindex(deps: ReindexDeps, options: { onProgress?: (done: number, total: number) => void; batchSize?: number; concurrency?: number } = {}): Promise<ReindexReport> {
  const started = performance.now();
  const { search } = deps;
  const language = deps.settings.get().language;
  let recreated = false;
  if (search.dialect === 'sqlite') {
    const wanted = sqliteTokenizerFor(language);
    if ((await search.sqliteTokenizer()) !== wanted) {
      await search.recreateSqliteIndex(wanted);
      recreated = true;
    }
  }
  const config = pgConfigFor(language);
  const batchSize = options.batchSize ?? BATCH;
  const { articles: total, documents } = await search.counts();
  // PostgreSQL, filling an empty index (first start, or an interrupted first indexing, which left no GIN index):
  // rows first, the GIN index once at the end. A rebuild over a full index keeps it, so searches keep working.
  const bulk = search.dialect === 'postgres' && (documents === 0 || !(await search.hasFullTextIndex()));
  if (bulk) await search.dropFullTextIndex();
  let done = 0;
  let after = 0;
  options.onProgress?.(0, total);
  try {
    // Batches are claimed one after another (each claim waits for the previous one), then indexed concurrently.
    let claim: Promise<number[]> = Promise.resolve([]);
    const nextBatch = () =>
      (claim = claim.then(async () => {
        const ids = await search.articleIdsAfter(after, batchSize);
        if (ids.length) after = ids.at(-1)!;
        return ids;
      }));
    const worker = async () => {
      for (let ids = await nextBatch(); ids.length; ids = await nextBatch()) {
        await withRetry(() =>
          search.transaction(async (trx) => {
            if (search.dialect === 'postgres') await sql`select id from articles where id in (${sql.join(ids)}) for share`.execute(trx);
            await search.write(trx, await search.documentsFor(trx, ids), config);
          }),
        );
        done += ids.length;
        options.onProgress?.(Math.min(done, Math.max(total, done)), Math.max(total, done));
        // better-sqlite3 answers synchronously: let requests in between batches when the server shares this process.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    // PostgreSQL computes the vectors (most of the work) in its own processes: two batches at a time use two cores.
    // SQLite has one writer, and its work happens in this thread anyway.
    await Promise.all(Array.from({ length: search.dialect === 'postgres' ? (options.concurrency ?? PG_CONCURRENCY) : 1 }, worker));
  } finally {
    // Also after a failure: a half-filled table keeps a usable index (the next reindex then keeps it up).
    if (bulk) await search.createFullTextIndex();
  }
  const removed = await search.removeOrphans();
  // PostgreSQL: every document was rewritten, so half the table and its GIN index are dead versions until vacuumed;
  // searches would visit them all (3x the heap pages in the benchmark) until autovacuum comes round.
  if (search.dialect === 'postgres') await search.vacuum();
  return { articles: done, removed, recreated, ms: Math.round(performance.now() - started) };
}

/** SQLite answers SQLITE_BUSY when another process holds the write lock past busy_timeout: try the batch again. */
async function withRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (attempt >= attempts || !code.startsWith('SQLITE_BUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** The command line's run: a progress bar on a terminal, a line per 10% otherwise. */
export async function reindexWithProgress(deps: ReindexDeps, out: NodeJS.WriteStream = process.stderr): Promise<ReindexReport> {
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'Reindexing search [{bar}] {percentage}% | {value}/{total} articles | {duration_formatted}', stream: out, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let startedBar = false;
    try {
      return await reindex(deps, {
        onProgress: (done, total) => {
          if (!startedBar) {
            bar.start(total, done);
            startedBar = true;
          } else {
            bar.setTotal(total);
            bar.update(done);
          }
        },
      });
    } finally {
      bar.stop();
    }
  }
  let shown = -1;
  return reindex(deps, {
    onProgress: (done, total) => {
      const tenth = total ? Math.floor((done / total) * 10) : 10;
      if (tenth !== shown) {
        shown = tenth;
        out.write(`reindexing search: ${done}/${total} articles\n`);
      }
    },
  });
}
