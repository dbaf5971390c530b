/**
 * Table types shared by both dialects. Timestamps are ISO-8601 UTC strings
 * ("2026-11-29T09:00:00.000Z") in both databases: they sort and compare as text,
 * and read back identically from SQLite and PostgreSQL. Flags are 0/1 integers
 * for the same reason. JSON documents are stored as text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';
export type ArticleLabel = 'news' | 'analysis' | 'opinion' | 'review' | 'fact-check' | 'sponsored';
export type CorrectionKind = 'correction' | 'clarification' | 'update';

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  title: string;
  bio: string;
  avatar_media_id: number | null;
  expertise: string; // JSON string[]
  social: string; // JSON Record<string,string>
  email: string | null;
  created_at: string;
  updated_at: string;
}

export interface SectionsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface MediaTable {
  id: Generated<number>;
  storage_key: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: string; // JSON MediaVariant[]
  created_at: string;
  /** The uploaded file's name, for searching the library. */
  filename: Generated<string>;
  /** SHA-256 (hex) of the uploaded bytes: identical uploads are one item. Null for demo images. */
  content_hash: string | null;
  uploaded_by: number | null;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  dek: string;
  body_doc: string; // JSON ProseMirror document (source of truth)
  body_blocks: string; // JSON RenderedBlock[]: sanitized HTML per top-level block
  word_count: number;
  label: ArticleLabel;
  dateline: string;
  status: ArticleStatus;
  section_id: number | null;
  image_id: number | null;
  image_alt: string;
  image_caption: string;
  image_credit: string;
  published_at: string | null;
  first_published_at: string | null;
  updated_at: string | null; // the reader-facing "Updated" time (dateModified)
  scheduled_at: string | null;
  top_rank: number | null;
  breaking: number;
  breaking_until: string | null;
  seo_title: string;
  seo_description: string;
  social_title: string;
  social_description: string;
  social_image_url: string;
  canonical_url: string;
  version: number;
  created_at: string;
  saved_at: string;
  /** The staff user who created it (null for imported or demo articles). */
  created_by: number | null;
  /** When a contributor submitted it for review; cleared on publish. */
  review_requested_at: string | null;
}

export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
  position: number;
}

export interface ArticleRedirectsTable {
  old_slug: string;
  article_id: number;
  created_at: string;
}

export interface CorrectionsTable {
  id: Generated<number>;
  article_id: number;
  kind: CorrectionKind;
  body: string;
  created_at: string;
}

/** A private link to an article's current saved state (migration 0006). */
export interface PreviewLinksTable {
  token: string;
  article_id: number;
  created_by: number | null;
  created_at: string;
  expires_at: string;
}

export interface RevisionsTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  actor: string;
  note: string;
  snapshot: string; // JSON of the article's editable fields
  created_at: string;
}

export interface PagesTable {
  id: Generated<number>;
  slug: string;
  title: string;
  body_doc: string;
  body_blocks: string;
  updated_at: string;
}

/**
 * Site search (migration 0007, docs/search.md): one row per article with the
 * text to index and what results are filtered on. SQLite indexes it with the
 * FTS5 table `search_fts` (external content, kept in step by triggers);
 * PostgreSQL adds a `tsv tsvector` column with a GIN index, written in the
 * same statement (neither is typed here: only raw SQL in
 * src/related/search.repository.ts touches them).
 */
export interface SearchDocumentsTable {
  article_id: number;
  status: ArticleStatus;
  published_at: string | null;
  section_id: number | null;
  headline: string;
  dek: string;
  tags: string;
  authors: string;
  section: string;
  body: string;
}

/** Related stories (migration 0008, docs/related.md): the engine's per-article state. */
export interface RelatedArticlesTable {
  article_id: number;
  /** 1: the article shows inline "READ:" links (the editor's per-article switch). */
  inline_links: Generated<number>;
  /** Fingerprint of the indexed text and metadata: an unchanged save does no work. */
  text_hash: string | null;
  headline_key: Generated<string>;
  /** 1 once the article's terms were added to related_df. */
  counted: Generated<number>;
  /** Set while the article is indexed (published); null after it was withdrawn. */
  indexed_at: string | null;
  published_at: string | null;
  section_id: number | null;
  label: Generated<ArticleLabel>;
}

/** An article's top terms; `weight` is the term's share of the article's normalised vector. */
export interface RelatedTermsTable {
  article_id: number;
  term: string;
  weight: number;
  published_at: string;
}

export interface RelatedDfTable {
  term: string;
  df: number;
}

export type RelatedPickKind = 'auto' | 'pinned' | 'removed';

export interface RelatedPicksTable {
  article_id: number;
  picked_id: number;
  kind: RelatedPickKind;
  position: number;
  score: number;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string; // JSON
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  unique_key: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export type StaffRole = 'owner' | 'admin' | 'editor' | 'author' | 'contributor';
export type AuthTokenKind = 'setup' | 'reset' | 'invite';

export interface UsersTable {
  id: Generated<number>;
  email: string; // trimmed, lower-cased
  name: string;
  role: StaffRole;
  password_hash: string | null; // argon2id PHC string
  active: number;
  totp_secret: string | null; // base32
  totp_enabled: number;
  totp_last_step: number | null;
  password_changed_at: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string; // SHA-256 hex of the cookie's token
  user_id: number;
  csrf_token: string;
  ip: string;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string; // absolute expiry
}

export interface AuthTokensTable {
  id: Generated<number>;
  token_hash: string; // SHA-256 hex
  kind: AuthTokenKind;
  user_id: number | null;
  email: string | null;
  name: string | null;
  role: StaffRole | null;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginAttemptsTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export type NewsletterVisibility = 'public' | 'hidden';
export type NewsletterSendMode = 'manual' | 'automatic';
export type SubscriptionStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'bounced' | 'complained';
export type ConsentAction = 'requested' | 'confirmed' | 'withdrawn';

export interface NewslettersTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  sender_name: string;
  sender_email: string;
  reply_to: string | null;
  schedule: string | null; // JSON { days: ('mon'|...)[], time: 'HH:MM' } in the site's time zone
  template: string; // JSON { logoUrl, accentColor, intro }
  visibility: NewsletterVisibility;
  position: number;
  created_at: string;
  updated_at: string;
  /** `manual`: editors send from the composer; `automatic`: the scheduler sends each slot unreviewed (0017). */
  send_mode: Generated<NewsletterSendMode>;
  /** The latest slot the scheduler dealt with, or when automatic sending was switched on: earlier slots are never sent (0017). */
  schedule_done_until: string | null;
}

export interface NewsletterSubscribersTable {
  id: Generated<number>;
  email: string; // trimmed, domain lower-cased
  email_key: string; // the whole address lower-cased: unique
  name: string;
  secret: string; // keys the HMAC of this reader's signed links
  confirmation_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewsletterSubscriptionsTable {
  subscriber_id: number;
  newsletter_id: number;
  status: SubscriptionStatus;
  source: string;
  requested_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  updated_at: string;
}

export interface NewsletterConsentsTable {
  id: Generated<number>;
  subscriber_id: number;
  newsletter_id: number | null;
  newsletter_name: string;
  action: ConsentAction;
  source: string;
  ip: string | null;
  created_at: string;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface NewsletterImportsTable {
  id: Generated<number>;
  status: ImportStatus;
  filename: string;
  importer: string;
  created_by: number | null;
  newsletter_ids: string; // JSON number[]
  encoding: string;
  delimiter: string;
  has_header: number; // 0/1
  email_column: number; // 0-based
  name_columns: string; // JSON number[]
  headers: string; // JSON string[]
  total_rows: number | null;
  resume_record: number; // CSV records (header and blank lines included) already imported
  processed_rows: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  duplicate_count: number;
  skipped_count: number;
  invalid_count: number;
  invalid_rows: string; // JSON { line, reason }[]
  skipped_rows: string; // JSON { line, reason }[]
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface NewsletterImportFilesTable {
  import_id: number;
  content: string; // the CSV as UTF-8, deleted when the import ends
}

export type SendStatus = 'queued' | 'sending' | 'paused' | 'cancelled' | 'done';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface NewsletterSendsTable {
  id: Generated<number>;
  newsletter_id: number;
  subject: string;
  html: string; // rendered once, with MERGE_FIELDS placeholders
  text: string;
  status: SendStatus;
  test: number; // 0/1
  recipient_count: number;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** The schedule slot a scheduled send is for, unique per newsletter (0017); null for sends started by hand. */
  scheduled_for: string | null;
  /** A breaking-news send of one story, and which send of that story to this newsletter it is (1, 2 … unique per newsletter; 0017). */
  article_id: number | null;
  article_round: number | null;
  /** The admin's Idempotency-Key for "send now", unique per newsletter (0016); null when started without one. */
  idempotency_key: string | null;
}

export interface NewsletterDeliveriesTable {
  id: Generated<number>;
  send_id: number;
  subscriber_id: number;
  email: string; // the address when the send started
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  message_id: string | null;
  sent_at: string | null;
  updated_at: string;
}

/** One per send that tracks (docs/newsletters.md, "Open and click tracking"); aggregate counts only. */
export interface NewsletterSendTrackingTable {
  send_id: number;
  secret: string; // keys the signatures of this send's tracked links
  track_opens: number; // 0/1, fixed when the send started
  track_clicks: number; // 0/1
  opens: number;
}

/** The distinct addresses a tracking send linked to, numbered from 1; clicks redirect only to these. */
export interface NewsletterSendLinksTable {
  send_id: number;
  position: number;
  url: string;
  clicks: number;
}

export type SuppressionReason = 'hard_bounce' | 'complaint' | 'soft_bounce' | 'manual';

/** Addresses nothing is sent to (0014), keyed like readers by the lower-cased address. */
export interface NewsletterSuppressionsTable {
  id: Generated<number>;
  email: string;
  email_key: string;
  reason: SuppressionReason;
  source: string; // ses | postmark | mailgun | webhook | smtp | admin:<staff email>
  detail: string; // the provider's diagnostic, trimmed
  created_at: string;
}

/** Temporary delivery failures per address since its last delivery report (0014). */
export interface NewsletterSoftBouncesTable {
  email_key: string;
  count: number;
  last_detail: string;
  updated_at: string;
}

/** Provider webhook events already handled, for replays and retries (0014). */
export interface NewsletterWebhookEventsTable {
  source: string;
  event_key: string;
  digest: string;
  created_at: string;
}

/** Donations (docs/revenue.md, migration 0018). Money is in the currency's minor unit (cents). */
export type DonationFrequency = 'once' | 'monthly' | 'yearly';
/** `pending`: paid by a method that settles later (bank debit): not money yet; `failed`: that payment did not go through. */
export type DonationStatus = 'pending' | 'failed' | 'succeeded' | 'partially_refunded' | 'refunded';
export type RecurringStatus = 'active' | 'past_due' | 'cancelled';

export interface DonorsTable {
  id: Generated<number>;
  email: string; // trimmed, domain lower-cased
  email_key: string; // the whole address lower-cased: unique
  name: string;
  stripe_customer_id: string | null;
  total_minor: Generated<number>; // given less refunded
  gift_count: Generated<number>;
  first_gift_at: string | null;
  last_gift_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DonationsTable {
  id: Generated<number>;
  donor_id: number;
  payment_key: string; // the Checkout Session (one-time) or invoice (recurring) that was paid: unique
  amount_minor: number; // what the donor paid, fees covered included
  fee_covered_minor: Generated<number>;
  refunded_minor: Generated<number>;
  currency: string; // lower case, as Stripe writes it
  frequency: DonationFrequency;
  status: DonationStatus;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_invoice_id: string | null;
  stripe_subscription_id: string | null;
  article_id: number | null;
  campaign: Generated<string>;
  utm_source: Generated<string>;
  utm_medium: Generated<string>;
  utm_campaign: Generated<string>;
  utm_term: Generated<string>;
  utm_content: Generated<string>;
  message: Generated<string>;
  paid_at: string;
  created_at: string;
  updated_at: string;
}

export interface RecurringGiftsTable {
  id: Generated<number>;
  donor_id: number | null; // unknown while only subscription events have arrived
  stripe_subscription_id: string;
  stripe_customer_id: string | null;
  status: RecurringStatus;
  status_at: number; // Stripe's time (seconds) of the event that set the status
  amount_minor: number;
  currency: string;
  interval: 'month' | 'year';
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DonationRefundsTable {
  payment_intent_id: string;
  refunded_minor: number;
  updated_at: string;
}

export type RefundReason = 'requested_by_customer' | 'duplicate' | 'fraudulent';
/** requested → submitted → succeeded | failed (Stripe's refund events); failed is final. */
export type RefundRequestStatus = 'requested' | 'submitted' | 'succeeded' | 'failed';

/** A refund asked for from the admin (0026); pending until the donation's refunded total reaches `expected_refunded_minor`. */
export interface DonationRefundRequestsTable {
  id: Generated<number>;
  donation_id: number;
  idempotency_key: string; // sent by the admin and passed to Stripe: unique
  amount_minor: number;
  expected_refunded_minor: number;
  reason: RefundReason;
  note: Generated<string>;
  status: RefundRequestStatus;
  stripe_refund_id: string | null;
  error: Generated<string>;
  requested_by: number | null;
  created_at: string;
  updated_at: string;
}
export type DonationRefundRequestRow = Selectable<DonationRefundRequestsTable>;

export interface StripeEventsTable {
  id: string;
  type: string;
  processed_at: string;
}

/** Donor receipts and sign-in (0022, docs/revenue.md). Tokens are kept only as SHA-256 hashes. */
export interface DonationReceiptsTable {
  donation_id: number;
  message_id: string;
  sent_at: string;
}

export interface DonorLinksTable {
  id: Generated<number>;
  donor_id: number;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface DonorSessionsTable {
  id: Generated<number>;
  donor_id: number;
  token_hash: string;
  expires_at: string;
  created_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  login_attempts: LoginAttemptsTable;
  authors: AuthorsTable;
  sections: SectionsTable;
  tags: TagsTable;
  media: MediaTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  article_redirects: ArticleRedirectsTable;
  corrections: CorrectionsTable;
  revisions: RevisionsTable;
  pages: PagesTable;
  settings: SettingsTable;
  jobs: JobsTable;
  preview_links: PreviewLinksTable;
  search_documents: SearchDocumentsTable;
  related_articles: RelatedArticlesTable;
  related_terms: RelatedTermsTable;
  related_df: RelatedDfTable;
  related_picks: RelatedPicksTable;
  newsletters: NewslettersTable;
  newsletter_subscribers: NewsletterSubscribersTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  newsletter_consents: NewsletterConsentsTable;
  newsletter_imports: NewsletterImportsTable;
  newsletter_import_files: NewsletterImportFilesTable;
  newsletter_sends: NewsletterSendsTable;
  newsletter_deliveries: NewsletterDeliveriesTable;
  newsletter_suppressions: NewsletterSuppressionsTable;
  newsletter_soft_bounces: NewsletterSoftBouncesTable;
  newsletter_webhook_events: NewsletterWebhookEventsTable;
  newsletter_send_tracking: NewsletterSendTrackingTable;
  newsletter_send_links: NewsletterSendLinksTable;
  donors: DonorsTable;
  donations: DonationsTable;
  recurring_gifts: RecurringGiftsTable;
  donation_refunds: DonationRefundsTable;
  donation_refund_requests: DonationRefundRequestsTable;
  stripe_events: StripeEventsTable;
  donation_receipts: DonationReceiptsTable;
  donor_links: DonorLinksTable;
  donor_sessions: DonorSessionsTable;
  prompt_campaigns: PromptCampaignsTable;
  prompt_stats: PromptStatsTable;
  social_accounts: SocialAccountsTable;
  social_article_options: SocialArticleOptionsTable;
  social_posts: SocialPostsTable;
  api_keys: ApiKeysTable;
  api_key_usage: ApiKeyUsageTable;
  push_vapid: PushVapidTable;
  push_subscriptions: PushSubscriptionsTable;
  push_subscription_topics: PushSubscriptionTopicsTable;
  push_alerts: PushAlertsTable;
  push_deliveries: PushDeliveriesTable;
}

/** Breaking-news Web Push (0024, docs/push.md). */
export interface PushVapidTable {
  id: number;
  public_key: string;
  private_key: string;
  created_at: string;
}

export type PushSubscriptionStatus = 'active' | 'retired';

export interface PushSubscriptionsTable {
  id: Generated<number>;
  endpoint: string;
  p256dh: string;
  auth: string;
  status: PushSubscriptionStatus;
  failures: number;
  created_at: string;
  updated_at: string;
  last_sent_at: string | null;
}

export interface PushSubscriptionTopicsTable {
  subscription_id: number;
  topic: string;
}

export type PushAlertStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled';
export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushAlertsTable {
  id: Generated<number>;
  article_id: number | null;
  title: string;
  body: string;
  url: string;
  topic: string;
  urgency: PushUrgency;
  ttl_seconds: number;
  status: PushAlertStatus;
  send_at: string;
  request_key: string | null;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  recipients: number;
  clicks: number;
}

/** pending -> sending -> sent | failed | gone | unknown (a crash mid-request: never sent again). */
export type PushDeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'gone' | 'unknown';

export interface PushDeliveriesTable {
  alert_id: number;
  subscription_id: number;
  status: PushDeliveryStatus;
  attempts: number;
  next_at: string;
  updated_at: string;
  last_error: string | null;
}

/** Reader prompts (0020, docs/prompts.md); targeting, caps, variants and options are JSON checked by src/prompts/. */
export interface PromptCampaignsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
  placement: string;
  after_paragraph: number;
  status: string;
  priority: number;
  starts_at: string | null;
  ends_at: string | null;
  targeting: string;
  caps: string;
  variants: string;
  options: string;
  created_at: string;
  updated_at: string;
}

/** Aggregate prompt counts per campaign, variant and UTC day (nothing per reader). */
export interface PromptStatsTable {
  campaign_id: number;
  variant: string;
  day: string;
  impressions: number;
  clicks: number;
  dismissals: number;
  conversions: number;
}

export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type AuthorRow = Selectable<AuthorsTable>;
export type SectionRow = Selectable<SectionsTable>;
export type TagRow = Selectable<TagsTable>;
export type MediaRow = Selectable<MediaTable>;
export type CorrectionRow = Selectable<CorrectionsTable>;
export type JobRow = Selectable<JobsTable>;
export type PageRow = Selectable<PagesTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuthTokenRow = Selectable<AuthTokensTable>;
export type NewsletterRow = Selectable<NewslettersTable>;
export type SubscriberRow = Selectable<NewsletterSubscribersTable>;
export type SubscriptionRow = Selectable<NewsletterSubscriptionsTable>;
export type ConsentRow = Selectable<NewsletterConsentsTable>;
export type ImportRow = Selectable<NewsletterImportsTable>;
export type SendRow = Selectable<NewsletterSendsTable>;
export type DeliveryRow = Selectable<NewsletterDeliveriesTable>;
export type SuppressionRow = Selectable<NewsletterSuppressionsTable>;
export type DonorRow = Selectable<DonorsTable>;
export type DonationRow = Selectable<DonationsTable>;
export type RecurringGiftRow = Selectable<RecurringGiftsTable>;

/** Content API keys (0023, docs/content-api.md). */
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  /** The secret's first characters, shown in the admin to tell keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole secret; the secret itself is never stored. */
  secret_hash: string;
  /** Requests per minute. */
  rate_limit: number;
  cors_origins: string; // JSON string[]
  created_at: string;
  created_by: number | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyUsageTable {
  key_id: number;
  /** The minute (milliseconds since the epoch / 60000) this count is for. */
  window_start: number;
  count: number;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;

/** Social distribution on publish (0025, docs/social.md). `settings`, `secrets` and `texts` are JSON checked by src/social/. */
export interface SocialAccountsTable {
  network: string;
  settings: string;
  /** Tokens and passwords: never returned by the Admin API, never logged. */
  secrets: string;
  display_name: Generated<string>;
  profile_url: Generated<string>;
  verified_at: string | null;
  last_error: string | null;
  connected_at: string;
  updated_at: string;
}

export interface SocialArticleOptionsTable {
  article_id: number;
  opt_out: Generated<number>;
  texts: Generated<string>;
  updated_at: string;
}

/** queued -> posting -> posted | failed | skipped (a failed or skipped post can be queued again by an editor). */
export type SocialPostStatus = 'queued' | 'posting' | 'posted' | 'failed' | 'skipped';

export interface SocialPostsTable {
  id: Generated<number>;
  article_id: number;
  network: string;
  status: SocialPostStatus;
  /** Sent to networks that honour one (Mastodon's Idempotency-Key, Bluesky's record key). */
  idempotency_key: string;
  text: Generated<string>;
  remote_id: string | null;
  remote_url: string | null;
  error: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  posted_at: string | null;
}
