/**
 * The suppression list (docs/newsletters.md, "Bounces, complaints and
 * suppression"): addresses that get no newsletter, whatever their
 * subscriptions say.
 *
 * A hard bounce, a complaint or an editor's decision suppresses an address at
 * once, for every newsletter, in one transaction: the list gains the address,
 * the reader's subscriptions become `bounced` (or `complained`), and their
 * deliveries not yet handed to SMTP in any running send are skipped. Soft
 * bounces (a full mailbox, a server that is down) are counted, and only the
 * site's limit in a row suppresses. The list is keyed by the lower-cased
 * address, not the reader, so it also holds addresses nobody subscribed with
 * (a forwarded issue that bounced) and outlives a deleted reader: deleting
 * someone's data must not make us start mailing a dead or hostile mailbox.
 *
 * The way back is the reader's own: signing up again sends the confirmation
 * email as usual, and confirming it (the mailbox works and its owner wants the
 * mail) lifts the suppression (SubscribersService.confirm). Editors can also
 * lift one by hand.
 */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Logger } from 'pino';
import type { SuppressionReason, SuppressionRow } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { parseEmailAddress, type EmailAddress } from './email-address.js';
import type { ReasonCounts, SuppressionFilter, SuppressionsRepository } from './suppressions.repository.js';

export const SUPPRESSION_REASONS: readonly SuppressionReason[] = ['hard_bounce', 'complaint', 'soft_bounce', 'manual'];

/** What a provider told us about one recipient, after its signature was checked. */
export type MailEvent =
  | { kind: 'hard_bounce' | 'soft_bounce' | 'complaint'; email: string; detail: string }
  /** The receiving server accepted a message: the soft-bounce count starts again. */
  | { kind: 'delivered'; email: string };

/** An editor's addition: unknown fields are refused, not silently dropped. */
export const ManualSuppression = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    /** Why (shown in the list): "asked by phone on 3 May". */
    detail: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const checkManual = TypeCompiler.Compile(ManualSuppression);

/** How long handled webhook events are remembered (replays and provider retries within it change nothing). */
export const EVENT_MEMORY_MS = 7 * 24 * 3_600_000;

/** The provider's diagnostic as we keep it: one line, no control characters, at most 500 characters. */
export function trimDetail(detail: string): string {
  return detail.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 500);
}

export interface SuppressionView {
  id: number;
  email: string;
  reason: SuppressionReason;
  source: string;
  detail: string;
  createdAt: string;
  /** The reader with this address, when there is one (the admin links to their record). */
  subscriberId: number | null;
}

export interface SuppressionsServiceDeps {
  repo: SuppressionsRepository;
  clock: Clock;
  log: Logger;
  /** Soft bounces in a row that suppress an address (site setting `newsletters.softBounceLimit`). */
  softBounceLimit: () => number;
}

type Trx = Transaction<Database>;

const view = (row: SuppressionRow, subscriberId: number | null = null): SuppressionView => ({
  id: row.id,
  email: row.email,
  reason: row.reason,
  source: row.source,
  detail: row.detail,
  createdAt: row.created_at,
  subscriberId,
});

/** The address as a provider reports it: bare, or `"Name" <address>`. Undefined when it is not one we could have sent to. */
function address(reported: string): EmailAddress | undefined {
  const bare = /<([^<>]+)>\s*$/.exec(reported)?.[1] ?? reported;
  const parsed = parseEmailAddress(bare);
  return 'error' in parsed ? undefined : parsed;
}

export class SuppressionsService {
  constructor(private readonly deps: SuppressionsServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Suppresses one address (idempotent). True when it was not on the list before. */
  async suppress(input: { email: string; reason: SuppressionReason; source: string; detail?: string }): Promise<boolean> {
    const parsed = address(input.email);
    if (!parsed) return false;
    const at = this.now();
    return this.deps.repo.transaction((trx) => this.suppressIn(trx, parsed, input.reason, input.source, trimDetail(input.detail ?? ''), at));
  }

  /**
   * Applies one provider notification (its events) exactly once: the event's
   * key is remembered in the same transaction as its effects. 'duplicate' when
   * it was handled before, 'reused' when the key came with another event (a
   * signed token copied onto a forged body): nothing changes then.
   */
  async handle(source: string, eventKey: string, digest: string, events: readonly MailEvent[]): Promise<'handled' | 'duplicate' | 'reused'> {
    const at = this.now();
    const outcome = await this.deps.repo.transaction(async (trx) => {
      const seen = await this.deps.repo.remember(source, eventKey, digest, at, trx);
      if (seen === 'same') return 'duplicate' as const;
      if (seen === 'different') return 'reused' as const;
      for (const event of events) {
        const parsed = address(event.email);
        if (!parsed) {
          this.deps.log.warn({ source, event: event.kind }, 'newsletter webhook event for an address we could not have sent to: ignored');
          continue;
        }
        if (event.kind === 'delivered') await this.deps.repo.resetSoftBounces(parsed.key, trx);
        else if (event.kind === 'soft_bounce') await this.softBounceIn(trx, parsed, source, trimDetail(event.detail), at);
        else await this.suppressIn(trx, parsed, event.kind, source, trimDetail(event.detail), at);
      }
      return 'handled' as const;
    });
    // The memory only has to outlive providers' retries (an indexed delete, cheap at webhook rates).
    if (outcome === 'handled') await this.deps.repo.forgetEventsBefore(new Date(this.deps.clock.now().getTime() - EVENT_MEMORY_MS).toISOString());
    return outcome;
  }

  private async softBounceIn(trx: Trx, parsed: EmailAddress, source: string, detail: string, at: string): Promise<void> {
    if (await this.deps.repo.byKey(parsed.key, trx)) return; // suppressed already
    const count = await this.deps.repo.countSoftBounce(parsed.key, detail, at, trx);
    const limit = this.deps.softBounceLimit();
    if (count >= limit) await this.suppressIn(trx, parsed, 'soft_bounce', source, trimDetail(`${count} soft bounces in a row; the last: ${detail}`), at);
  }

  private async suppressIn(trx: Trx, parsed: EmailAddress, reason: SuppressionReason, source: string, detail: string, at: string): Promise<boolean> {
    const { row, added } = await this.deps.repo.insert({ email: parsed.email, key: parsed.key, reason, source, detail, at }, trx);
    // A complaint outranks a bounce: it is why the address must never be mailed again.
    if (!added && reason === 'complaint' && row.reason !== 'complaint') await this.deps.repo.setReason(row.id, { reason, source, detail }, trx);
    const readerId = await this.deps.repo.markSubscriptions(parsed.key, reason === 'complaint' ? 'complained' : 'bounced', at, trx);
    let skipped = 0;
    if (readerId !== undefined) skipped = await this.deps.repo.skipPendingDeliveries(readerId, `suppressed (${reason.replace('_', ' ')})`, at, trx);
    await this.deps.repo.resetSoftBounces(parsed.key, trx);
    if (added) this.deps.log.info({ reason, source, skipped }, 'newsletter address suppressed');
    return added;
  }

  /**
   * The reader confirmed a sign-up from their mailbox: it works and its owner
   * wants the mail again. Called inside the confirmation's transaction.
   */
  async liftOnConfirmation(emailKey: string, trx: Trx): Promise<SuppressionRow | undefined> {
    const lifted = await this.deps.repo.deleteByKey(emailKey, trx);
    await this.deps.repo.resetSoftBounces(emailKey, trx);
    if (lifted) this.deps.log.info({ reason: lifted.reason }, 'newsletter suppression lifted: the reader confirmed a sign-up');
    return lifted;
  }

  /** Which of these addresses (keys) are suppressed, and why: one query for an import batch. */
  suppressedAmong(emailKeys: readonly string[], trx?: Trx): Promise<Map<string, SuppressionReason>> {
    return this.deps.repo.suppressedAmong(emailKeys, trx);
  }

  async isSuppressed(emailKey: string): Promise<boolean> {
    return (await this.deps.repo.byKey(emailKey)) !== undefined;
  }

  // --- the newsroom's side -------------------------------------------------------------------

  async list(filter: SuppressionFilter, page: number, pageSize: number): Promise<{ items: SuppressionView[]; total: number; counts: ReasonCounts }> {
    const result = await this.deps.repo.search(filter, page, pageSize);
    return { items: result.items.map((r) => view(r, r.subscriber_id)), total: result.total, counts: result.counts };
  }

  /** An editor adds an address by hand (reason `manual`). 409 when it is on the list already. */
  async addManual(body: unknown, staffEmail: string): Promise<SuppressionView> {
    if (!checkManual.Check(body)) {
      const problems = [...checkManual.Errors(body)].map((e) => ({ path: e.path || '/', message: e.message }));
      throw new Invalid(`The suppression has invalid fields (${problems[0]?.path}: ${problems[0]?.message})`, problems);
    }
    const input = body;
    const parsed = parseEmailAddress(input.email);
    if ('error' in parsed) throw new Invalid(parsed.error, [{ path: '/email', message: parsed.error }]);
    const detail = trimDetail(input.detail ?? '');
    const at = this.now();
    const { row, added } = await this.deps.repo.transaction(async (trx) => {
      const existing = await this.deps.repo.byKey(parsed.key, trx);
      if (existing) return { row: existing, added: false };
      await this.suppressIn(trx, parsed, 'manual', `admin:${staffEmail}`, detail, at);
      return { row: (await this.deps.repo.byKey(parsed.key, trx))!, added: true };
    });
    if (!added) throw new Conflict(`${row.email} is on the suppression list already (${row.reason.replace('_', ' ')})`, { id: row.id, reason: row.reason });
    return (await this.list({ q: parsed.key }, 1, 1)).items.find((i) => i.id === row.id) ?? view(row);
  }

  /**
   * An editor lifts a suppression: the address may be mailed again once its
   * reader subscribes again (their subscriptions stay bounced or complained,
   * so nothing goes out until then).
   */
  async lift(id: number): Promise<void> {
    const lifted = await this.deps.repo.transaction(async (trx) => {
      const row = await this.deps.repo.deleteById(id, trx);
      if (row) await this.deps.repo.resetSoftBounces(row.email_key, trx);
      return row;
    });
    if (!lifted) throw new NotFound('No such suppression');
  }
}
