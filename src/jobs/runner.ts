/**
 * Runs durable jobs: polls the queue, runs handlers with bounded concurrency,
 * retries failures, and on stop() waits for the jobs in flight to finish.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { JobRow } from '../db/schema.js';
import type { JobQueue } from './queue.js';

export type JobHandler = (payload: unknown, job: JobRow) => Promise<void>;

/** Thrown by a handler that knows when to try again (a rate limit's reset time): the retry waits that long instead of the usual backoff. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export interface JobRunnerOptions {
  pollMs: number;
  concurrency: number;
  leaseMs?: number;
}

export class JobRunner {
  readonly workerId = `worker-${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly queue: JobQueue,
    private readonly log: Logger,
    private readonly options: JobRunnerOptions,
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets an in-process producer skip the poll delay. */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs every job that is due now, then returns (used by tests and one-shot commands). */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      // On SQLite every query answers synchronously: without this, a drain never lets timers or requests in.
      await yieldToEventLoop();
      const job = await this.queue.claim(this.workerId, [...this.handlers.keys()], this.leaseMs());
      if (!job) return count;
      await this.execute(job);
      count++;
    }
  }

  private leaseMs(): number {
    return this.options.leaseMs ?? 5 * 60_000;
  }

  private async run(): Promise<void> {
    while (this.running) {
      // A finished job wakes this loop at once; on SQLite that chain never leaves the microtask queue on its own.
      await yieldToEventLoop();
      let claimed = false;
      try {
        while (this.running && this.inFlight.size < this.options.concurrency) {
          const job = await this.queue.claim(this.workerId, [...this.handlers.keys()], this.leaseMs());
          if (!job) break;
          claimed = true;
          const task = this.execute(job).finally(() => {
            this.inFlight.delete(task);
            this.wake?.();
          });
          this.inFlight.add(task);
        }
      } catch (error) {
        this.log.error({ err: error }, 'job queue poll failed');
      }
      if (!this.running) break;
      if (!claimed || this.inFlight.size >= this.options.concurrency) await this.sleep(this.options.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(resolve, ms);
      this.timer.unref?.();
      this.wake = () => {
        clearTimeout(this.timer);
        resolve();
      };
    });
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return;
    const log = this.log.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    try {
      await handler(JSON.parse(job.payload) as unknown, job);
      await this.queue.complete(job);
      log.debug('job done');
    } catch (error) {
      const outcome = await this.queue.fail(job, error, error instanceof RetryLater ? error.retryAfterMs : undefined).catch(() => 'retry' as const);
      log[outcome === 'dead' ? 'error' : 'warn']({ err: error, outcome }, 'job failed');
    }
  }
}

/** Lets timers, I/O and other requests run before continuing (better-sqlite3 work never gives way by itself). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
