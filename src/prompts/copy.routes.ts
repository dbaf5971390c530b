/**
 * The copy of the prompt variants a reader's script chose (docs/prompts.md, "Pages stay cacheable"):
 *
 *   GET /prompts/copy/12.a,15.b?v=<version>   { "12.a": "<aside ...>", "15.b": "<aside ...>" }
 *
 * Pages carry only their no-JavaScript default in full; everything else is fetched
 * from here when chosen. The answer is the same for every reader, so it goes through
 * the page cache (keyed by the path; `v` only keeps browsers from reusing an older
 * copy) with the same CDN headers as pages, and is purged with the prompts, settings
 * and newsletters it shows.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PageCache } from '../cache/page-cache.js';
import { respondCached } from '../cache/respond.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { MAX_COPY_REFS, type CopyRef, type PagePrompts } from './page-prompts.js';

const REF = '[1-9][0-9]{0,9}\\.[a-z0-9-]{1,20}';
const Params = Type.Object({ refs: Type.String({ pattern: `^${REF}(,${REF}){0,${MAX_COPY_REFS - 1}}$` }) });
const Query = Type.Object({ v: Type.Optional(Type.String({ maxLength: 40 })) });

/**
 * `12.a,15.b` as refs; campaign ids strictly ascending (the script asks that way), so one
 * set of variants has one address and the cache cannot be filled with reorderings.
 */
export function parseCopyRefs(raw: string): CopyRef[] {
  const refs = raw.split(',').map((part) => {
    const dot = part.indexOf('.');
    return { campaign: Number(part.slice(0, dot)), variant: part.slice(dot + 1) };
  });
  if (refs.some((r, i) => i > 0 && r.campaign <= refs[i - 1]!.campaign)) {
    throw new Invalid('List each campaign once, in ascending order', [{ path: '/refs', message: 'not ascending' }]);
  }
  return refs;
}

export function registerPromptCopyRoutes(app: FastifyInstance, deps: { pages: PagePrompts; cache: PageCache }): void {
  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>('/prompts/copy/:refs', {
    schema: { tags: ['prompts'], params: Params, querystring: Query },
    handler: async (request, reply) => {
      const refs = parseCopyRefs(request.params.refs);
      const found = await deps.pages.copy(refs);
      if (!found) throw new NotFound('That prompt is not running any more');
      return respondCached(deps.cache, request, reply, async () => ({
        body: JSON.stringify(found.copy),
        contentType: 'application/json; charset=utf-8',
        tags: found.tags,
      }));
    },
  });
}
