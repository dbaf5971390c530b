/**
 * Changing a reader's address from the preferences page (docs/newsletters.md,
 * "Changing address").
 *
 * The new address must prove it is the reader's: a signed link goes to it, and
 * only the button on that link's page moves the subscriptions (mail scanners
 * follow links). Nothing changes until then. The link signs the reader's id,
 * when it was issued, the new address *and the current one*, so it stops
 * working as soon as the address changes (no replaying an old link to move the
 * reader back) and after ADDRESS_LINK_TTL_MS. The old address is told once the
 * change is made, so a change nobody asked for does not go unnoticed.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, SubscriberRow } from '../db/schema.js';
import type { Mailer } from '../email/mailer.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid } from '../shared/errors.js';
import { safeEqual } from '../accounts/tokens.js';
import { addressKey, type AttemptLimiter, type LimitPolicy } from '../accounts/rate-limit.js';
import { parseReaderAddress } from './email-address.js';
import { addressChangedEmail, addressConfirmEmail } from './emails.js';
import { isUniqueViolation } from '../db/errors.js';

export const ADDRESS_EMAIL_JOB = 'newsletter.address-email';
export const ADDRESS_LINK_TTL_MS = 48 * 3_600_000;
/** Change requests per reader (each sends an email to an address someone typed). */
export const ADDRESS_CHANGE_LIMIT: LimitPolicy = { maxFailures: 5, windowMs: 3_600_000, lockMs: 3_600_000 };

export type AddressEmailJob =
  | { kind: 'confirm'; subscriberId: number; email: string; issuedAt: number }
  | { kind: 'changed'; subscriberId: number; oldEmail: string; newEmail: string };

export type AddressLinkCheck = { kind: 'ok'; subscriber: SubscriberRow; email: string } | { kind: 'invalid' } | { kind: 'expired' };

const b36 = (n: number) => n.toString(36);

function mac(secret: string, fields: readonly string[], currentKey: string): string {
  return createHmac('sha256', secret).update(`address\n${fields.join('\n')}\n${currentKey}`).digest('base64url');
}

/** `<reader>.<issued>.<new address, base64url>.<mac>`. */
export function addressToken(reader: Pick<SubscriberRow, 'id' | 'secret' | 'email_key'>, newEmail: string, issuedAtMs: number): string {
  const fields = [b36(reader.id), b36(issuedAtMs), Buffer.from(newEmail, 'utf8').toString('base64url')];
  return `${fields.join('.')}.${mac(reader.secret, fields, reader.email_key)}`;
}

function parse(token: string): { readerId: number; issuedAt: number; email: string; fields: string[]; mac: string } | undefined {
  if (token.length > 600) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [id, issued, encoded, signature] = parts as [string, string, string, string];
  if (!/^[0-9a-z]{1,12}$/.test(id) || !/^[0-9a-z]{1,12}$/.test(issued) || !/^[A-Za-z0-9_-]{4,400}$/.test(encoded) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return undefined;
  const readerId = parseInt(id, 36);
  const issuedAt = parseInt(issued, 36);
  if (!Number.isSafeInteger(readerId) || readerId <= 0 || !Number.isSafeInteger(issuedAt)) return undefined;
  return { readerId, issuedAt, email: Buffer.from(encoded, 'base64url').toString('utf8'), fields: [id, issued, encoded], mac: signature };
}

export interface AddressChangeDeps {
  db: Kysely<Database>;
  jobs: JobQueue;
  mailer: Mailer;
  limiter: AttemptLimiter;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  siteName: () => string;
  poke: () => void;
}

export class AddressChange {
  constructor(private readonly deps: AddressChangeDeps) {}

  /**
   * A reader on their preferences page asks to move to `input`. Throws Invalid
   * for an address they must fix, TooManyAttempts past the limit; otherwise
   * queues the confirmation email to the new address and changes nothing.
   */
  async request(subscriber: SubscriberRow, input: string, ip: string): Promise<string> {
    const parsed = parseReaderAddress(input);
    if ('error' in parsed) throw new Invalid(parsed.error, [{ path: '/email', message: parsed.error }]);
    if (parsed.key === subscriber.email_key) throw new Invalid('That is already your address', [{ path: '/email', message: 'the address you have now' }]);
    const keys = [
      { key: `newsletter:address-change:${subscriber.id}`, policy: ADDRESS_CHANGE_LIMIT },
      { key: `newsletter:${addressKey(ip).key}`, policy: ADDRESS_CHANGE_LIMIT },
    ];
    await this.deps.limiter.check(keys);
    await this.deps.limiter.fail(keys);
    const job: AddressEmailJob = { kind: 'confirm', subscriberId: subscriber.id, email: parsed.email, issuedAt: this.deps.clock.now().getTime() };
    await this.deps.jobs.enqueue(ADDRESS_EMAIL_JOB, job);
    this.deps.poke();
    return parsed.email;
  }

  /** The job: the confirmation link to the new address, or the notice to the old one. */
  async sendEmail(job: AddressEmailJob): Promise<void> {
    const subscriber = await this.byId(job.subscriberId);
    if (!subscriber) return; // deleted since
    const site = this.deps.siteName();
    if (job.kind === 'confirm') {
      const link = `${this.deps.publicUrl}/newsletters/address/${addressToken(subscriber, job.email, job.issuedAt)}`;
      await this.deps.mailer.send(addressConfirmEmail(job.email, site, subscriber.email, link));
    } else {
      await this.deps.mailer.send(addressChangedEmail(job.oldEmail, site, job.newEmail));
    }
  }

  /** Checks a link from the confirmation email against the reader as they are now. */
  async check(token: string): Promise<AddressLinkCheck> {
    const parsed = parse(token);
    if (!parsed) return { kind: 'invalid' };
    const subscriber = await this.byId(parsed.readerId);
    if (!subscriber || !safeEqual(parsed.mac, mac(subscriber.secret, parsed.fields, subscriber.email_key))) return { kind: 'invalid' };
    const now = this.deps.clock.now().getTime();
    if (parsed.issuedAt > now + 60_000) return { kind: 'invalid' };
    if (now - parsed.issuedAt > ADDRESS_LINK_TTL_MS) return { kind: 'expired' };
    const address = parseReaderAddress(parsed.email);
    if ('error' in address) return { kind: 'invalid' };
    return { kind: 'ok', subscriber, email: address.email };
  }

  /**
   * Moves the reader to the new address. Their subscriptions, consent records
   * and links go with them (links are keyed by reader, not address). Conflict
   * when another reader already has the address: two readers are not merged
   * behind anyone's back.
   */
  async apply(subscriber: SubscriberRow, email: string): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    const key = email.toLowerCase();
    const taken = () => new Conflict('That address already has its own subscriptions, so nothing was changed. Use the link in an email sent to it to manage them.');
    const other = await this.deps.db.selectFrom('newsletter_subscribers').select('id').where('email_key', '=', key).executeTakeFirst();
    if (other && other.id !== subscriber.id) throw taken();
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('newsletter_subscribers')
          .set({ email, email_key: key, updated_at: at })
          .where('id', '=', subscriber.id)
          // Only from the address the link was signed for (two tabs, two links).
          .where('email_key', '=', subscriber.email_key)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0) return;
        const notice: AddressEmailJob = { kind: 'changed', subscriberId: subscriber.id, oldEmail: subscriber.email, newEmail: email };
        await this.deps.jobs.enqueue(ADDRESS_EMAIL_JOB, notice, { executor: trx });
      });
    } catch (error) {
      // Someone took the address between the look and the write (the unique index decides).
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    this.deps.log.info({ subscriberId: subscriber.id }, 'newsletter reader changed their address');
    this.deps.poke();
  }

  private byId(id: number): Promise<SubscriberRow | undefined> {
    return this.deps.db.selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
