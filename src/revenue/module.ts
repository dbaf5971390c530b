/**
 * Builds the reader-revenue capability (docs/revenue.md): the Stripe client
 * (none without keys: donations are then off and say so), the donate form's
 * checkout, Stripe's webhook events, and the compact donate form other pages
 * embed.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import type { Html } from '../shared/html.js';
import { DonationsRepository } from './donations.repository.js';
import { DonationCheckout, type RawAttribution } from './checkout.service.js';
import { StripeEvents, type DonationRecordedHook } from './stripe-events.service.js';
import { createStripeClient, stripeReady } from './stripe-client.js';
import { compactDonateForm } from './views.js';
import { RefundRequestsRepository } from './refunds.repository.js';
import { DonationRefunds } from './refunds.service.js';

export interface Revenue {
  repo: DonationsRepository;
  checkout: DonationCheckout;
  stripeEvents: StripeEvents;
  /** Refunds asked for from the admin, through Stripe. */
  refunds: DonationRefunds;
  refundRequests: RefundRequestsRepository;
  /** Both Stripe keys are set: the donate page takes gifts. */
  ready: boolean;
  /** The compact donate form for a prompt or the end of an article; empty while donations are off. */
  donateForm(attribution?: Partial<RawAttribution>, idPrefix?: string): Html | undefined;
}

export function createRevenue(deps: {
  config: Config;
  kysely: Kysely<Database>;
  events: EventBus;
  clock: Clock;
  settings: SettingsStore;
  log: Logger;
  /** In the transaction that records a donation (its receipt is queued there: donor-module.ts). */
  onDonationRecorded?: DonationRecordedHook;
  onPromptConversion?: (campaign: string, variant: string) => Promise<unknown>;
}): Revenue {
  const ready = stripeReady(deps.config.stripe);
  // Without both keys nothing talks to Stripe: half a setup would take money it never hears about.
  const stripe = ready ? createStripeClient(deps.config.stripe) : undefined;
  const repo = new DonationsRepository(deps.kysely);
  const checkout = new DonationCheckout({ stripe, settings: () => deps.settings.get(), publicUrl: deps.config.publicUrl });
  const refundRequests = new RefundRequestsRepository(deps.kysely);
  const stripeEvents = new StripeEvents({ repo, refundRequests, stripe, webhookSecret: deps.config.stripe.webhookSecret, events: deps.events, clock: deps.clock, log: deps.log.child({ component: 'donations' }), onDonationRecorded: deps.onDonationRecorded, onPromptConversion: deps.onPromptConversion });
  const refunds = new DonationRefunds({ repo: refundRequests, stripe, clock: deps.clock });
  return {
    repo,
    checkout,
    stripeEvents,
    refunds,
    refundRequests,
    ready,
    donateForm: (attribution, idPrefix) => (ready ? compactDonateForm(deps.settings.get(), attribution, idPrefix) : undefined),
  };
}
