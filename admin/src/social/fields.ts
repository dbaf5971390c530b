/** Each network's form: which fields, which are secrets (write-only), and where to find them. */
import type { NetworkId } from './types';

export interface AccountField {
  name: string;
  label: string;
  hint?: string;
  secret?: boolean;
  /** Shown only for this X sign-in kind. */
  auth?: 'oauth1' | 'oauth2';
  placeholder?: string;
}

export const ACCOUNT_FIELDS: Record<NetworkId, AccountField[]> = {
  mastodon: [
    { name: 'instanceUrl', label: 'Server address', placeholder: 'https://mastodon.social', hint: 'The address of the Mastodon server the account is on.' },
    { name: 'accessToken', label: 'Access token', secret: true, hint: 'On the server: Preferences › Development › New application, with the read:accounts and write:statuses scopes.' },
  ],
  bluesky: [
    { name: 'handle', label: 'Handle', placeholder: 'gazette.bsky.social' },
    { name: 'appPassword', label: 'App password', secret: true, hint: 'Bluesky: Settings › Privacy and security › App passwords. Never the account password.' },
    { name: 'serviceUrl', label: 'Server (PDS) address', placeholder: 'https://bsky.social', hint: 'Leave empty for accounts hosted by Bluesky.' },
  ],
  facebook: [
    { name: 'pageId', label: 'Page id', hint: 'Digits only: the page’s About › Page transparency, or Meta Business Suite.' },
    { name: 'pageAccessToken', label: 'Page access token', secret: true, hint: 'A long-lived page token with pages_manage_posts and pages_read_engagement.' },
    { name: 'graphVersion', label: 'Graph API version', placeholder: 'v21.0' },
    { name: 'baseUrl', label: 'Graph API address', placeholder: 'https://graph.facebook.com', hint: 'Leave empty unless posts go through a proxy.' },
  ],
  x: [
    { name: 'apiKey', label: 'API key (consumer key)', secret: true, auth: 'oauth1' },
    { name: 'apiSecret', label: 'API key secret', secret: true, auth: 'oauth1' },
    { name: 'accessToken', label: 'Access token', secret: true, auth: 'oauth1', hint: 'Generated for the posting account, with read and write permission.' },
    { name: 'accessSecret', label: 'Access token secret', secret: true, auth: 'oauth1' },
    { name: 'userToken', label: 'OAuth 2.0 user access token', secret: true, auth: 'oauth2', hint: 'With the tweet.write, tweet.read and users.read scopes.' },
    { name: 'apiUrl', label: 'API address', placeholder: 'https://api.x.com', hint: 'Leave empty unless posts go through a proxy.' },
  ],
};

export const STATUS_LABELS = {
  queued: 'Queued',
  posting: 'Posting',
  posted: 'Posted',
  failed: 'Failed',
  skipped: 'Skipped',
} as const;
