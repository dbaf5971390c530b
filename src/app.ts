/**
 * The composition root: configuration -> database -> services -> HTTP.
 * Each service gets only what it uses. `createApp` builds everything without
 * listening or running jobs; `start`/`stop` do that, so tests and one-shot
 * commands can use the same wiring.
 */
import path from 'node:path';
import fs from 'node:fs';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrateToLatest } from './db/migrations/index.js';
import { EventBus } from './shared/events.js';
import { systemClock, type Clock } from './shared/clock.js';
import { JobQueue } from './jobs/queue.js';
import { JobRunner } from './jobs/runner.js';
import { ArticlesRepository } from './newsroom/articles.repository.js';
import { TaxonomyRepository } from './newsroom/taxonomy.repository.js';
import { ArticlesService, PUBLISH_JOB } from './newsroom/articles.service.js';
import { TaxonomyService } from './newsroom/taxonomy.service.js';
import { SettingsStore } from './newsroom/settings.js';
import { PageCache } from './cache/page-cache.js';
import { createInvalidator, type Invalidator } from './cache/invalidation.js';
import { createHttpServer, requestIdFor, type FastPath } from './http/server.js';
import { createRawCacheResponder } from './cache/respond.js';
import { registerSiteRoutes, type BodyInsertProvider } from './site/site.routes.js';
import { registerFeedRoutes } from './site/feeds.routes.js';
import { registerSitemapRoutes } from './site/sitemaps.routes.js';
import { SiteService } from './site/site.service.js';
import { loadAssets } from './site/assets.js';
import { publicDir } from './shared/paths.js';
import { createAccounts, type Accounts } from './accounts/module.js';
import { installAdminGuard, type AdminGuard } from './accounts/guard.js';
import { registerAccountRoutes } from './accounts/accounts.routes.js';
import { LocalMediaStorage, type MediaStorage } from './media/storage.js';
import { MediaRepository } from './media/media.repository.js';
import { MediaService } from './media/media.service.js';
import { registerMediaRoutes } from './media/media.routes.js';
import { installOpenApi, registerOpenApiRoute } from './http/openapi.js';
import { ArticleListRepository } from './newsroom/article-list.repository.js';
import { registerArticleRoutes } from './newsroom/articles.routes.js';
import { registerTaxonomyRoutes } from './newsroom/taxonomy.routes.js';
import { registerSettingsRoutes } from './newsroom/settings.routes.js';
import { PreviewLinks } from './newsroom/preview-links.js';
import { registerPreviewRoute } from './site/preview.routes.js';
import { registerAdminApp } from './admin/admin-app.routes.js';
import { RelatedRepository } from './related/related.repository.js';
import { RelatedService, RELATED_BACKFILL_JOB, RELATED_INDEX_JOB, RELATED_REBUILD_JOB, RELATED_REFILL_JOB } from './related/related.service.js';
import { relatedFeedInsertProvider, relatedInsertProvider } from './related/related.inserts.js';
import { registerRelatedRoutes } from './related/related.routes.js';
import { createSearch, type Search } from './related/search.module.js';
import { registerSearchRoutes } from './related/search.routes.js';
import { createNewsletters, type Newsletters } from './newsletter/module.js';
import { registerNewsletterRoutes } from './newsletter/newsletters.routes.js';
import { registerSignupRoutes } from './newsletter/signup.routes.js';
import { registerImportRoutes } from './newsletter/import.routes.js';
import { registerSendRoutes } from './newsletter/send.routes.js';
import { registerTrackingRoutes } from './newsletter/tracking.routes.js';
import { registerExportRoutes } from './newsletter/export.routes.js';
import { registerComposeRoutes } from './newsletter/compose.routes.js';
import { registerBreakingRoutes } from './newsletter/breaking.routes.js';
import { registerSendNowRoutes } from './newsletter/send-now.routes.js';
import { registerSuppressionRoutes } from './newsletter/suppressions.routes.js';
import { registerWebhookRoutes } from './newsletter/webhooks/webhooks.routes.js';
import { createRevenue, type Revenue } from './revenue/module.js';
import { registerDonateRoutes } from './revenue/donate.routes.js';
import { registerStripeWebhookRoute } from './revenue/stripe-webhook.routes.js';
import { registerRevenueAdminRoutes } from './revenue/admin.routes.js';
import { registerDashboardRoutes } from './revenue/dashboard.routes.js';
import { registerDonorExportRoutes } from './revenue/donor-export.routes.js';
import { createDonors, type Donors } from './revenue/donor-module.js';
import { registerDonorRoutes } from './revenue/donor.routes.js';
import { createPrompts, type Prompts } from './prompts/module.js';
import { registerPromptRoutes } from './prompts/prompts.routes.js';
import { registerPromptEventRoutes } from './prompts/events.routes.js';
import { registerPromptCopyRoutes } from './prompts/copy.routes.js';
import { AttemptLimiter } from './accounts/rate-limit.js';
import { createSocial, type Social } from './social/module.js';
import { registerSocialRoutes } from './social/social.routes.js';
import { createPush, type Push } from './push/module.js';
import { registerPushReaderRoutes } from './push/reader.routes.js';
import { registerPushAdminRoutes } from './push/admin.routes.js';
import { registerAlertsPage } from './push/page.routes.js';
import { createContentApi, type ContentApi } from './content-api/module.js';
import { AnswerCache } from './content-api/answer-cache.js';
import { KeyMemory } from './content-api/key-memory.js';
import { registerPwaRoutes } from './pwa/pwa.routes.js';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  config: Config;
  log: Logger;
  db: Db;
  clock: Clock;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  settings: SettingsStore;
  articles: ArticlesService;
  taxonomy: TaxonomyService;
  articlesRepo: ArticlesRepository;
  site: SiteService;
  cache: PageCache;
  invalidator: Invalidator;
  http: FastifyInstance;
  insertProviders: BodyInsertProvider[];
  /** Related stories: picks per article, kept up to date by jobs (docs/related.md). */
  related: RelatedService;
  /** Staff accounts, sessions and the mailer; `adminGuard.requireStaff(action)` protects Admin API routes. */
  accounts: Accounts;
  adminGuard: AdminGuard;
  /** The media library (uploads, alt text, usage) and where its files are kept. */
  media: MediaService;
  mediaStorage: MediaStorage;
  /** Site search: the reader page, the newsroom list's `q`, the index kept in step with article writes. */
  search: Search;
  /** Newsletters, readers' subscriptions and sign-up (docs/newsletters.md). */
  newsletters: Newsletters;
  /** Donations through Stripe (docs/revenue.md). */
  revenue: Revenue;
  /** Donation receipts and the donor's sign-in and page (docs/revenue.md). */
  donors: Donors;
  /** Reader prompts: donation appeals, sign-ups, apps, follows (docs/prompts.md). */
  prompts: Prompts;
  /** Posting articles to the newsroom's Mastodon, Bluesky, Facebook Page and X accounts on publish (docs/social.md). */
  social: Social;
  /** Breaking-news Web Push: readers' subscriptions, alerts and their delivery (docs/push.md). */
  push: Push;
  /** The Content API for apps and partners, and its keys (docs/content-api.md). */
  contentApi: ContentApi;
  /** Starts listening and, when asked, the in-process job worker. Returns the bound address. */
  start(options?: { worker?: boolean; http?: boolean }): Promise<string | undefined>;
  /** Graceful stop: no new connections, in-flight requests and jobs finish, database closed. */
  stop(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(config.database);
  await migrateToLatest(db);

  const events = new EventBus((error, event) => log.error({ err: error, event }, 'event handler failed'));
  const jobs = new JobQueue(db, clock);
  const runner = new JobRunner(jobs, log.child({ component: 'jobs' }), config.jobs);
  const settings = new SettingsStore(db.kysely, events);
  await settings.load();

  const articlesRepo = new ArticlesRepository(db.kysely);
  const taxonomyRepo = new TaxonomyRepository(db.kysely);
  const search = createSearch({ db, settings, taxonomy: taxonomyRepo, jobs, runner, events, clock });
  const articles = new ArticlesService({
    articles: articlesRepo,
    taxonomy: taxonomyRepo,
    events,
    jobs,
    clock,
    indexers: [(trx, id) => search.service.indexArticle(trx, id)],
  });
  const taxonomy = new TaxonomyService({ taxonomy: taxonomyRepo, events, clock });
  const site = new SiteService(db.kysely, articlesRepo, taxonomyRepo, clock);
  const accounts = createAccounts({ config, kysely: db.kysely, clock, log, siteName: () => settings.get().name });
  const newsletters = createNewsletters({ config, kysely: db.kysely, events, clock, jobs, runner, mailer: accounts.mailer, users: accounts.users, settings, log });
  const donors = createDonors({ config, kysely: db.kysely, jobs, runner, events, clock, settings, users: accounts.users, transport: newsletters.bulkTransport, log });
  const revenue = createRevenue({ config, kysely: db.kysely, events, clock, settings, log, onDonationRecorded: (id, trx) => donors.receipts.queue(id, trx),
    // A gift that came from a prompt's link counts as that variant's conversion (prompts is built just below).
    onPromptConversion: (campaign, variant) => prompts.stats.recordConversion(campaign, variant),
  });

  const prompts = createPrompts({ kysely: db.kysely, events, clock, settings, publicNewsletters: () => newsletters.repo.publicOnes() });

  const push = await createPush({ config, kysely: db.kysely, jobs, runner, clock, log, articles: articlesRepo, taxonomy: taxonomyRepo });

  const cache = new PageCache(config.pageCache.enabled, config.pageCache.maxBytes);
  const apiCache = new AnswerCache(config.contentApiCache, clock);
  // CONTENT_API_CACHE=false turns off both of the Content API's memories: answers and key rows.
  const keyMemory = config.contentApiCache.enabled ? new KeyMemory(clock) : undefined;
  const invalidator = await createInvalidator({
    caches: [cache, apiCache, ...(keyMemory ? [keyMemory] : [])],
    events,
    log,
    redisUrl: config.redisUrl,
    onInvalidate: async (tags) => {
      if (tags.includes('sections')) site.forgetSections();
      if (tags.includes('settings')) await settings.load();
    },
  });

  runner.register(PUBLISH_JOB, async () => {
    await articles.publishDue();
  });
  const related = new RelatedService({ repo: new RelatedRepository(db.kysely, db.dialect), settings, events, jobs, clock, log: log.child({ component: 'related' }) });
  related.listen();
  runner.register(RELATED_INDEX_JOB, async (payload) => void (await related.index((payload as { articleId: number }).articleId)));
  runner.register(RELATED_REFILL_JOB, async (payload) => void (await related.refill((payload as { articleId: number }).articleId)));
  runner.register(RELATED_REBUILD_JOB, (payload) => related.rebuildJob(payload as Parameters<RelatedService['rebuildJob']>[0]));
  runner.register(RELATED_BACKFILL_JOB, async (payload) => void (await related.backfill((payload as { after: number }).after)));
  await related.scheduleRebuildIfEmpty();
  const contentApi = await createContentApi({ kysely: db.kysely, articles: articlesRepo, taxonomy: taxonomyRepo, related, search: search.service, settings, clock, publicUrl: config.publicUrl, redisUrl: config.redisUrl, cache: apiCache, keyMemory, announce: (tags) => invalidator.invalidate(tags) });

  const fastPath: FastPath = { securityHeaders: [] };
  const http = await createHttpServer({
    config,
    log,
    renderErrorPage: (status, message) => siteRoutes.renderErrorPage(status, message),
    fastPath,
  });
  // Page-cache hits are answered from node:http directly, before Fastify (see src/cache/respond.ts).
  fastPath.current = createRawCacheResponder(cache, fastPath.securityHeaders, requestIdFor);
  await installOpenApi(http, { publicUrl: config.publicUrl, version: '0.1.0' }); // before any route: it collects them
  // Before any Admin API route: every route under /api/admin must declare who may call it.
  const adminGuard = installAdminGuard(http, { sessions: accounts.sessions, publicUrl: config.publicUrl });
  registerAccountRoutes(http, { accounts: accounts.service, sessions: accounts.sessions, guard: adminGuard });
  const previews = new PreviewLinks(db.kysely, clock);
  registerArticleRoutes(http, { articles, articlesRepo, list: new ArticleListRepository(db.kysely, search.service), guard: adminGuard, previews, publicUrl: config.publicUrl });
  registerTaxonomyRoutes(http, { taxonomy, taxonomyRepo, guard: adminGuard });
  registerSettingsRoutes(http, { settings, clock, guard: adminGuard, publicUrl: config.publicUrl });
  registerRelatedRoutes(http, { related, articlesRepo, guard: adminGuard });
  registerNewsletterRoutes(http, { newsletters: newsletters.newsletters, subscribers: newsletters.subscribers, guard: adminGuard });
  await registerImportRoutes(http, { imports: newsletters.imports, guard: adminGuard });
  registerSendRoutes(http, { delivery: newsletters.delivery, guard: adminGuard });
  registerExportRoutes(http, { exporter: newsletters.exporter, guard: adminGuard, clock });
  registerComposeRoutes(http, { compose: newsletters.compose, guard: adminGuard });
  registerBreakingRoutes(http, { breaking: newsletters.breaking, guard: adminGuard });
  registerSendNowRoutes(http, { sendNow: newsletters.sendNow, guard: adminGuard });
  registerSuppressionRoutes(http, { suppressions: newsletters.suppressions, guard: adminGuard });
  await registerWebhookRoutes(http, { config: config.newsletterWebhooks, suppressions: newsletters.suppressions, subscribers: newsletters.subscribers, clock });
  await registerStripeWebhookRoute(http, { stripeEvents: revenue.stripeEvents });
  registerRevenueAdminRoutes(http, { repo: revenue.repo, refunds: revenue.refunds, refundRequests: revenue.refundRequests, guard: adminGuard, stripe: config.stripe, settings, publicUrl: config.publicUrl });
  registerDashboardRoutes(http, { db: db.kysely, guard: adminGuard, settings, clock });
  registerDonorExportRoutes(http, { db: db.kysely, guard: adminGuard, settings, clock });
  registerPromptRoutes(http, { campaigns: prompts.campaigns, stats: prompts.stats, guard: adminGuard, preview: (input) => prompts.preview(input) });
  registerPushAdminRoutes(http, { push, guard: adminGuard });
  contentApi.register(http, adminGuard);
  registerOpenApiRoute(http, adminGuard);
  const mediaDir = path.join(config.dataDir, 'media');
  fs.mkdirSync(mediaDir, { recursive: true });
  const mediaStorage = new LocalMediaStorage(mediaDir);
  const media = new MediaService({ media: new MediaRepository(db.kysely), storage: mediaStorage, events, clock, log: log.child({ component: 'media' }) });
  const social = createSocial({ kysely: db.kysely, events, jobs, runner, clock, log, publicUrl: config.publicUrl, media: mediaStorage });
  registerSocialRoutes(http, { accounts: social.accounts, posts: social.posts, articlesRepo, guard: adminGuard });
  await registerMediaRoutes(http, { media, guard: adminGuard, maxBytes: config.media.maxBytes });
  await http.register(fastifyStatic, {
    root: path.join(publicDir, 'assets'),
    prefix: '/assets/',
    maxAge: '365d',
    immutable: true,
    index: false,
    wildcard: true,
  });
  await http.register(fastifyStatic, {
    root: mediaDir,
    prefix: '/media/',
    maxAge: '365d',
    immutable: true,
    index: false,
    decorateReply: false,
  });

  http.get('/healthz', async (_request, reply) => {
    try {
      await db.ping();
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: db.dialect });
    } catch (error) {
      log.error({ err: error }, 'health check failed');
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'unavailable', database: db.dialect });
    }
  });

  const insertProviders: BodyInsertProvider[] = [
    relatedInsertProvider(related, () => settings.get().related),
    (article) => newsletters.insertProvider(article),
    (article) => prompts.pages.inserts(article),
  ];
  const siteRoutes = registerSiteRoutes(http, { config, site, settings, cache, assets: loadAssets(), insertProviders, footerSignup: (path) => newsletters.footerSignup(path), pageExtras: (kind) => prompts.pages.parts(kind) });
  registerFeedRoutes(http, { config, site, settings, cache, insertProviders: [relatedFeedInsertProvider(related, () => settings.get().related)] });
  registerSitemapRoutes(http, { config, site, settings, cache });
  registerPwaRoutes(http, { config, site, settings, cache, assets: loadAssets(), mediaDir, log });
  registerSearchRoutes(http, { config, site, settings, search: search.service, taxonomy: taxonomyRepo, assets: loadAssets() });
  registerPreviewRoute(http, { previews, site, render: siteRoutes.renderArticlePage });
  // Before the sign-up route: it counts a sign-up sent from a prompt's form as a conversion.
  registerPromptEventRoutes(http, { stats: prompts.stats, limiter: new AttemptLimiter(accounts.users, clock), publicUrl: config.publicUrl });
  registerPromptCopyRoutes(http, { pages: prompts.pages, cache });
  await registerSignupRoutes(http, { config, site, settings, assets: loadAssets(), newsletters: newsletters.repo, subscribers: newsletters.subscribers, addressChange: newsletters.addressChange });
  registerPushReaderRoutes(http, { subscriptions: push.subscriptions, repo: push.repo, publicKey: push.keys.publicKey, limiter: new AttemptLimiter(accounts.users, clock), publicUrl: config.publicUrl });
  registerAlertsPage(http, { config, site, settings, cache, assets: loadAssets(), push });
  registerTrackingRoutes(http, { tracking: newsletters.tracking });
  registerDonateRoutes(http, { config, site, settings, assets: loadAssets(), checkout: revenue.checkout, onPaidThanks: (request, reply) => donors.cookies.setReaderFlags(request, reply, ['donor']) });
  registerDonorRoutes(http, { config, site, settings, assets: loadAssets(), access: donors.access, cookies: donors.cookies });
  await registerAdminApp(http);

  let workerStarted = false;
  let stopped = false;
  const app: App = {
    config,
    log,
    db,
    clock,
    events,
    jobs,
    runner,
    settings,
    articles,
    taxonomy,
    articlesRepo,
    site,
    cache,
    invalidator,
    http,
    insertProviders,
    related,
    accounts,
    adminGuard,
    media,
    mediaStorage,
    search,
    newsletters,
    revenue,
    donors,
    prompts,
    social,
    push,
    contentApi,
    async start(startOptions = {}) {
      let address: string | undefined;
      if (startOptions.worker ?? true) {
        // The safety net for scheduled publishing: anything due while no worker ran goes out now.
        await articles.publishDue();
        // Articles missing from the search index (first start after upgrading, bulk imports): rebuild it in the background.
        await search.service.queueReindexIfIncomplete();
        // The newsletter scheduler's recurring job (one for all workers; queueing it again only moves it to now).
        await newsletters.scheduler.ensureQueued();
        // Forgetting sign-ups nobody confirmed: a daily job, likewise one for all workers.
        await newsletters.pendingPurge.ensureQueued();
        // Stories published while a process stopped before queueing their social posts get them now.
        await social.posts.catchUp();
        runner.start();
        workerStarted = true;
      }
      if (startOptions.http ?? true) address = await http.listen({ port: config.port, host: config.host });
      return address;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      fastPath.current = undefined; // closing: every request goes to Fastify, which answers 503
      await http.close();
      if (workerStarted) await runner.stop();
      await accounts.service.flush();
      await accounts.mailer.close();
      await newsletters.bulkTransport.close();
      await push.close();
      await contentApi.close();
      await invalidator.close();
      await db.close();
    },
  };
  return app;
}
