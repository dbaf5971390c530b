/**
 * Readers and their subscriptions: sign-up with double opt-in, confirmation,
 * the preferences page, one-click unsubscribe, and what the Admin API needs
 * (search, one reader's record, deletion with all their data). No HTTP here.
 *
 * Nothing a reader sees depends on whether an address was known: a sign-up
 * answers the same whatever the address's state, and the confirmation email
 * goes out (through a durable job, so an SMTP hiccup or a restart does not
 * lose it) only when something is awaiting confirmation.
 */
import type { Logger } from 'pino';
import type { ConsentRow, NewsletterRow, SubscriberRow, SubscriptionRow, SubscriptionStatus } from '../db/schema.js';
import type { Mailer } from '../email/mailer.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { addressKey, type AttemptLimiter, type LimitKey, type LimitPolicy } from '../accounts/rate-limit.js';
import { createHash } from 'node:crypto';
import { parseReaderAddress } from './email-address.js';
import { confirmationEmail } from './emails.js';
import { CONFIRM_TTL_MS, confirmUrl, newReaderSecret, parseToken, verifyToken, type LinkPurpose } from './links.js';
import type { NewslettersRepository, StatusCounts } from './newsletters.repository.js';
import type { SubscribersRepository, SubscriberFilter } from './subscribers.repository.js';
import type { SuppressionsService } from './suppressions.service.js';

export const CONFIRM_EMAIL_JOB = 'newsletter.confirm-email';

const MINUTE = 60_000;
/** A pending address asking again gets the email again at most this often. */
export const RESEND_AFTER_MS = 10 * MINUTE;
/** Sign-ups from one network (an IPv6 /64 counts as one address). */
export const SIGNUP_IP_LIMIT: LimitPolicy = { maxFailures: 20, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE };
/** Sign-ups naming one email address, whoever sends them: nobody's inbox is flooded. */
export const SIGNUP_ADDRESS_LIMIT: LimitPolicy = { maxFailures: 5, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE };

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export interface SignupRequest {
  email: string;
  name: string;
  /** Slugs of the newsletters chosen. */
  newsletters: readonly string[];
  /** Where the form was: "footer:/politics/some-story", "page:/newsletters". */
  source: string;
  ip: string;
  /** The hidden field people never see; anything in it means a bot. */
  honeypot: string;
}

export type LinkCheck =
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'ok'; subscriber: SubscriberRow; values: number[] };

export interface ConfirmView {
  /** Newsletters this link would confirm now (pending, asked for before the link was sent). */
  pending: NewsletterRow[];
  /** Newsletters the reader already receives. */
  subscribed: NewsletterRow[];
}

export interface PreferenceItem {
  newsletter: NewsletterRow;
  status: SubscriptionStatus | null;
}

export interface SubscriberDetail {
  subscriber: SubscriberRow;
  subscriptions: (SubscriptionRow & { newsletter_name: string })[];
  consents: ConsentRow[];
}

export interface SubscribersServiceDeps {
  subscribers: SubscribersRepository;
  newsletters: NewslettersRepository;
  limiter: AttemptLimiter;
  jobs: JobQueue;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  siteName: () => string;
  /** Whether consent records keep the reader's IP address (site setting). */
  recordConsentIp: () => boolean;
  /** Wakes the in-process worker so the confirmation email need not wait for the next poll. */
  poke?: () => void;
  /** The suppression list, which a confirmation lifts. */
  suppressions?: Pick<SuppressionsService, 'liftOnConfirmation'>;
}

export class SubscribersService {
  constructor(private readonly deps: SubscribersServiceDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  private ip(ip: string): string | null {
    return this.deps.recordConsentIp() ? ip.slice(0, 64) : null;
  }

  // --- sign-up -------------------------------------------------------------------------------

  /** The rate-limit keys of a sign-up: the client's network and the address asked for. */
  private limitKeys(ip: string, emailKey: string): LimitKey[] {
    return [
      { key: `newsletter:${addressKey(ip).key}`, policy: SIGNUP_IP_LIMIT },
      { key: `newsletter:email:${digest(emailKey)}`, policy: SIGNUP_ADDRESS_LIMIT },
    ];
  }

  /**
   * Records a sign-up. Throws Invalid (field paths /email, /name, /newsletters) for
   * input a reader must fix, TooManyAttempts past the limits. Returns normally in
   * every other case, whatever the address's state, so answers reveal nothing.
   */
  async signup(request: SignupRequest): Promise<void> {
    if (request.honeypot.trim() !== '') {
      this.deps.log.info({ source: request.source }, 'newsletter sign-up with a filled honeypot ignored');
      return;
    }
    const problems: { path: string; message: string }[] = [];
    const parsed = parseReaderAddress(request.email);
    if ('error' in parsed) problems.push({ path: '/email', message: parsed.error });
    const name = request.name.trim();
    if (name.length > 100 || /[\x00-\x1f\x7f]/.test(name)) problems.push({ path: '/name', message: 'Use at most 100 characters, on one line' });
    const offered = await this.deps.newsletters.publicOnes();
    const chosen = offered.filter((n) => request.newsletters.includes(n.slug));
    if (!chosen.length) problems.push({ path: '/newsletters', message: 'Choose at least one newsletter' });
    if (problems.length || 'error' in parsed) throw new Invalid(problems[0]!.message, problems);

    const keys = this.limitKeys(request.ip, parsed.key);
    await this.deps.limiter.check(keys);
    await this.deps.limiter.fail(keys);

    const now = this.now();
    const at = now.toISOString();
    const source = request.source;
    const outcome = await this.deps.subscribers.transaction(async (trx) => {
      const { subscriber } = await this.deps.subscribers.findOrCreate({ email: parsed.email, key: parsed.key, name, secret: newReaderSecret(), at }, trx);
      const existing = new Map((await this.deps.subscribers.subscriptions(subscriber.id, trx)).map((s) => [s.newsletter_id, s]));
      let newlyRequested = 0;
      let awaiting = 0;
      for (const newsletter of chosen) {
        const current = existing.get(newsletter.id);
        if (current?.status === 'subscribed') continue;
        awaiting++;
        if (current?.status === 'pending') continue;
        // New, or coming back after unsubscribing (or after a bounce or complaint): asks for confirmation again.
        if (current) {
          await this.deps.subscribers.setStatus(subscriber.id, newsletter.id, { status: 'pending', at, source, requestedAt: at, confirmedAt: null }, trx);
        } else {
          const added = await this.deps.subscribers.insertSubscription(
            { subscriber_id: subscriber.id, newsletter_id: newsletter.id, status: 'pending', source, requested_at: at, confirmed_at: null, unsubscribed_at: null, updated_at: at },
            trx,
          );
          if (!added) continue; // another sign-up for the same address added it a moment ago
        }
        newlyRequested++;
        await this.deps.subscribers.addConsent({ subscriberId: subscriber.id, newsletter, action: 'requested', source, ip: this.ip(request.ip), at }, trx);
      }
      const lastSent = subscriber.confirmation_sent_at ? Date.parse(subscriber.confirmation_sent_at) : 0;
      const send = newlyRequested > 0 || (awaiting > 0 && now.getTime() - lastSent >= RESEND_AFTER_MS);
      if (send) await this.deps.subscribers.setConfirmationSent(subscriber.id, at, trx);
      return { subscriberId: subscriber.id, send };
    });
    if (outcome.send) {
      // One queued email per reader: a second sign-up before it goes replaces it (same link, newer time).
      await this.deps.jobs.enqueue(CONFIRM_EMAIL_JOB, { subscriberId: outcome.subscriberId, issuedAt: now.getTime() }, { uniqueKey: `newsletter-confirm:${outcome.subscriberId}`, maxAttempts: 8 });
      this.deps.poke?.();
    }
  }

  /** The job: sends the confirmation email for what was pending when the sign-up happened. Idempotent enough: a crash after sending sends it once more. */
  async sendConfirmation(payload: { subscriberId: number; issuedAt: number }): Promise<void> {
    const subscriber = await this.deps.subscribers.byId(payload.subscriberId);
    if (!subscriber) return; // deleted since
    const pending = await this.pendingUpTo(subscriber.id, new Date(payload.issuedAt).toISOString());
    if (!pending.length) return; // confirmed or withdrawn since
    const link = confirmUrl(this.deps.publicUrl, subscriber, payload.issuedAt);
    await this.deps.mailer.send(confirmationEmail(subscriber.email, this.deps.siteName(), pending.map((n) => n.name), link));
  }

  private async pendingUpTo(subscriberId: number, issuedAt: string): Promise<NewsletterRow[]> {
    const subs = await this.deps.subscribers.subscriptions(subscriberId);
    const ids = new Set(subs.filter((s) => s.status === 'pending' && s.requested_at <= issuedAt).map((s) => s.newsletter_id));
    return (await this.deps.newsletters.all()).filter((n) => ids.has(n.id));
  }

  // --- signed links ----------------------------------------------------------------------------

  /** Checks a signed link's token: unknown readers and wrong signatures are the same "invalid". */
  async checkLink(purpose: LinkPurpose, token: string): Promise<LinkCheck> {
    const parsed = parseToken(purpose, token);
    if (!parsed) return { kind: 'invalid' };
    const subscriber = await this.deps.subscribers.byId(parsed.readerId);
    if (!subscriber || !verifyToken(purpose, parsed, subscriber)) return { kind: 'invalid' };
    if (purpose === 'confirm') {
      const issued = parsed.values[0]!;
      if (issued > this.now().getTime() + MINUTE) return { kind: 'invalid' };
      if (this.now().getTime() - issued > CONFIRM_TTL_MS) return { kind: 'expired' };
    }
    return { kind: 'ok', subscriber, values: parsed.values };
  }

  /** What a confirmation link would do (the page shows it and asks for a click: mail scanners follow links). */
  async confirmView(subscriber: SubscriberRow, issuedAtMs: number): Promise<ConfirmView> {
    const subs = await this.deps.subscribers.subscriptions(subscriber.id);
    const all = await this.deps.newsletters.all();
    const issued = new Date(issuedAtMs).toISOString();
    const pending = new Set(subs.filter((s) => s.status === 'pending' && s.requested_at <= issued).map((s) => s.newsletter_id));
    const subscribed = new Set(subs.filter((s) => s.status === 'subscribed').map((s) => s.newsletter_id));
    return { pending: all.filter((n) => pending.has(n.id)), subscribed: all.filter((n) => subscribed.has(n.id)) };
  }

  /** Confirms what the link was sent for: pending → subscribed, with a consent record each. */
  async confirm(subscriber: SubscriberRow, issuedAtMs: number, ip: string): Promise<NewsletterRow[]> {
    const at = this.now().toISOString();
    const all = new Map((await this.deps.newsletters.all()).map((n) => [n.id, n]));
    return this.deps.subscribers.transaction(async (trx) => {
      const ids = await this.deps.subscribers.confirmPending(subscriber.id, new Date(issuedAtMs).toISOString(), at, trx);
      const confirmed = ids.map((id) => all.get(id)).filter((n): n is NewsletterRow => n !== undefined);
      for (const newsletter of confirmed) {
        await this.deps.subscribers.addConsent({ subscriberId: subscriber.id, newsletter, action: 'confirmed', source: 'email-link', ip: this.ip(ip), at }, trx);
      }
      // The reader opened our email and asked for the newsletter again: the mailbox works and wants
      // the mail, so a bounce or complaint that suppressed the address no longer stands.
      if (confirmed.length && this.deps.suppressions) await this.deps.suppressions.liftOnConfirmation(subscriber.email_key, trx);
      return confirmed;
    });
  }

  /** The newsletters on a reader's preferences page: every public one, and any hidden one they have a subscription to. */
  async preferences(subscriber: SubscriberRow): Promise<PreferenceItem[]> {
    const subs = new Map((await this.deps.subscribers.subscriptions(subscriber.id)).map((s) => [s.newsletter_id, s.status]));
    return (await this.deps.newsletters.all())
      .filter((n) => n.visibility === 'public' || subs.has(n.id))
      .map((newsletter) => ({ newsletter, status: subs.get(newsletter.id) ?? null }));
  }

  /**
   * Saves the preferences page. The link came by email, so ticking a newsletter
   * subscribes at once (the mailbox is proven); unticking unsubscribes. A
   * bounced or complained subscription left unticked stays as it is.
   */
  async savePreferences(subscriber: SubscriberRow, choice: { newsletters: readonly string[]; name: string; unsubscribeAll: boolean }, ip: string): Promise<void> {
    const name = choice.name.trim();
    if (!choice.unsubscribeAll && (name.length > 100 || /[\x00-\x1f\x7f]/.test(name))) {
      throw new Invalid('Use at most 100 characters for your name, on one line', [{ path: '/name', message: 'at most 100 characters, one line' }]);
    }
    const items = await this.preferences(subscriber);
    const at = this.now().toISOString();
    await this.deps.subscribers.transaction(async (trx) => {
      if (!choice.unsubscribeAll && name !== subscriber.name) await this.deps.subscribers.setName(subscriber.id, name, at, trx);
      for (const { newsletter, status } of items) {
        const wanted = !choice.unsubscribeAll && choice.newsletters.includes(newsletter.slug);
        if (wanted && status !== 'subscribed') {
          if (newsletter.visibility !== 'public' && status === null) continue;
          if (status === null) {
            await this.deps.subscribers.insertSubscription(
              { subscriber_id: subscriber.id, newsletter_id: newsletter.id, status: 'subscribed', source: 'preferences', requested_at: at, confirmed_at: at, unsubscribed_at: null, updated_at: at },
              trx,
            );
          } else {
            await this.deps.subscribers.setStatus(subscriber.id, newsletter.id, { status: 'subscribed', at, source: 'preferences', requestedAt: at, confirmedAt: at, unsubscribedAt: null }, trx);
          }
          await this.deps.subscribers.addConsent({ subscriberId: subscriber.id, newsletter, action: 'confirmed', source: 'preferences', ip: this.ip(ip), at }, trx);
        } else if (!wanted && (status === 'subscribed' || status === 'pending')) {
          await this.withdraw(subscriber.id, newsletter, choice.unsubscribeAll ? 'preferences:all' : 'preferences', ip, at, trx);
        }
      }
    });
  }

  /** One-click unsubscribe (RFC 8058) from one newsletter; the newsletter, or undefined when it no longer exists. Idempotent. */
  async unsubscribe(subscriber: SubscriberRow, newsletterId: number, source: string, ip: string): Promise<NewsletterRow | undefined> {
    const newsletter = await this.deps.newsletters.byId(newsletterId);
    if (!newsletter) return undefined;
    const at = this.now().toISOString();
    await this.deps.subscribers.transaction(async (trx) => {
      const current = (await this.deps.subscribers.subscriptions(subscriber.id, trx)).find((s) => s.newsletter_id === newsletterId);
      if (current?.status === 'subscribed' || current?.status === 'pending') await this.withdraw(subscriber.id, newsletter, source, ip, at, trx);
    });
    return newsletter;
  }

  /** An unsubscribe request by email (the List-Unsubscribe mailto:): the same signed token as the one-click link. */
  async unsubscribeByToken(token: string, source: string): Promise<'unsubscribed' | 'invalid'> {
    const check = await this.checkLink('unsubscribe', token);
    if (check.kind !== 'ok') return 'invalid';
    await this.unsubscribe(check.subscriber, check.values[0]!, source, '');
    return 'unsubscribed';
  }

  private async withdraw(subscriberId: number, newsletter: NewsletterRow, source: string, ip: string, at: string, trx: Parameters<SubscribersRepository['addConsent']>[1]): Promise<void> {
    await this.deps.subscribers.setStatus(subscriberId, newsletter.id, { status: 'unsubscribed', at, unsubscribedAt: at }, trx);
    await this.deps.subscribers.addConsent({ subscriberId, newsletter, action: 'withdrawn', source, ip: this.ip(ip), at }, trx);
  }

  // --- the newsroom's side -------------------------------------------------------------------

  async search(filter: SubscriberFilter, page: number, pageSize: number): Promise<{ items: { subscriber: SubscriberRow; subscriptions: SubscriptionRow[] }[]; total: number; counts: StatusCounts }> {
    if (filter.newsletterId !== undefined && !(await this.deps.newsletters.byId(filter.newsletterId))) throw new NotFound('No such newsletter');
    const result = await this.deps.subscribers.search(filter, page, pageSize);
    const subs = await this.deps.subscribers.subscriptionsOf(result.items.map((s) => s.id));
    return {
      items: result.items.map((subscriber) => ({ subscriber, subscriptions: subs.filter((s) => s.subscriber_id === subscriber.id) })),
      total: result.total,
      counts: result.counts,
    };
  }

  async detail(id: number): Promise<SubscriberDetail> {
    const subscriber = await this.deps.subscribers.byId(id);
    if (!subscriber) throw new NotFound('No such subscriber');
    const names = new Map((await this.deps.newsletters.all()).map((n) => [n.id, n.name]));
    const [subscriptions, consents] = await Promise.all([this.deps.subscribers.subscriptions(id), this.deps.subscribers.consents(id)]);
    return { subscriber, subscriptions: subscriptions.map((s) => ({ ...s, newsletter_name: names.get(s.newsletter_id) ?? '' })), consents };
  }

  /** Deletes the reader with everything kept about them: subscriptions, consent records; their links stop working. */
  async delete(id: number): Promise<void> {
    if (!(await this.deps.subscribers.delete(id))) throw new NotFound('No such subscriber');
    await this.deps.jobs.cancel(`newsletter-confirm:${id}`);
  }
}
