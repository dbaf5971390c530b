/**
 * Admin API: the subscriber list as CSV (`newsletter.manage`: editors and up).
 *
 *   GET /api/admin/subscribers/export.csv?newsletter=<slug or id>&status=<status>
 *
 * Streamed as it is read; `Content-Disposition: attachment` with a dated file name.
 */
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { Clock } from '../shared/clock.js';
import type { SubscriptionStatus } from '../db/schema.js';
import type { SubscriberExport } from './export.js';

export interface ExportRoutesDeps {
  exporter: SubscriberExport;
  guard: AdminGuard;
  clock: Clock;
}

const ExportQuery = Type.Object(
  {
    newsletter: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.Union(['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained'].map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

export function registerExportRoutes(app: FastifyInstance, deps: ExportRoutesDeps): void {
  app.get(`${ADMIN_PREFIX}/subscribers/export.csv`, {
    preHandler: deps.guard.requireStaff('newsletter.manage'),
    schema: { tags: ['subscribers'], querystring: ExportQuery },
    handler: async (request, reply) => {
      const query = request.query as Static<typeof ExportQuery>;
      const prepared = await deps.exporter.prepare({ newsletter: query.newsletter, status: query.status as SubscriptionStatus | undefined }, deps.clock.now());
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${prepared.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(prepared.chunks));
    },
  });
}
