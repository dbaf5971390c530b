/**
 * A durable job queue in the database, for both SQLite and PostgreSQL.
 * Jobs are claimed with a lease (`locked_until`): a worker that dies mid-job
 * leaves a lease that expires, and another worker (or the same one after a
 * restart) picks the job up again. Handlers must therefore be idempotent.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Database, JobRow } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one queued job per key: enqueueing again replaces its time and payload. */
  uniqueKey?: string;
  maxAttempts?: number;
  /** Enqueue inside this transaction, so the job exists if and only if the work it is for was committed. */
  executor?: Kysely<Database> | Transaction<Database>;
}

export class JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async enqueue(kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<void> {
    const now = this.clock.now().toISOString();
    const row = {
      kind,
      payload: JSON.stringify(payload ?? {}),
      status: 'queued' as const,
      run_at: (options.runAt ?? this.clock.now()).toISOString(),
      attempts: 0,
      max_attempts: options.maxAttempts ?? 5,
      unique_key: options.uniqueKey ?? null,
      created_at: now,
    };
    let insert = (options.executor ?? this.db.kysely).insertInto('jobs').values(row);
    if (options.uniqueKey) {
      insert = insert.onConflict((oc) =>
        oc.column('unique_key').doUpdateSet({
          kind: row.kind,
          payload: row.payload,
          status: 'queued',
          run_at: row.run_at,
          attempts: 0,
          max_attempts: row.max_attempts,
          locked_by: null,
          locked_until: null,
          last_error: null,
          finished_at: null,
        }),
      );
    }
    await insert.execute();
  }

  /** Removes a queued job by key (e.g. an article was unscheduled). Running jobs finish. */
  async cancel(uniqueKey: string): Promise<void> {
    await this.db.kysely.deleteFrom('jobs').where('unique_key', '=', uniqueKey).where('status', '=', 'queued').execute();
  }

  /** Claims the next due job for `workerId`, or returns undefined. */
  async claim(workerId: string, kinds: readonly string[], leaseMs: number): Promise<JobRow | undefined> {
    if (kinds.length === 0) return undefined;
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    // A job whose lease expired on its last attempt killed (or hung) its worker every time:
    // it goes dead instead of being handed to the next worker forever.
    await this.db.kysely
      .updateTable('jobs')
      .set({ status: 'dead', locked_by: null, locked_until: null, finished_at: nowIso, last_error: 'the worker stopped or hung during every attempt (lease expired)' })
      .where('status', '=', 'running')
      .where('locked_until', '<', nowIso)
      .whereRef('attempts', '>=', 'max_attempts')
      .where('kind', 'in', kinds)
      .execute();
    const lock = this.db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const result = await sql<JobRow>`
      update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${until}, attempts = attempts + 1
      where id = (
        select id from jobs
        where kind in (${sql.join(kinds)})
          and ((status = 'queued' and run_at <= ${nowIso}) or (status = 'running' and locked_until < ${nowIso}))
        order by run_at, id
        limit 1
        ${lock}
      )
      returning *`.execute(this.db.kysely);
    return result.rows[0];
  }

  async complete(job: JobRow): Promise<void> {
    await this.db.kysely
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, finished_at: this.clock.now().toISOString() })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.locked_by)
      .execute();
  }

  /** Records a failure: retried later with exponential backoff, or dead after the last attempt. */
  async fail(job: JobRow, error: unknown, retryAfterMs?: number): Promise<'retry' | 'dead'> {
    const message = error instanceof Error ? error.message : String(error);
    const dead = job.attempts >= job.max_attempts;
    const backoff = retryAfterMs ?? Math.min(3_600_000, 5_000 * 2 ** Math.max(0, job.attempts - 1));
    await this.db.kysely
      .updateTable('jobs')
      .set({
        status: dead ? 'dead' : 'queued',
        run_at: new Date(this.clock.now().getTime() + backoff).toISOString(),
        locked_by: null,
        locked_until: null,
        last_error: message.slice(0, 2000),
        finished_at: dead ? this.clock.now().toISOString() : null,
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', job.locked_by)
      .execute();
    return dead ? 'dead' : 'retry';
  }

  /** When the earliest queued job is due, for sleeping until then. */
  async nextRunAt(kinds: readonly string[]): Promise<Date | undefined> {
    if (kinds.length === 0) return undefined;
    const row = await this.db.kysely
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('run_at').as('next'))
      .where('status', '=', 'queued')
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    return row?.next ? new Date(row.next) : undefined;
  }
}
