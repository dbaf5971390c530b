/**
 * The Content API's routes under /api/content/v1 (docs/content-api.md). HTTP
 * only: each route is one entry of CONTENT_ROUTES (path, schemas, words for
 * the reference) with its handler; the OpenAPI document and the reference
 * page are made from the same entries. Every route needs a key (keyGuard);
 * the OpenAPI document and the reference page are public.
 *
 * Answers come from the answer cache (answer-cache.ts) when it holds them; the
 * key check, CORS and the rate limit run first all the same (onRequest).
 */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, parseShape, type ContentService, type INCLUDES } from './content.service.js';
import { ALLOWED_REQUEST_HEADERS, allowOrigin, keyGuard, OriginNotAllowed, sendAnswer, sendJson, strongEtag } from './http.js';
import { answerKey, AnswerTags, type AnswerCache } from './answer-cache.js';
import type { ApiKeysService } from './keys.service.js';
import {
  ArticleList,
  ArticleOne,
  ArticleParams,
  ArticleQuery,
  ArticlesQuery,
  AuthorList,
  AuthorOne,
  KeyOnlyQuery,
  SearchQuery,
  SearchResults,
  SectionList,
  Site,
  SlugParams,
  TagList,
} from './schemas.js';
import { buildOpenApi, renderReference, type ContentRouteSpec } from './openapi.js';

/** Builds the answer, noting in `seen` the cache tags of what it shows. */
type Handler = (service: ContentService, request: FastifyRequest, seen: AnswerTags) => Promise<unknown> | unknown;
const ALL_INCLUDES: (typeof INCLUDES)[number][] = ['authors', 'section', 'tags', 'body', 'corrections', 'related'];

/** `cached: false`: never kept by the answer cache. */
export const CONTENT_ROUTES: (ContentRouteSpec & { handle: Handler; cached?: false })[] = [
  {
    path: '/articles',
    summary: 'List published articles',
    description:
      'Published articles, newest first (or, with sort=modified, oldest change first). Filters combine. Pages through nextCursor; a cursor stays valid while articles are published. An unknown section, tag or author gives an empty list.',
    querystring: ArticlesQuery,
    response: ArticleList,
    handle: (service, request, seen) => {
      const q = request.query as Static<typeof ArticlesQuery>;
      return service.listArticles({ ...q, updatedSince: q.updated_since }, seen);
    },
  },
  {
    path: '/articles/:ref',
    summary: 'One published article',
    description:
      'By id (digits) or slug; an old slug finds the article under its new one. Includes the body (sanitized HTML and structured blocks), tags, corrections and related stories unless `include` says otherwise. Drafts, scheduled and unpublished articles are 404.',
    params: ArticleParams,
    querystring: ArticleQuery,
    response: ArticleOne,
    handle: async (service, request, seen) => {
      const q = request.query as Static<typeof ArticleQuery>;
      const { ref } = request.params as Static<typeof ArticleParams>;
      return { article: await service.article(ref, parseShape(q.fields, q.include, ALL_INCLUDES), seen) };
    },
  },
  {
    path: '/sections',
    summary: 'Sections',
    description: 'Every section, in the order of the site\'s navigation.',
    querystring: KeyOnlyQuery,
    response: SectionList,
    handle: async (service, _request, seen) => ({ items: await service.sections(seen) }),
  },
  {
    path: '/tags',
    summary: 'Tags',
    description: 'Every tag, by name.',
    querystring: KeyOnlyQuery,
    response: TagList,
    handle: async (service, _request, seen) => ({ items: await service.tags(seen) }),
  },
  {
    path: '/authors',
    summary: 'Authors',
    description: 'Every author with their public profile, avatar (with variants), the number of their published articles and a link to them.',
    querystring: KeyOnlyQuery,
    response: AuthorList,
    handle: async (service, _request, seen) => ({ items: await service.authors(seen) }),
  },
  {
    path: '/authors/:slug',
    summary: 'One author',
    description: 'An author by slug.',
    params: SlugParams,
    querystring: KeyOnlyQuery,
    response: AuthorOne,
    handle: async (service, request, seen) => ({ author: await service.authorBySlug((request.params as Static<typeof SlugParams>).slug, seen) }),
  },
  {
    path: '/site',
    summary: 'Public site settings',
    description: 'Name, description, language, time zone, logo, colours, social accounts, app store links, policy pages and feeds.',
    querystring: KeyOnlyQuery,
    response: Site,
    handle: (service, _request, seen) => ({ site: service.site(seen) }),
  },
  {
    path: '/search',
    summary: 'Search published articles',
    description: 'The site search: words and "phrases", optional section, author and dates; 20 results a page, with the matched words marked in headlineHtml and snippetHtml.',
    querystring: SearchQuery,
    response: SearchResults,
    // Results depend on every article's words, section and authors: rebuilt on each request.
    cached: false,
    handle: (service, request) => service.search(request.query as Static<typeof SearchQuery>),
  },
];

export interface ContentRoutesDeps {
  content: ContentService;
  keys: ApiKeysService;
  siteName: () => string;
  publicUrl: string;
  cache: AnswerCache;
}

export function registerContentRoutes(app: FastifyInstance, deps: ContentRoutesDeps): void {
  const guard = keyGuard(deps.keys);
  const { cache } = deps;
  for (const route of CONTENT_ROUTES) {
    app.get(API_PREFIX + route.path, {
      onRequest: guard,
      schema: { querystring: route.querystring, ...(route.params ? { params: route.params } : {}) },
      handler: async (request, reply) => {
        if (route.cached === false || !cache.enabled) return sendJson(request, reply, await route.handle(deps.content, request, new AnswerTags()));
        const key = answerKey(route.path, request.params, request.query);
        const hit = cache.get(key);
        // A hit (and a 304 against its ETag) builds nothing: the bytes and ETag are kept together.
        if (hit) return sendAnswer(request, reply.header('x-cache', 'HIT'), hit.body, hit.etag);
        const started = cache.begin();
        const seen = new AnswerTags();
        const body = Buffer.from(JSON.stringify(await route.handle(deps.content, request, seen)));
        const answer = cache.set(key, { body, etag: strongEtag(body) }, seen, started);
        return sendAnswer(request, reply.header('x-cache', 'MISS'), answer.body, answer.etag);
      },
    });
  }

  // CORS preflight: it carries no key, so an origin that any working key allows is answered.
  app.options(`${API_PREFIX}/*`, async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !(await deps.keys.anyKeyAllows(origin))) throw new OriginNotAllowed(typeof origin === 'string' ? origin : 'this page');
    allowOrigin(reply, origin);
    return reply
      .code(204)
      .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
      .header('access-control-allow-headers', ALLOWED_REQUEST_HEADERS)
      .header('access-control-max-age', '600')
      .header('cache-control', 'no-store')
      .send();
  });

  // The description of the API is public: anyone may read how to use it (no key, any origin).
  const openApi = () => buildOpenApi(CONTENT_ROUTES, { publicUrl: deps.publicUrl, siteName: deps.siteName() });
  app.get(`${API_PREFIX}/openapi.json`, async (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    return sendJson(request, reply, openApi(), 'public, max-age=300');
  });
  app.get('/developers', async (request, reply) => {
    const html = renderReference(openApi(), { siteName: deps.siteName() });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=300').send(html);
  });
}
