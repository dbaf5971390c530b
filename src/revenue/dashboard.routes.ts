/**
 * Admin API: the donations dashboard (`revenue.manage`: admins and the owner).
 *
 *   GET /api/admin/donations/summary?from=YYYY-MM-DD&to=YYYY-MM-DD&interval=day|week|month
 *
 * Dates are the site's local dates, both included; without them, the last 30
 * days, 12 weeks or 12 months up to today. What the numbers mean: dashboard.service.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { Clock } from '../shared/clock.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DonationsDashboard } from './dashboard.service.js';

export interface DashboardRoutesDeps {
  db: Kysely<Database>;
  guard: AdminGuard;
  settings: SettingsStore;
  clock: Clock;
}

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });
const Interval = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]);
const SummaryQuery = Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate), interval: Type.Optional(Interval) }, { additionalProperties: false });

const Sums = { raisedMinor: Type.Integer(), oneTimeMinor: Type.Integer(), recurringMinor: Type.Integer(), refundedMinor: Type.Integer(), count: Type.Integer() };
const Summary = Type.Object({
  from: Type.String(),
  to: Type.String(),
  interval: Interval,
  timeZone: Type.String(),
  currency: Type.String(),
  totals: Type.Object(Sums),
  periods: Type.Array(Type.Object({ start: Type.String(), end: Type.String(), ...Sums })),
  recurring: Type.Object({ activeDonors: Type.Integer(), activeGifts: Type.Integer(), monthlyRevenueMinor: Type.Integer() }),
  topArticles: Type.Array(Type.Object({ id: Type.Integer(), headline: Type.String(), slug: Type.String(), raisedMinor: Type.Integer(), count: Type.Integer() })),
  topCampaigns: Type.Array(Type.Object({ campaign: Type.String(), raisedMinor: Type.Integer(), count: Type.Integer() })),
});

export function registerDashboardRoutes(app: FastifyInstance, deps: DashboardRoutesDeps): void {
  const dashboard = new DonationsDashboard(
    new DashboardRepository(deps.db),
    () => {
      const settings = deps.settings.get();
      return { timeZone: settings.timeZone, currency: settings.donations.currency };
    },
    () => deps.clock.now(),
  );
  app.get(`${ADMIN_PREFIX}/donations/summary`, {
    preHandler: deps.guard.requireStaff('revenue.manage'),
    schema: { tags: ['donations'], querystring: SummaryQuery, response: { 200: Summary } },
    handler: async (request) => dashboard.summary(request.query as Static<typeof SummaryQuery>),
  });
}
