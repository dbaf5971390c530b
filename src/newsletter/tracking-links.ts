/**
 * The tracked links of a newsletter send: a click link per distinct address
 * (`/newsletters/c/<send>/<position>/<sig>`) and one open pixel
 * (`/newsletters/o/<send>/<sig>.gif`). The same for every recipient of the
 * send: nothing in them says who the reader is, so the counts they feed
 * cannot either.
 *
 * Signed like the readers' links (links.ts): HMAC-SHA256 with a random
 * secret kept in the database, here one per send instead of one per reader,
 * so there is no server-wide key to configure or leak, and a send's links
 * cannot be forged for another send or another position. The signature only
 * keeps guessers from inflating counts and from probing for links; what a
 * click redirects to always comes from the database (no open redirect).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../accounts/tokens.js';

/** 128 bits in base64url: short links survive mail programs that break long lines; plenty against guessing. */
const SIG_LENGTH = 22;
export const SIG_PATTERN = `^[A-Za-z0-9_-]{${SIG_LENGTH}}$`;

/** A new send's tracking secret: 32 random bytes. */
export function newTrackingSecret(): string {
  return randomBytes(32).toString('base64url');
}

type Purpose = 'click' | 'open';

function sign(secret: string, purpose: Purpose, fields: readonly number[]): string {
  return createHmac('sha256', secret).update(`${purpose}\n${fields.join('\n')}`).digest('base64url').slice(0, SIG_LENGTH);
}

export const clickSignature = (secret: string, sendId: number, position: number) => sign(secret, 'click', [sendId, position]);
export const openSignature = (secret: string, sendId: number) => sign(secret, 'open', [sendId]);

export function validClickSignature(secret: string, sendId: number, position: number, sig: string): boolean {
  return safeEqual(sig, clickSignature(secret, sendId, position));
}

export function validOpenSignature(secret: string, sendId: number, sig: string): boolean {
  return safeEqual(sig, openSignature(secret, sendId));
}

export function clickUrl(publicUrl: string, secret: string, sendId: number, position: number): string {
  return `${publicUrl}/newsletters/c/${sendId}/${position}/${clickSignature(secret, sendId, position)}`;
}

export function openPixelUrl(publicUrl: string, secret: string, sendId: number): string {
  return `${publicUrl}/newsletters/o/${sendId}/${openSignature(secret, sendId)}.gif`;
}
