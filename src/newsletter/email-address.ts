/**
 * Readers' email addresses: what we accept and how we store them. The local
 * part is kept as typed (RFC 5321 lets a mail server treat it case-sensitively,
 * and a few do); the domain is lower-cased and, when written in Unicode,
 * turned into its ASCII (punycode) form. `key` is the whole address
 * lower-cased: one reader per key, whatever the case they type next time.
 */
import { domainToASCII } from 'node:url';
import { isDisposableDomain } from './disposable.js';

export interface EmailAddress {
  /** As stored and mailed: trimmed, domain lower-cased. */
  email: string;
  /** Unique key: the whole address lower-cased. */
  key: string;
}

// Printable ASCII without the characters that need quoting (or could smuggle a header or a second address).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The normalised address, or a reader-facing reason it was refused. */
export function parseEmailAddress(input: string): EmailAddress | { error: string } {
  const trimmed = input.trim();
  if (!trimmed) return { error: 'Enter your email address' };
  if (trimmed.length > 254) return { error: 'That email address is too long' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { error: 'Enter an email address like name@example.org' };
  const local = trimmed.slice(0, at);
  const domainTyped = trimmed.slice(at + 1);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { error: 'That email address has characters we cannot send to' };
  }
  const domain = /^[\x21-\x7e]+$/.test(domainTyped) ? domainTyped.toLowerCase() : domainToASCII(domainTyped);
  const labels = domain.split('.');
  if (!domain || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1)!)) {
    return { error: 'Enter an email address like name@example.org' };
  }
  const email = `${local}@${domain}`;
  if (email.length > 254) return { error: 'That email address is too long' };
  return { email, key: email.toLowerCase() };
}

/**
 * An address a reader types for themselves (sign-up, a change of address):
 * the rules above, and not a throwaway mailbox (disposable.ts). Imports and
 * the newsroom's own entries use `parseEmailAddress` alone.
 */
export function parseReaderAddress(input: string): EmailAddress | { error: string } {
  const parsed = parseEmailAddress(input);
  if ('error' in parsed) return parsed;
  const domain = parsed.email.slice(parsed.email.lastIndexOf('@') + 1);
  if (isDisposableDomain(domain)) {
    return { error: `Please use a permanent address: mailboxes at ${domain} are deleted after a short time, so our newsletters could not reach you` };
  }
  return parsed;
}
