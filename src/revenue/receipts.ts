/**
 * Email receipts for donations (docs/revenue.md, "Receipts").
 *
 * Exactly once per donation: the receipt job is queued in the transaction
 * that records the donation (stripe-events.service.ts calls `queue` with it),
 * so a donation is never committed without its job, and a replayed Stripe
 * event, which records nothing, queues nothing. The job is durable: a worker
 * that dies before sending leaves a lease that expires and the job runs
 * again. Once the mail server accepts the receipt, `donation_receipts` says
 * so and a later run of the same job sends nothing. The one gap left (a
 * worker dying between the server's "accepted" and that row) could repeat a
 * receipt: it carries a Message-ID made from the donation alone, so the copy
 * is the same message to the receiving systems.
 *
 * Sent through the newsletter's pooled transport (NEWSLETTER_SMTP_URL). A
 * donation refunded in full before its receipt goes out gets none.
 */
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { BulkTransport } from '../email/bulk.js';
import type { JobQueue } from '../jobs/queue.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { BulkSendError } from '../email/bulk.js';
import type { ReceiptsRepository } from './receipts.repository.js';
import { receiptEmail } from './receipts-email.js';

export const RECEIPT_JOB = 'revenue.receipt';

export interface ReceiptJob {
  donationId: number;
}

export type ReceiptOutcome = 'sent' | 'already-sent' | 'refunded' | 'gone';

export interface ReceiptsDeps {
  repo: ReceiptsRepository;
  jobs: JobQueue;
  transport: BulkTransport;
  settings: () => SiteSettings;
  publicUrl: string;
  /** MAIL_FROM's address; the display name is the site's. */
  fromAddress: string;
  clock: Clock;
  log: Logger;
}

/** `<donation-receipt-42@news.example>`: the same for every attempt at the same receipt. */
export function receiptMessageId(donationId: number, publicUrl: string): string {
  return `<donation-receipt-${donationId}@${new URL(publicUrl).hostname}>`;
}

export class Receipts {
  constructor(private readonly deps: ReceiptsDeps) {}

  /** Queues the receipt of a donation being recorded, inside that transaction. */
  async queue(donationId: number, trx: Transaction<Database>): Promise<void> {
    const job: ReceiptJob = { donationId };
    await this.deps.jobs.enqueue(RECEIPT_JOB, job, { uniqueKey: `${RECEIPT_JOB}:${donationId}`, executor: trx, maxAttempts: 8 });
  }

  /** The job: sends the receipt unless it went out already or the gift was refunded in full. */
  async send(job: ReceiptJob): Promise<ReceiptOutcome> {
    const { repo, log } = this.deps;
    if (await repo.sent(job.donationId)) return 'already-sent';
    const gift = await repo.donationWithDonor(job.donationId);
    if (!gift) return 'gone';
    if (gift.status === 'pending' || gift.status === 'failed') {
      // Queued only when money arrived; a job for anything else is a bug, and no receipt is better than a false one.
      log.warn({ donationId: gift.id, status: gift.status }, 'receipt job for a donation not paid: none sent');
      return 'gone';
    }
    if (gift.status === 'refunded') {
      log.info({ donationId: gift.id }, 'donation refunded before its receipt: none sent');
      return 'refunded';
    }
    const settings = this.deps.settings();
    const email = receiptEmail(
      {
        donationId: gift.id,
        donorName: gift.name,
        amountMinor: Number(gift.amount_minor),
        refundedMinor: Number(gift.refunded_minor),
        currency: gift.currency,
        frequency: gift.frequency,
        status: gift.status,
        paidAt: gift.paid_at,
      },
      settings,
      `${this.deps.publicUrl}/donor`,
    );
    const messageId = receiptMessageId(gift.id, this.deps.publicUrl);
    try {
      await this.deps.transport.send({ from: { name: settings.name, address: this.deps.fromAddress }, to: gift.email, subject: email.subject, text: email.text, html: email.html, headers: {}, messageId });
    } catch (error) {
      // A refusal for good is not retried (the job would fail the same way); anything else is, by the queue.
      if (error instanceof BulkSendError && error.permanent) {
        log.warn({ donationId: gift.id, error: error.message }, 'the mail server refused a donation receipt');
        return 'gone';
      }
      throw error;
    }
    await repo.recordSent(gift.id, messageId, this.deps.clock.now().toISOString());
    log.info({ donationId: gift.id }, 'donation receipt sent');
    return 'sent';
  }
}

/** The address part of MAIL_FROM ("The Gazette <news@example.org>" or a bare address). */
export function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
