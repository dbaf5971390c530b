/**
 * The official Stripe SDK, made once from the configuration. STRIPE_API_URL
 * (tests only) points it at a local server speaking Stripe's REST format
 * through the SDK's own host, port and protocol options; everything else about
 * the requests stays as in production.
 */
import Stripe from 'stripe';
import type { StripeConfig } from '../config.js';

export type { Stripe };

/** The SDK client, or undefined while the secret key is not set (donations are then off). */
export function createStripeClient(config: StripeConfig): Stripe | undefined {
  if (!config.secretKey) return undefined;
  const target = config.apiUrl ? new URL(config.apiUrl) : undefined;
  return new Stripe(config.secretKey, {
    // No usage reports to Stripe about our own requests.
    telemetry: false,
    // The SDK retries network failures with the same idempotency key: a retried Checkout Session is not a second one.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Broadsheet', url: 'https://github.com/broadsheet' },
    ...(target
      ? { host: target.hostname, port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)), protocol: target.protocol === 'https:' ? ('https' as const) : ('http' as const) }
      : {}),
  });
}

/** Whether donations can be taken: the API key to create Checkout Sessions, the webhook secret to hear about payments. */
export function stripeReady(config: StripeConfig): boolean {
  return Boolean(config.secretKey && config.webhookSecret);
}

/** Why donations are off, in the names an operator sets. */
export function missingStripeSettings(config: StripeConfig): string[] {
  return [...(config.secretKey ? [] : ['STRIPE_SECRET_KEY']), ...(config.webhookSecret ? [] : ['STRIPE_WEBHOOK_SECRET'])];
}
