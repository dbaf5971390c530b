/**
 * Passwords: argon2id with OWASP's minimum parameters (19 MiB of memory, two
 * passes, one lane), a length-based policy (NIST SP 800-63B: long passphrases
 * welcome, no composition rules), rehashing when the parameters go up, and
 * a dummy verification for unknown accounts so that timing does not tell
 * whether an email address has an account.
 */
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (a const enum, unusable under isolatedModules)

export const HASH_OPTIONS: Readonly<Options> = {
  algorithm: ARGON2ID,
  memoryCost: 19_456, // KiB = 19 MiB
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), HASH_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

/** True when the stored hash is weaker than today's parameters (rehash after a successful sign-in). */
export function needsRehash(stored: string): boolean {
  try {
    const o = parseOptions(stored);
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost < HASH_OPTIONS.memoryCost! ||
      o.timeCost < HASH_OPTIONS.timeCost! ||
      o.parallelism !== HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/** Computes the hash that `verifyNothing` checks against, ahead of the first sign-in (so that one is not slower). */
export function prepareDummyHash(): void {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
}

/** Spends the same time as a real verification, for accounts that do not exist. */
export async function verifyNothing(password: string): Promise<false> {
  prepareDummyHash();
  await verifyPassword(await dummy!, password);
  return false;
}

/** Problems with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | undefined {
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters (a few words make a good password)`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters`;
  if (new Set(password).size < 4) return 'Use a less repetitive password';
  const lower = password.toLowerCase();
  if (context.email && lower === context.email.toLowerCase()) return 'Do not use your email address as your password';
  if (context.name && context.name.trim().length >= 4 && lower === context.name.trim().toLowerCase()) return 'Do not use your name as your password';
  return undefined;
}

const WORDS_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password for `user create --generate-password`: 24 characters, about 140 bits. */
export function generatePassword(length = 24): string {
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps every character equally likely.
      if (byte < 256 - (256 % WORDS_ALPHABET.length)) out.push(WORDS_ALPHABET[byte % WORDS_ALPHABET.length]!);
      if (out.length === length) break;
    }
  }
  // Groups of six are easier to copy by hand.
  return out.join('').replace(/(.{6})(?=.)/g, '$1-');
}
