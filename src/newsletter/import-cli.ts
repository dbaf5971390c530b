/**
 * `broadsheet subscribers import <file.csv> --newsletter <slug> --consent`:
 * the same import as the Admin API (import.service.ts), run in this process
 * with a progress bar. The import's durable job is queued too, to start 10
 * minutes later: if this process dies, a worker finishes the file from the
 * last batch that landed; when it ends normally the job is cancelled.
 */
import fs from 'node:fs';
import os from 'node:os';
import cliProgress from 'cli-progress';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import { Invalid } from '../shared/errors.js';
import { CLI_IMPORT_MAX_BYTES, CONFIRMATIONS_PER_SECOND, importJobKey, type ImportView, type SubscriberImports } from './import.service.js';

export interface ImportCommandOptions {
  newsletter?: string[];
  emailColumn?: string;
  nameColumn?: string;
  header?: boolean;
  delimiter?: string;
  consent?: boolean;
  /** Readers become pending and get the confirmation email (a worker sends them), instead of being subscribed at once. */
  pending?: boolean;
}

export interface CommandIo {
  /** The summary (standard output). */
  out: NodeJS.WritableStream;
  /** Errors and the progress bar (standard error). */
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface ImportCommandDeps {
  imports: SubscriberImports;
  jobs: JobQueue;
  clock: Clock;
}

const SAFETY_NET_DELAY_MS = 10 * 60_000;
const n = (value: number) => value.toLocaleString('en');

/** Runs the command; returns the exit code (0 done, 1 the import failed, 2 the request was refused). */
export async function importCommand(deps: ImportCommandDeps, file: string, options: ImportCommandOptions, io: CommandIo): Promise<number> {
  const say = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  if (!options.consent) {
    say(io.err, 'broadsheet: --consent is required: it records that everyone in this file agreed to receive these newsletters. Importing people who did not is against the law in most countries.');
    return 2;
  }
  let data: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > CLI_IMPORT_MAX_BYTES) {
      say(io.err, `broadsheet: ${file} is larger than ${n(CLI_IMPORT_MAX_BYTES / (1024 * 1024))} MB: split it into smaller files`);
      return 2;
    }
    data = fs.readFileSync(file);
  } catch (error) {
    say(io.err, `broadsheet: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }

  let created: ImportView;
  try {
    created = await deps.imports.create({
      filename: file,
      data,
      newsletters: options.newsletter ?? [],
      consent: true,
      mapping: { emailColumn: options.emailColumn, nameColumn: options.nameColumn, header: options.header, delimiter: options.delimiter === 'tab' ? '\t' : options.delimiter },
      importer: { userId: null, label: `command line (${os.userInfo().username}@${os.hostname()})` },
      startAt: new Date(deps.clock.now().getTime() + SAFETY_NET_DELAY_MS),
      pending: options.pending === true,
    });
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    say(io.err, `broadsheet: ${error.message}`);
    return 2;
  }
  const columns = [`email from column ${describeColumn(created.emailColumn)}`, ...(created.nameColumns.length ? [`name from ${created.nameColumns.map(describeColumn).join(' + ')}`] : ['no names'])];
  say(io.err, `Importing ${created.filename} (${created.encoding}, ${columns.join(', ')}) into ${created.newsletters.map((x) => x.name).join(', ')}`);

  const result = await withProgress(io.err, (onProgress) => deps.imports.run(created.id, { onProgress, pending: options.pending === true }));
  await deps.jobs.cancel(importJobKey(created.id));
  const report = result ?? (await deps.imports.get(created.id));
  printSummary(io.out, report);
  if (options.pending && report.status === 'done' && report.created + report.updated > 0) {
    say(io.out, `The new subscriptions are pending: a running worker (broadsheet worker, or npm start) emails each reader a confirmation link, ${CONFIRMATIONS_PER_SECOND} a second.`);
  }
  return report.status === 'done' ? 0 : 1;
}

function describeColumn(c: { number: number; header: string | null }): string {
  return c.header ? `${c.number} ("${c.header}")` : String(c.number);
}

/** A progress bar on a terminal, a line per 10% otherwise. */
async function withProgress<T>(stream: CommandIo['err'], work: (onProgress: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'Importing subscribers [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}', stream: stream as NodeJS.WriteStream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    try {
      return await work((done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      });
    } finally {
      bar.stop();
    }
  }
  let shown = -1;
  return work((done, total) => {
    const tenth = total ? Math.floor((done / total) * 10) : 10;
    if (tenth !== shown) {
      shown = tenth;
      stream.write(`  ${tenth * 10}% (${n(done)} of ${n(total)} rows)\n`);
    }
  });
}

export function printSummary(out: NodeJS.WritableStream, r: ImportView): void {
  const lines: string[] = [];
  if (r.status === 'failed') lines.push(`Import failed: ${r.error ?? 'unknown error'}`);
  else if (r.status !== 'done') lines.push(`Import ${r.id} is ${r.status}: a worker will finish it.`);
  lines.push(
    `${r.filename}: ${n(r.processedRows)} of ${n(r.totalRows ?? 0)} rows`,
    `  created ${n(r.created)}, updated ${n(r.updated)}, already subscribed ${n(r.unchanged)}, duplicates in the file ${n(r.duplicates)}, skipped ${n(r.skipped)}, invalid ${n(r.invalid)}`,
  );
  const list = (title: string, items: { line: number; reason: string }[], count: number) => {
    if (!count) return;
    lines.push(`${title}${count > items.length ? ` (the first ${items.length} of ${n(count)})` : ''}:`);
    for (const item of items) lines.push(`  line ${item.line}: ${item.reason}`);
  };
  list('Invalid rows', r.invalidRows, r.invalid);
  list('Skipped rows', r.skippedRows, r.skipped);
  out.write(`${lines.join('\n')}\n`);
}
