/**
 * Subscriber CSV imports (docs/newsletters.md, "Import"): the Admin API and
 * `broadsheet subscribers import` both go through here. No HTTP here.
 *
 * `create` checks the request (the importer's consent assertion first), reads
 * enough of the file to map its columns, stores it and queues the durable job
 * `newsletter.import`; `run` (the job, or the command line directly) imports
 * it in batches. Each batch's writes and the import's progress (how many of
 * the file's records are done, the counts, the report) commit in one
 * transaction, so a crash or restart resumes after the last whole batch:
 * nobody is imported twice and nobody is skipped. Rows are decided by these
 * rules:
 *
 * - an address the file already had (any case) is a duplicate: the first row wins;
 * - a new address becomes a reader, `subscribed` to the chosen newsletters
 *   (the importer asserted consent), with a consent record naming the
 *   importer and the file;
 * - a known reader is subscribed to the chosen newsletters they do not have
 *   (pending ones are confirmed), and gets the file's name if they had none;
 * - a reader who unsubscribed from a chosen newsletter is not subscribed to it
 *   again, and one who bounced or complained is not added to any: the row is
 *   reported as skipped. Importing them would override their own choice.
 *
 * With `pending` (the double opt-in), new subscriptions are `pending` instead,
 * with a `requested` consent record, and each reader who gained one gets the
 * sign-up's confirmation email through its durable job: one per reader,
 * queued in the batch's transaction and spread out in time
 * (CONFIRMATIONS_PER_SECOND) so a big file does not hand the mail server
 * thousands at once. Subscribed readers stay subscribed; pending ones wait for
 * the email they already have.
 */
import type { Logger } from 'pino';
import type { Insertable, Transaction } from 'kysely';
import type { Database, ImportRow, NewsletterImportsTable, NewsletterRow, SubscriptionRow } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { yieldToEventLoop } from '../jobs/runner.js';
import type { Clock } from '../shared/clock.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { parseEmailAddress } from './email-address.js';
import { CsvFileError, decodeCsv, inspectCsv, mappedRows, type CsvMapping, type MappingRequest } from './import-csv.js';
import type { ImportsRepository, ReaderNewsletter } from './import.repository.js';
import { CONFIRM_EMAIL_JOB } from './subscribers.service.js';
import { newReaderSecret } from './links.js';
import type { SuppressionsService } from './suppressions.service.js';
import type { NewslettersRepository } from './newsletters.repository.js';

export const IMPORT_JOB = 'newsletter.import';
/** Upload limit for the Admin API (about 400,000 rows of address and name). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** The command line reads local files: a larger limit, still one the process can hold in memory. */
export const CLI_IMPORT_MAX_BYTES = 256 * 1024 * 1024;
/** Rows per transaction. */
export const IMPORT_BATCH = 2000;
/** Invalid and skipped rows listed in the report (all are counted). */
export const REPORT_CAP = 100;

export const importJobKey = (id: number) => `newsletter-import:${id}`;
/** Confirmation emails of a `pending` import handed to the job queue per second (sign-ups are not held back). */
export const CONFIRMATIONS_PER_SECOND = 10;
/** The sign-up's key for a reader's confirmation job (subscribers.service.ts): one queued email per reader. */
const confirmJobKey = (subscriberId: number) => `newsletter-confirm:${subscriberId}`;

/** The `newsletter.import` job's payload: the mode travels with the job, so a resumed import keeps it. */
export interface ImportJobPayload {
  importId: number;
  pending?: boolean;
}

export interface ImportRequest {
  filename: string;
  data: Buffer;
  /** Slugs or ids of the newsletters to subscribe the file's readers to. */
  newsletters: readonly string[];
  mapping: MappingRequest;
  /** The importer's assertion that everyone in the file agreed to receive these newsletters. Required. */
  consent: boolean;
  importer: { userId: number | null; label: string };
  /** When the worker may pick the job up (the command line imports itself and leaves the job as a safety net). */
  startAt?: Date;
  /** Readers become `pending` and get the confirmation email, instead of being subscribed at once. */
  pending?: boolean;
}

export interface ReportLine {
  line: number;
  reason: string;
}

export interface ImportView {
  id: number;
  status: ImportRow['status'];
  filename: string;
  importer: string;
  newsletters: { id: number; slug: string; name: string }[];
  encoding: string;
  delimiter: string;
  header: boolean;
  /** 1-based column numbers, with the header's name for them when there is a header row. */
  emailColumn: { number: number; header: string | null };
  nameColumns: { number: number; header: string | null }[];
  /** Data rows in the file (header and blank rows not counted); null until the job has read the file. */
  totalRows: number | null;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  /** The first REPORT_CAP invalid rows, with their line numbers. */
  invalidRows: ReportLine[];
  skippedRows: ReportLine[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunOptions {
  onProgress?: (processed: number, total: number) => void;
  batchSize?: number;
  /** Stop after this many batches (tests: a crash after one batch). */
  maxBatches?: number;
  /** The import's mode (its job's payload): pending subscriptions and confirmation emails. */
  pending?: boolean;
}

/** Spreads an import's confirmation emails out: the n-th is due n / CONFIRMATIONS_PER_SECOND seconds after the run began. */
interface ConfirmationPace {
  from: number;
  queued: number;
}

export interface SubscriberImportsDeps {
  repo: ImportsRepository;
  newsletters: NewslettersRepository;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  poke?: () => void;
  /** Suppressed addresses (bounced, complained, added by an editor) are not imported. */
  suppressions?: Pick<SuppressionsService, 'suppressedAmong'>;
}

/** Another worker moved the import on while this one worked on the same batch. */
class ImportMovedOn extends Error {}

interface Entry {
  line: number;
  email: string;
  key: string;
  name: string;
}

interface Batch {
  fromRecord: number;
  toRecord: number;
  rows: number;
  entries: Entry[];
  duplicates: number;
  invalid: ReportLine[];
}

function invalidReason(email: string): string {
  if (!email) return 'no email address';
  if (email.length > 254) return 'the email address is longer than 254 characters';
  return `"${email.slice(0, 80)}${email.length > 80 ? '…' : ''}" is not an email address we can send to`;
}

function cleanFilename(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  return base.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 200) || 'upload.csv';
}

const mappingOf = (row: ImportRow): CsvMapping => ({
  delimiter: row.delimiter,
  hasHeader: row.has_header === 1,
  headers: JSON.parse(row.headers) as string[],
  emailColumn: row.email_column,
  nameColumns: JSON.parse(row.name_columns) as number[],
});

export class SubscriberImports {
  constructor(private readonly deps: SubscriberImportsDeps) {}

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Checks and stores an import and queues its job. Throws Invalid naming the field (/consent, /newsletters, /file, /emailColumn …). */
  async create(request: ImportRequest): Promise<ImportView> {
    if (request.consent !== true) {
      throw new Invalid('Confirm that everyone in this file agreed to receive these newsletters (consent: yes): importing people who did not is against the law in most countries', [
        { path: '/consent', message: 'required: the importer must assert consent' },
      ]);
    }
    const newsletters = await this.resolveNewsletters(request.newsletters);
    const { text, encoding } = decodeCsv(request.data);
    const mapping = inspectCsv(text, request.mapping);
    const at = this.nowIso();
    const fields: Insertable<NewsletterImportsTable> = {
      status: 'queued',
      filename: cleanFilename(request.filename),
      importer: request.importer.label.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200),
      created_by: request.importer.userId,
      newsletter_ids: JSON.stringify(newsletters.map((n) => n.id)),
      encoding,
      delimiter: mapping.delimiter,
      has_header: mapping.hasHeader ? 1 : 0,
      email_column: mapping.emailColumn,
      name_columns: JSON.stringify(mapping.nameColumns),
      headers: JSON.stringify(mapping.headers),
      total_rows: null,
      resume_record: 0,
      processed_rows: 0,
      created_count: 0,
      updated_count: 0,
      unchanged_count: 0,
      duplicate_count: 0,
      skipped_count: 0,
      invalid_count: 0,
      invalid_rows: '[]',
      skipped_rows: '[]',
      error: null,
      created_at: at,
      started_at: null,
      finished_at: null,
      updated_at: at,
    };
    const row = await this.deps.repo.insert(fields, text);
    const payload: ImportJobPayload = { importId: row.id, ...(request.pending ? { pending: true } : {}) };
    await this.deps.jobs.enqueue(IMPORT_JOB, payload, { uniqueKey: importJobKey(row.id), maxAttempts: 10, runAt: request.startAt });
    if (!request.startAt) this.deps.poke?.();
    this.deps.log.info({ importId: row.id, filename: row.filename, importer: row.importer, newsletters: newsletters.map((n) => n.slug), pending: request.pending === true }, 'subscriber import queued');
    return this.view(row, newsletters);
  }

  private async resolveNewsletters(wanted: readonly string[]): Promise<NewsletterRow[]> {
    const specs = [...new Set(wanted.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean))];
    if (!specs.length) throw new Invalid('Choose at least one newsletter to subscribe these readers to', [{ path: '/newsletters', message: 'required' }]);
    const all = await this.deps.newsletters.all();
    const chosen: NewsletterRow[] = [];
    for (const spec of specs) {
      const found = all.find((n) => n.slug === spec || String(n.id) === spec);
      if (!found) throw new Invalid(`There is no newsletter "${spec.slice(0, 100)}"`, [{ path: '/newsletters', message: 'no such newsletter' }]);
      if (!chosen.includes(found)) chosen.push(found);
    }
    return chosen;
  }

  async get(id: number): Promise<ImportView> {
    const row = await this.deps.repo.byId(id);
    if (!row) throw new NotFound('No such import');
    return this.view(row);
  }

  async recent(limit = 20): Promise<ImportView[]> {
    const rows = await this.deps.repo.recent(limit);
    const all = await this.deps.newsletters.all();
    return rows.map((r) => this.viewWith(r, all));
  }

  private async view(row: ImportRow, newsletters?: NewsletterRow[]): Promise<ImportView> {
    return this.viewWith(row, newsletters ?? (await this.deps.newsletters.all()));
  }

  private viewWith(row: ImportRow, newsletters: NewsletterRow[]): ImportView {
    const ids = JSON.parse(row.newsletter_ids) as number[];
    const headers = JSON.parse(row.headers) as string[];
    const col = (index: number) => ({ number: index + 1, header: headers[index] ?? null });
    return {
      id: row.id,
      status: row.status,
      filename: row.filename,
      importer: row.importer,
      newsletters: ids.map((id) => newsletters.find((n) => n.id === id)).filter((n): n is NewsletterRow => n !== undefined).map((n) => ({ id: n.id, slug: n.slug, name: n.name })),
      encoding: row.encoding,
      delimiter: row.delimiter,
      header: row.has_header === 1,
      emailColumn: col(row.email_column),
      nameColumns: (JSON.parse(row.name_columns) as number[]).map(col),
      totalRows: row.total_rows,
      processedRows: row.processed_rows,
      created: row.created_count,
      updated: row.updated_count,
      unchanged: row.unchanged_count,
      duplicates: row.duplicate_count,
      skipped: row.skipped_count,
      invalid: row.invalid_count,
      invalidRows: JSON.parse(row.invalid_rows) as ReportLine[],
      skippedRows: JSON.parse(row.skipped_rows) as ReportLine[],
      error: row.error,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    };
  }

  // --- the job ---------------------------------------------------------------------------------

  /**
   * Imports (the rest of) an import's file. Safe to call again after a crash,
   * and from two places at once: a batch lands only if the import still
   * stands where that batch began.
   */
  async run(id: number, options: RunOptions = {}): Promise<ImportView | undefined> {
    const batchSize = options.batchSize ?? IMPORT_BATCH;
    const row = await this.deps.repo.byId(id);
    if (!row) return undefined; // deleted: nothing to do
    if (row.status === 'done' || row.status === 'failed') return this.view(row);
    const ids = JSON.parse(row.newsletter_ids) as number[];
    const all = await this.deps.newsletters.all();
    const newsletters = ids.map((nid) => all.find((n) => n.id === nid)).filter((n): n is NewsletterRow => n !== undefined);
    if (newsletters.length !== ids.length) return this.fail(id, 'A newsletter chosen for this import was deleted before the import finished');
    const content = await this.deps.repo.content(id);
    if (content === undefined) return this.fail(id, 'The uploaded file is gone');
    await this.deps.repo.start(id, this.nowIso());

    const bytes = Buffer.from(content, 'utf8');
    const mapping = mappingOf(row);
    let total = row.total_rows;
    if (total === null) {
      // A first pass counts the rows (for the progress bar) and finds a broken file before anything is written.
      try {
        total = 0;
        for await (const r of mappedRows(bytes, mapping)) if (!r.blank) total++;
      } catch (error) {
        if (error instanceof CsvFileError) return this.fail(id, `The file is not valid CSV at ${error.message}. Nothing was imported.`);
        throw error;
      }
      await this.deps.repo.setTotal(id, total, this.nowIso());
    }
    let processed = row.processed_rows;
    options.onProgress?.(processed, total);

    const report = { invalid: JSON.parse(row.invalid_rows) as ReportLine[], skipped: JSON.parse(row.skipped_rows) as ReportLine[] };
    const seen = new Set<string>();
    const fresh = (from: number): Batch => ({ fromRecord: from, toRecord: from, rows: 0, entries: [], duplicates: 0, invalid: [] });
    let batch = fresh(row.resume_record);
    let batches = 0;
    const mode = { pending: options.pending === true, pace: { from: this.deps.clock.now().getTime(), queued: 0 } };
    try {
      for await (const r of mappedRows(bytes, mapping)) {
        if (r.index < row.resume_record) {
          // Imported before a restart: only remembered, so a later duplicate is still recognised.
          const parsed = r.blank ? undefined : parseEmailAddress(r.email);
          if (parsed && !('error' in parsed)) seen.add(parsed.key);
          continue;
        }
        batch.toRecord = r.index + 1;
        if (r.blank) continue;
        batch.rows++;
        const parsed = parseEmailAddress(r.email);
        if ('error' in parsed) batch.invalid.push({ line: r.line, reason: invalidReason(r.email) });
        else if (seen.has(parsed.key)) batch.duplicates++;
        else {
          seen.add(parsed.key);
          batch.entries.push({ line: r.line, email: parsed.email, key: parsed.key, name: r.name });
        }
        if (batch.rows >= batchSize) {
          await this.commit(row, newsletters, batch, report, mode);
          processed += batch.rows;
          options.onProgress?.(processed, total);
          batch = fresh(batch.toRecord);
          if (options.maxBatches !== undefined && ++batches >= options.maxBatches) return this.get(id);
          await yieldToEventLoop(); // better-sqlite3 answers synchronously: let requests in between batches
        }
      }
      await this.commit(row, newsletters, batch, report, mode);
      processed += batch.rows;
      options.onProgress?.(processed, total);
    } catch (error) {
      if (error instanceof ImportMovedOn) {
        this.deps.log.warn({ importId: id }, 'another worker is running this import: leaving it to them');
        return this.get(id);
      }
      if (error instanceof CsvFileError) return this.fail(id, `The file is not valid CSV at ${error.message}`);
      throw error; // the job retries and resumes after the last batch that landed
    }
    const at = this.nowIso();
    await this.deps.repo.finish(id, { status: 'done', at });
    const done = await this.get(id);
    this.deps.log.info({ importId: id, created: done.created, updated: done.updated, skipped: done.skipped, invalid: done.invalid, duplicates: done.duplicates }, 'subscriber import done');
    return done;
  }

  /** The job's last attempt failed too: the import says so instead of staying "running" for ever. */
  async giveUp(id: number, error: unknown): Promise<void> {
    this.deps.log.error({ importId: id, err: error }, 'subscriber import gave up after repeated errors');
    await this.fail(id, 'The import stopped after repeated errors (see the server log). The rows imported before that stay imported; upload the file again to finish it: those rows will count as unchanged.');
  }

  private async fail(id: number, error: string): Promise<ImportView> {
    await this.deps.repo.finish(id, { status: 'failed', error, at: this.nowIso() });
    this.deps.log.warn({ importId: id, error }, 'subscriber import failed');
    return this.get(id);
  }

  /**
   * The sign-up's confirmation email for each reader, in the batch's transaction (so they exist if and only if
   * the batch landed), each due a little after the one before. The link is issued for when the email is due:
   * it confirms what was pending then, and its 7 days start when it is sent.
   */
  private async queueConfirmations(readerIds: number[], at: string, pace: ConfirmationPace, trx: Transaction<Database>): Promise<void> {
    await this.deps.repo.setConfirmationSent(readerIds, at, trx);
    const batchStart = Date.parse(at);
    for (const subscriberId of readerIds) {
      const due = Math.max(batchStart, pace.from + Math.floor(pace.queued++ / CONFIRMATIONS_PER_SECOND) * 1000);
      await this.deps.jobs.enqueue(CONFIRM_EMAIL_JOB, { subscriberId, issuedAt: due }, { uniqueKey: confirmJobKey(subscriberId), maxAttempts: 8, runAt: new Date(due), executor: trx });
    }
  }

  /** Writes one batch and the import's progress in one transaction. */
  private async commit(
    row: ImportRow,
    newsletters: NewsletterRow[],
    batch: Batch,
    report: { invalid: ReportLine[]; skipped: ReportLine[] },
    mode: { pending: boolean; pace: ConfirmationPace },
  ): Promise<void> {
    const { repo } = this.deps;
    const at = this.nowIso();
    const source = `import:${row.filename} by ${row.importer} (import ${row.id})`;
    const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
    const skippedNow: ReportLine[] = [];
    await repo.transaction(async (trx) => {
      const keys = batch.entries.map((e) => e.key);
      const readers = new Map((await repo.readersByKey(keys, trx)).map((r) => [r.email_key, r]));
      const onSuppressionList = (await this.deps.suppressions?.suppressedAmong(keys, trx)) ?? new Map<string, string>();
      const added = await repo.insertReaders(
        batch.entries.filter((e) => !readers.has(e.key) && !onSuppressionList.has(e.key)).map((e) => ({ email: e.email, email_key: e.key, name: e.name, secret: newReaderSecret() })),
        at,
        trx,
      );
      const createdKeys = new Set(added.map((r) => r.email_key));
      for (const r of added) readers.set(r.email_key, r);
      // Addresses a reader signed up with while this batch ran: known readers after all.
      const late = keys.filter((k) => !readers.has(k));
      if (late.length) for (const r of await repo.readersByKey(late, trx)) readers.set(r.email_key, r);

      const known = [...readers.values()].filter((r) => !createdKeys.has(r.email_key)).map((r) => r.id);
      const statuses = new Map<number, Map<number, SubscriptionRow['status']>>();
      for (const s of await repo.subscriptionsOf(known, trx)) {
        if (!statuses.has(s.subscriber_id)) statuses.set(s.subscriber_id, new Map());
        statuses.get(s.subscriber_id)!.set(s.newsletter_id, s.status);
      }

      const subscriptions: ReaderNewsletter[] = [];
      const confirm = new Map<number, number[]>(newsletters.map((n) => [n.id, []]));
      const consents: (ReaderNewsletter & { newsletterName: string })[] = [];
      /** Pending mode: readers who asked for something new and get the confirmation email. */
      const toConfirm = new Set<number>();
      /** False when nothing changes (pending mode: a pending subscription waits for the email its reader has). */
      const subscribe = (subscriberId: number, n: NewsletterRow, pending: boolean): boolean => {
        if (mode.pending) {
          if (pending) return false;
          toConfirm.add(subscriberId);
          subscriptions.push({ subscriberId, newsletterId: n.id });
        } else if (pending) confirm.get(n.id)!.push(subscriberId);
        else subscriptions.push({ subscriberId, newsletterId: n.id });
        consents.push({ subscriberId, newsletterId: n.id, newsletterName: n.name });
        return true;
      };

      for (const entry of batch.entries) {
        const suppression = onSuppressionList.get(entry.key);
        if (suppression) {
          counts.skipped++;
          skippedNow.push({ line: entry.line, reason: `on the suppression list (${suppression.replace('_', ' ')}): not added to any newsletter` });
          continue;
        }
        const reader = readers.get(entry.key)!;
        if (createdKeys.has(entry.key)) {
          for (const n of newsletters) subscribe(reader.id, n, false);
          counts.created++;
          continue;
        }
        const mine = statuses.get(reader.id) ?? new Map<number, SubscriptionRow['status']>();
        const suppressed = [...mine.values()].find((s) => s === 'bounced' || s === 'complained');
        if (suppressed) {
          counts.skipped++;
          skippedNow.push({ line: entry.line, reason: `this address ${suppressed} before: not added to any newsletter` });
          continue;
        }
        const refused: string[] = [];
        let changed = false;
        for (const n of newsletters) {
          const status = mine.get(n.id);
          if (status === 'subscribed') continue;
          if (status === 'unsubscribed') {
            refused.push(n.name);
            continue;
          }
          if (subscribe(reader.id, n, status === 'pending')) changed = true;
        }
        if (entry.name && !reader.name) {
          await repo.setName(reader.id, entry.name, at, trx);
          changed = true;
        }
        if (refused.length) {
          counts.skipped++;
          skippedNow.push({ line: entry.line, reason: `unsubscribed from ${refused.join(', ')} before: not subscribed again` });
        } else if (changed) counts.updated++;
        else counts.unchanged++;
      }

      await repo.insertSubscriptions(subscriptions, at, trx, mode.pending ? 'pending' : 'subscribed');
      for (const [newsletterId, readerIds] of confirm) if (readerIds.length) await repo.confirmPending(newsletterId, readerIds, at, trx);
      await repo.insertConsents(consents, source, at, trx, mode.pending ? 'requested' : 'confirmed');
      if (toConfirm.size) await this.queueConfirmations([...toConfirm], at, mode.pace, trx);
      const invalidRows = [...report.invalid, ...batch.invalid].slice(0, REPORT_CAP);
      const skippedRows = [...report.skipped, ...skippedNow].slice(0, REPORT_CAP);
      const landed = await repo.advance(
        row.id,
        {
          fromRecord: batch.fromRecord,
          toRecord: batch.toRecord,
          rows: batch.rows,
          ...counts,
          duplicates: batch.duplicates,
          invalid: batch.invalid.length,
          invalidRows: JSON.stringify(invalidRows),
          skippedRows: JSON.stringify(skippedRows),
          at,
        },
        trx,
      );
      if (!landed) throw new ImportMovedOn();
      report.invalid = invalidRows;
      report.skipped = skippedRows;
    });
  }
}
