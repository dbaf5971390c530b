/** The one place that turns a connected account's stored settings into its network's adapter. */
import type { Clock } from '../../shared/clock.js';
import { BlueskyAdapter } from './bluesky.js';
import { FacebookAdapter } from './facebook.js';
import { MastodonAdapter } from './mastodon.js';
import type { NetworkId, SocialAdapter } from './types.js';
import { XAdapter } from './x.js';

/** What an account holds, per network: `settings` are shown in the admin, `secrets` never are. */
export interface AccountConfig {
  mastodon: { settings: { instanceUrl: string }; secrets: { accessToken: string } };
  bluesky: { settings: { handle: string; serviceUrl: string }; secrets: { appPassword: string } };
  facebook: { settings: { pageId: string; graphVersion: string; baseUrl: string }; secrets: { pageAccessToken: string } };
  x: {
    settings: { auth: 'oauth1' | 'oauth2'; apiUrl: string };
    secrets: { apiKey?: string; apiSecret?: string; accessToken?: string; accessSecret?: string; userToken?: string };
  };
}

export type AnyAccount = { [K in NetworkId]: { network: K } & AccountConfig[K] }[NetworkId];

export function adapterFor(account: AnyAccount, clock: Clock): SocialAdapter {
  switch (account.network) {
    case 'mastodon':
      return new MastodonAdapter({ instanceUrl: account.settings.instanceUrl, accessToken: account.secrets.accessToken }, clock);
    case 'bluesky':
      return new BlueskyAdapter({ handle: account.settings.handle, serviceUrl: account.settings.serviceUrl, appPassword: account.secrets.appPassword }, clock);
    case 'facebook':
      return new FacebookAdapter({ ...account.settings, pageAccessToken: account.secrets.pageAccessToken }, clock);
    case 'x': {
      const s = account.secrets;
      return account.settings.auth === 'oauth2'
        ? new XAdapter({ kind: 'oauth2', userToken: s.userToken ?? '', apiUrl: account.settings.apiUrl }, clock)
        : new XAdapter({ kind: 'oauth1', apiKey: s.apiKey ?? '', apiSecret: s.apiSecret ?? '', accessToken: s.accessToken ?? '', accessSecret: s.accessSecret ?? '', apiUrl: account.settings.apiUrl }, clock);
    }
  }
}
