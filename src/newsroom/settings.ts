/**
 * Site settings: one typed document stored as JSON rows in `settings`.
 * Read often (every page shows the site name), written rarely: kept in memory
 * and reloaded when a `settings` change is announced (possibly by another node).
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { Invalid } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';

const Url = Type.String({ maxLength: 500, pattern: '^(https?://[^\\s]+)?$' });
const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
/** A CSP host-source that is a whole origin: scheme, host (optionally `*.` for its subdomains), port. */
export const EMBED_ORIGIN_PATTERN = '^https?://(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$';
const Path = Type.String({ maxLength: 200, pattern: '^(/[^\\s]*|https?://[^\\s]+)?$' });

export const SiteSettings = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  tagline: Type.String({ maxLength: 240 }),
  description: Type.String({ maxLength: 500 }),
  language: Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  logoUrl: Path,
  social: Type.Object({
    facebook: Url,
    x: Url,
    mastodon: Url,
    bluesky: Url,
    instagram: Url,
    youtube: Url,
  }),
  appLinks: Type.Object({ ios: Url, android: Url }),
  /** The installable web app (docs/web-app.md): its short name under the icon and its colours. */
  webApp: Type.Object({
    /** Under the icon on a home screen (empty: the site name). Launchers cut names longer than about 12 characters. */
    shortName: Type.String({ maxLength: 30 }),
    /** The browser's toolbar and the app's title bar. */
    themeColor: Color,
    /** The splash screen while the app starts, and behind the icons. */
    backgroundColor: Color,
  }),
  policies: Type.Object({
    corrections: Path,
    ethics: Path,
    ownership: Path,
    about: Path,
  }),
  /** How many hours a breaking story stays flagged when the editor sets no expiry. */
  breakingDefaultHours: Type.Integer({ minimum: 1, maximum: 168 }),
  /** Related stories woven into articles (docs/related.md). */
  related: Type.Object({
    /** How many inline "READ:" links an article shows (0: none). */
    inlineCount: Type.Integer({ minimum: 0, maximum: 5 }),
    /** After which paragraphs they go (1-based); a link whose paragraph is missing or not followed by one slides down or is left out. */
    afterParagraphs: Type.Array(Type.Integer({ minimum: 1, maximum: 100 }), { maxItems: 5 }),
    /** Articles with fewer top-level paragraphs show no inline links. */
    minParagraphs: Type.Integer({ minimum: 1, maximum: 100 }),
    label: Type.String({ minLength: 1, maxLength: 40 }),
    /** A "More from <section>" list at the end of the article. */
    moreFromSection: Type.Boolean(),
    moreCount: Type.Integer({ minimum: 1, maximum: 10 }),
    /** Relevance halves for every this many days between two stories' publication. */
    recencyHalfLifeDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** Stories published further apart than this are never paired. */
    maxAgeDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** Sponsored content may be picked. */
    allowSponsored: Type.Boolean(),
    /** Feed entries (RSS, Atom, JSON Feed) carry the same related links as the page. */
    inFeeds: Type.Boolean(),
  }),
  /** Newsletter sign-ups (docs/newsletters.md). */
  newsletters: Type.Object({
    /** Keep the reader's IP address in consent records (off: only when and from which page). */
    recordConsentIp: Type.Boolean(),
    /** Count opens of each send (a pixel), in aggregate only. Fixed per send when it starts. */
    trackOpens: Type.Boolean(),
    /** Count clicks per link of each send (links through this site), in aggregate only. Fixed per send when it starts. */
    trackClicks: Type.Boolean(),
    /** Soft bounces in a row (a full mailbox, a server down) that put an address on the suppression list. */
    softBounceLimit: Type.Integer({ minimum: 1, maximum: 20 }),
  }),
  /** Donations (docs/revenue.md). Amounts are in whole units of the currency (dollars, euros). */
  donations: Type.Object({
    /** ISO 4217 code, upper case (USD, EUR, GBP …): every gift is in this currency. */
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    /** Three suggested amounts per frequency. */
    amountsOnce: Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000 }), { minItems: 3, maxItems: 3 }),
    amountsMonthly: Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000 }), { minItems: 3, maxItems: 3 }),
    amountsYearly: Type.Array(Type.Integer({ minimum: 1, maximum: 1_000_000 }), { minItems: 3, maxItems: 3 }),
    /** The smallest and largest gift taken online. */
    minimum: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    maximum: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    /** Offer "cover the card fees": the gift grows by feePercent % + feeFixed so the newsroom receives the whole amount. */
    coverFees: Type.Boolean(),
    feePercent: Type.Number({ minimum: 0, maximum: 20 }),
    feeFixed: Type.Number({ minimum: 0, maximum: 100 }),
    /** The organization named on receipts. */
    legalName: Type.String({ maxLength: 200 }),
    address: Type.String({ maxLength: 500 }),
    taxId: Type.String({ maxLength: 100 }),
    receiptNote: Type.String({ maxLength: 1000 }),
    /**
     * Other sites that may show the donate form in a frame (`/donate/embed`): origins such as
     * `https://partner.example`, or `https://*.example.org` for its subdomains. Empty (the default): only
     * this site frames it; see docs/revenue.md, "The embeddable donate form".
     */
    embedOrigins: Type.Array(Type.String({ maxLength: 200, pattern: EMBED_ORIGIN_PATTERN }), { maxItems: 50 }),
  }),
});
export type SiteSettings = Static<typeof SiteSettings>;

const check = TypeCompiler.Compile(SiteSettings);

export const DEFAULT_SETTINGS: SiteSettings = {
  name: 'Broadsheet',
  tagline: 'Independent news',
  description: 'Independent local and national news.',
  language: 'en',
  timeZone: 'UTC',
  logoUrl: '',
  social: { facebook: '', x: '', mastodon: '', bluesky: '', instagram: '', youtube: '' },
  appLinks: { ios: '', android: '' },
  webApp: { shortName: '', themeColor: '#ffffff', backgroundColor: '#ffffff' },
  policies: { corrections: '', ethics: '', ownership: '', about: '' },
  breakingDefaultHours: 12,
  related: {
    inlineCount: 2,
    afterParagraphs: [3, 7],
    minParagraphs: 4,
    label: 'READ:',
    moreFromSection: true,
    moreCount: 4,
    recencyHalfLifeDays: 90,
    maxAgeDays: 365,
    allowSponsored: false,
    inFeeds: false,
  },
  newsletters: { recordConsentIp: false, trackOpens: false, trackClicks: false, softBounceLimit: 3 },
  donations: {
    currency: 'USD',
    amountsOnce: [9, 20, 90],
    amountsMonthly: [7, 15, 30],
    amountsYearly: [84, 180, 360],
    minimum: 5,
    maximum: 10_000,
    coverFees: true,
    feePercent: 2.9,
    feeFixed: 0.3,
    legalName: '',
    address: '',
    taxId: '',
    receiptNote: '',
    embedOrigins: [],
  },
};

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class SettingsStore {
  private current: SiteSettings = DEFAULT_SETTINGS;
  private version = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events?: EventBus,
  ) {}

  get(): SiteSettings {
    return this.current;
  }

  /** Bumps on every change, so derived caches know to rebuild. */
  get revision(): number {
    return this.version;
  }

  async load(): Promise<SiteSettings> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', 'site').executeTakeFirst();
    const stored = row ? (JSON.parse(row.value) as Partial<SiteSettings>) : {};
    const merged = mergeSettings(DEFAULT_SETTINGS, stored);
    this.current = check.Check(merged) ? merged : DEFAULT_SETTINGS;
    this.version++;
    return this.current;
  }

  /** Validates and stores a partial update; returns the new settings. */
  async update(patch: unknown, now: string): Promise<SiteSettings> {
    if (typeof patch !== 'object' || patch === null) throw new Invalid('Settings must be an object');
    const unknown = unknownSetting(patch as Record<string, unknown>);
    if (unknown) throw new Invalid('Invalid settings', [unknown]);
    const next = mergeSettings(this.current, patch as Partial<SiteSettings>);
    if (!check.Check(next)) {
      const first = check.Errors(next).First();
      throw new Invalid('Invalid settings', [{ path: first?.path ?? '', message: first?.message ?? 'invalid' }]);
    }
    if (!validTimeZone(next.timeZone)) throw new Invalid('Invalid settings', [{ path: '/timeZone', message: 'unknown time zone' }]);
    if (next.donations.minimum > next.donations.maximum) throw new Invalid('Invalid settings', [{ path: '/donations/minimum', message: 'must not be more than the maximum' }]);
    const value = JSON.stringify(next);
    await this.db
      .insertInto('settings')
      .values({ key: 'site', value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
    this.current = next;
    this.version++;
    // Every page shows the settings (site name, follow links, policies).
    await this.events?.emit('content.changed', { change: { tags: ['settings'] } });
    return next;
  }
}

/** A misspelt key would otherwise be accepted and silently change nothing; a string for a group would be spread into it. */
function unknownSetting(patch: Record<string, unknown>): { path: string; message: string } | undefined {
  const groups = SiteSettings.properties as Record<string, { type?: string; properties?: Record<string, unknown> }>;
  for (const [key, value] of Object.entries(patch)) {
    const schema = groups[key];
    if (!schema) return { path: `/${key}`, message: 'unknown setting' };
    if (schema.type !== 'object' || !schema.properties) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { path: `/${key}`, message: 'must be an object' };
    for (const sub of Object.keys(value)) {
      if (!(sub in schema.properties)) return { path: `/${key}/${sub}`, message: 'unknown setting' };
    }
  }
  return undefined;
}

function mergeSettings(base: SiteSettings, patch: Partial<SiteSettings>): SiteSettings {
  return {
    ...base,
    ...patch,
    social: { ...base.social, ...(patch.social ?? {}) },
    appLinks: { ...base.appLinks, ...(patch.appLinks ?? {}) },
    webApp: { ...base.webApp, ...(patch.webApp ?? {}) },
    policies: { ...base.policies, ...(patch.policies ?? {}) },
    related: { ...base.related, ...(patch.related ?? {}) },
    newsletters: { ...base.newsletters, ...(patch.newsletters ?? {}) },
    donations: { ...base.donations, ...(patch.donations ?? {}) },
  };
}
