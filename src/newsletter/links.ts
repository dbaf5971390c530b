/**
 * Signed links for readers, who have no account and no session: confirming a
 * sign-up, the preferences page, and one-click unsubscribe (RFC 8058).
 *
 * A token is `<reader id>.<fields>.<mac>` in base64url-safe characters, where
 * mac = HMAC-SHA256(reader's secret, purpose + fields). The purpose is part of
 * what is signed, so a preferences token cannot be replayed as a confirmation
 * or for another newsletter. Each reader has their own random secret (stored
 * with them, never sent): deleting a reader, or giving them a new secret,
 * retires every link they were ever sent, and no server-wide key has to be
 * configured or kept. Confirmation tokens carry the time they were issued and
 * expire after CONFIRM_TTL_MS; preferences and unsubscribe links must keep
 * working from old emails, so they do not expire.
 *
 * The delivery slice uses `listHeaders` and `preferencesUrl` for every email.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../accounts/tokens.js';

export const CONFIRM_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type LinkPurpose = 'confirm' | 'preferences' | 'unsubscribe';

export interface SignedReader {
  id: number;
  secret: string;
}

/** A new reader secret: 32 random bytes. */
export function newReaderSecret(): string {
  return randomBytes(32).toString('base64url');
}

function mac(secret: string, purpose: LinkPurpose, fields: readonly string[]): string {
  return createHmac('sha256', secret).update(`${purpose}\n${fields.join('\n')}`).digest('base64url');
}

const b36 = (n: number) => n.toString(36);

export function confirmToken(reader: SignedReader, issuedAtMs: number): string {
  const fields = [b36(reader.id), b36(issuedAtMs)];
  return `${fields.join('.')}.${mac(reader.secret, 'confirm', fields)}`;
}

export function preferencesToken(reader: SignedReader): string {
  const fields = [b36(reader.id)];
  return `${fields.join('.')}.${mac(reader.secret, 'preferences', fields)}`;
}

export function unsubscribeToken(reader: SignedReader, newsletterId: number): string {
  const fields = [b36(reader.id), b36(newsletterId)];
  return `${fields.join('.')}.${mac(reader.secret, 'unsubscribe', fields)}`;
}

export interface ParsedToken {
  readerId: number;
  /** The numbers after the reader id (issue time for confirm, newsletter id for unsubscribe). */
  values: number[];
  fields: string[];
  mac: string;
}

const FIELD_COUNT: Record<LinkPurpose, number> = { confirm: 2, preferences: 1, unsubscribe: 2 };

/** The token's parts, or undefined when it cannot be one of ours (checked before touching the database). */
export function parseToken(purpose: LinkPurpose, token: string): ParsedToken | undefined {
  if (token.length > 120) return undefined;
  const parts = token.split('.');
  if (parts.length !== FIELD_COUNT[purpose] + 1) return undefined;
  const fields = parts.slice(0, -1);
  const signature = parts.at(-1)!;
  if (!fields.every((f) => /^[0-9a-z]{1,12}$/.test(f)) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return undefined;
  const numbers = fields.map((f) => parseInt(f, 36));
  if (!numbers.every((n) => Number.isSafeInteger(n) && n > 0)) return undefined;
  return { readerId: numbers[0]!, values: numbers.slice(1), fields, mac: signature };
}

/** Whether the parsed token was signed with this reader's secret for this purpose. */
export function verifyToken(purpose: LinkPurpose, parsed: ParsedToken, reader: SignedReader): boolean {
  return parsed.readerId === reader.id && safeEqual(parsed.mac, mac(reader.secret, purpose, parsed.fields));
}

export function confirmUrl(publicUrl: string, reader: SignedReader, issuedAtMs: number): string {
  return `${publicUrl}/newsletters/confirm/${confirmToken(reader, issuedAtMs)}`;
}

export function preferencesUrl(publicUrl: string, reader: SignedReader): string {
  return `${publicUrl}/newsletters/preferences/${preferencesToken(reader)}`;
}

export function unsubscribeUrl(publicUrl: string, reader: SignedReader, newsletterId: number): string {
  return `${publicUrl}/newsletters/unsubscribe/${unsubscribeToken(reader, newsletterId)}`;
}

/**
 * The list headers every newsletter email carries: `List-Unsubscribe` with the
 * HTTPS one-click URL, `List-Unsubscribe-Post` (RFC 8058: mail clients then
 * POST `List-Unsubscribe=One-Click` to it), and `List-Id` (RFC 2919) naming the
 * newsletter. With `options.mailto` (the delivery slice passes the
 * newsletter's reply-to or sender address), `List-Unsubscribe` also offers a
 * mailto: whose subject carries the signed token, for mail clients that only
 * know mailto: (docs/newsletters.md, "Delivery": someone must act on those).
 */
export function listHeaders(
  publicUrl: string,
  reader: SignedReader,
  newsletter: { id: number; slug: string; name: string },
  options: { mailto?: string } = {},
): Record<'List-Unsubscribe' | 'List-Unsubscribe-Post' | 'List-Id', string> {
  const host = new URL(publicUrl).hostname;
  // The description before the id as plain atoms (RFC 5322 atext and spaces): a quoted or
  // non-ASCII phrase would be MIME-encoded by nodemailer, angle brackets and all.
  const phrase = newsletter.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    'List-Unsubscribe':
      `<${unsubscribeUrl(publicUrl, reader, newsletter.id)}>` +
      (options.mailto ? `, <mailto:${options.mailto}?subject=unsubscribe%20${unsubscribeToken(reader, newsletter.id)}>` : ''),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': phrase ? `${phrase} <${newsletter.slug}.newsletters.${host}>` : `<${newsletter.slug}.newsletters.${host}>`,
  };
}
