/**
 * "Send now": an editor's composition (ComposeInput) rendered once and handed
 * to delivery as a send to every subscribed reader, and the list of a
 * newsletter's sends for the admin (docs/newsletters.md, "Delivery").
 *
 * A double click, a retried request or a second tab must not mail every reader
 * twice: the admin sends an Idempotency-Key (one UUID per compose session),
 * stored with the send and unique per newsletter. A request whose key already
 * started a send answers with that send; two racing requests with one key are
 * settled by the unique index (the loser's transaction rolls back and it
 * answers with the winner's send).
 */
import { Conflict } from '../shared/errors.js';
import type { ComposeInput, ComposeService } from './compose.service.js';
import type { DeliveryService, SendView } from './delivery.service.js';
import type { NewslettersService } from './newsletters.service.js';
import type { SendNowRepository } from './send-now.repository.js';
import { isUniqueViolation } from '../db/errors.js';

export interface SendNowInput {
  newsletterId: number;
  /** The request body: checked as a ComposeInput (400 with field paths otherwise). */
  body: unknown;
  idempotencyKey?: string;
  createdBy: number;
}

export interface SendSummary {
  id: number;
  subject: string;
  status: SendView['status'];
  test: boolean;
  recipients: number;
  /** Deliveries per status (every status the send has, and zeros for the usual ones). */
  counts: Record<string, number>;
  createdAt: string;
  finishedAt: string | null;
}

export interface SendPage {
  items: SendSummary[];
  page: number;
  pageSize: number;
  total: number;
}

export interface SendNowServiceDeps {
  repo: SendNowRepository;
  compose: ComposeService;
  delivery: DeliveryService;
  newsletters: NewslettersService;
}

const ZERO_COUNTS = { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };


export class SendNowService {
  constructor(private readonly deps: SendNowServiceDeps) {}

  /** Starts the send (created: true), or answers with the one this key already started (created: false). */
  async sendNow(input: SendNowInput): Promise<{ send: SendView; created: boolean }> {
    const { newsletterId, idempotencyKey } = input;
    const newsletter = await this.deps.newsletters.get(newsletterId);
    const replay = async () => {
      const existing = idempotencyKey ? await this.deps.repo.sendIdByKey(newsletterId, idempotencyKey) : undefined;
      return existing === undefined ? undefined : { send: await this.deps.delivery.view(existing), created: false };
    };
    const earlier = await replay();
    if (earlier) return earlier;

    // Checks the body (400s for bad fields, unknown or unpublished stories) before the 409s below.
    const email = await this.deps.compose.render(newsletterId, input.body);
    if ((input.body as ComposeInput).itemIds.length === 0) {
      throw new Conflict('The newsletter has no stories: add at least one before sending', { reason: 'no_stories' });
    }
    if (newsletter.counts.subscribed === 0) {
      throw new Conflict(`Nobody is subscribed to ${newsletter.name}, so there is no one to send it to`, { reason: 'no_readers' });
    }
    try {
      const { sendId } = await this.deps.delivery.startSend({ newsletterId, email, createdBy: input.createdBy, idempotencyKey: idempotencyKey ?? null });
      return { send: await this.deps.delivery.view(sendId), created: true };
    } catch (error) {
      // Another request with the same key committed first.
      if (idempotencyKey && isUniqueViolation(error)) {
        const winner = await replay();
        if (winner) return winner;
      }
      throw error;
    }
  }

  /** The newsletter's sends, newest first. */
  async list(newsletterId: number, page: number, pageSize: number): Promise<SendPage> {
    await this.deps.newsletters.get(newsletterId); // 404 for an unknown newsletter
    const { rows, total } = await this.deps.repo.page(newsletterId, page, pageSize);
    const counts = await this.deps.repo.countsBySend(rows.map((r) => r.id));
    return {
      items: rows.map((r) => ({
        id: r.id,
        subject: r.subject,
        status: r.status,
        test: r.test === 1,
        recipients: r.recipient_count,
        counts: { ...ZERO_COUNTS, ...Object.fromEntries(counts.get(r.id) ?? []) },
        createdAt: r.created_at,
        finishedAt: r.finished_at,
      })),
      page,
      pageSize,
      total,
    };
  }
}
