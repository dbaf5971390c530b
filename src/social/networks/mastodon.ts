/**
 * Mastodon through `masto` (REST client, v7). The instance builds the link
 * preview itself from the article page's Open Graph tags, so a post is text
 * and link only: attaching the image as media would replace that card with a
 * picture that does not link to the story. Mastodon honours `Idempotency-Key`
 * on status creation (for an hour), so a retry after a lost answer returns the
 * first status instead of making a second.
 */
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import type { Clock } from '../../shared/clock.js';
import { connectionError, headerReader, httpError, unexpectedAnswer } from './http-errors.js';
import type { AccountIdentity, PostRequest, PostResult, SocialAdapter } from './types.js';

export interface MastodonCredentials {
  instanceUrl: string;
  accessToken: string;
}

const TIMEOUT_MS = 30_000;

export class MastodonAdapter implements SocialAdapter {
  readonly deduplicates = true;
  private readonly client: mastodon.rest.Client;

  constructor(
    private readonly credentials: MastodonCredentials,
    private readonly clock: Clock,
  ) {
    this.client = createRestAPIClient({ url: credentials.instanceUrl, accessToken: credentials.accessToken, timeout: TIMEOUT_MS });
  }

  async verify(): Promise<AccountIdentity> {
    const account = await this.call(() => this.client.v1.accounts.verifyCredentials());
    const host = new URL(this.credentials.instanceUrl).host;
    return { name: `@${account.acct.includes('@') ? account.acct : `${account.acct}@${host}`}`, url: account.url };
  }

  async post(request: PostRequest): Promise<PostResult> {
    const status = await this.call(() =>
      this.client.v1.statuses.create(
        { status: request.text, visibility: 'public' },
        { requestInit: { headers: { 'Idempotency-Key': request.idempotencyKey } } },
      ),
    );
    if (!status?.id) throw unexpectedAnswer('Mastodon', 'no status id');
    return { id: status.id, url: status.url ?? status.uri };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof MastoHttpError) {
        const response = error.cause instanceof Response ? error.cause : undefined;
        return Promise.reject(httpError('Mastodon', error.statusCode, [error.message, error.description].filter(Boolean).join(': '), headerReader(response?.headers), this.clock.now()));
      }
      throw connectionError('Mastodon', error);
    }
  }
}
