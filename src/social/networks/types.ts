/**
 * One interface for every network a newsroom can post to. An adapter knows
 * its network's wire format and client library and nothing about articles,
 * jobs or storage: the posting service (../posts.service.ts) decides what to
 * post and what to do when a network says no.
 */
export const NETWORKS = ['mastodon', 'bluesky', 'facebook', 'x'] as const;
export type NetworkId = (typeof NETWORKS)[number];

export const NETWORK_NAMES: Record<NetworkId, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  facebook: 'Facebook Page',
  x: 'X',
};

export function isNetwork(value: unknown): value is NetworkId {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}

export interface CardImage {
  data: Buffer;
  mime: string;
  alt: string;
}

/** What a post links to: networks that build their own preview from the page's Open Graph tags ignore it. */
export interface LinkCard {
  url: string;
  title: string;
  description: string;
  image?: CardImage;
}

export interface PostRequest {
  /** The full text of the post, the link included where the network shows links in the text. */
  text: string;
  card: LinkCard;
  /** Stable for one article on one network across retries. */
  idempotencyKey: string;
}

export interface PostResult {
  id: string;
  url: string;
}

export interface AccountIdentity {
  /** The account's name as the network shows it (e.g. "@gazette@social.example", a page's name). */
  name: string;
  url: string;
}

export interface SocialAdapter {
  /** Calls the network's "who am I" endpoint with the saved credentials. */
  verify(): Promise<AccountIdentity>;
  post(request: PostRequest): Promise<PostResult>;
  /**
   * For networks where a post can be looked up by our own key: the post made by
   * an earlier attempt that was cut off before its answer was recorded.
   */
  findExisting?(request: PostRequest): Promise<PostResult | undefined>;
  /** True when sending the same request twice cannot make two posts (the network deduplicates by our key). */
  readonly deduplicates: boolean;
}

/**
 * What went wrong, in the terms the posting service acts on:
 * - auth: the token or password was refused (expired, revoked): permanent until reconnected;
 * - rate: try again after `retryAt`;
 * - rejected: the network refused this post (too long, duplicate ...): permanent;
 * - unavailable: the network or the connection failed (5xx, timeout): retry with backoff.
 */
export type NetworkErrorKind = 'auth' | 'rate' | 'rejected' | 'unavailable';

export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkErrorKind,
    message: string,
    readonly details: { status?: number; retryAt?: Date } = {},
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}
