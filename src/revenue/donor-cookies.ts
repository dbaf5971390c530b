/**
 * The two cookies a donor's browser gets (docs/revenue.md, "Cookies"):
 * - the donor session: HttpOnly, SameSite=Lax, Secure (and `__Host-`) when
 *   PUBLIC_URL is https; an opaque token, stored hashed;
 * - `bs_reader`: flags for the reader prompts' script (public/assets/prompts.js
 *   reads it), such as `donor` or `former-donor`. Readable by scripts on
 *   purpose, so it carries only flags, never who the reader is. Flags set by
 *   others (e.g. `subscriber`) are kept.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReaderFlag } from './donor.service.js';

export const READER_COOKIE = 'bs_reader';
const READER_COOKIE_MAX_AGE = 365 * 24 * 3600;
const DONOR_FLAGS: readonly string[] = ['donor', 'former-donor'];

export class DonorCookies {
  readonly sessionName: string;

  constructor(private readonly secure: boolean) {
    // `__Host-` cookies are only accepted over https, for the exact host, with Path=/.
    this.sessionName = secure ? '__Host-bs_donor' : 'bs_donor';
  }

  sessionOf(request: FastifyRequest): string | undefined {
    return request.cookies[this.sessionName];
  }

  setSession(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
    reply.setCookie(this.sessionName, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: maxAgeSeconds });
  }

  clearSession(reply: FastifyReply): void {
    reply.setCookie(this.sessionName, '', { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: 0, expires: new Date(0) });
  }

  /** Sets the donor flag in `bs_reader`, keeping the flags that are not about giving. */
  setReaderFlags(request: FastifyRequest, reply: FastifyReply, flags: readonly ReaderFlag[]): void {
    const kept = parseReaderFlags(request.cookies[READER_COOKIE]).filter((f) => !DONOR_FLAGS.includes(f));
    const value = [...kept, ...flags].join('.');
    reply.setCookie(READER_COOKIE, value, { httpOnly: false, sameSite: 'lax', secure: this.secure, path: '/', maxAge: READER_COOKIE_MAX_AGE });
  }
}

/** The flags in a `bs_reader` value (as prompts.js reads them); only plain words survive. */
export function parseReaderFlags(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .replace(/^"|"$/g, '')
    .split(/[.,+| ]+/)
    .filter((f) => /^[a-z][a-z0-9-]{0,30}$/.test(f))
    .slice(0, 10);
}
