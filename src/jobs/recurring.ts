/**
 * A job that runs forever on a rhythm (every minute, every day): one durable
 * job for all workers, under a fixed unique key, that queues its own next run
 * when it ends, whether its work succeeded or failed. Queueing it again (every
 * worker does on start) only moves the one job to now.
 */
import type { Clock } from '../shared/clock.js';
import type { JobQueue } from './queue.js';

export class RecurringJob {
  constructor(
    private readonly deps: { jobs: JobQueue; clock: Clock },
    private readonly name: string,
    private readonly key: string,
    /** When the run after one that ends at `now` is due. */
    private readonly next: (now: Date) => Date,
  ) {}

  /** On every worker start. */
  async ensureQueued(): Promise<void> {
    await this.deps.jobs.enqueue(this.name, {}, { uniqueKey: this.key, runAt: this.deps.clock.now() });
  }

  /** Runs one round of `work`, then queues the next run, whatever happened. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      await this.deps.jobs.enqueue(this.name, {}, { uniqueKey: this.key, runAt: this.next(this.deps.clock.now()) });
    }
  }
}
