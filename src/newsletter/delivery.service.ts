/**
 * Delivering a newsletter send (docs/newsletters.md, "Delivery").
 *
 * `startSend` stores the rendered email once and snapshots the recipients
 * (readers `subscribed` to the newsletter at that moment) as pending
 * deliveries, and queues the durable job, all in one transaction. The job
 * (`newsletter.send`, one per send) handles one batch per run and queues its
 * next run, so a send of any size never outlives a job lease and other jobs
 * get their turn between batches.
 *
 * Exactly once, as far as SMTP lets anyone know: a delivery is marked
 * `sending` (committed) before its message goes to SMTP, and `sent` (committed
 * at once) after the server accepted it. Messages are handed over only as a
 * connection is free, so a `sending` row is one in the SMTP conversation, not
 * one waiting in a queue. When a worker stops for good (crash, `kill -9`), its
 * `sending` rows are sent again once their lease has passed, with the same
 * Message-ID: nobody is skipped. The only duplicate possible is a message the
 * server accepted in the last instant before the stop, before `sent` was
 * written; it carries the same Message-ID as the first copy (docs/newsletters.md,
 * "Exactly once").
 */
import type { Logger } from 'pino';
import type { DeliveryRow, NewsletterRow, SendRow, SendStatus } from '../db/schema.js';
import type { BulkTransport } from '../email/bulk.js';
import { classifySendError } from '../email/bulk.js';
import { BulkMessage } from '../email/bulk-message.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';
import type { DeliveryCounts, DeliveryRepository, Recipient } from './delivery.repository.js';
import { listHeaders, preferencesUrl, unsubscribeUrl } from './links.js';
import type { NewslettersRepository } from './newsletters.repository.js';
import { MERGE_FIELDS, type RenderedEmail } from './rendered.js';
import type { SendTracking, SendTrackingStats } from './tracking.service.js';
import type { SuppressionsService } from './suppressions.service.js';

export const SEND_JOB = 'newsletter.send';
/** Attempts per recipient before a temporary failure (4xx, timeout, lost connection) becomes `failed`. */
export const DELIVERY_MAX_ATTEMPTS = 5;
/** A `sending` row older than this belongs to a worker that stopped; it is sent again. */
export const SENDING_LEASE_MS = 10 * 60_000;
/**
 * A worker hands over no message claimed longer ago than this (it gives the
 * rest of its batch back): whatever it hands over ends (socket timeout 60 s)
 * well inside the lease, so no live worker's row is ever sent by another.
 */
export const HAND_OFF_WINDOW_MS = SENDING_LEASE_MS / 2;

/** Wait before attempt `attempt + 1`: 1, 4, 16, 64 minutes (capped at 6 hours). */
export function retryDelayMs(attempt: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 4 ** Math.max(0, attempt - 1));
}

export interface StartSendInput {
  newsletterId: number;
  email: RenderedEmail;
  test?: boolean;
  createdBy?: number | null;
  /** The schedule slot this send is for (the scheduler): a second send for the same slot is refused by the database. */
  scheduledFor?: string | null;
  /** A breaking-news send of one story: its id and which send of it to this newsletter this is (1, 2 …), unique per newsletter. */
  article?: { id: number; round: number } | null;
  /** The admin's Idempotency-Key ("send now"): unique per newsletter, so a repeated request cannot start a second send. */
  idempotencyKey?: string | null;
}

export interface SendView {
  id: number;
  newsletterId: number;
  subject: string;
  status: SendStatus;
  test: boolean;
  recipients: number;
  counts: DeliveryCounts;
  /** Failed recipients (the first 100), for a person to look at. */
  problems: { email: string; status: string; attempts: number; error: string | null }[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Aggregate opens and clicks; null when the send did not track (docs/newsletters.md, "Open and click tracking"). */
  tracking: SendTrackingStats | null;
}

export interface DeliveryServiceDeps {
  repo: DeliveryRepository;
  newsletters: NewslettersRepository;
  jobs: JobQueue;
  transport: BulkTransport;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  batchSize: number;
  poke: () => void;
  /** Open and click tracking: rewrites a starting send's HTML when the newsroom tracks. */
  tracking: SendTracking;
  /** "No such user" puts the address on the suppression list, as a provider's hard bounce would. */
  suppressions?: Pick<SuppressionsService, 'suppress'>;
}

const jobKey = (sendId: number) => `newsletter-send:${sendId}`;

/** Each placeholder's value for one part; `escape` for the HTML part. */
function byPlaceholder(values: Record<keyof typeof MERGE_FIELDS, string>, escape: (s: string) => string): Record<string, string> {
  return Object.fromEntries((Object.entries(MERGE_FIELDS) as [keyof typeof MERGE_FIELDS, string][]).map(([field, placeholder]) => [placeholder, escape(values[field])]));
}

export class DeliveryService {
  private readonly host: string;
  /** The current send's message, encoded (and canonicalised for DKIM) once for all its readers: bulk-message.ts says why. */
  private prepared: { key: string; message: BulkMessage } | undefined;

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.host = new URL(deps.publicUrl).hostname;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async startSend(input: StartSendInput): Promise<{ sendId: number }> {
    const { email } = input;
    if (!email.subject.trim()) throw new Invalid('The email needs a subject', [{ path: '/subject', message: 'required' }]);
    if (!email.html.trim() || !email.text.trim()) throw new Invalid('The email needs an HTML and a text part', [{ path: '/html', message: 'required' }]);
    const newsletter = await this.deps.newsletters.byId(input.newsletterId);
    if (!newsletter) throw new NotFound('No such newsletter');
    const at = this.now();
    const sendId = await this.deps.repo.transaction(async (trx) => {
      const id = await this.deps.repo.insertSend(trx, {
        newsletter_id: newsletter.id,
        // A subject is one header line.
        subject: email.subject.replace(/[\r\n]+/g, ' ').trim().slice(0, 500),
        html: email.html,
        text: email.text,
        status: 'queued',
        test: input.test ? 1 : 0,
        recipient_count: 0, // counted by the snapshot below
        created_by: input.createdBy ?? null,
        scheduled_for: input.scheduledFor ?? null,
        article_id: input.article?.id ?? null,
        article_round: input.article?.round ?? null,
        idempotency_key: input.idempotencyKey ?? null,
        created_at: at,
        updated_at: at,
      });
      await this.deps.tracking.start(trx, id, email.html);
      await this.deps.repo.snapshotRecipients(trx, id, newsletter.id, at);
      await this.deps.jobs.enqueue(SEND_JOB, { sendId: id }, { uniqueKey: jobKey(id), executor: trx });
      return id;
    });
    this.deps.poke();
    return { sendId };
  }

  async view(sendId: number): Promise<SendView> {
    const send = await this.deps.repo.getSend(sendId);
    if (!send) throw new NotFound('No such newsletter send');
    const [counts, problems, tracking] = await Promise.all([this.deps.repo.counts(sendId), this.deps.repo.problems(sendId, 100), this.deps.tracking.stats(sendId)]);
    return {
      id: send.id,
      newsletterId: send.newsletter_id,
      subject: send.subject,
      status: send.status,
      test: send.test === 1,
      recipients: send.recipient_count,
      counts,
      problems: problems.map((p) => ({ email: p.email, status: p.status, attempts: p.attempts, error: p.last_error })),
      createdAt: send.created_at,
      startedAt: send.started_at,
      finishedAt: send.finished_at,
      tracking,
    };
  }

  /** Stops before the next batch; messages already handed to SMTP finish. */
  async pause(sendId: number): Promise<SendView> {
    await this.transition(sendId, ['queued', 'sending'], 'paused', 'paused');
    return this.view(sendId);
  }

  async resume(sendId: number): Promise<SendView> {
    const resumed = await this.deps.repo.transaction(async (trx) => {
      if (!(await this.deps.repo.setSendStatus(sendId, ['paused'], 'queued', this.now(), {}, trx))) return false;
      await this.deps.jobs.enqueue(SEND_JOB, { sendId }, { uniqueKey: jobKey(sendId), executor: trx });
      return true;
    });
    // Outside the transaction: on SQLite it holds the only connection.
    if (!resumed) await this.refuse(sendId, 'resumed');
    this.deps.poke();
    return this.view(sendId);
  }

  /** Nobody else gets it: pending recipients become `skipped`. */
  async cancel(sendId: number): Promise<SendView> {
    const cancelled = await this.deps.repo.transaction(async (trx) => {
      const at = this.now();
      if (!(await this.deps.repo.setSendStatus(sendId, ['queued', 'sending', 'paused'], 'cancelled', at, { finished_at: at }, trx))) return false;
      await this.deps.repo.skipPending(sendId, at, trx);
      return true;
    });
    if (!cancelled) await this.refuse(sendId, 'cancelled');
    await this.deps.jobs.cancel(jobKey(sendId));
    return this.view(sendId);
  }

  private async transition(sendId: number, from: SendStatus[], to: SendStatus, done: string): Promise<void> {
    if (!(await this.deps.repo.setSendStatus(sendId, from, to, this.now()))) await this.refuse(sendId, done);
  }

  /** Why a change was refused: the send is gone (404) or in a state that does not allow it (409). */
  private async refuse(sendId: number, action: string): Promise<never> {
    const send = await this.deps.repo.getSend(sendId);
    if (!send) throw new NotFound('No such newsletter send');
    throw new Conflict(`This send is ${send.status}, so it cannot be ${action}`, { status: send.status });
  }

  /** The job: one batch, then queue the next run (now, at the next retry, or never). */
  async runBatch(sendId: number): Promise<void> {
    const send = await this.deps.repo.getSend(sendId);
    // Paused, cancelled or done: this run ends; resume queues a new one.
    if (!send || (send.status !== 'queued' && send.status !== 'sending')) return;
    const newsletter = await this.deps.newsletters.byId(send.newsletter_id);
    if (!newsletter) return;
    const now = this.deps.clock.now();
    const at = now.toISOString();
    if (send.status === 'queued') await this.deps.repo.setSendStatus(sendId, ['queued'], 'sending', at, send.started_at ? {} : { started_at: at });

    const stale = await this.deps.repo.requeueStale(sendId, new Date(now.getTime() - SENDING_LEASE_MS).toISOString(), DELIVERY_MAX_ATTEMPTS, at);
    if (stale.requeued + stale.failed > 0) {
      this.deps.log.warn({ sendId, ...stale }, 'newsletter send resumed after a worker stopped: its recipients in the middle of a hand-off are sent again with the same Message-ID');
    }

    const batch = await this.deps.repo.claimBatch(sendId, at, this.deps.batchSize);
    if (batch.length > 0) {
      const readers = await this.deps.repo.recipients(batch.map((d) => d.subscriber_id));
      const handOffUntil = now.getTime() + HAND_OFF_WINDOW_MS;
      // Outcomes are written while the lane goes on to its next message; the first failure to write is rethrown
      // after the batch (the job then retries; rows left in `sending` are picked up after the lease).
      const records: Promise<unknown>[] = [];
      let next = 0;
      // One lane per connection: each hands over its next message when the last was answered,
      // so no claimed message waits in the transport's queue.
      const lane = async (): Promise<void> => {
        while (next < batch.length) {
          const delivery = batch[next++]!;
          if (this.deps.clock.now().getTime() > handOffUntil) {
            records.push(this.deps.repo.release(delivery.id, this.now()));
            continue;
          }
          const reader = readers.get(delivery.subscriber_id);
          // The reader was deleted after the claim (their delivery row went with them).
          if (!reader) continue;
          const outcome = await this.handOver(send, newsletter, delivery, reader);
          records.push(outcome.ok ? this.deps.repo.markSent(delivery.id, outcome.messageId, this.now()) : this.recordFailure(send, newsletter, delivery, reader, outcome.error));
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.deps.transport.connections, batch.length) }, lane));
      const written = await Promise.allSettled(records);
      const failed = written.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await this.scheduleNext(sendId);
  }

  /** One message to SMTP; resolves once the server answered (never rejects). */
  private async handOver(send: SendRow, newsletter: NewsletterRow, delivery: DeliveryRow, reader: Recipient): Promise<{ ok: true; messageId: string } | { ok: false; error: unknown }> {
    const messageId = this.messageId(send, delivery);
    try {
      const message = await this.compose(send, newsletter, delivery, reader);
      await this.deps.transport.sendRaw({ from: newsletter.sender_email, to: delivery.email }, message, { messageId });
      return { ok: true, messageId };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async recordFailure(send: SendRow, newsletter: NewsletterRow, delivery: DeliveryRow, reader: Recipient, error: unknown): Promise<void> {
    const failure = classifySendError(error);
    const at = this.now();
    if (failure.permanent) {
      await this.deps.repo.markFailed(delivery.id, failure.message, at);
      if (failure.noSuchUser) {
        // The mailbox does not exist: no newsletter should try it again (all of the reader's subscriptions bounce).
        if (this.deps.suppressions) await this.deps.suppressions.suppress({ email: delivery.email, reason: 'hard_bounce', source: 'smtp', detail: failure.message });
        else await this.deps.repo.markBounced(reader.id, newsletter.id, at);
      }
    } else if (delivery.attempts >= DELIVERY_MAX_ATTEMPTS) {
      await this.deps.repo.markFailed(delivery.id, `gave up after ${delivery.attempts} attempts: ${failure.message}`, at);
    } else {
      const next = new Date(this.deps.clock.now().getTime() + retryDelayMs(delivery.attempts)).toISOString();
      await this.deps.repo.markRetry(delivery.id, failure.message, next, at);
    }
    this.deps.log.warn({ sendId: send.id, to: delivery.email, attempt: delivery.attempts, permanent: failure.permanent, err: failure.message }, 'newsletter email not accepted');
  }

  /** The send's message prepared once; prepared again if the newsletter's sender changes in the middle of a send. */
  private prepare(send: SendRow, newsletter: NewsletterRow): BulkMessage {
    const from = { name: newsletter.sender_name, address: newsletter.sender_email };
    const key = JSON.stringify([send.id, from, newsletter.reply_to, send.subject, send.text.length, send.html.length]);
    if (this.prepared?.key === key) return this.prepared.message;
    const message = new BulkMessage(
      { from, replyTo: newsletter.reply_to ?? undefined, subject: send.subject, text: send.text, html: send.html, placeholders: Object.values(MERGE_FIELDS) },
      this.deps.transport.dkim,
    );
    this.prepared = { key, message };
    return message;
  }

  /**
   * Known before the hand-off, the same on every attempt: the SMTP logs can be searched for it,
   * and mailboxes that drop repeated Message-IDs drop a resend's duplicate.
   */
  private messageId(send: SendRow, delivery: DeliveryRow): string {
    return `<send-${send.id}.${delivery.id}@${this.host}>`;
  }

  /** The send's email for one reader, as SMTP sends it: placeholders merged, list headers set, signed. */
  compose(send: SendRow, newsletter: NewsletterRow, delivery: DeliveryRow, reader: Recipient): Promise<Buffer> {
    const signed = { id: reader.id, secret: reader.secret };
    const values = {
      name: reader.name,
      unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, signed, newsletter.id),
      preferencesUrl: preferencesUrl(this.deps.publicUrl, signed),
    };
    return this.prepare(send, newsletter).render({
      to: delivery.email,
      messageId: this.messageId(send, delivery),
      date: this.deps.clock.now(),
      headers: listHeaders(this.deps.publicUrl, signed, newsletter, { mailto: newsletter.reply_to ?? newsletter.sender_email }),
      text: byPlaceholder(values, (s) => s),
      html: byPlaceholder(values, escapeHtml),
    });
  }

  private async scheduleNext(sendId: number): Promise<void> {
    const send = await this.deps.repo.getSend(sendId);
    if (!send || send.status !== 'sending') return;
    const { nextPending, sending } = await this.deps.repo.remaining(sendId);
    const now = this.deps.clock.now();
    let runAt: Date;
    if (nextPending !== undefined) {
      runAt = nextPending === '' || new Date(nextPending) <= now ? now : new Date(nextPending);
    } else if (sending > 0) {
      // Another worker's batch is in flight (or stopped): look again when its lease is over.
      runAt = new Date(now.getTime() + SENDING_LEASE_MS + 1000);
    } else {
      const at = now.toISOString();
      if (await this.deps.repo.setSendStatus(sendId, ['sending'], 'done', at, { finished_at: at })) this.deps.log.info({ sendId }, 'newsletter send done');
      return;
    }
    await this.deps.jobs.enqueue(SEND_JOB, { sendId }, { uniqueKey: jobKey(sendId), runAt });
  }
}
