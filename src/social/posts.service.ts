/**
 * Posting articles to the connected accounts when they are published.
 *
 * On `article.published` for a first publication, one `social_posts` row per
 * connected account and one durable job per row are written in one
 * transaction. The job posts through the network's adapter and records the
 * remote id and URL the moment the network answers. A row is only ever created
 * once per article and network, so republishing does not post again; an editor
 * asks for that explicitly (`queue(..., { again: true })`).
 *
 * Failures: an expired or refused token and a refused post are permanent and
 * shown at once; a rate limit waits for the network's reset time; a network
 * error or 5xx retries with backoff, and is shown as failed after the last
 * attempt. What a crash in mid-request means per network: docs/social.md.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import sharp from 'sharp';
import type { Transaction } from 'kysely';
import type { Database, JobRow } from '../db/schema.js';
import type { JobQueue } from '../jobs/queue.js';
import { RetryLater } from '../jobs/runner.js';
import type { MediaStorage } from '../media/storage.js';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound } from '../shared/errors.js';
import { absolute, articlePath } from '../site/format.js';
import type { SocialAccounts } from './accounts.service.js';
import { composeText, CUSTOM_TEXT_MAX } from './compose.js';
import { adapterFor } from './networks/index.js';
import { NETWORK_NAMES, NETWORKS, NetworkError, isNetwork, type CardImage, type NetworkId, type PostRequest, type PostResult } from './networks/types.js';
import type { ArticleForPost, SocialPostRow, SocialRepository } from './social.repository.js';

export const SOCIAL_POST_JOB = 'social.post';
const MAX_ATTEMPTS = 6;
/** A publication older than this is a republish (or a story from before the account was connected): not posted by itself. */
const FIRST_PUBLISH_WINDOW_MS = 24 * 3_600_000;

export interface ArticleSocialOptions {
  optOut: boolean;
  texts: Partial<Record<NetworkId, string>>;
}

export interface PostsServiceDeps {
  repo: SocialRepository;
  accounts: SocialAccounts;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  media: MediaStorage;
  /** Lets the in-process worker start a new post without waiting for its next poll. */
  poke?: () => void;
}

export class SocialPosts {
  constructor(private readonly deps: PostsServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  // The editor's per-article choices.
  async options(articleId: number): Promise<ArticleSocialOptions> {
    const row = await this.deps.repo.options(articleId);
    return { optOut: row?.opt_out === 1, texts: row ? parseTexts(row.texts) : {} };
  }

  async saveOptions(articleId: number, input: ArticleSocialOptions): Promise<ArticleSocialOptions> {
    const texts: Partial<Record<NetworkId, string>> = {};
    const problems = [];
    for (const [network, value] of Object.entries(input.texts)) {
      if (!isNetwork(network)) {
        problems.push({ path: `/texts/${network}`, message: 'is not a network Broadsheet posts to' });
        continue;
      }
      const text = (value ?? '').trim();
      if (Array.from(text).length > CUSTOM_TEXT_MAX[network]) problems.push({ path: `/texts/${network}`, message: `must be at most ${CUSTOM_TEXT_MAX[network]} characters on ${NETWORK_NAMES[network]} (the link is added after it)` });
      if (text) texts[network] = text;
    }
    if (problems.length) throw new Invalid('The social text is too long', problems);
    await this.deps.repo.saveOptions(articleId, input.optOut, JSON.stringify(texts), this.now());
    return { optOut: input.optOut, texts };
  }

  posts(articleId: number): Promise<SocialPostRow[]> {
    return this.deps.repo.posts(articleId);
  }

  /**
   * After `article.published`: queue a post to every connected account, unless
   * this is a republication. Opted-out articles get "skipped" rows, so the
   * editor sees that nothing went out and why.
   */
  async queueForPublish(articleId: number): Promise<number> {
    const article = await this.deps.repo.article(articleId);
    if (!article || article.status !== 'published' || !article.first_published_at) return 0;
    if (this.deps.clock.now().getTime() - Date.parse(article.first_published_at) > FIRST_PUBLISH_WINDOW_MS) return 0;
    // Only accounts connected before the story went live: connecting an account does not post the last day's stories at the next start.
    const accounts = (await this.deps.accounts.connected()).filter((a) => a.connectedAt <= article.first_published_at!);
    if (accounts.length === 0) return 0;
    const { optOut } = await this.options(articleId);
    let queued = 0;
    await this.deps.repo.transaction(async (trx) => {
      for (const { network } of accounts) {
        const id = await this.deps.repo.insertPostIfAbsent(trx, {
          article_id: articleId,
          network,
          status: optOut ? 'skipped' : 'queued',
          error: optOut ? 'Social posting is turned off for this article' : null,
          idempotency_key: newKey(this.deps.clock),
          created_at: this.now(),
          updated_at: this.now(),
        });
        if (id !== undefined && !optOut) {
          await this.enqueue(id, trx);
          queued++;
        }
      }
    });
    if (queued) this.deps.poke?.();
    return queued;
  }

  /**
   * The safety net for a process that stopped between publishing and queueing
   * (the event is in memory): stories first published in the last day that
   * have no post on a connected account get one. Runs on every worker start.
   */
  async catchUp(): Promise<number> {
    const since = new Date(this.deps.clock.now().getTime() - FIRST_PUBLISH_WINDOW_MS).toISOString();
    let queued = 0;
    for (const id of await this.deps.repo.recentlyPublished(since)) queued += await this.queueForPublish(id);
    return queued;
  }

  /**
   * An editor's "Retry" (a failed or skipped post), "Post now" (an account
   * connected after publication) or, with `again`, a second post of a story
   * that was already posted.
   */
  async queue(articleId: number, network: NetworkId, options: { again?: boolean } = {}): Promise<SocialPostRow> {
    const article = await this.deps.repo.article(articleId);
    if (!article) throw new NotFound('No such article');
    if (article.status !== 'published') throw new Conflict('Only a published article can be posted');
    if (!(await this.deps.accounts.load(network))) throw new Conflict(`No ${NETWORK_NAMES[network]} account is connected`);
    const now = this.now();
    await this.deps.repo.transaction(async (trx) => {
      const existing = await this.deps.repo.postFor(articleId, network, trx);
      if (!existing) {
        const id = await this.deps.repo.insertPostIfAbsent(trx, { article_id: articleId, network, status: 'queued', idempotency_key: newKey(this.deps.clock), created_at: now, updated_at: now });
        if (id !== undefined) await this.enqueue(id, trx);
        return;
      }
      if (existing.status === 'queued' || existing.status === 'posting') throw new Conflict(`The ${NETWORK_NAMES[network]} post is already on its way`);
      if (existing.status === 'posted' && !options.again) throw new Conflict(`Already posted to ${NETWORK_NAMES[network]}; ask to post again to send a second post`, { remoteUrl: existing.remote_url });
      await this.deps.repo.updatePost(existing.id, {
        status: 'queued',
        error: null,
        next_attempt_at: null,
        updated_at: now,
        // A retry keeps its key (an earlier attempt that did get through is then found, not repeated); a second post needs a new one.
        ...(existing.status === 'posted' ? { idempotency_key: newKey(this.deps.clock), remote_id: null, remote_url: null, posted_at: null, attempts: 0 } : {}),
      }, trx);
      await this.enqueue(existing.id, trx);
    });
    this.deps.poke?.();
    const row = await this.deps.repo.postFor(articleId, network);
    if (!row) throw new NotFound('No such post');
    return row;
  }

  private enqueue(postId: number, executor: Transaction<Database>): Promise<void> {
    return this.deps.jobs.enqueue(SOCIAL_POST_JOB, { postId }, { uniqueKey: `${SOCIAL_POST_JOB}:${postId}`, maxAttempts: MAX_ATTEMPTS, executor });
  }

  /** The job: one post to one network. */
  async run(postId: number, job: Pick<JobRow, 'attempts' | 'max_attempts'>): Promise<void> {
    const post = await this.deps.repo.post(postId);
    if (!post || (post.status !== 'queued' && post.status !== 'posting') || !isNetwork(post.network)) return;
    const network = post.network;
    const name = NETWORK_NAMES[network];
    const article = await this.deps.repo.article(post.article_id);
    if (!article || article.status !== 'published') return this.finish(post, 'skipped', 'The article was unpublished before it was posted');
    const options = await this.options(article.id);
    if (options.optOut) return this.finish(post, 'skipped', 'Social posting is turned off for this article');
    const account = await this.deps.accounts.load(network);
    if (!account) return this.finish(post, 'skipped', `No ${name} account is connected`);
    const adapter = adapterFor(account, this.deps.clock);
    const request = await this.request(network, article, options, post.idempotency_key);

    try {
      if (post.status === 'posting') {
        // An earlier attempt was cut off after it started sending (the process stopped, or its lease ran out).
        const found = adapter.findExisting ? await adapter.findExisting(request) : undefined;
        if (found) return this.posted(post, found, request.text);
        if (!adapter.findExisting && !adapter.deduplicates) {
          return this.finish(post, 'failed', `An earlier attempt was cut off while sending to ${name}, so it may or may not have been posted. Check the account; if the post is not there, use Retry.`);
        }
      }
      if (!(await this.deps.repo.startPosting(post.id, request.text, this.now()))) return;
      const result = await adapter.post(request);
      await this.posted(post, result, request.text);
    } catch (error) {
      await this.failed(post, network, error, job);
    }
  }

  private async posted(post: SocialPostRow, result: PostResult, text: string): Promise<void> {
    const now = this.now();
    await this.deps.repo.updatePost(post.id, { status: 'posted', text, remote_id: result.id.slice(0, 500), remote_url: result.url.slice(0, 1000), error: null, posted_at: now, updated_at: now });
    if (isNetwork(post.network)) await this.deps.accounts.recordSuccess(post.network);
    this.deps.log.info({ article: post.article_id, network: post.network, remote: result.url }, 'posted to social network');
  }

  private async finish(post: SocialPostRow, status: 'skipped' | 'failed', reason: string): Promise<void> {
    await this.deps.repo.updatePost(post.id, { status, error: reason, updated_at: this.now(), next_attempt_at: null });
  }

  private async failed(post: SocialPostRow, network: NetworkId, error: unknown, job: Pick<JobRow, 'attempts' | 'max_attempts'>): Promise<void> {
    const networkError = error instanceof NetworkError ? error : new NetworkError('unavailable', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    const message = networkError.message.slice(0, 1000);
    if (networkError.kind === 'auth' || networkError.kind === 'rejected') {
      await this.finish(post, 'failed', message);
      if (networkError.kind === 'auth') await this.deps.accounts.recordFailure(network, message);
      this.deps.log.warn({ article: post.article_id, network, kind: networkError.kind }, 'social post failed');
      return;
    }
    if (job.attempts >= job.max_attempts) {
      await this.finish(post, 'failed', `Gave up after ${job.attempts} attempts. ${message}`);
      this.deps.log.warn({ article: post.article_id, network, kind: networkError.kind }, 'social post failed after its last attempt');
      return;
    }
    const now = this.deps.clock.now();
    const waitMs = networkError.details.retryAt ? Math.max(1000, networkError.details.retryAt.getTime() - now.getTime()) : backoffMs(job.attempts);
    const nextAt = new Date(now.getTime() + waitMs).toISOString();
    await this.deps.repo.updatePost(post.id, { status: 'queued', error: message, next_attempt_at: nextAt, updated_at: now.toISOString() });
    throw new RetryLater(message, waitMs);
  }

  private async request(network: NetworkId, article: ArticleForPost, options: ArticleSocialOptions, idempotencyKey: string): Promise<PostRequest> {
    const link = absolute(this.deps.publicUrl, articlePath({ slug: article.slug, section: article.section_slug ? { slug: article.section_slug } : null }));
    const base = options.texts[network] || article.social_title || article.headline;
    const image = network === 'bluesky' ? await this.cardImage(article) : undefined;
    return {
      text: composeText(network, base, link),
      card: { url: link, title: article.social_title || article.headline, description: article.social_description || article.dek, ...(image ? { image } : {}) },
      idempotencyKey,
    };
  }

  /** The article's image as a JPEG small enough for a card thumbnail (only Bluesky needs the bytes). */
  private async cardImage(article: ArticleForPost): Promise<CardImage | undefined> {
    if (!article.storage_key) return undefined;
    try {
      const original = await this.deps.media.get(article.storage_key);
      if (!original) return undefined;
      const data = await sharp(original).rotate().resize({ width: 1200, height: 1200, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 78, mozjpeg: true }).toBuffer();
      return { data, mime: 'image/jpeg', alt: article.image_alt || article.media_alt || '' };
    } catch (error) {
      // A card without a picture is better than no post.
      this.deps.log.warn({ err: error, article: article.id }, 'social card image could not be prepared');
      return undefined;
    }
  }
}

/** Same curve as the job queue's default: 5 s, 10 s, 20 s ... capped at an hour. */
function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/** "<ms>-<random>": unique per post, and the time keeps Bluesky record keys in order. */
function newKey(clock: Clock): string {
  return `${clock.now().getTime()}-${randomBytes(9).toString('base64url')}`;
}

function parseTexts(json: string): Partial<Record<NetworkId, string>> {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(NETWORKS.filter((n) => typeof value[n] === 'string').map((n) => [n, value[n] as string]));
  } catch {
    return {};
  }
}
