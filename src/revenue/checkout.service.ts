/**
 * Starting a gift: the donate form's choices checked against the site's
 * donation settings, then a Stripe Checkout Session (`payment` for one-time
 * gifts, `subscription` with an inline monthly or yearly price for recurring
 * ones) whose page the reader is sent to. Nothing is recorded here: the gift is
 * recorded when Stripe's webhook says it was paid (stripe-events.service.ts).
 */
import Stripe from 'stripe';
import type { DonationFrequency } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import { AppError, Invalid, type FieldProblem } from '../shared/errors.js';
import { parseEmailAddress } from '../newsletter/email-address.js';
import type { Attribution } from './donations.repository.js';
import { feeToCover, formatMoney, parseAmount, toMinor } from './money.js';
import { isFrequency, toStripeMetadata } from './metadata.js';

/** Donations are off: no Stripe keys. */
export class DonationsNotSetUp extends AppError {
  readonly status = 503;
  readonly code = 'not_set_up';
  constructor() {
    super('Donations are not set up yet');
  }
}

/** Stripe could not be reached or refused the request: the reader may try again. */
export class PaymentProviderFailed extends AppError {
  readonly status = 502;
  readonly code = 'payment_provider';
  constructor() {
    super('We could not reach our payment provider');
  }
}

export interface DonateInput {
  frequency: string;
  /** A suggested amount's value, or "custom". */
  amount: string;
  customAmount: string;
  currency: string;
  coverFees: boolean;
  message: string;
  email: string;
  name: string;
  attribution: RawAttribution;
}

export interface RawAttribution {
  article: string;
  campaign: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  /** The reader prompt variant whose link led here (`/donate?campaign=…&variant=…`). */
  variant: string;
}

export const ATTRIBUTION_FIELDS = ['article', 'campaign', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'variant'] as const;

/** A prompt variant's key as the prompts write it, or '' (it only counts with a campaign). */
export function promptVariantOf(raw: Partial<RawAttribution>): string {
  const variant = (raw.variant ?? '').trim();
  return raw.campaign && /^[A-Za-z0-9_-]{1,40}$/.test(variant) ? variant : '';
}

export interface ThankYou {
  paid: boolean;
  amountMinor: number;
  currency: string;
  frequency: DonationFrequency;
  email: string;
}

/** Attribution from a query string or hidden fields: kept when it looks like what it says, dropped otherwise. */
export function cleanAttribution(raw: Partial<RawAttribution>, message = ''): Attribution {
  const label = (value: string | undefined) => {
    const v = (value ?? '').trim().slice(0, 100);
    // Printable text only: these are shown in the admin and sent to Stripe.
    return /^[\p{L}\p{N} ._:/+@#&=-]*$/u.test(v) ? v : '';
  };
  const article = /^\d{1,10}$/.test((raw.article ?? '').trim()) ? Number(raw.article!.trim()) : 0;
  return {
    articleId: article > 0 && article <= 2_147_483_647 ? article : null,
    campaign: label(raw.campaign),
    utmSource: label(raw.utm_source),
    utmMedium: label(raw.utm_medium),
    utmCampaign: label(raw.utm_campaign),
    utmTerm: label(raw.utm_term),
    utmContent: label(raw.utm_content),
    message,
  };
}

export class DonationCheckout {
  constructor(
    private readonly deps: {
      stripe: Stripe | undefined;
      settings: () => SiteSettings;
      publicUrl: string;
    },
  ) {}

  get enabled(): boolean {
    return this.deps.stripe !== undefined;
  }

  /** Checks the form and creates the Checkout Session; its URL. Invalid (400, with field paths) for bad input. */
  async start(input: DonateInput): Promise<string> {
    const stripe = this.deps.stripe;
    if (!stripe) throw new DonationsNotSetUp();
    const s = this.deps.settings();
    const d = s.donations;
    const problems: FieldProblem[] = [];
    const frequency: DonationFrequency = isFrequency(input.frequency) ? input.frequency : 'once';
    if (!isFrequency(input.frequency)) problems.push({ path: '/frequency', message: 'Choose one-time, monthly or yearly' });
    if (input.currency && input.currency.toUpperCase() !== d.currency) problems.push({ path: '/amount', message: `We take gifts in ${d.currency} only` });

    const typed = input.amount === 'custom' || input.amount === '' ? input.customAmount : input.amount;
    const parsed = parseAmount(typed, d.currency);
    let giftMinor = 0;
    if (typeof parsed !== 'number') problems.push({ path: '/amount', message: parsed.error });
    else {
      giftMinor = parsed;
      const min = toMinor(d.minimum, d.currency);
      const max = toMinor(d.maximum, d.currency);
      if (giftMinor < min) problems.push({ path: '/amount', message: `The smallest gift we can take is ${formatMoney(min, d.currency, s.language)}` });
      else if (giftMinor > max) problems.push({ path: '/amount', message: `The largest gift we can take online is ${formatMoney(max, d.currency, s.language)}` });
    }
    const message = input.message.trim();
    if (message.length > 500) problems.push({ path: '/message', message: 'Keep your message under 500 characters' });
    const name = input.name.trim();
    if (name.length > 100) problems.push({ path: '/name', message: 'Keep your name under 100 characters' });
    let email: string | undefined;
    if (input.email.trim()) {
      const address = parseEmailAddress(input.email);
      if ('error' in address) problems.push({ path: '/email', message: address.error });
      else email = address.email;
    }
    if (problems.length) throw new Invalid('Please check the form', dedupe(problems));

    const feeMinor = input.coverFees && d.coverFees ? feeToCover(giftMinor, d) : 0;
    const metadata = toStripeMetadata({ frequency, giftMinor, feeMinor, donorName: name, attribution: cleanAttribution(input.attribution, message), promptVariant: promptVariantOf(input.attribution) });
    const currency = d.currency.toLowerCase();
    const productName = frequency === 'once' ? `Donation to ${s.name}` : `${frequency === 'monthly' ? 'Monthly' : 'Yearly'} donation to ${s.name}`;
    const base = this.deps.publicUrl;
    const params: Stripe.Checkout.SessionCreateParams = {
      success_url: `${base}/donate/thanks?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/donate/cancelled`,
      metadata,
      ...(email ? { customer_email: email } : {}),
      line_items: [
        {
          quantity: 1,
          price_data:
            frequency === 'once'
              ? { currency, unit_amount: giftMinor + feeMinor, product_data: { name: productName } }
              : { currency, unit_amount: giftMinor + feeMinor, product_data: { name: productName }, recurring: { interval: frequency === 'monthly' ? 'month' : 'year' } },
        },
      ],
      ...(frequency === 'once'
        ? // A customer for one-time donors too, so their gifts can be found together later.
          { mode: 'payment' as const, submit_type: 'donate' as const, customer_creation: 'always' as const, payment_intent_data: { metadata } }
        : { mode: 'subscription' as const, subscription_data: { metadata } }),
    };
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.create(params);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) throw new PaymentProviderFailed();
      throw error;
    }
    if (!session.url) throw new PaymentProviderFailed();
    return session.url;
  }

  /** What the thank-you page may say, from Stripe itself (the query alone proves nothing); undefined for an unknown session. */
  async thanks(sessionId: string): Promise<ThankYou | undefined> {
    const stripe = this.deps.stripe;
    if (!stripe) throw new DonationsNotSetUp();
    if (!/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) return undefined;
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.retrieve(sessionId);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return undefined;
      if (error instanceof Stripe.errors.StripeError) throw new PaymentProviderFailed();
      throw error;
    }
    const frequency = isFrequency(session.metadata?.broadsheet_gift) ? session.metadata!.broadsheet_gift as DonationFrequency : 'once';
    return {
      paid: session.status === 'complete' && session.payment_status !== 'unpaid',
      amountMinor: session.amount_total ?? 0,
      currency: session.currency ?? this.deps.settings().donations.currency.toLowerCase(),
      frequency,
      email: session.customer_details?.email ?? '',
    };
  }
}

/** One message per field: the first problem found. */
function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.path) ? false : (seen.add(p.path), true)));
}
