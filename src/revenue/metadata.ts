/**
 * What travels with a gift through Stripe: the form's choices and attribution,
 * written as metadata on the Checkout Session (and on the subscription, so
 * every renewal's invoice carries it), and read back from webhook events.
 * Stripe metadata values are strings of at most 500 characters.
 */
import type { DonationFrequency } from '../db/schema.js';
import type { Attribution } from './donations.repository.js';

export interface GiftMetadata {
  frequency: DonationFrequency;
  /** The gift before any card-fee cover, and the cover, in minor units. */
  giftMinor: number;
  feeMinor: number;
  donorName: string;
  attribution: Attribution;
  /** The reader prompt variant that led here ('' when none): with the campaign, its conversion. */
  promptVariant: string;
}

const FREQUENCIES: readonly DonationFrequency[] = ['once', 'monthly', 'yearly'];

export function isFrequency(value: unknown): value is DonationFrequency {
  return typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value);
}

export function toStripeMetadata(gift: GiftMetadata): Record<string, string> {
  const a = gift.attribution;
  const entries: [string, string][] = [
    ['broadsheet_gift', gift.frequency],
    ['gift_minor', String(gift.giftMinor)],
    ['fee_minor', String(gift.feeMinor)],
    ['donor_name', gift.donorName],
    ['article', a.articleId === null ? '' : String(a.articleId)],
    ['campaign', a.campaign],
    ['prompt_variant', gift.promptVariant],
    ['utm_source', a.utmSource],
    ['utm_medium', a.utmMedium],
    ['utm_campaign', a.utmCampaign],
    ['utm_term', a.utmTerm],
    ['utm_content', a.utmContent],
    ['message', a.message],
  ];
  // Empty values are left out: Stripe treats an empty string as "remove this key".
  return Object.fromEntries(entries.filter(([, v]) => v !== '').map(([k, v]) => [k, v.slice(0, 500)]));
}

const text = (metadata: Record<string, string>, key: string, max: number) => (typeof metadata[key] === 'string' ? metadata[key]!.slice(0, max) : '');
const whole = (value: string | undefined) => (value && /^\d{1,12}$/.test(value) ? Number(value) : 0);

/** The gift described by metadata, or undefined for a payment that did not come from our donate form. */
export function fromStripeMetadata(metadata: Record<string, string> | null | undefined): GiftMetadata | undefined {
  if (!metadata || !isFrequency(metadata.broadsheet_gift)) return undefined;
  const article = whole(metadata.article);
  return {
    frequency: metadata.broadsheet_gift,
    giftMinor: whole(metadata.gift_minor),
    feeMinor: whole(metadata.fee_minor),
    donorName: text(metadata, 'donor_name', 100),
    promptVariant: text(metadata, 'prompt_variant', 40),
    attribution: {
      articleId: article > 0 && article <= 2_147_483_647 ? article : null,
      campaign: text(metadata, 'campaign', 100),
      utmSource: text(metadata, 'utm_source', 100),
      utmMedium: text(metadata, 'utm_medium', 100),
      utmCampaign: text(metadata, 'utm_campaign', 100),
      utmTerm: text(metadata, 'utm_term', 100),
      utmContent: text(metadata, 'utm_content', 100),
      message: text(metadata, 'message', 500),
    },
  };
}
