/**
 * The Content API's HTTP rules, shared by its routes: which key a request
 * presents, CORS for the key's allowed origins, the per-key rate limit with
 * its headers, and JSON answers with a strong ETag (304 on If-None-Match).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { keyAllowsOrigin, type ApiKeysService } from './keys.service.js';

export class RateLimited extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(limit: number, retryAfterSeconds: number) {
    super(`This key may make ${limit} requests a minute; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`);
  }
}

export class OriginNotAllowed extends AppError {
  readonly status = 403;
  readonly code = 'origin_not_allowed';
  constructor(origin: string) {
    super(`Browser requests from ${origin} are not allowed; add the origin to the key's allowed origins in the admin`);
  }
}

export const ALLOWED_REQUEST_HEADERS = 'Authorization, X-Api-Key, If-None-Match';
const EXPOSED_HEADERS = 'ETag, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After, X-Request-Id';
/**
 * Keyed answers may be kept by the app's own HTTP cache (a minute, then revalidated with the ETag),
 * never by a shared cache: a proxy would hand them to callers without a key, past revocation and limits.
 */
export const KEYED_CACHE_CONTROL = 'private, max-age=60, stale-while-revalidate=300';
const VARY = 'Authorization, X-Api-Key, Origin';

/** The key from `Authorization: Bearer …`, `X-Api-Key`, or `?key=` (in that order). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : authorization.trim();
  }
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.key === 'string' ? query.key : undefined;
}

export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', EXPOSED_HEADERS).header('vary', VARY);
}

/** Authenticates the request's key, applies its CORS origins and counts it against its rate limit. */
export function keyGuard(keys: ApiKeysService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
    let key;
    try {
      key = await keys.authenticate(presentedKey(request));
    } catch (error) {
      // A browser app must be able to read why its key was refused, if its site may call us at all.
      if (origin && (await keys.anyKeyAllows(origin))) allowOrigin(reply, origin);
      throw error;
    }
    if (origin) {
      if (!keyAllowsOrigin(key, origin)) throw new OriginNotAllowed(origin);
      allowOrigin(reply, origin);
    }
    const rate = await keys.take(key);
    reply
      .header('ratelimit-limit', String(rate.limit))
      .header('ratelimit-remaining', String(rate.remaining))
      .header('ratelimit-reset', String(rate.resetSeconds))
      .header('ratelimit-policy', `${rate.limit};w=60`);
    if (!rate.allowed) {
      reply.header('retry-after', String(rate.resetSeconds));
      throw new RateLimited(rate.limit, rate.resetSeconds);
    }
  };
}

export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether If-None-Match names this ETag (or is `*`). Weak validators compare by their opaque part. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** Sends `data` as JSON with a strong ETag of its bytes; 304 without a body when the client has them. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, data: unknown, cacheControl = KEYED_CACHE_CONTROL): FastifyReply {
  const body = JSON.stringify(data);
  return sendAnswer(request, reply, body, strongEtag(body), cacheControl);
}

/** Sends JSON already serialized, with its ETag (from the answer cache, or just built); 304 when the client has it. */
export function sendAnswer(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, etag: string, cacheControl = KEYED_CACHE_CONTROL): FastifyReply {
  reply.header('etag', etag).header('cache-control', cacheControl);
  if (!reply.hasHeader('vary')) reply.header('vary', VARY);
  const header = request.headers['if-none-match'];
  if (etagMatches(typeof header === 'string' ? header : undefined, etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
