/**
 * Admin API: the donor list as CSV (`revenue.manage`: admins and the owner).
 *
 *   GET /api/admin/donors/export.csv?q=<email or name>&recurring=active|past_due|cancelled
 *
 * Streamed as it is read; `Content-Disposition: attachment` with a dated file name.
 */
import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { DonorExport } from './donor-export.js';

export interface DonorExportRoutesDeps {
  db: Kysely<Database>;
  guard: AdminGuard;
  settings: SettingsStore;
  clock: Clock;
}

const ExportQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    recurring: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('past_due'), Type.Literal('cancelled')])),
  },
  { additionalProperties: false },
);

export function registerDonorExportRoutes(app: FastifyInstance, deps: DonorExportRoutesDeps): void {
  const exporter = new DonorExport(deps.db);
  app.get(`${ADMIN_PREFIX}/donors/export.csv`, {
    preHandler: deps.guard.requireStaff('revenue.manage'),
    schema: { tags: ['donations'], querystring: ExportQuery },
    handler: async (request, reply) => {
      const query = request.query as Static<typeof ExportQuery>;
      const prepared = exporter.prepare({ q: query.q?.trim() || undefined, recurring: query.recurring }, deps.settings.get().donations.currency, deps.clock.now());
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${prepared.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(prepared.chunks));
    },
  });
}
