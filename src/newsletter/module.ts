/**
 * Builds the newsletter capability (docs/newsletters.md): repositories,
 * services, the confirmation-email job, and what reader pages show (the
 * compact sign-up form in the footer and at the end of articles).
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Mailer } from '../email/mailer.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/runner.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { EventBus } from '../shared/events.js';
import type { Clock } from '../shared/clock.js';
import type { Html } from '../shared/html.js';
import type { BodyInsert } from '../site/body-inserts.js';
import type { ArticleView } from '../site/site.service.js';
import { articlePath } from '../site/format.js';
import { AttemptLimiter } from '../accounts/rate-limit.js';
import type { UsersRepository } from '../accounts/users.repository.js';
import { NewslettersRepository } from './newsletters.repository.js';
import { NEWSLETTERS_TAG, NewslettersService } from './newsletters.service.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { CONFIRM_EMAIL_JOB, SubscribersService } from './subscribers.service.js';
import { createBulkTransport, type BulkTransport } from '../email/bulk.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliveryService, SEND_JOB } from './delivery.service.js';
import { ScheduleRepository } from './schedule.repository.js';
import { NewsletterScheduler, SCHEDULE_JOB } from './schedule.service.js';
import { BreakingRepository } from './breaking.repository.js';
import { BreakingNews } from './breaking.service.js';
import { compactSignup } from './views.js';
import { ImportsRepository } from './import.repository.js';
import { IMPORT_JOB, SubscriberImports, type ImportJobPayload } from './import.service.js';
import { SubscriberExport } from './export.js';
import { ADDRESS_EMAIL_JOB, AddressChange, type AddressEmailJob } from './address-change.js';
import { PendingPurge, PURGE_PENDING_JOB } from './purge-pending.js';
import { DigestRepository } from './digest.repository.js';
import { ComposeService } from './compose.service.js';
import { TrackingRepository } from './tracking.repository.js';
import { SendTracking } from './tracking.service.js';
import { SendNowRepository } from './send-now.repository.js';
import { SendNowService } from './send-now.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import { SuppressionsService } from './suppressions.service.js';

export const NEWSLETTER_INSERT_KIND = 'newsletter';

export interface Newsletters {
  repo: NewslettersRepository;
  subscribersRepo: SubscribersRepository;
  newsletters: NewslettersService;
  subscribers: SubscribersService;
  /** Sending newsletters to their readers (durable job `newsletter.send`), and the transport it uses. */
  delivery: DeliveryService;
  bulkTransport: BulkTransport;
  /** Automatic newsletters sent on their schedule (durable job `newsletter.schedule`, every minute). */
  scheduler: NewsletterScheduler;
  /** One published story sent at once from the article editor. */
  breaking: BreakingNews;
  /** Readers moving to a new address from their preferences page (durable job `newsletter.address-email`). */
  addressChange: AddressChange;
  /** Forgets readers who never confirmed within 30 days (daily durable job `newsletter.purge-pending`). */
  pendingPurge: PendingPurge;
  /** CSV imports of subscribers (durable job `newsletter.import`) and the CSV export. */
  imports: SubscriberImports;
  exporter: SubscriberExport;
  /** Composing an issue: candidate stories, rendering, preview and test emails. */
  compose: ComposeService;
  /** Open and click tracking of sends (aggregate counts; off unless the settings turn it on). */
  tracking: SendTracking;
  /** "Send now" from a composition (idempotent per key) and the list of a newsletter's sends. */
  sendNow: SendNowService;
  /** The suppression list: hard bounces, complaints, repeated soft bounces, editors' additions (webhooks feed it). */
  suppressions: SuppressionsService;
  /** The footer's compact form for a page at `path` (empty without public newsletters), with its cache tag. */
  footerSignup(path: string): Promise<{ html: Html; tags: string[] }>;
  /** The end-of-article form, through the body-insert pipeline. */
  insertProvider(article: ArticleView): Promise<BodyInsert[]>;
}

/** The bare address of MAIL_FROM ("The Gazette <news@example.org>" → news@example.org). */
export function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

export function createNewsletters(deps: {
  config: Config;
  kysely: Kysely<Database>;
  events: EventBus;
  clock: Clock;
  jobs: JobQueue;
  runner: JobRunner;
  mailer: Mailer;
  /** The shared attempt counters (login_attempts) live with the accounts. */
  users: UsersRepository;
  settings: SettingsStore;
  log: Logger;
}): Newsletters {
  const repo = new NewslettersRepository(deps.kysely);
  const subscribersRepo = new SubscribersRepository(deps.kysely);
  const newsletters = new NewslettersService({ repo, events: deps.events, clock: deps.clock, defaultSenderEmail: () => addressOf(deps.config.mail.from) });
  const suppressions = new SuppressionsService({
    repo: new SuppressionsRepository(deps.kysely),
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletter-suppressions' }),
    softBounceLimit: () => deps.settings.get().newsletters.softBounceLimit,
  });
  const subscribers = new SubscribersService({
    suppressions,
    subscribers: subscribersRepo,
    newsletters: repo,
    limiter: new AttemptLimiter(deps.users, deps.clock),
    jobs: deps.jobs,
    mailer: deps.mailer,
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletters' }),
    publicUrl: deps.config.publicUrl,
    siteName: () => deps.settings.get().name,
    recordConsentIp: () => deps.settings.get().newsletters.recordConsentIp,
    poke: () => deps.runner.poke(),
  });
  deps.runner.register(CONFIRM_EMAIL_JOB, (payload) => subscribers.sendConfirmation(payload as { subscriberId: number; issuedAt: number }));
  const bulkTransport = createBulkTransport(deps.config.newsletterMail, { dataDir: deps.config.dataDir, log: deps.log.child({ component: 'newsletter-delivery' }) });
  const tracking = new SendTracking({
    repo: new TrackingRepository(deps.kysely),
    publicUrl: deps.config.publicUrl,
    choice: () => {
      const { trackOpens, trackClicks } = deps.settings.get().newsletters;
      return { trackOpens, trackClicks };
    },
    log: deps.log.child({ component: 'newsletter-tracking' }),
  });
  const delivery = new DeliveryService({
    repo: new DeliveryRepository(deps.kysely),
    newsletters: repo,
    jobs: deps.jobs,
    transport: bulkTransport,
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletter-delivery' }),
    publicUrl: deps.config.publicUrl,
    batchSize: deps.config.newsletterMail.batchSize,
    poke: () => deps.runner.poke(),
    tracking,
    suppressions,
  });
  deps.runner.register(SEND_JOB, (payload) => delivery.runBatch((payload as { sendId: number }).sendId));
  const imports = new SubscriberImports({
    suppressions,
    repo: new ImportsRepository(deps.kysely, deps.config.database.kind),
    newsletters: repo,
    jobs: deps.jobs,
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletter-import' }),
    poke: () => deps.runner.poke(),
  });
  deps.runner.register(IMPORT_JOB, async (payload, job) => {
    const { importId, pending } = payload as ImportJobPayload;
    try {
      await imports.run(importId, { pending });
    } catch (error) {
      if (job.attempts >= job.max_attempts) await imports.giveUp(importId, error);
      throw error; // retried with backoff; the import resumes after its last whole batch
    }
  });
  const exporter = new SubscriberExport(deps.kysely, repo);
  const addressChange = new AddressChange({
    db: deps.kysely,
    jobs: deps.jobs,
    mailer: deps.mailer,
    limiter: new AttemptLimiter(deps.users, deps.clock),
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletters' }),
    publicUrl: deps.config.publicUrl,
    siteName: () => deps.settings.get().name,
    poke: () => deps.runner.poke(),
  });
  deps.runner.register(ADDRESS_EMAIL_JOB, (payload) => addressChange.sendEmail(payload as AddressEmailJob));
  const pendingPurge = new PendingPurge({ db: deps.kysely, jobs: deps.jobs, clock: deps.clock, log: deps.log.child({ component: 'newsletters' }) });
  deps.runner.register(PURGE_PENDING_JOB, async () => void (await pendingPurge.run()));
  const scheduleRepo = new ScheduleRepository(deps.kysely);
  const digestRepo = new DigestRepository(deps.kysely);
  const compose = new ComposeService({
    repo: digestRepo,
    newsletters,
    mailer: deps.mailer,
    limiter: new AttemptLimiter(deps.users, deps.clock),
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
    settings: () => deps.settings.get(),
    lastSendAt: (newsletterId) => scheduleRepo.lastSendAt(newsletterId),
  });
  const scheduler = new NewsletterScheduler({
    repo: scheduleRepo,
    compose,
    delivery,
    jobs: deps.jobs,
    clock: deps.clock,
    log: deps.log.child({ component: 'newsletter-schedule' }),
    timeZone: () => deps.settings.get().timeZone,
  });
  deps.runner.register(SCHEDULE_JOB, async () => void (await scheduler.run()));
  const breaking = new BreakingNews({
    repo: new BreakingRepository(deps.kysely),
    digest: digestRepo,
    newsletters,
    delivery,
    clock: deps.clock,
    publicUrl: deps.config.publicUrl,
    settings: () => deps.settings.get(),
  });
  const sendNow = new SendNowService({ repo: new SendNowRepository(deps.kysely), compose, delivery, newsletters });

  return {
    repo,
    subscribersRepo,
    newsletters,
    subscribers,
    delivery,
    bulkTransport,
    scheduler,
    breaking,
    imports,
    exporter,
    addressChange,
    pendingPurge,
    compose,
    sendNow,
    tracking,
    suppressions,
    async footerSignup(path) {
      return { html: compactSignup(await repo.publicOnes(), 'footer', path), tags: [NEWSLETTERS_TAG] };
    },
    async insertProvider(article) {
      const html = compactSignup(await repo.publicOnes(), 'article', articlePath(article.card)).value;
      // Always present (even empty), so the page carries the tag before the first newsletter exists.
      return [{ kind: NEWSLETTER_INSERT_KIND, afterParagraph: Number.MAX_SAFE_INTEGER, html, fallback: 'end', priority: -2, tags: [NEWSLETTERS_TAG] }];
    },
  };
}
