/** Helpers for the social tests: connecting every network to the fake servers through the Admin API. */
import assert from 'node:assert/strict';
import type { TestApp } from '../support/apps.js';
import { call, type Signed } from '../accounts/support.js';
import type { FakeNetworks } from './fake-networks.js';

export const SECRETS = {
  mastodon: 'masto-token-secret-1',
  bluesky: 'app-pass-1234',
  facebook: 'fb-page-token-secret-2',
  xKey: 'x-consumer-key',
  xSecret: 'x-consumer-secret-3',
  xToken: 'x-access-token',
  xTokenSecret: 'x-access-secret-4',
};

export const PAGE_ID = '1234567890';

export async function connectAll(t: TestApp, admin: Signed, fake: FakeNetworks): Promise<void> {
  const bodies: Record<string, unknown> = {
    mastodon: { instanceUrl: fake.url, accessToken: SECRETS.mastodon },
    bluesky: { handle: '@gazette.bsky.social', serviceUrl: fake.url, appPassword: SECRETS.bluesky },
    facebook: { pageId: PAGE_ID, graphVersion: 'v21.0', baseUrl: fake.url, pageAccessToken: SECRETS.facebook },
    x: { auth: 'oauth1', apiUrl: fake.url, apiKey: SECRETS.xKey, apiSecret: SECRETS.xSecret, accessToken: SECRETS.xToken, accessSecret: SECRETS.xTokenSecret },
  };
  for (const [network, body] of Object.entries(bodies)) {
    const res = await call(t, 'PUT', `/api/admin/social/accounts/${network}`, { body, cookie: admin.cookie, csrf: admin.csrf });
    assert.equal(res.status, 200, `${network}: ${res.text}`);
  }
}

export async function articleSocial(t: TestApp, who: Signed, id: number) {
  const res = await call(t, 'GET', `/api/admin/articles/${id}/social`, { cookie: who.cookie });
  assert.equal(res.status, 200, res.text);
  return res.json as { options: { optOut: boolean; texts: Record<string, string> }; posts: { network: string; status: string; text: string; remoteUrl: string | null; error: string | null; attempts: number; nextAttemptAt: string | null }[] };
}

export function postOf(social: Awaited<ReturnType<typeof articleSocial>>, network: string) {
  const post = social.posts.find((p) => p.network === network);
  assert.ok(post, `a ${network} post exists`);
  return post;
}
