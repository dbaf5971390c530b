/**
 * Admin API for reader revenue (`revenue.manage`: admins and the owner).
 * Gifts are written by Stripe's webhook alone; a refund is asked of Stripe here
 * and shows as pending until Stripe's `charge.refunded` says it is done.
 *
 *   GET  /api/admin/donations        search (q, frequency, status, donorId, page, pageSize) with totals
 *   POST /api/admin/donations/:id/refunds   refund in full or in part, once per idempotency key
 *   GET /api/admin/donors           search (q, recurring, page, pageSize) with totals
 *   GET /api/admin/donations/setup  whether Stripe is set up, what is missing, the webhook URL to give Stripe,
 *                                   and the embeddable form's copy-paste codes
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import type { StripeConfig } from '../config.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { DonationListRow, DonationsRepository, DonorListRow } from './donations.repository.js';
import { HANDLED_EVENTS } from './stripe-events.service.js';
import { missingStripeSettings } from './stripe-client.js';
import { REFUND_REASONS, refundState, type DonationRefunds } from './refunds.service.js';
import type { RefundRequestsRepository } from './refunds.repository.js';
import type { DonationRefundRequestRow } from '../db/schema.js';
import { Conflict } from '../shared/errors.js';
import { checked } from '../shared/checked.js';
import { embedCodes } from './embed.js';

export interface RevenueAdminRoutesDeps {
  repo: DonationsRepository;
  refunds: DonationRefunds;
  refundRequests: RefundRequestsRepository;
  guard: AdminGuard;
  stripe: StripeConfig;
  settings: SettingsStore;
  publicUrl: string;
}

const Frequency = Type.Union([Type.Literal('once'), Type.Literal('monthly'), Type.Literal('yearly')]);
const Status = Type.Union([Type.Literal('pending'), Type.Literal('failed'), Type.Literal('succeeded'), Type.Literal('partially_refunded'), Type.Literal('refunded')]);
const Recurring = Type.Union([Type.Literal('active'), Type.Literal('past_due'), Type.Literal('cancelled')]);
const Page = { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) };
const Q = Type.Optional(Type.String({ maxLength: 200 }));

const DonationQuery = Type.Object({ q: Q, frequency: Type.Optional(Frequency), status: Type.Optional(Status), donorId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })), ...Page }, { additionalProperties: false });
const DonorQuery = Type.Object({ q: Q, recurring: Type.Optional(Recurring), ...Page }, { additionalProperties: false });

const RefundReason = Type.Union(REFUND_REASONS.map((r) => Type.Literal(r)));
const RefundBody = Type.Object(
  {
    /** Minor units; left out: everything still refundable. */
    amountMinor: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    reason: RefundReason,
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** Made by the admin when the confirmation opens: a double click or a retry refunds once. */
    idempotencyKey: Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  },
  { additionalProperties: false },
);
// Fastify's validator drops unknown fields silently (removeAdditional); money is moved here, so a misspelt field
// (`amount` for `amountMinor` would refund everything) is refused with a 400 naming it, as the push alerts do.
const checkRefundBody = TypeCompiler.Compile(RefundBody);
const RefundRequest = Type.Object({
  id: Type.Integer(),
  donationId: Type.Integer(),
  amountMinor: Type.Integer(),
  reason: RefundReason,
  note: Type.String(),
  /**
   * pending: asked, Stripe has not said it went through; succeeded: Stripe's refund succeeded; failed: Stripe
   * refused it, or took it and it failed later (`error` says why: the money stayed with us).
   */
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  error: Type.String(),
  stripeRefundId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const Donation = Type.Object({
  id: Type.Integer(),
  donor: Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String() }),
  amountMinor: Type.Integer(),
  feeCoveredMinor: Type.Integer(),
  refundedMinor: Type.Integer(),
  /** Refunds asked for in the admin that Stripe has not reported done yet. */
  pendingRefundMinor: Type.Integer(),
  refundableMinor: Type.Integer(),
  currency: Type.String(),
  frequency: Frequency,
  status: Status,
  articleId: Type.Union([Type.Integer(), Type.Null()]),
  campaign: Type.String(),
  utm: Type.Object({ source: Type.String(), medium: Type.String(), campaign: Type.String(), term: Type.String(), content: Type.String() }),
  message: Type.String(),
  stripe: Type.Object({ paymentIntent: Type.Union([Type.String(), Type.Null()]), invoice: Type.Union([Type.String(), Type.Null()]), subscription: Type.Union([Type.String(), Type.Null()]) }),
  paidAt: Type.String(),
  /** The refunds asked for from the admin, newest first, with what became of each. */
  refunds: Type.Array(RefundRequest),
});
const Donor = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  totalMinor: Type.Integer(),
  giftCount: Type.Integer(),
  firstGiftAt: Type.Union([Type.String(), Type.Null()]),
  lastGiftAt: Type.Union([Type.String(), Type.Null()]),
  recurring: Type.Union([Recurring, Type.Null()]),
  hasStripeCustomer: Type.Boolean(),
});

const refundRequestJson = (r: DonationRefundRequestRow): Static<typeof RefundRequest> => ({
  id: r.id,
  donationId: r.donation_id,
  amountMinor: r.amount_minor,
  reason: r.reason,
  note: r.note,
  status: r.status === 'failed' || r.status === 'succeeded' ? r.status : 'pending',
  error: r.error,
  stripeRefundId: r.stripe_refund_id,
  createdAt: r.created_at,
});

const donationJson = (d: DonationListRow, expectedRefunded: number | undefined, refunds: readonly DonationRefundRequestRow[]): Static<typeof Donation> => ({
  id: d.id,
  donor: { id: d.donor_id, email: d.donor_email, name: d.donor_name },
  amountMinor: d.amount_minor,
  feeCoveredMinor: d.fee_covered_minor,
  refundedMinor: d.refunded_minor,
  pendingRefundMinor: refundState(d, expectedRefunded).pendingRefundMinor,
  refundableMinor: refundState(d, expectedRefunded).refundableMinor,
  currency: d.currency,
  frequency: d.frequency,
  status: d.status,
  articleId: d.article_id,
  campaign: d.campaign,
  utm: { source: d.utm_source, medium: d.utm_medium, campaign: d.utm_campaign, term: d.utm_term, content: d.utm_content },
  message: d.message,
  stripe: { paymentIntent: d.stripe_payment_intent_id, invoice: d.stripe_invoice_id, subscription: d.stripe_subscription_id },
  paidAt: d.paid_at,
  refunds: refunds.map(refundRequestJson),
});
const donorJson = (d: DonorListRow): Static<typeof Donor> => ({
  id: d.id,
  email: d.email,
  name: d.name,
  totalMinor: d.total_minor,
  giftCount: d.gift_count,
  firstGiftAt: d.first_gift_at,
  lastGiftAt: d.last_gift_at,
  recurring: d.recurring_status,
  hasStripeCustomer: d.stripe_customer_id !== null,
});

export function registerRevenueAdminRoutes(app: FastifyInstance, deps: RevenueAdminRoutesDeps): void {
  const { repo, guard } = deps;
  const access = guard.requireStaff('revenue.manage');

  app.get(`${ADMIN_PREFIX}/donations/setup`, {
    preHandler: access,
    schema: {
      tags: ['donations'],
      response: {
        200: Type.Object({
          ready: Type.Boolean(),
          missing: Type.Array(Type.String()),
          webhookUrl: Type.String(),
          events: Type.Array(Type.String()),
          currency: Type.String(),
          /** The embeddable donate form (embed.ts): its address, the copy-paste codes, the sites that may frame it. */
          embed: Type.Object({ url: Type.String(), iframe: Type.String(), form: Type.String(), allowedOrigins: Type.Array(Type.String()) }),
        }),
      },
    },
    handler: async () => {
      const missing = missingStripeSettings(deps.stripe);
      const settings = deps.settings.get();
      return {
        ready: missing.length === 0,
        missing,
        webhookUrl: `${deps.publicUrl}/webhooks/stripe`,
        events: [...HANDLED_EVENTS],
        currency: settings.donations.currency,
        embed: { ...embedCodes(deps.publicUrl, settings), allowedOrigins: settings.donations.embedOrigins },
      };
    },
  });

  app.get(`${ADMIN_PREFIX}/donations`, {
    preHandler: access,
    schema: {
      tags: ['donations'],
      querystring: DonationQuery,
      response: {
        200: Type.Object({
          items: Type.Array(Donation),
          total: Type.Integer(),
          page: Type.Integer(),
          pageSize: Type.Integer(),
          totals: Type.Object({ count: Type.Integer(), amountMinor: Type.Integer(), refundedMinor: Type.Integer() }),
          currency: Type.String(),
        }),
      },
    },
    handler: async (request) => {
      const query = request.query as Static<typeof DonationQuery>;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      const result = await repo.searchDonations({ q: query.q?.trim() || undefined, frequency: query.frequency, status: query.status, donorId: query.donorId }, page, pageSize);
      const ids = result.items.map((d) => d.id);
      const [expected, refunds] = await Promise.all([deps.refundRequests.expectedTotals(ids), deps.refundRequests.forDonations(ids)]);
      return { items: result.items.map((d) => donationJson(d, expected.get(d.id), refunds.get(d.id) ?? [])), total: result.total, page, pageSize, totals: result.totals, currency: deps.settings.get().donations.currency };
    },
  });

  app.post<{ Params: { id: number }; Body: Static<typeof RefundBody> }>(`${ADMIN_PREFIX}/donations/:id/refunds`, {
    preHandler: access,
    schema: {
      tags: ['donations'],
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
      // additionalProperties: true so the validator keeps unknown fields for checkRefundBody to refuse.
      body: { ...RefundBody, additionalProperties: true },
      response: { 200: RefundRequest, 201: RefundRequest },
    },
    handler: async (request, reply) => {
      const body = checked(checkRefundBody, request.body, 'The refund has invalid fields');
      const { request: refund, created } = await deps.refunds.refund(request.params.id, body, request.staff?.user.id ?? null);
      // The same answer for the first try and every replay of its key.
      if (refund.status === 'failed') throw new Conflict(`Stripe refused this refund: ${refund.error}`, { refund: refundRequestJson(refund) });
      // 201 for a new refund, 200 when the key was seen before (a double click or a retry): either way, one refund.
      return reply.code(created ? 201 : 200).send(refundRequestJson(refund));
    },
  });

  app.get(`${ADMIN_PREFIX}/donors`, {
    preHandler: access,
    schema: {
      tags: ['donations'],
      querystring: DonorQuery,
      response: { 200: Type.Object({ items: Type.Array(Donor), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), totalMinor: Type.Integer(), currency: Type.String() }) },
    },
    handler: async (request) => {
      const query = request.query as Static<typeof DonorQuery>;
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? 50;
      const result = await repo.searchDonors({ q: query.q?.trim() || undefined, recurring: query.recurring }, page, pageSize);
      return { items: result.items.map(donorJson), total: result.total, page, pageSize, totalMinor: result.totalMinor, currency: deps.settings.get().donations.currency };
    },
  });
}
