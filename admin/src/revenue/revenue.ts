/** Types and small helpers for the donations screens (Admin API: src/revenue/admin.routes.ts). */
export type Frequency = 'once' | 'monthly' | 'yearly';
export type DonationStatus = 'pending' | 'failed' | 'succeeded' | 'partially_refunded' | 'refunded';
export type RefundReason = 'requested_by_customer' | 'duplicate' | 'fraudulent';
export type RecurringStatus = 'active' | 'past_due' | 'cancelled';

export const FREQUENCY_NAMES: Record<Frequency, string> = { once: 'One-time', monthly: 'Monthly', yearly: 'Yearly' };
export const STATUS_NAMES: Record<DonationStatus, string> = { pending: 'Payment pending', failed: 'Payment failed', succeeded: 'Paid', partially_refunded: 'Partly refunded', refunded: 'Refunded' };
export const REFUND_REASON_NAMES: Record<RefundReason, string> = { requested_by_customer: 'The donor asked for it', duplicate: 'A duplicate gift', fraudulent: 'Fraudulent' };
export const RECURRING_NAMES: Record<RecurringStatus, string> = { active: 'Active', past_due: 'Past due', cancelled: 'Cancelled' };

export interface Donation {
  id: number;
  donor: { id: number; email: string; name: string };
  amountMinor: number;
  feeCoveredMinor: number;
  refundedMinor: number;
  /** Refunds asked for here that Stripe has not reported done yet. */
  pendingRefundMinor: number;
  refundableMinor: number;
  currency: string;
  frequency: Frequency;
  status: DonationStatus;
  articleId: number | null;
  campaign: string;
  utm: { source: string; medium: string; campaign: string; term: string; content: string };
  message: string;
  paidAt: string;
  /** Refunds asked for here, newest first, with what became of each at Stripe. */
  refunds: RefundRequest[];
}

/** A refund asked for here: pending until Stripe says it succeeded or failed (`error` says why). */
export interface RefundRequest {
  id: number;
  donationId: number;
  amountMinor: number;
  reason: RefundReason;
  note: string;
  status: 'pending' | 'succeeded' | 'failed';
  error: string;
  stripeRefundId: string | null;
  createdAt: string;
}

export interface DonationPage {
  items: Donation[];
  total: number;
  page: number;
  pageSize: number;
  totals: { count: number; amountMinor: number; refundedMinor: number };
  currency: string;
}

export interface Donor {
  id: number;
  email: string;
  name: string;
  totalMinor: number;
  giftCount: number;
  firstGiftAt: string | null;
  lastGiftAt: string | null;
  recurring: RecurringStatus | null;
  hasStripeCustomer: boolean;
}

export interface DonorPage {
  items: Donor[];
  total: number;
  page: number;
  pageSize: number;
  totalMinor: number;
  currency: string;
}

export interface DonationsSetup {
  ready: boolean;
  missing: string[];
  webhookUrl: string;
  events: string[];
  currency: string;
  /** The embeddable donate form: its address, the copy-paste codes, the sites that may frame it. */
  embed: { url: string; iframe: string; form: string; allowedOrigins: string[] };
}

export const PAGE_SIZE = 50;

/** Digits of the currency's minor unit (2 for USD, 0 for JPY); undefined for a code Intl does not know. */
export function minorDigits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return undefined;
  }
}

/** Minor units → "$20.91" in the currency's own digits. */
export function money(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = minorDigits(code);
  if (digits === undefined) return `${minor} ${code}`;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: code }).format(minor / 10 ** digits);
}
