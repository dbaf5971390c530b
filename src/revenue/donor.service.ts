/**
 * Donor sign-in by emailed link, donor sessions and what the donor page shows
 * (docs/revenue.md, "The donor page").
 *
 * Asking for a link does the same work for every address (it only queues a
 * job), so neither the answer nor its timing says who has given. The job
 * emails a link only to an address with gifts. A link is 32 random bytes,
 * kept only as its SHA-256 (a copy of the database signs nobody in), works
 * once and for DONOR_LINK_TTL_MS; its page has a button, because mail
 * scanners follow links. Using it starts a donor session (a random cookie,
 * stored hashed, DONOR_SESSION_TTL_MS) that only opens the donor page.
 */
import Stripe from 'stripe';
import type { Logger } from 'pino';
import type { DonorRow, RecurringStatus } from '../db/schema.js';
import type { BulkTransport } from '../email/bulk.js';
import type { JobQueue } from '../jobs/queue.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { Invalid } from '../shared/errors.js';
import { createHash } from 'node:crypto';
import { hashToken, looksLikeToken, newToken } from '../accounts/tokens.js';
import { addressKey, type AttemptLimiter, type LimitPolicy } from '../accounts/rate-limit.js';
import { parseEmailAddress } from '../newsletter/email-address.js';
import { PaymentProviderFailed, DonationsNotSetUp } from './checkout.service.js';
import type { DonorRepository } from './donor.repository.js';
import { donorLinkEmail } from './donor-emails.js';

export const DONOR_LINK_JOB = 'revenue.donor-link';
export const DONOR_LINK_TTL_MS = 30 * 60_000;
export const DONOR_SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** Links asked for one address: enough for a lost email or two, not enough to flood an inbox. */
export const DONOR_LINK_ADDRESS_LIMIT: LimitPolicy = { maxFailures: 5, windowMs: 3_600_000, lockMs: 3_600_000 };
/** Links asked from one network, whatever the addresses. */
export const DONOR_LINK_NETWORK_LIMIT: LimitPolicy = { maxFailures: 20, windowMs: 3_600_000, lockMs: 3_600_000 };
/** A donor who gave within this long counts as a donor for the prompts; before that, a former donor. */
const RECENT_GIFT_MS = 365 * 24 * 3_600_000;

export interface DonorLinkJob {
  emailKey: string;
}

export type LinkState = 'ok' | 'invalid' | 'expired' | 'used';
export type SignIn = { kind: 'ok'; sessionToken: string; maxAgeSeconds: number; flags: ReaderFlag[] } | { kind: Exclude<LinkState, 'ok'> };
export type ReaderFlag = 'donor' | 'former-donor';

/** The donor has no recurring gift to manage in Stripe's portal. */
export class NoRecurringGift extends Error {}

export interface DonorAccessDeps {
  repo: DonorRepository;
  jobs: JobQueue;
  limiter: AttemptLimiter;
  transport: BulkTransport;
  stripe: Stripe | undefined;
  settings: () => SiteSettings;
  publicUrl: string;
  fromAddress: string;
  clock: Clock;
  log: Logger;
  poke: () => void;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export class DonorAccess {
  constructor(private readonly deps: DonorAccessDeps) {}

  /**
   * Someone asks for a sign-in link. Throws Invalid for an address they must
   * fix and TooManyAttempts past the limits (counted for every address, known
   * or not); otherwise queues the job and returns, whoever it is.
   */
  async requestLink(input: string, ip: string): Promise<void> {
    const parsed = parseEmailAddress(input);
    if ('error' in parsed) throw new Invalid(parsed.error, [{ path: '/email', message: parsed.error }]);
    const keys = [
      { key: `donor-link:${digest(parsed.key)}`, policy: DONOR_LINK_ADDRESS_LIMIT },
      { key: `donor-link:${addressKey(ip).key}`, policy: DONOR_LINK_NETWORK_LIMIT },
    ];
    await this.deps.limiter.check(keys);
    await this.deps.limiter.fail(keys);
    const job: DonorLinkJob = { emailKey: parsed.key };
    await this.deps.jobs.enqueue(DONOR_LINK_JOB, job, { maxAttempts: 3 });
    this.deps.poke();
  }

  /** The job: a fresh link to a donor with gifts; nothing for anyone else. */
  async sendLink(job: DonorLinkJob): Promise<void> {
    const donor = await this.deps.repo.donorWithGiftsByKey(job.emailKey);
    if (!donor) return;
    const now = this.deps.clock.now();
    const token = newToken();
    await this.deps.repo.insertLink({ donorId: donor.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + DONOR_LINK_TTL_MS).toISOString(), at: now.toISOString() });
    const settings = this.deps.settings();
    const email = donorLinkEmail(settings.name, `${this.deps.publicUrl}/donor/signin/${token}`, DONOR_LINK_TTL_MS / 60_000);
    await this.deps.transport.send({
      from: { name: settings.name, address: this.deps.fromAddress },
      to: donor.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: {},
      messageId: `<donor-link-${hashToken(token).slice(0, 24)}@${new URL(this.deps.publicUrl).hostname}>`,
    });
    this.deps.log.info({ donorId: donor.id }, 'donor sign-in link sent');
  }

  /** What the link's page should say; changes nothing. */
  async checkLink(token: string): Promise<LinkState> {
    if (!looksLikeToken(token)) return 'invalid';
    const link = await this.deps.repo.linkByHash(hashToken(token));
    if (!link) return 'invalid';
    if (link.used_at) return 'used';
    if (Date.parse(link.expires_at) <= this.deps.clock.now().getTime()) return 'expired';
    return 'ok';
  }

  /** Uses the link (once) and starts a donor session. */
  async signIn(token: string): Promise<SignIn> {
    const state = await this.checkLink(token);
    if (state !== 'ok') return { kind: state };
    const link = (await this.deps.repo.linkByHash(hashToken(token)))!;
    const now = this.deps.clock.now();
    // Two presses of the button race here: only one marks the link used.
    if (!(await this.deps.repo.useLink(link.id, now.toISOString()))) return { kind: 'used' };
    const sessionToken = newToken();
    await this.deps.repo.insertSession({ donorId: link.donor_id, tokenHash: hashToken(sessionToken), expiresAt: new Date(now.getTime() + DONOR_SESSION_TTL_MS).toISOString(), at: now.toISOString() });
    await this.deps.repo.prune(now.toISOString());
    const donor = await this.deps.repo.donorById(link.donor_id);
    this.deps.log.info({ donorId: link.donor_id }, 'donor signed in');
    return { kind: 'ok', sessionToken, maxAgeSeconds: DONOR_SESSION_TTL_MS / 1000, flags: donor ? await this.flagsOf(donor) : ['donor'] };
  }

  /** The signed-in donor for a session cookie, or undefined. */
  async donorFor(sessionToken: string | undefined): Promise<DonorRow | undefined> {
    if (!sessionToken || !looksLikeToken(sessionToken)) return undefined;
    const session = await this.deps.repo.sessionByHash(hashToken(sessionToken));
    if (!session) return undefined;
    if (Date.parse(session.expires_at) <= this.deps.clock.now().getTime()) {
      await this.deps.repo.deleteSession(session.token_hash);
      return undefined;
    }
    return this.deps.repo.donorById(session.donor_id);
  }

  async signOut(sessionToken: string | undefined): Promise<void> {
    if (sessionToken && looksLikeToken(sessionToken)) await this.deps.repo.deleteSession(hashToken(sessionToken));
  }

  async giftsOf(donor: DonorRow) {
    const [gifts, recurring] = await Promise.all([this.deps.repo.giftsOf(donor.id), this.deps.repo.recurringOf(donor.id)]);
    return { gifts, recurring };
  }

  /** donor: an active recurring gift or a gift kept within the last year; former-donor otherwise. */
  async flagsOf(donor: DonorRow): Promise<ReaderFlag[]> {
    const { gifts, recurring } = await this.giftsOf(donor);
    const cutoff = this.deps.clock.now().getTime() - RECENT_GIFT_MS;
    const active = recurring.some((r) => r.status === 'active' || r.status === 'past_due');
    const recent = gifts.some((g) => (g.status === 'succeeded' || g.status === 'partially_refunded') && Date.parse(g.paid_at) >= cutoff);
    return [active || recent ? 'donor' : 'former-donor'];
  }

  /**
   * A Stripe customer portal session for the donor's recurring gift (change
   * the amount or card, or cancel); its URL. Asked of Stripe for the customer
   * of their most recent recurring gift.
   */
  async portalUrl(donor: DonorRow): Promise<string> {
    const stripe = this.deps.stripe;
    if (!stripe) throw new DonationsNotSetUp();
    const { recurring } = await this.giftsOf(donor);
    const gift = recurring.find((r) => r.status !== 'cancelled') ?? recurring[0];
    const customer = gift?.stripe_customer_id ?? (gift ? donor.stripe_customer_id : null);
    if (!customer) throw new NoRecurringGift();
    try {
      const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${this.deps.publicUrl}/donor/gifts` });
      return session.url;
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        this.deps.log.warn({ donorId: donor.id, error: error.message }, 'Stripe did not open a customer portal session');
        throw new PaymentProviderFailed();
      }
      throw error;
    }
  }
}

export const RECURRING_LABELS: Record<RecurringStatus, string> = { active: 'Active', past_due: 'Past due', cancelled: 'Cancelled' };
