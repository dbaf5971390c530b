/** What the composing and sending screens get from the Admin API (src/newsletter/compose.routes.ts, send.routes.ts, send-now.routes.ts). */

export interface DigestItem {
  id: number;
  headline: string;
  dek: string;
  url: string;
  image: { url: string; width: number; height: number; alt: string } | null;
  byline: string[];
  section: string | null;
  publishedAt: string;
  topRank: number | null;
}

export interface Candidates {
  since: string;
  subject: string;
  items: DigestItem[];
  others: DigestItem[];
}

/** A story in the composition: what the list shows (the server renders the email from the ids). */
export interface ComposeItem {
  id: number;
  headline: string;
  section: string | null;
  byline: string[];
  thumbnail: string | null;
}

export interface ComposeInput {
  subject: string;
  intro: string;
  itemIds: number[];
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export type SendStatus = 'queued' | 'sending' | 'paused' | 'cancelled' | 'done';

/** Opens and clicks, when tracking is built and on for the send. */
export interface SendTracking {
  trackOpens: boolean;
  trackClicks: boolean;
  opens: number;
  clicks: number;
  links: { url: string; clicks: number }[];
}

export interface SendView {
  id: number;
  newsletterId: number;
  subject: string;
  status: SendStatus;
  test: boolean;
  recipients: number;
  /** Deliveries per status: pending, sending, sent, failed, skipped. */
  counts: Record<string, number>;
  problems: { email: string; status: string; attempts: number; error: string | null }[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  tracking?: SendTracking | null;
}

export interface SendSummary {
  id: number;
  subject: string;
  status: SendStatus;
  test: boolean;
  recipients: number;
  counts: Record<string, number>;
  createdAt: string;
  finishedAt: string | null;
}

export interface SendPage {
  items: SendSummary[];
  page: number;
  pageSize: number;
  total: number;
}

export const SEND_STATUS_LABEL: Record<SendStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  paused: 'Paused',
  cancelled: 'Cancelled',
  done: 'Done',
};

/** The send is still moving on its own: its screen polls. */
export const isActive = (status: SendStatus) => status === 'queued' || status === 'sending';
