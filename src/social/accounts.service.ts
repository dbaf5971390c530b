/**
 * Connected posting accounts: saving their settings and secrets, showing them
 * without the secrets ("set" / "not set"), testing them against the network,
 * disconnecting. Secrets leave this module only inside an adapter's request.
 */
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import { Conflict, Invalid, NotFound, type FieldProblem } from '../shared/errors.js';
import { adapterFor, type AccountConfig, type AnyAccount } from './networks/index.js';
import { NETWORK_NAMES, NETWORKS, NetworkError, type NetworkId } from './networks/types.js';
import type { SocialAccountRow, SocialRepository } from './social.repository.js';

/** Which secret fields each network has, and which settings fields (with defaults for the optional ones). */
export const SECRET_FIELDS: { [K in NetworkId]: readonly (keyof AccountConfig[K]['secrets'])[] } = {
  mastodon: ['accessToken'],
  bluesky: ['appPassword'],
  facebook: ['pageAccessToken'],
  x: ['apiKey', 'apiSecret', 'accessToken', 'accessSecret', 'userToken'],
};

export const DEFAULTS = {
  blueskyService: 'https://bsky.social',
  graphVersion: 'v21.0',
  graphUrl: 'https://graph.facebook.com',
  xApiUrl: 'https://api.x.com',
};

/** What the admin sends: settings as strings, each secret a new value, null to clear, or absent to keep. */
export type AccountInput = Record<string, string | null | undefined>;

export interface AccountView {
  network: NetworkId;
  label: string;
  connected: boolean;
  settings: Record<string, string>;
  /** Each secret field: "set" or "not set"; the value itself is never sent back. */
  secrets: Record<string, 'set' | 'not set'>;
  displayName: string;
  profileUrl: string;
  verifiedAt: string | null;
  lastError: string | null;
  connectedAt: string | null;
}

export interface TestResult {
  ok: boolean;
  displayName?: string;
  profileUrl?: string;
  error?: string;
}

export class SocialAccounts {
  constructor(
    private readonly deps: { repo: SocialRepository; clock: Clock; log: Logger },
  ) {}

  async list(): Promise<AccountView[]> {
    const rows = new Map((await this.deps.repo.accounts()).map((r) => [r.network, r]));
    return NETWORKS.map((network) => view(network, rows.get(network)));
  }

  async get(network: NetworkId): Promise<AccountView> {
    return view(network, await this.deps.repo.account(network));
  }

  /** The account with its secrets, for posting; undefined when not connected. */
  async load(network: NetworkId): Promise<AnyAccount | undefined> {
    const row = await this.deps.repo.account(network);
    return row ? toAccount(row) : undefined;
  }

  async connected(): Promise<{ network: NetworkId; connectedAt: string }[]> {
    return (await this.deps.repo.accounts()).filter((r) => isNetworkId(r.network)).map((r) => ({ network: r.network as NetworkId, connectedAt: r.connected_at }));
  }

  /** Connects or updates: secrets not sent are kept, null clears one. */
  async save(network: NetworkId, input: AccountInput): Promise<AccountView> {
    const existing = await this.deps.repo.account(network);
    const oldSecrets = existing ? (JSON.parse(existing.secrets) as Record<string, string>) : {};
    const secrets: Record<string, string> = {};
    for (const field of SECRET_FIELDS[network] as readonly string[]) {
      const value = input[field];
      if (value === null) continue;
      if (typeof value === 'string' && value.trim()) secrets[field] = value.trim();
      else if (value === undefined && oldSecrets[field]) secrets[field] = oldSecrets[field]!;
    }
    const settings = validateSettings(network, input, secrets);
    const now = this.deps.clock.now().toISOString();
    await this.deps.repo.saveAccount({ network, settings: JSON.stringify(settings), secrets: JSON.stringify(secrets), connected_at: existing?.connected_at ?? now, updated_at: now });
    this.deps.log.info({ network }, 'social account saved');
    return this.get(network);
  }

  async disconnect(network: NetworkId): Promise<void> {
    if (!(await this.deps.repo.deleteAccount(network))) throw new NotFound(`No ${NETWORK_NAMES[network]} account is connected`);
    this.deps.log.info({ network }, 'social account disconnected');
  }

  /** Calls the network's "who am I" endpoint and records the answer on the account. */
  async test(network: NetworkId): Promise<TestResult> {
    const account = await this.load(network);
    if (!account) throw new Conflict(`No ${NETWORK_NAMES[network]} account is connected`);
    const now = this.deps.clock.now().toISOString();
    try {
      const identity = await adapterFor(account, this.deps.clock).verify();
      await this.deps.repo.updateAccount(network, { display_name: identity.name.slice(0, 200), profile_url: identity.url.slice(0, 500), verified_at: now, last_error: null });
      return { ok: true, displayName: identity.name, profileUrl: identity.url };
    } catch (error) {
      const message = error instanceof NetworkError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      await this.deps.repo.updateAccount(network, { last_error: message.slice(0, 1000) });
      return { ok: false, error: message };
    }
  }

  /** A post went through: a refusal shown on the account is over. */
  async recordSuccess(network: NetworkId): Promise<void> {
    await this.deps.repo.updateAccount(network, { last_error: null });
  }

  /** An account's token was refused while posting: shown on the account until it is tested, saved again or posts again. */
  async recordFailure(network: NetworkId, message: string): Promise<void> {
    await this.deps.repo.updateAccount(network, { last_error: message.slice(0, 1000) });
  }
}

function isNetworkId(value: string): value is NetworkId {
  return (NETWORKS as readonly string[]).includes(value);
}

function toAccount(row: SocialAccountRow): AnyAccount {
  return { network: row.network, settings: JSON.parse(row.settings), secrets: JSON.parse(row.secrets) } as AnyAccount;
}

function view(network: NetworkId, row: SocialAccountRow | undefined): AccountView {
  const secrets = row ? (JSON.parse(row.secrets) as Record<string, string>) : {};
  return {
    network,
    label: NETWORK_NAMES[network],
    connected: row !== undefined,
    settings: row ? (JSON.parse(row.settings) as Record<string, string>) : {},
    secrets: Object.fromEntries((SECRET_FIELDS[network] as readonly string[]).map((f) => [f, secrets[f] ? 'set' : 'not set'])),
    displayName: row?.display_name ?? '',
    profileUrl: row?.profile_url ?? '',
    verifiedAt: row?.verified_at ?? null,
    lastError: row?.last_error ?? null,
    connectedAt: row?.connected_at ?? null,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An absolute base URL. Tokens travel to it, so it must be https, except on
 * this machine (a local relay or a test server).
 */
function baseUrl(value: string | null | undefined, fallback: string | undefined, path: string, problems: FieldProblem[]): string {
  const text = (value ?? '').trim() || fallback || '';
  if (!text) {
    problems.push({ path, message: 'is required' });
    return '';
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push({ path, message: 'must be an absolute URL such as https://example.social' });
    return '';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problems.push({ path, message: 'must start with https://' });
  } else if (url.search || url.hash || url.username || url.password) {
    problems.push({ path, message: 'must not have a query, fragment or user name' });
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function requireSecrets(network: NetworkId, secrets: Record<string, string>, fields: readonly string[], problems: FieldProblem[]): void {
  for (const field of fields) if (!secrets[field]) problems.push({ path: `/${field}`, message: `is required to connect ${NETWORK_NAMES[network]}` });
}

function validateSettings(network: NetworkId, input: AccountInput, secrets: Record<string, string>): Record<string, string> {
  const problems: FieldProblem[] = [];
  let settings: Record<string, string>;
  switch (network) {
    case 'mastodon':
      settings = { instanceUrl: baseUrl(input.instanceUrl, undefined, '/instanceUrl', problems) };
      requireSecrets(network, secrets, ['accessToken'], problems);
      break;
    case 'bluesky': {
      const handle = (input.handle ?? '').trim().replace(/^@/, '').toLowerCase();
      if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(handle) || handle.length > 253) {
        problems.push({ path: '/handle', message: 'must be a Bluesky handle such as gazette.bsky.social' });
      }
      settings = { handle, serviceUrl: baseUrl(input.serviceUrl, DEFAULTS.blueskyService, '/serviceUrl', problems) };
      requireSecrets(network, secrets, ['appPassword'], problems);
      break;
    }
    case 'facebook': {
      const pageId = (input.pageId ?? '').trim();
      if (!/^\d{1,30}$/.test(pageId)) problems.push({ path: '/pageId', message: 'must be the page id (digits), found under the page\'s About > Page transparency' });
      const graphVersion = (input.graphVersion ?? '').trim() || DEFAULTS.graphVersion;
      if (!/^v\d{1,2}\.\d$/.test(graphVersion)) problems.push({ path: '/graphVersion', message: 'must look like v21.0' });
      settings = { pageId, graphVersion, baseUrl: baseUrl(input.baseUrl, DEFAULTS.graphUrl, '/baseUrl', problems) };
      requireSecrets(network, secrets, ['pageAccessToken'], problems);
      break;
    }
    case 'x': {
      const auth = (input.auth ?? 'oauth1').trim();
      if (auth !== 'oauth1' && auth !== 'oauth2') problems.push({ path: '/auth', message: 'must be oauth1 or oauth2' });
      settings = { auth, apiUrl: baseUrl(input.apiUrl, DEFAULTS.xApiUrl, '/apiUrl', problems) };
      if (auth === 'oauth2') {
        requireSecrets(network, secrets, ['userToken'], problems);
        for (const f of ['apiKey', 'apiSecret', 'accessToken', 'accessSecret']) delete secrets[f];
      } else {
        requireSecrets(network, secrets, ['apiKey', 'apiSecret', 'accessToken', 'accessSecret'], problems);
        delete secrets.userToken;
      }
      break;
    }
  }
  if (problems.length) throw new Invalid(`The ${NETWORK_NAMES[network]} account cannot be saved`, problems);
  return settings;
}
