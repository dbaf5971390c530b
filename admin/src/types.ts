/** Shapes of the Admin API's answers (docs/admin-api.md, docs/accounts.md, docs/media.md). */

export type Role = 'owner' | 'admin' | 'editor' | 'author' | 'contributor';
export type Permission = 'any' | 'own' | 'none';
export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';
export type Label = 'news' | 'analysis' | 'opinion' | 'review' | 'fact-check' | 'sponsored';
export const LABELS: Label[] = ['news', 'analysis', 'opinion', 'review', 'fact-check', 'sponsored'];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  twoFactor: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface SessionInfo {
  user: User;
  csrfToken: string;
  expiresAt: string;
  permissions: Record<string, Permission>;
}

export interface Ref {
  id: number;
  slug: string;
  name: string;
}

export interface ArticleListItem {
  id: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  label: Label;
  section: Ref | null;
  authors: Ref[];
  savedAt: string;
  publishedAt: string | null;
  firstPublishedAt: string | null;
  scheduledAt: string | null;
  topRank: number | null;
  version: number;
  createdBy: number | null;
  reviewRequestedAt: string | null;
}

export interface StatusCounts {
  all: number;
  draft: number;
  scheduled: number;
  published: number;
  unpublished: number;
}

export interface ArticleList {
  items: ArticleListItem[];
  page: number;
  pageSize: number;
  total: number;
  counts: StatusCounts;
}

export interface BodyDoc {
  type: 'doc';
  content: unknown[];
}

export interface Correction {
  id: number;
  kind: 'correction' | 'clarification' | 'update';
  text: string;
  createdAt: string;
}

/** Everything an editor can change on an article (PATCH accepts any subset plus `version`). */
export interface ArticleFields {
  headline: string;
  dek: string;
  slug: string;
  body: BodyDoc;
  label: Label;
  dateline: string;
  sectionId: number | null;
  authorIds: number[];
  tagIds: number[];
  imageId: number | null;
  imageAlt: string;
  imageCaption: string;
  imageCredit: string;
  topRank: number | null;
  breaking: boolean;
  breakingUntil: string | null;
  seoTitle: string;
  seoDescription: string;
  socialTitle: string;
  socialDescription: string;
  socialImageUrl: string;
  canonicalUrl: string;
}

export interface Article extends ArticleFields {
  id: number;
  status: ArticleStatus;
  wordCount: number;
  publishedAt: string | null;
  firstPublishedAt: string | null;
  updatedAt: string | null;
  scheduledAt: string | null;
  createdAt: string;
  savedAt: string;
  createdBy: number | null;
  reviewRequestedAt: string | null;
  version: number;
  corrections: Correction[];
}

export interface Revision {
  id: number;
  version: number;
  actor: string;
  note: string;
  createdAt: string;
}

export interface Section {
  id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface Tag {
  id: number;
  slug: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface Author {
  id: number;
  slug: string;
  name: string;
  title: string;
  bio: string;
  expertise: string[];
  social: Record<string, string>;
  email: string | null;
  avatarMediaId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface MediaVariant {
  width: number;
  height: number;
  format: string;
  url: string;
}

export interface MediaItem {
  id: number;
  url: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  filename: string;
  alt: string;
  caption: string;
  credit: string;
  uploadedBy: number | null;
  createdAt: string;
  variants: MediaVariant[];
}

/** One page of `GET /media` (the library and the image picker both list it). */
export interface MediaPage {
  items: MediaItem[];
  total: number;
  page: number;
  perPage: number;
}

export interface SiteSettings {
  name: string;
  tagline: string;
  description: string;
  language: string;
  timeZone: string;
  logoUrl: string;
  social: { facebook: string; x: string; mastodon: string; bluesky: string; instagram: string; youtube: string };
  appLinks: { ios: string; android: string };
  /** The installable web app (docs/web-app.md). */
  webApp: { shortName: string; themeColor: string; backgroundColor: string };
  policies: { corrections: string; ethics: string; ownership: string; about: string };
  breakingDefaultHours: number;
  /** Related stories woven into articles (docs/related.md). */
  related: RelatedSettings;
  /** Newsletter sign-ups and sends (docs/newsletters.md). */
  newsletters: NewsletterSettings;
  /** Donations (docs/revenue.md): amounts in whole units of the currency. */
  donations: DonationSettings;
}

export interface DonationSettings {
  currency: string;
  amountsOnce: number[];
  amountsMonthly: number[];
  amountsYearly: number[];
  minimum: number;
  maximum: number;
  coverFees: boolean;
  feePercent: number;
  feeFixed: number;
  legalName: string;
  address: string;
  taxId: string;
  receiptNote: string;
  /** Other sites that may show the donate form in a frame (/donate/embed): origins, one per entry. */
  embedOrigins: string[];
}

export interface NewsletterSettings {
  /** Keep the reader's IP address in consent records. */
  recordConsentIp: boolean;
  /** Count opens of each send (aggregate only); fixed per send when it starts. */
  trackOpens: boolean;
  /** Count clicks per link of each send (aggregate only); fixed per send when it starts. */
  trackClicks: boolean;
  /** Soft bounces in a row that put an address on the suppression list. */
  softBounceLimit: number;
}

export interface RelatedSettings {
  /** Inline "READ:" links per article (0: none). */
  inlineCount: number;
  /** After which paragraphs they go (1-based). */
  afterParagraphs: number[];
  /** Shorter articles get no inline links. */
  minParagraphs: number;
  label: string;
  moreFromSection: boolean;
  moreCount: number;
  recencyHalfLifeDays: number;
  maxAgeDays: number;
  allowSponsored: boolean;
  /** Feed entries carry the links too. */
  inFeeds: boolean;
}

/** One related story picked for an article (GET/PUT /articles/:id/related). */
export interface RelatedPick {
  id: number;
  headline: string;
  slug: string;
  /** Site-relative path of the picked story. */
  url: string;
  section: Ref | null;
  status: ArticleStatus;
  publishedAt: string | null;
  /** Placed by an editor: kept where it is when the engine recomputes. */
  pinned: boolean;
  score: number;
}

export interface ArticleRelated {
  articleId: number;
  /** Inline "READ:" links appear in this article. */
  inline: boolean;
  /** In order: the first ones are the inline links, the rest feed "More from <section>". */
  picks: RelatedPick[];
  /** Removed by an editor: never picked again for this article. */
  removed: RelatedPick[];
}

/** Newsletters and their readers (docs/newsletters.md). */
export type SubscriptionStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'bounced' | 'complained';
export const SUBSCRIPTION_STATUSES: SubscriptionStatus[] = ['subscribed', 'pending', 'unsubscribed', 'bounced', 'complained'];
export type SubscriptionCounts = Record<SubscriptionStatus, number>;
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface NewsletterSchedule {
  days: Weekday[];
  /** "HH:MM" in the site's time zone. */
  time: string;
}

export interface NewsletterTemplate {
  logoUrl?: string;
  accentColor?: string;
  intro?: string;
}

export interface Newsletter {
  id: number;
  slug: string;
  name: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  /** null: sent by hand. */
  schedule: NewsletterSchedule | null;
  template: NewsletterTemplate;
  visibility: 'public' | 'hidden';
  position: number;
  /** `manual`: editors send from the composer (the schedule is only shown); `automatic`: each slot goes out unreviewed. */
  sendMode: 'manual' | 'automatic';
  counts: SubscriptionCounts;
  createdAt: string;
  updatedAt: string;
}

/** One reader in `GET /subscribers`. */
export interface SubscriberSummary {
  id: number;
  email: string;
  name: string;
  createdAt: string;
  subscriptions: { newsletterId: number; status: SubscriptionStatus }[];
}

export interface SubscriberPage {
  items: SubscriberSummary[];
  total: number;
  page: number;
  pageSize: number;
  /** Subscriptions per status among the matching readers (within the chosen newsletter), whatever status is chosen. */
  counts: SubscriptionCounts;
}

export interface SubscriberDetail {
  id: number;
  email: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  subscriptions: {
    newsletterId: number;
    newsletterName: string;
    status: SubscriptionStatus;
    source: string;
    requestedAt: string;
    confirmedAt: string | null;
    unsubscribedAt: string | null;
  }[];
  /** Append-only evidence, oldest first. */
  consents: {
    newsletterId: number | null;
    newsletterName: string;
    action: string;
    source: string;
    ip: string | null;
    createdAt: string;
  }[];
}

/** The suppression list (docs/newsletters.md, "Bounces, complaints and suppression"). */
export type SuppressionReason = 'hard_bounce' | 'complaint' | 'soft_bounce' | 'manual';
export const SUPPRESSION_REASONS: SuppressionReason[] = ['hard_bounce', 'complaint', 'soft_bounce', 'manual'];

export interface Suppression {
  id: number;
  email: string;
  reason: SuppressionReason;
  /** ses, postmark, mailgun, webhook, smtp, or admin:<staff email>. */
  source: string;
  detail: string;
  createdAt: string;
  /** The reader with this address, when there is one. */
  subscriberId: number | null;
}

export interface SuppressionPage {
  items: Suppression[];
  total: number;
  page: number;
  pageSize: number;
  /** Per reason among the addresses matching the search, whatever reason is chosen. */
  counts: Record<SuppressionReason, number>;
}
