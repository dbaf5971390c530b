/**
 * Builds the donor side of reader revenue (docs/revenue.md, "Receipts" and
 * "The donor page"): receipts queued with each recorded donation and sent by
 * the worker, and the donor's sign-in by emailed link, session and page.
 * Reader emails leave through the newsletter's pooled transport.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { BulkTransport } from '../email/bulk.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/runner.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import { AttemptLimiter } from '../accounts/rate-limit.js';
import type { UsersRepository } from '../accounts/users.repository.js';
import { createStripeClient, stripeReady } from './stripe-client.js';
import { ReceiptsRepository } from './receipts.repository.js';
import { addressOf, Receipts, RECEIPT_JOB, type ReceiptJob } from './receipts.js';
import { DonorRepository } from './donor.repository.js';
import { DonorAccess, DONOR_LINK_JOB, type DonorLinkJob } from './donor.service.js';
import { DonorCookies } from './donor-cookies.js';

export interface Donors {
  receipts: Receipts;
  access: DonorAccess;
  cookies: DonorCookies;
}

export function createDonors(deps: {
  config: Config;
  kysely: Kysely<Database>;
  jobs: JobQueue;
  runner: JobRunner;
  events: EventBus;
  clock: Clock;
  settings: SettingsStore;
  users: UsersRepository;
  transport: BulkTransport;
  log: Logger;
}): Donors {
  const log = deps.log.child({ component: 'donors' });
  const fromAddress = addressOf(deps.config.mail.from);
  const settings = () => deps.settings.get();
  const receipts = new Receipts({ repo: new ReceiptsRepository(deps.kysely), jobs: deps.jobs, transport: deps.transport, settings, publicUrl: deps.config.publicUrl, fromAddress, clock: deps.clock, log });
  const access = new DonorAccess({
    repo: new DonorRepository(deps.kysely),
    jobs: deps.jobs,
    limiter: new AttemptLimiter(deps.users, deps.clock),
    transport: deps.transport,
    // The customer portal needs only the API key; without both keys donations are off (stripe-client.ts).
    stripe: stripeReady(deps.config.stripe) ? createStripeClient(deps.config.stripe) : undefined,
    settings,
    publicUrl: deps.config.publicUrl,
    fromAddress,
    clock: deps.clock,
    log,
    poke: () => deps.runner.poke(),
  });
  deps.runner.register(RECEIPT_JOB, async (payload) => void (await receipts.send(payload as ReceiptJob)));
  deps.runner.register(DONOR_LINK_JOB, (payload) => access.sendLink(payload as DonorLinkJob));
  // The receipt's job was committed with the donation: wake the worker rather than wait for its next poll.
  deps.events.on('donation.succeeded', () => deps.runner.poke());
  return { receipts, access, cookies: new DonorCookies(deps.config.publicUrl.startsWith('https:')) };
}
