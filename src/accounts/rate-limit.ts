/**
 * Sign-in attempt limits, counted in the database so that every node sees the
 * same numbers. Each failure counts against the account (the email address as
 * typed, whether or not it has an account, so answers never reveal which
 * addresses exist) and against the client's address. Reaching the limit locks
 * that key for a while; a successful sign-in clears the account's count.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Clock } from '../shared/clock.js';
import { TooManyAttempts } from './errors.js';
import type { UsersRepository } from './users.repository.js';

export interface LimitPolicy {
  /** Failures within `windowMs` that lock the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const MINUTE = 60_000;
/** Five wrong passwords lock an account for 15 minutes. */
export const ACCOUNT_LIMIT: LimitPolicy = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** One address trying many accounts (password spraying) is stopped after 20 failures. */
export const ADDRESS_LIMIT: LimitPolicy = { maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** Password-reset emails: at most 3 an hour per account, so nobody's inbox is flooded. */
export const RESET_LIMIT: LimitPolicy = { maxFailures: 3, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE };

export interface LimitKey {
  key: string;
  policy: LimitPolicy;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** Email addresses are stored hashed: the table of failures is not a list of who tried what. */
export const accountKey = (email: string): LimitKey => ({ key: `account:${digest(email)}`, policy: ACCOUNT_LIMIT });
export const resetKey = (email: string): LimitKey => ({ key: `reset:${digest(email)}`, policy: RESET_LIMIT });

/** IPv6 clients usually hold a whole /64: count the prefix, not the single address. */
export function addressKey(ip: string): LimitKey {
  let address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(address) === 6) address = expandIpv6(address).slice(0, 4).join(':') + '::/64';
  return { key: `address:${address}`, policy: ADDRESS_LIMIT };
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const fill = address.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

export class AttemptLimiter {
  constructor(
    private readonly repo: UsersRepository,
    private readonly clock: Clock,
  ) {}

  /** Throws TooManyAttempts when any key is locked now (with the longest wait). */
  async check(keys: readonly LimitKey[]): Promise<void> {
    const now = this.clock.now().getTime();
    let waitMs = 0;
    for (const { key } of keys) {
      const row = await this.repo.getAttempts(key);
      if (row?.locked_until) waitMs = Math.max(waitMs, Date.parse(row.locked_until) - now);
    }
    if (waitMs > 0) throw new TooManyAttempts(Math.ceil(waitMs / 1000));
  }

  /** Counts a failure against every key; returns the wait when this failure locked one of them. */
  async fail(keys: readonly LimitKey[]): Promise<number> {
    const now = this.clock.now();
    let waitMs = 0;
    for (const { key, policy } of keys) {
      const cutoff = new Date(now.getTime() - policy.windowMs).toISOString();
      const row = await this.repo.countFailure(key, now.toISOString(), cutoff);
      if (row.failures >= policy.maxFailures) {
        const until = row.locked_until && Date.parse(row.locked_until) > now.getTime() ? Date.parse(row.locked_until) : now.getTime() + policy.lockMs;
        if (!row.locked_until || Date.parse(row.locked_until) <= now.getTime()) await this.repo.lockAttempts(key, new Date(until).toISOString());
        waitMs = Math.max(waitMs, until - now.getTime());
      }
    }
    return waitMs;
  }

  /** Counts one use of a quota (not a failure): false when the quota is used up (nothing is thrown). */
  async take(key: LimitKey): Promise<boolean> {
    try {
      await this.check([key]);
    } catch (error) {
      if (error instanceof TooManyAttempts) return false;
      throw error;
    }
    await this.fail([key]);
    return true;
  }

  async clear(key: LimitKey): Promise<void> {
    await this.repo.clearAttempts(key.key);
  }

  /** Forgets windows and locks that ended long ago (the table stays small). */
  async prune(): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - 24 * 60 * MINUTE).toISOString();
    await this.repo.deleteStaleAttempts(cutoff);
  }
}
