/**
 * Turning a network's HTTP answer into a NetworkError: the same rules for all
 * four networks, so an expired token or a rate limit reads the same in the admin.
 */
import { NetworkError, type NetworkErrorKind } from './types.js';

/** Minimal header access: fetch's Headers and node's IncomingHttpHeaders both fit through `headerReader`. */
export type HeaderReader = (name: string) => string | undefined;

export function headerReader(headers: Headers | Record<string, string | string[] | undefined> | undefined): HeaderReader {
  if (!headers) return () => undefined;
  if (typeof (headers as Headers).get === 'function') return (name) => (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  return (name) => {
    const value = record[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
}

const MAX_WAIT_MS = 24 * 3_600_000;

/**
 * When a rate-limited request may be tried again, from the headers networks use:
 * `Retry-After` (seconds or an HTTP date), Mastodon's `X-RateLimit-Reset` (ISO
 * time), X's `x-rate-limit-reset` and Bluesky's `ratelimit-reset` (Unix seconds).
 */
export function retryAtFrom(header: HeaderReader, now: Date): Date | undefined {
  const candidates: (Date | undefined)[] = [];
  const retryAfter = header('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    candidates.push(Number.isFinite(seconds) ? new Date(now.getTime() + seconds * 1000) : dateOrUndefined(Date.parse(retryAfter)));
  }
  for (const name of ['x-rate-limit-reset', 'ratelimit-reset', 'x-ratelimit-reset']) {
    const value = header(name);
    if (!value) continue;
    const epoch = Number(value);
    candidates.push(Number.isFinite(epoch) ? new Date(epoch * 1000) : dateOrUndefined(Date.parse(value)));
  }
  const known = candidates.filter((d): d is Date => d !== undefined);
  if (known.length === 0) return undefined;
  const latest = Math.max(...known.map((d) => d.getTime()));
  return new Date(Math.min(Math.max(latest, now.getTime() + 1000), now.getTime() + MAX_WAIT_MS));
}

function dateOrUndefined(ms: number): Date | undefined {
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

export function kindForStatus(status: number): NetworkErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate';
  if (status === 408 || status >= 500) return 'unavailable';
  return 'rejected';
}

/** The NetworkError for an HTTP status and the network's own message. */
export function httpError(network: string, status: number, message: string | undefined, header: HeaderReader, now: Date): NetworkError {
  const kind = kindForStatus(status);
  const said = message?.trim() ? `: ${message.trim().slice(0, 500)}` : '';
  const text =
    kind === 'auth'
      ? `${network} refused the credentials (HTTP ${status})${said}. The token may have expired or been revoked: reconnect the account.`
      : kind === 'rate'
        ? `${network} rate limit reached (HTTP 429)${said}`
        : `${network} answered HTTP ${status}${said}`;
  return new NetworkError(kind, text, { status, ...(kind === 'rate' ? { retryAt: retryAtFrom(header, now) } : {}) });
}

/** A failure before any answer (refused connection, DNS, timeout): the network never said no, so try again later. */
export function connectionError(network: string, error: unknown): NetworkError {
  const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new NetworkError('unavailable', `Could not reach ${network}: ${message.slice(0, 300)}`);
}

/** An answer that came back but could not be understood: worth another try, not a silent success. */
export function unexpectedAnswer(network: string, what: string): NetworkError {
  return new NetworkError('unavailable', `${network} gave an unexpected answer: ${what}`);
}
