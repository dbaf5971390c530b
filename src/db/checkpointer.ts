/**
 * SQLite WAL checkpoints off the main thread. By default SQLite checkpoints
 * inside whichever commit pushes the write-ahead log past 1,000 pages: that
 * commit then copies ~4 MB into the database file and fsyncs it, 20-25 ms on
 * this project's benchmark machine, and because better-sqlite3 is synchronous
 * the whole event loop (every request being served) waits with it. Here a
 * worker thread with its own connection runs a PASSIVE checkpoint every
 * second (it never blocks readers or writers), and the main connection's
 * automatic checkpoint is raised to 10,000 pages, a fallback that only fires
 * if the worker falls far behind or is gone.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker's code: CommonJS, evaluated (no separate file to find from both src/ under tsx and dist/). */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next tick */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

/** Main-connection fallback: checkpoint inside a commit only past this many WAL pages (SQLite's default is 1,000). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: options.intervalMs ?? 1000 } });
  worker.unref(); // never what keeps a process alive
  let failed = false;
  worker.on('error', (error) => {
    failed = true;
    options.onError?.(error);
  });
  return {
    async stop() {
      if (failed) return;
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage('stop');
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}
