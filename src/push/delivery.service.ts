/**
 * Sending one alert to its subscribers, as a durable job (`push.alert`):
 *
 * 1. When due, the alert moves scheduled -> sending and, in the same
 *    transaction, gets one `pending` delivery per active subscriber of its
 *    topic (the list is fixed then).
 * 2. Batches of due deliveries are claimed (`sending`, committed) before any
 *    request goes out, then each ends `sent`, `gone` (404/410: the
 *    subscription is deleted), `failed`, back to `pending` with a time (429 and
 *    5xx, honouring Retry-After) or `unknown` (the request may have arrived).
 * 3. A run works for a bounded time, then queues itself again at the next
 *    due retry; when nothing waits, the alert is `sent`.
 *
 * At most once: a delivery left in `sending` by a worker that died is marked
 * `unknown` by the next run, never sent again.
 */
import type { Logger } from 'pino';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import type { ClaimedDelivery, PushRepository } from './push.repository.js';
import { buildPayload } from './payload.js';
import type { PreparedPush, PushSender, SendOutcome } from './sender.js';
import { PUSH_ALERT_JOB, alertJobKey } from './alerts.service.js';
import { pushTopicHeader } from './topics.js';

/** Tries per delivery for 429/5xx before it counts as failed. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** Alerts in a row that could not be delivered before a subscription is retired. */
export const RETIRE_AFTER_FAILURES = 3;
const BATCH_SIZE = 500;
const PARALLEL_REQUESTS = 64;
/** Longer than a request's timeout: a delivery still `sending` after this was abandoned by a dead worker. */
const STALE_SENDING_MS = 2 * 60_000;
/** One run's working time; the job then queues itself again (the job lease is much longer). */
const RUN_BUDGET_MS = 60_000;

export interface PushDeliveryDeps {
  repo: PushRepository;
  jobs: JobQueue;
  clock: Clock;
  sender: () => Promise<PushSender>;
  log: Logger;
}

/** A claimed delivery with its request, encrypted and signed. */
interface Prepared {
  delivery: ClaimedDelivery;
  prepared: PreparedPush;
}

/** Exponential backoff for a retry the push service gave no time for: 30 s, 1 min, 2 min, 4 min. */
function backoffMs(attempt: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempt - 1));
}

export class PushDelivery {
  constructor(private readonly deps: PushDeliveryDeps) {}

  /** The `push.alert` job. */
  async run(alertId: number): Promise<void> {
    const { repo, clock } = this.deps;
    const alert = await repo.alert(alertId);
    if (!alert || alert.status === 'cancelled' || alert.status === 'sent') return;
    if (alert.status === 'scheduled') {
      if (Date.parse(alert.send_at) > clock.now().getTime()) return; // its job was moved; that one will run
      const started = await repo.transaction(async (trx) => {
        const now = clock.now().toISOString();
        if (!(await repo.setAlertStatus(alertId, ['scheduled'], 'sending', { started_at: now }, trx))) return false;
        const recipients = await repo.snapshotRecipients(trx, alertId, alert.topic, now);
        await repo.setAlertStatus(alertId, ['sending'], 'sending', { recipients }, trx);
        return true;
      });
      if (!started) return;
      this.deps.log.info({ alert: alertId }, 'push alert started');
    }

    const staleBefore = new Date(clock.now().getTime() - STALE_SENDING_MS).toISOString();
    const abandoned = await repo.abandonStale(alertId, staleBefore, clock.now().toISOString());
    if (abandoned > 0) this.deps.log.warn({ alert: alertId, abandoned }, 'push deliveries interrupted by a stopped worker are not sent again');

    const payload = buildPayload({ id: alert.id, title: alert.title, body: alert.body, url: alert.url, tag: `alert-${alert.id}` });
    const sender = await this.deps.sender();
    const deadline = Date.now() + RUN_BUDGET_MS;
    const topic = pushTopicHeader(alert.topic);
    await this.pipeline(
      async () => {
        if (Date.now() > deadline) return [];
        const batch = await repo.claimBatch(alertId, clock.now().toISOString(), BATCH_SIZE);
        const prepared = await sender.prepare(batch.map((d) => ({ endpoint: d.endpoint, p256dh: d.p256dh, auth: d.auth, payload, ttlSeconds: alert.ttl_seconds, urgency: alert.urgency, topic })));
        return batch.map((delivery, i) => ({ delivery, prepared: prepared[i]! }));
      },
      (item) => sender.deliver(item.prepared),
      (batch, outcomes) => this.record(alertId, batch, outcomes),
    );
    await this.continueOrFinish(alertId);
  }

  /**
   * Keeps PARALLEL_REQUESTS requests in flight from one claimed batch into the
   * next: the next batch is claimed and encrypted (on the sender's worker
   * thread) while this one's requests go out, and outcomes are recorded every
   * BATCH_SIZE, so the sends never wait for a batch's slowest request, for the
   * encryption or for the database. A claimed delivery is `sending`
   * (committed) before its request goes out; a crash leaves it there and it is
   * never sent again.
   */
  private async pipeline(
    claim: () => Promise<Prepared[]>,
    send: (item: Prepared) => Promise<SendOutcome>,
    record: (batch: ClaimedDelivery[], outcomes: SendOutcome[]) => Promise<void>,
  ): Promise<void> {
    const queue: Prepared[] = [];
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    const refill = () =>
      (claiming ??= claim()
        .then((batch) => {
          if (batch.length === 0) exhausted = true;
          else queue.push(...batch);
        })
        .finally(() => (claiming = undefined)));
    let done: ClaimedDelivery[] = [];
    let outcomes: SendOutcome[] = [];
    let recording = Promise.resolve();
    const flush = () => {
      const batch = done;
      const results = outcomes;
      done = [];
      outcomes = [];
      // One record at a time, in order; a failure surfaces when the run awaits `recording`.
      recording = recording.then(() => record(batch, results));
      recording.catch(() => undefined); // handled: the error is thrown where the run awaits it below
    };
    const lane = async () => {
      for (;;) {
        // Start on the next batch while a batch's worth is still waiting: claiming and encrypting it takes longer than 64 requests.
        if (queue.length < BATCH_SIZE && !exhausted) void refill().catch(() => undefined);
        if (queue.length === 0) {
          if (exhausted) return;
          await (claiming ?? refill());
          continue;
        }
        const item = queue.shift()!;
        const outcome = await send(item);
        done.push(item.delivery);
        outcomes.push(outcome);
        if (done.length >= BATCH_SIZE) flush();
      }
    };
    // Every lane ends before the last record (a lane that failed to claim leaves the others to finish their
    // requests), so no outcome is left unrecorded; then the first failure, if any, fails the run.
    const lanes = await Promise.allSettled(Array.from({ length: PARALLEL_REQUESTS }, lane));
    if (done.length > 0) flush();
    await recording;
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async record(alertId: number, batch: readonly ClaimedDelivery[], outcomes: readonly SendOutcome[]): Promise<void> {
    const { repo, clock } = this.deps;
    const now = clock.now();
    const at = now.toISOString();
    const sent: number[] = [];
    const unknown = new Map<string, number[]>();
    for (let i = 0; i < batch.length; i++) {
      const d = batch[i]!;
      const outcome = outcomes[i]!;
      switch (outcome.kind) {
        case 'sent':
          sent.push(d.subscriptionId);
          break;
        case 'gone':
          await repo.finishDeliveries(alertId, [d.subscriptionId], 'gone', at, `push service answered ${outcome.status}: subscription removed`);
          await repo.deleteSubscription(d.subscriptionId);
          break;
        case 'retry':
          if (d.attempts >= MAX_DELIVERY_ATTEMPTS) await this.fail(alertId, d.subscriptionId, `${outcome.error} (after ${d.attempts} tries)`, at);
          else {
            const wait = Math.max(outcome.retryAfterMs ?? 0, backoffMs(d.attempts));
            await repo.retryDelivery(alertId, d.subscriptionId, new Date(now.getTime() + wait).toISOString(), at, outcome.error);
          }
          break;
        case 'failed':
          await this.fail(alertId, d.subscriptionId, outcome.error, at);
          break;
        case 'unknown':
          unknown.set(outcome.error, [...(unknown.get(outcome.error) ?? []), d.subscriptionId]);
          break;
      }
    }
    await repo.finishDeliveries(alertId, sent, 'sent', at);
    await repo.markSubscriptionWorking(sent, at);
    for (const [error, ids] of unknown) await repo.finishDeliveries(alertId, ids, 'unknown', at, error);
  }

  private async fail(alertId: number, subscriptionId: number, error: string, at: string): Promise<void> {
    await this.deps.repo.finishDeliveries(alertId, [subscriptionId], 'failed', at, error);
    await this.deps.repo.countSubscriptionFailure(subscriptionId, RETIRE_AFTER_FAILURES, at);
  }

  private async continueOrFinish(alertId: number): Promise<void> {
    const { repo, clock, jobs } = this.deps;
    const { nextAt, sending } = await repo.outstanding(alertId);
    if (nextAt !== null || sending > 0) {
      // Retries wait for their time; deliveries another worker holds are looked at again once they would be stale.
      const candidates = [nextAt ? Date.parse(nextAt) : Infinity, sending > 0 ? clock.now().getTime() + STALE_SENDING_MS : Infinity];
      const runAt = new Date(Math.max(clock.now().getTime(), Math.min(...candidates)));
      await jobs.enqueue(PUSH_ALERT_JOB, { alertId }, { runAt, uniqueKey: alertJobKey(alertId), maxAttempts: 10 });
      return;
    }
    if (await repo.setAlertStatus(alertId, ['sending'], 'sent', { finished_at: clock.now().toISOString() })) this.deps.log.info({ alert: alertId }, 'push alert sent');
  }
}

/** Runs `work` over `items` with at most `limit` at once, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
