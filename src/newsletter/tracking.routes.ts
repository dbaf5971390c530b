/**
 * The tracked links in newsletter emails (HTTP only; the rules are in
 * tracking.service.ts):
 *
 *   GET /newsletters/c/:send/:pos/:sig   counts a click, 302 to the address stored for that send and position
 *   GET /newsletters/o/:send/:sig.gif    counts an open, a 1×1 transparent GIF
 *
 * Anything that is not one of our signed links (a malformed or tampered part,
 * another send's position, a send that does not track) is the site's friendly
 * 404 page: never a redirect, whatever the URL holds. Neither answer may be
 * stored by a browser, proxy or CDN (a cached redirect or image would not be
 * counted again). HEAD requests (link checkers) are answered but not counted.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../shared/errors.js';
import { SIG_PATTERN } from './tracking-links.js';
import type { SendTracking } from './tracking.service.js';

export interface TrackingRoutesDeps {
  tracking: SendTracking;
}

const Count = Type.Integer({ minimum: 0 });
/** A send's aggregate counts in the Admin API (`GET /api/admin/newsletter-sends/:id`); null when the send did not track. */
export const SendTrackingJson = Type.Union([
  Type.Object({
    trackOpens: Type.Boolean(),
    trackClicks: Type.Boolean(),
    opens: Count,
    clicks: Count,
    links: Type.Array(Type.Object({ url: Type.String(), clicks: Count })),
  }),
  Type.Null(),
]);

/** The smallest transparent GIF: 1×1, one transparent colour (43 bytes). */
export const TRANSPARENT_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const Id = Type.String({ pattern: '^[1-9][0-9]{0,9}$' });
const ClickParams = Type.Object({ send: Id, pos: Type.String({ pattern: '^[1-9][0-9]{0,5}$' }), sig: Type.String({ pattern: SIG_PATTERN }) });
const OpenParams = Type.Object({ send: Id, file: Type.String({ pattern: SIG_PATTERN.replace(/\$$/, '\\.gif$') }) });

const MAX_ID = 2_147_483_647;
const LINK_GONE = 'This link does not work. It may be incomplete (some email programs break long links), or the email it came from is no longer on our lists.';

/** The request's params when they are well-formed (the schema's verdict is attached instead of answering 400). */
function params<T>(request: FastifyRequest): T | undefined {
  return request.validationError ? undefined : (request.params as T);
}

export function registerTrackingRoutes(app: FastifyInstance, deps: TrackingRoutesDeps): void {
  const { tracking } = deps;

  app.get('/newsletters/c/:send/:pos/:sig', {
    schema: { hide: true, params: ClickParams },
    attachValidation: true,
    handler: async (request, reply) => {
      const p = params<Static<typeof ClickParams>>(request);
      const sendId = Number(p?.send);
      const url = p && sendId <= MAX_ID ? await tracking.click(sendId, Number(p.pos), p.sig, request.method === 'GET') : undefined;
      if (url === undefined) throw new NotFound(LINK_GONE);
      // The reader's trip to the story is nobody else's business: no Referer naming this link.
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url, 302);
    },
  });

  app.get('/newsletters/o/:send/:file', {
    schema: { hide: true, params: OpenParams },
    attachValidation: true,
    handler: async (request, reply) => {
      const p = params<Static<typeof OpenParams>>(request);
      const sendId = Number(p?.send);
      const known = p !== undefined && sendId <= MAX_ID && (await tracking.open(sendId, p.file.slice(0, -'.gif'.length), request.method === 'GET'));
      if (!known) throw new NotFound(LINK_GONE);
      return reply
        .header('content-type', 'image/gif')
        .header('cache-control', 'no-store')
        // Webmail shows the email on its own origin: the image must be loadable from there.
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(TRANSPARENT_GIF);
    },
  });
}
