/** Shapes of the social Admin API (src/social/social.routes.ts). */
export type NetworkId = 'mastodon' | 'bluesky' | 'facebook' | 'x';
export type PostStatus = 'queued' | 'posting' | 'posted' | 'failed' | 'skipped';

export interface SocialAccount {
  network: NetworkId;
  label: string;
  connected: boolean;
  settings: Record<string, string>;
  secrets: Record<string, 'set' | 'not set'>;
  displayName: string;
  profileUrl: string;
  verifiedAt: string | null;
  lastError: string | null;
  connectedAt: string | null;
}

export interface SocialPost {
  network: NetworkId;
  status: PostStatus;
  text: string;
  remoteUrl: string | null;
  error: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  postedAt: string | null;
  updatedAt: string;
}

export interface ArticleSocial {
  options: { optOut: boolean; texts: Partial<Record<NetworkId, string>> };
  posts: SocialPost[];
  networks: { network: NetworkId; label: string; connected: boolean; displayName: string; maxText: number }[];
}

export interface TestResult {
  ok: boolean;
  displayName?: string;
  profileUrl?: string;
  error?: string;
}
