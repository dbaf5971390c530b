/**
 * Answers a GET from the page cache or by rendering, for any content type
 * (HTML pages, feeds, sitemaps). The rendered result is stored under the URL's
 * cache key with its tags, and sent with ETag/Last-Modified validators,
 * conditional 304s and CDN headers (Cache-Control with s-maxage and
 * stale-while-revalidate, Surrogate-Key and Cache-Tag for targeted purges).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { etagFor, type CachedPage, type PageCache } from './page-cache.js';

/**
 * Cached pages are gzipped once, when stored, and sent gzipped to every client
 * that accepts it (browsers always do): a 17 KB article page goes out as
 * ~5 KB. Without a proxy in front, Broadsheet would otherwise send every page
 * in full. Smaller bodies gain too little to be worth a second copy.
 */
const GZIP_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|manifest\+json|javascript))/;

/** The gzipped copy of a body worth compressing, or undefined. */
export function gzipFor(body: Buffer, contentType: string): Buffer | undefined {
  if (body.length < GZIP_MIN_BYTES || !COMPRESSIBLE.test(contentType)) return undefined;
  return gzipSync(body, { level: 6 });
}

/** Whether Accept-Encoding allows gzip (listed, or `*`, and not with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  let star = false;
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const refused = q !== undefined && Number(q.slice(2)) === 0;
    if (name === 'gzip' || name === 'x-gzip') return !refused;
    if (name === '*') star = !refused;
  }
  return star;
}

/** The gzipped representation's ETag: a different representation needs a different strong validator. */
export const gzipEtag = (etag: string): string => `${etag.slice(0, -1)}-gz"`;

/** The representation a request gets: the gzipped copy when there is one and the client accepts it. */
function representation(headers: IncomingHttpHeaders, page: CachedPage): { body: Buffer; etag: string; gzip: boolean } {
  if (page.gzip && acceptsGzip(headers['accept-encoding'])) return { body: page.gzip, etag: gzipEtag(page.etag), gzip: true };
  return { body: page.body, etag: page.etag, gzip: false };
}

export const PAGE_CACHE_CONTROL = 'public, max-age=60, s-maxage=300, stale-while-revalidate=600, stale-if-error=86400';

export interface RenderedPage {
  status?: number;
  body: string;
  /** Default: text/html; charset=utf-8 */
  contentType?: string;
  /** Cache tags of everything the page shows. */
  tags: string[];
  /** ISO time of the newest content shown (default: now). */
  lastModified?: string;
  /** Epoch ms when the page must be rendered again whatever happens. */
  expiresAt?: number;
  cacheControl?: string;
}

const MAX_PAGE = 100_000;

/** The page number from `?page=`; undefined when the value is not a page number. */
export function parsePage(raw: unknown): number | undefined {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return undefined;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : undefined;
}

export const PAGE_LIMIT = MAX_PAGE;

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/**
 * The cache key of a URL: the path, plus the page number when it is not 1.
 * Other query parameters (utm_source and friends) do not change a page.
 * Undefined when the URL must not be served from the cache (a bad page value).
 */
export function cacheKeyFor(url: string): string | undefined {
  const [pathname, query] = splitUrl(url);
  if (!query) return pathname;
  const params = new URLSearchParams(query);
  const raw = params.get('page');
  if (raw === null) return pathname;
  const page = parsePage(raw);
  if (page === undefined) return undefined;
  return page === 1 ? pathname : `${pathname}?page=${page}`;
}

export function fresh(request: { headers: FastifyRequest['headers'] }, page: Pick<CachedPage, 'etag' | 'lastModified'>): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === page.etag);
  const ims = request.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Date.parse(page.lastModified) <= since;
  }
  return false;
}

/** Surrogate-Key and Cache-Tag values, joined once per cached page rather than on every hit. */
const tagHeaders = new WeakMap<CachedPage, [string, string]>();

export function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage, hit: boolean): FastifyReply {
  let tags = tagHeaders.get(page);
  if (!tags) tagHeaders.set(page, (tags = [page.tags.join(' '), page.tags.join(',')]));
  const chosen = representation(request.headers, page);
  reply
    .code(page.status)
    .header('content-type', page.contentType)
    .header('etag', chosen.etag)
    .header('last-modified', page.lastModified)
    .header('cache-control', page.cacheControl)
    .header('surrogate-key', tags[0])
    .header('cache-tag', tags[1])
    .header('x-cache', hit ? 'HIT' : 'MISS');
  if (page.gzip) reply.header('vary', 'Accept-Encoding');
  if (chosen.gzip) reply.header('content-encoding', 'gzip');
  if (page.status === 200 && fresh(request, { etag: chosen.etag, lastModified: page.lastModified })) return reply.code(304).send();
  return reply.send(chosen.body);
}

export async function respondCached(
  cache: PageCache,
  request: FastifyRequest,
  reply: FastifyReply,
  render: () => Promise<RenderedPage>,
): Promise<FastifyReply> {
  const key = cacheKeyFor(request.url);
  const started = cache.begin();
  const rendered = await render();
  const body = Buffer.from(rendered.body);
  const status = rendered.status ?? 200;
  const contentType = rendered.contentType ?? 'text/html; charset=utf-8';
  const cached: CachedPage = {
    status,
    body,
    gzip: gzipFor(body, contentType),
    contentType,
    etag: etagFor(body),
    lastModified: new Date(rendered.lastModified ?? Date.now()).toUTCString(),
    tags: [...new Set(rendered.tags)],
    cacheControl: rendered.cacheControl ?? (status === 200 ? PAGE_CACHE_CONTROL : 'public, max-age=60, s-maxage=60'),
    expiresAt: rendered.expiresAt,
  };
  if (key !== undefined) cache.set(key, cached, started);
  return sendCached(request, reply, cached, false);
}

/**
 * The fast path, installed once as an onRequest hook: a cached page is answered
 * before routing and rendering.
 */
export function serveFromCache(cache: PageCache) {
  // Callback style (no promise per request): answering without calling done() ends the hook chain.
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!cache.enabled || (request.method !== 'GET' && request.method !== 'HEAD')) return done();
    const key = cacheKeyFor(request.url);
    if (key === undefined) return done();
    const hit = cache.get(key);
    if (!hit) return done();
    sendCached(request, reply, hit, true);
  };
}

/** The header sets of a cached page as the raw fast path sends them (identity, gzip), built once per page. */
const rawHeaderSets = new WeakMap<CachedPage, [Record<string, string | number>, Record<string, string | number> | undefined]>();

function rawHeaders(page: CachedPage, staticHeaders: readonly [string, string][]): [Record<string, string | number>, Record<string, string | number> | undefined] {
  let sets = rawHeaderSets.get(page);
  if (sets) return sets;
  const identity: Record<string, string | number> = Object.fromEntries(staticHeaders);
  Object.assign(identity, {
    'content-type': page.contentType,
    etag: page.etag,
    'last-modified': page.lastModified,
    'cache-control': page.cacheControl,
    'surrogate-key': page.tags.join(' '),
    'cache-tag': page.tags.join(','),
    'x-cache': 'HIT',
    'content-length': page.body.length,
  });
  if (page.gzip) identity.vary = 'Accept-Encoding';
  const gzip = page.gzip ? { ...identity, etag: gzipEtag(page.etag), 'content-encoding': 'gzip', 'content-length': page.gzip.length } : undefined;
  rawHeaderSets.set(page, (sets = [identity, gzip]));
  return sets;
}

/**
 * Serves a page-cache hit straight from node:http, before Fastify sees the
 * request: no routing, hooks, reply object or child logger for the commonest
 * request a newsroom gets. Answers only GET/HEAD whose cache key is cached;
 * returns false for everything else, which then goes to Fastify as usual.
 */
export function createRawCacheResponder(cache: PageCache, staticHeaders: readonly [string, string][], requestId: (req: IncomingMessage) => string) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!cache.enabled || (req.method !== 'GET' && req.method !== 'HEAD') || req.url === undefined) return false;
    const key = cacheKeyFor(req.url);
    if (key === undefined) return false;
    const page = cache.get(key);
    if (!page) return false;
    const [identity, gzip] = rawHeaders(page, staticHeaders);
    const useGzip = gzip !== undefined && acceptsGzip(req.headers['accept-encoding']);
    const headers = useGzip ? gzip : identity;
    res.setHeader('x-request-id', requestId(req));
    if (page.status === 200 && fresh(req, { etag: headers.etag as string, lastModified: page.lastModified })) {
      // A 304 may carry the Content-Length the 200 would have had (RFC 9110, 8.6); Node sends no body.
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(page.status, headers);
    if (req.method === 'HEAD') res.end();
    else res.end(useGzip ? page.gzip : page.body);
    return true;
  };
}
