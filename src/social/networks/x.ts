/**
 * X through `twitter-api-v2` (the v2 client's `POST tweets` and `GET users/me`, what `v2.tweet` and `v2.me` call), signed with OAuth 1.0a user
 * keys or an OAuth 2.0 user access token. X builds the card from the page's
 * Twitter/Open Graph tags. `apiUrl` replaces https://api.x.com for a proxy or a
 * test server (an http:// URL gets a plain HTTP agent: the library speaks
 * through node's https module otherwise). X has no idempotency key for posts:
 * see docs/social.md.
 */
import http from 'node:http';
import { ApiResponseError, TwitterApi, type TweetV2PostTweetResult, type TwitterApiv2, type UserV2Result } from 'twitter-api-v2';
import type { Clock } from '../../shared/clock.js';
import { connectionError, headerReader, httpError, unexpectedAnswer } from './http-errors.js';
import { NetworkError, type AccountIdentity, type PostRequest, type PostResult, type SocialAdapter } from './types.js';

export type XCredentials =
  | { kind: 'oauth1'; apiKey: string; apiSecret: string; accessToken: string; accessSecret: string; apiUrl: string }
  | { kind: 'oauth2'; userToken: string; apiUrl: string };

export class XAdapter implements SocialAdapter {
  readonly deduplicates = false;
  private readonly client: TwitterApiv2;
  /** The library's own per-call `prefix` option: the documented way to send its requests to another host. */
  private readonly prefix: string;

  constructor(
    credentials: XCredentials,
    private readonly clock: Clock,
  ) {
    const settings = credentials.apiUrl.startsWith('http:') ? { httpAgent: new http.Agent() } : {};
    const root =
      credentials.kind === 'oauth1'
        ? new TwitterApi({ appKey: credentials.apiKey, appSecret: credentials.apiSecret, accessToken: credentials.accessToken, accessSecret: credentials.accessSecret }, settings)
        : new TwitterApi(credentials.userToken, settings);
    this.client = root.v2;
    this.prefix = `${credentials.apiUrl.replace(/\/+$/, '')}/2/`;
  }

  async verify(): Promise<AccountIdentity> {
    const me = await this.call(() => this.client.get<UserV2Result>('users/me', undefined, { prefix: this.prefix }));
    if (!me?.data?.username) throw unexpectedAnswer('X', 'no user name');
    return { name: `@${me.data.username}`, url: `https://x.com/${me.data.username}` };
  }

  async post(request: PostRequest): Promise<PostResult> {
    const created = await this.call(() => this.client.post<TweetV2PostTweetResult>('tweets', { text: request.text }, { prefix: this.prefix }));
    if (!created?.data?.id) throw unexpectedAnswer('X', 'no post id');
    return { id: created.data.id, url: `https://x.com/i/web/status/${created.data.id}` };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ApiResponseError) {
        const data = error.data as { detail?: string; title?: string; errors?: { message?: string }[] } | undefined;
        const message = data?.detail ?? data?.title ?? data?.errors?.[0]?.message ?? error.message;
        // X answers a repeated text with 403 "duplicate content": a refused post, not a refused token.
        if (error.code === 403 && /duplicate/i.test(message)) return Promise.reject(new NetworkError('rejected', `X refused the post as a duplicate (HTTP 403): ${message}`, { status: 403 }));
        return Promise.reject(httpError('X', error.code, message, headerReader(error.headers), this.clock.now()));
      }
      throw connectionError('X', error);
    }
  }
}
