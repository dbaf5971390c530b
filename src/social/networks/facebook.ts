/**
 * A Facebook Page through the Graph API (`POST /{page-id}/feed` with `message`
 * and `link`; Facebook builds the card from the page's Open Graph tags). There
 * is no official Node SDK for the Graph API, so this is fetch against a
 * configurable base URL. The Graph API has no idempotency key: see
 * docs/social.md for what a crash in mid-request means here.
 */
import type { Clock } from '../../shared/clock.js';
import { connectionError, headerReader, httpError, unexpectedAnswer } from './http-errors.js';
import { NetworkError, type AccountIdentity, type PostRequest, type PostResult, type SocialAdapter } from './types.js';

export interface FacebookCredentials {
  pageId: string;
  pageAccessToken: string;
  graphVersion: string;
  /** https://graph.facebook.com in production. */
  baseUrl: string;
}

interface GraphError {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number };
}

const TIMEOUT_MS = 30_000;
/** Graph error codes for an invalid or expired token, missing permission, and rate limits. */
const AUTH_CODES = new Set([102, 190, 200, 10]);
const RATE_CODES = new Set([4, 17, 32, 341, 613]);

export class FacebookAdapter implements SocialAdapter {
  readonly deduplicates = false;

  constructor(
    private readonly credentials: FacebookCredentials,
    private readonly clock: Clock,
  ) {}

  async verify(): Promise<AccountIdentity> {
    const page = await this.request<{ id?: string; name?: string; link?: string }>('GET', `${encodeURIComponent(this.credentials.pageId)}?fields=name,link`);
    if (!page.id) throw unexpectedAnswer('Facebook', 'no page id');
    return { name: page.name ?? page.id, url: page.link ?? `https://www.facebook.com/${page.id}` };
  }

  async post(request: PostRequest): Promise<PostResult> {
    const body = new URLSearchParams({ message: request.text, link: request.card.url });
    const created = await this.request<{ id?: string }>('POST', `${encodeURIComponent(this.credentials.pageId)}/feed`, body);
    if (!created.id) throw unexpectedAnswer('Facebook', 'no post id');
    // Feed post ids are "<page id>_<post id>"; facebook.com resolves that form to the post.
    return { id: created.id, url: `https://www.facebook.com/${created.id}` };
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: URLSearchParams): Promise<T> {
    const url = `${this.credentials.baseUrl.replace(/\/+$/, '')}/${this.credentials.graphVersion}/${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        // The token goes in a header, not the URL, so it never lands in a proxy's access log.
        headers: { authorization: `Bearer ${this.credentials.pageAccessToken}`, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw connectionError('Facebook', error);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (response.ok && json && typeof json === 'object') return json as T;
    const graph = (json as GraphError | undefined)?.error;
    const message = graph?.message ?? (response.ok ? 'not JSON' : response.statusText);
    if (graph?.code !== undefined && AUTH_CODES.has(graph.code)) {
      return Promise.reject(
        new NetworkError('auth', `Facebook refused the page token (code ${graph.code}): ${message}. It may have expired or lost its permissions: reconnect the page.`, { status: response.status }),
      );
    }
    if (graph?.code !== undefined && RATE_CODES.has(graph.code)) {
      return Promise.reject(httpError('Facebook', 429, message, headerReader(response.headers), this.clock.now()));
    }
    if (response.ok) throw unexpectedAnswer('Facebook', message);
    throw httpError('Facebook', response.status, message, headerReader(response.headers), this.clock.now());
  }
}
