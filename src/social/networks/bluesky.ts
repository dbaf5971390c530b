/**
 * Bluesky through `@atproto/api`: a session from the handle and an app
 * password (`com.atproto.server.createSession`), the card's image uploaded as
 * a blob (`com.atproto.repo.uploadBlob`), and the post written with an external
 * embed (the link card Bluesky shows) and a link facet over the URL in the text
 * (`com.atproto.repo.createRecord`). Bluesky does not read Open Graph tags, so
 * the poster builds the card.
 *
 * Retries cannot double-post: the record key is ours (a TID derived from the
 * post's idempotency key), so an earlier attempt's post is found with
 * `com.atproto.repo.getRecord` and a second create with the same key is refused.
 */
import { AtpAgent, RichText, XRPCError } from '@atproto/api';
import type { Clock } from '../../shared/clock.js';
import { connectionError, headerReader, httpError, unexpectedAnswer } from './http-errors.js';
import { NetworkError, type AccountIdentity, type PostRequest, type PostResult, type SocialAdapter } from './types.js';

export interface BlueskyCredentials {
  handle: string;
  appPassword: string;
  /** The account's PDS or an entryway: https://bsky.social for most accounts. */
  serviceUrl: string;
}

const POST_COLLECTION = 'app.bsky.feed.post';
/** Bluesky refuses blobs over 1,000,000 bytes for external embed thumbnails. */
export const BLUESKY_MAX_THUMB_BYTES = 1_000_000;

export class BlueskyAdapter implements SocialAdapter {
  readonly deduplicates = true;
  private agent: AtpAgent | undefined;

  constructor(
    private readonly credentials: BlueskyCredentials,
    private readonly clock: Clock,
  ) {}

  async verify(): Promise<AccountIdentity> {
    const agent = await this.session();
    const handle = agent.session?.handle ?? this.credentials.handle;
    return { name: `@${handle}`, url: `https://bsky.app/profile/${handle}` };
  }

  async findExisting(request: PostRequest): Promise<PostResult | undefined> {
    const agent = await this.session();
    const rkey = recordKeyFor(request.idempotencyKey);
    try {
      const found = await agent.com.atproto.repo.getRecord({ repo: agent.session!.did, collection: POST_COLLECTION, rkey });
      return this.result(found.data.uri, rkey);
    } catch (error) {
      if (error instanceof XRPCError && (error.error === 'RecordNotFound' || error.status === 404)) return undefined;
      throw this.translate(error);
    }
  }

  async post(request: PostRequest): Promise<PostResult> {
    const agent = await this.session();
    const rkey = recordKeyFor(request.idempotencyKey);
    const text = new RichText({ text: request.text });
    text.detectFacetsWithoutResolution();
    try {
      const image = request.card.image && request.card.image.data.length <= BLUESKY_MAX_THUMB_BYTES ? request.card.image : undefined;
      const thumb = image ? (await agent.uploadBlob(image.data, { encoding: image.mime })).data.blob : undefined;
      const record = {
        $type: POST_COLLECTION,
        text: text.text,
        ...(text.facets?.length ? { facets: text.facets } : {}),
        createdAt: this.clock.now().toISOString(),
        embed: {
          $type: 'app.bsky.embed.external',
          external: { uri: request.card.url, title: request.card.title, description: request.card.description, ...(thumb ? { thumb } : {}) },
        },
      };
      const created = await agent.com.atproto.repo.createRecord({ repo: agent.session!.did, collection: POST_COLLECTION, rkey, record });
      if (!created.data.uri) throw unexpectedAnswer('Bluesky', 'no record uri');
      return this.result(created.data.uri, rkey);
    } catch (error) {
      throw this.translate(error);
    }
  }

  private result(uri: string, rkey: string): PostResult {
    const handle = this.agent?.session?.handle ?? this.credentials.handle;
    return { id: uri, url: `https://bsky.app/profile/${handle}/post/${rkey}` };
  }

  private async session(): Promise<AtpAgent> {
    if (this.agent?.session) return this.agent;
    const agent = new AtpAgent({ service: this.credentials.serviceUrl });
    try {
      await agent.login({ identifier: this.credentials.handle, password: this.credentials.appPassword });
    } catch (error) {
      throw this.translate(error);
    }
    this.agent = agent;
    return agent;
  }

  private translate(error: unknown): NetworkError {
    if (error instanceof NetworkError) return error;
    if (error instanceof XRPCError && error.status >= 400) {
      const message = [error.error, error.message].filter((part, i, all) => part && all.indexOf(part) === i).join(': ');
      // Bluesky answers an expired or revoked session with 400 and a named error, not 401.
      const status = ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AccountTakedown'].includes(error.error) ? 401 : error.status;
      return httpError('Bluesky', status, message, headerReader(error.headers), this.clock.now());
    }
    return connectionError('Bluesky', error);
  }
}

const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * A timestamp identifier (the record key format Bluesky posts use: 13
 * characters of sortable base32 over 53 bits of microseconds and 10 bits of
 * clock id) derived from our key, so every attempt of one post uses the same one.
 * The key is "<created-at ms>-<random>", which keeps the TID in time order.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const [msText = '0', salt = ''] = idempotencyKey.split('-');
  const ms = BigInt(Number.isFinite(Number(msText)) ? Number(msText) : 0);
  let hash = 0;
  for (const char of salt) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  let value = ((ms * 1000n + BigInt(hash % 1000)) << 10n) | BigInt(hash & 1023);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out;
}
