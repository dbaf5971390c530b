/**
 * Queries for subscriber imports: the import rows themselves, and the bulk
 * reads and writes one batch of rows needs (a few statements per batch, not
 * a few per row: 100,000 rows must import in seconds).
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/connection.js';
import type { Database, ImportRow, NewsletterImportsTable, SubscriberRow, SubscriptionRow, SubscriptionStatus } from '../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits for these tables. */
const ROWS_PER_STATEMENT = 500;

function* chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export interface NewReader {
  email: string;
  email_key: string;
  name: string;
  secret: string;
}

export interface ReaderNewsletter {
  subscriberId: number;
  newsletterId: number;
}

/** What one batch adds to the import's counts and report. */
export interface BatchProgress {
  /** The record the import stood at when the batch was read: the write only lands if it still does. */
  fromRecord: number;
  toRecord: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  invalidRows: string;
  skippedRows: string;
  at: string;
}

export class ImportsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Stores an import and its file. */
  insert(row: Insertable<NewsletterImportsTable>, content: string): Promise<ImportRow> {
    return this.transaction(async (trx) => {
      const inserted = await trx.insertInto('newsletter_imports').values(row).returningAll().executeTakeFirstOrThrow();
      await trx.insertInto('newsletter_import_files').values({ import_id: inserted.id, content }).execute();
      return inserted;
    });
  }

  byId(id: number): Promise<ImportRow | undefined> {
    return this.db.selectFrom('newsletter_imports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The uploaded file, while the import runs. */
  async content(id: number): Promise<string | undefined> {
    return (await this.db.selectFrom('newsletter_import_files').select('content').where('import_id', '=', id).executeTakeFirst())?.content;
  }

  recent(limit: number): Promise<ImportRow[]> {
    return this.db.selectFrom('newsletter_imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  async start(id: number, at: string): Promise<void> {
    await this.db.updateTable('newsletter_imports').set({ status: 'running', started_at: at, updated_at: at }).where('id', '=', id).where('status', '=', 'queued').execute();
  }

  async setTotal(id: number, total: number, at: string): Promise<void> {
    await this.db.updateTable('newsletter_imports').set({ total_rows: total, updated_at: at }).where('id', '=', id).execute();
  }

  /** Ends the import (done or failed) and deletes the uploaded file: it holds personal data we no longer need. */
  async finish(id: number, outcome: { status: 'done' | 'failed'; error?: string; at: string }): Promise<void> {
    await this.transaction(async (trx) => {
      await trx
        .updateTable('newsletter_imports')
        .set({ status: outcome.status, error: outcome.error ?? null, finished_at: outcome.at, updated_at: outcome.at })
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .execute();
      await trx.deleteFrom('newsletter_import_files').where('import_id', '=', id).execute();
    });
  }

  /**
   * Records a batch's progress, in the batch's transaction, only if nobody
   * else moved the import on meanwhile (two workers on one import after a
   * lease ran out): false means the caller must roll back.
   */
  async advance(id: number, p: BatchProgress, trx: Transaction<Database>): Promise<boolean> {
    const result = await trx
      .updateTable('newsletter_imports')
      .set((eb) => ({
        resume_record: p.toRecord,
        processed_rows: eb('processed_rows', '+', p.rows),
        created_count: eb('created_count', '+', p.created),
        updated_count: eb('updated_count', '+', p.updated),
        unchanged_count: eb('unchanged_count', '+', p.unchanged),
        duplicate_count: eb('duplicate_count', '+', p.duplicates),
        skipped_count: eb('skipped_count', '+', p.skipped),
        invalid_count: eb('invalid_count', '+', p.invalid),
        invalid_rows: p.invalidRows,
        skipped_rows: p.skippedRows,
        updated_at: p.at,
      }))
      .where('id', '=', id)
      .where('resume_record', '=', p.fromRecord)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // --- readers, in bulk ------------------------------------------------------------------------
  // PostgreSQL gets each column as one array parameter (unnest): a statement per batch whatever its size, and
  // node-postgres binds a few arrays far faster than thousands of single values. SQLite binds values in-process.

  async readersByKey(keys: readonly string[], q: Q): Promise<SubscriberRow[]> {
    if (!keys.length) return [];
    if (this.dialect === 'postgres') {
      return (await sql<SubscriberRow>`select * from newsletter_subscribers where email_key = any(${[...keys]}::text[])`.execute(q)).rows;
    }
    const found: SubscriberRow[] = [];
    for (const part of chunks(keys)) found.push(...(await q.selectFrom('newsletter_subscribers').selectAll().where('email_key', 'in', part).execute()));
    return found;
  }

  async subscriptionsOf(subscriberIds: readonly number[], q: Q): Promise<Pick<SubscriptionRow, 'subscriber_id' | 'newsletter_id' | 'status'>[]> {
    const found: Pick<SubscriptionRow, 'subscriber_id' | 'newsletter_id' | 'status'>[] = [];
    for (const part of chunks(subscriberIds)) {
      found.push(...(await q.selectFrom('newsletter_subscriptions').select(['subscriber_id', 'newsletter_id', 'status']).where('subscriber_id', 'in', part).execute()));
    }
    return found;
  }

  /** Adds readers; an address someone else added meanwhile (a sign-up) is left out of the result. */
  async insertReaders(rows: readonly NewReader[], at: string, q: Q): Promise<SubscriberRow[]> {
    if (!rows.length) return [];
    if (this.dialect === 'postgres') {
      const column = <K extends keyof NewReader>(key: K) => rows.map((r) => r[key]);
      return (
        await sql<SubscriberRow>`insert into newsletter_subscribers (email, email_key, name, secret, created_at, updated_at)
          select e, k, n, s, ${at}, ${at} from unnest(${column('email')}::text[], ${column('email_key')}::text[], ${column('name')}::text[], ${column('secret')}::text[]) as u(e, k, n, s)
          on conflict (email_key) do nothing
          returning *`.execute(q)
      ).rows;
    }
    const added: SubscriberRow[] = [];
    for (const part of chunks(rows)) {
      const values = part.map((r) => ({ ...r, created_at: at, updated_at: at }));
      added.push(...(await q.insertInto('newsletter_subscribers').values(values).onConflict((oc) => oc.column('email_key').doNothing()).returningAll().execute()));
    }
    return added;
  }

  /**
   * Subscribes readers (source `import`): `subscribed` at once, or `pending` until they confirm by email.
   * A subscription that exists already is left alone.
   */
  async insertSubscriptions(pairs: readonly ReaderNewsletter[], at: string, q: Q, status: 'subscribed' | 'pending' = 'subscribed'): Promise<void> {
    if (!pairs.length) return;
    const confirmedAt = status === 'subscribed' ? at : null;
    if (this.dialect === 'postgres') {
      await sql`insert into newsletter_subscriptions (subscriber_id, newsletter_id, status, source, requested_at, confirmed_at, unsubscribed_at, updated_at)
        select s, n, ${status}, 'import', ${at}, ${confirmedAt}, null, ${at} from unnest(${pairs.map((p) => p.subscriberId)}::int[], ${pairs.map((p) => p.newsletterId)}::int[]) as u(s, n)
        on conflict (subscriber_id, newsletter_id) do nothing`.execute(q);
      return;
    }
    for (const part of chunks(pairs)) {
      const values = part.map((p) => ({
        subscriber_id: p.subscriberId,
        newsletter_id: p.newsletterId,
        status,
        source: 'import',
        requested_at: at,
        confirmed_at: confirmedAt,
        unsubscribed_at: null,
        updated_at: at,
      }));
      await q.insertInto('newsletter_subscriptions').values(values).onConflict((oc) => oc.columns(['subscriber_id', 'newsletter_id']).doNothing()).execute();
    }
  }

  /** Pending subscriptions to one newsletter become subscribed (the importer asserted consent). */
  async confirmPending(newsletterId: number, subscriberIds: readonly number[], at: string, q: Q): Promise<void> {
    for (const part of chunks(subscriberIds)) {
      await q
        .updateTable('newsletter_subscriptions')
        .set({ status: 'subscribed' satisfies SubscriptionStatus, source: 'import', confirmed_at: at, updated_at: at })
        .where('newsletter_id', '=', newsletterId)
        .where('status', '=', 'pending')
        .where('subscriber_id', 'in', part)
        .execute();
    }
  }

  /** Pending import: these readers' confirmation email is on its way (a sign-up right after does not send another at once). */
  async setConfirmationSent(ids: readonly number[], at: string, q: Q): Promise<void> {
    for (const part of chunks(ids)) await q.updateTable('newsletter_subscribers').set({ confirmation_sent_at: at }).where('id', 'in', part).execute();
  }

  async setName(id: number, name: string, at: string, q: Q): Promise<void> {
    await q.updateTable('newsletter_subscribers').set({ name, updated_at: at }).where('id', '=', id).where('name', '=', '').execute();
  }

  /** Consent records (`confirmed`, or `requested` for a pending import), one per reader and newsletter, all with the import's source. */
  async insertConsents(pairs: readonly (ReaderNewsletter & { newsletterName: string })[], source: string, at: string, q: Q, action: 'confirmed' | 'requested' = 'confirmed'): Promise<void> {
    if (!pairs.length) return;
    if (this.dialect === 'postgres') {
      await sql`insert into newsletter_consents (subscriber_id, newsletter_id, newsletter_name, action, source, ip, created_at)
        select s, n, nn, ${action}, ${source}, null, ${at}
        from unnest(${pairs.map((p) => p.subscriberId)}::int[], ${pairs.map((p) => p.newsletterId)}::int[], ${pairs.map((p) => p.newsletterName)}::text[]) as u(s, n, nn)`.execute(q);
      return;
    }
    for (const part of chunks(pairs)) {
      const values = part.map((p) => ({
        subscriber_id: p.subscriberId,
        newsletter_id: p.newsletterId,
        newsletter_name: p.newsletterName,
        action,
        source,
        ip: null,
        created_at: at,
      }));
      await q.insertInto('newsletter_consents').values(values).execute();
    }
  }
}
