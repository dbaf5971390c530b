/**
 * Digest candidates: which published stories a newsletter issue offers, in
 * which order, and what an email shows of each. Pure functions; the queries
 * are in digest.repository.ts and the wiring in compose.service.ts.
 *
 * Order: the editor's top stories first (rank 1 first), then the rest newest
 * first, at most `perSection` stories from one section (ranked ones count), so
 * one busy desk does not fill the email. When the quotas leave fewer than
 * `minItems`, the stories they held back fill up, newest first.
 */
import { parseVariants, mediaUrl, type MediaVariant } from '../newsroom/media.js';
import { absolute, articlePath } from '../site/format.js';
import type { DigestRow } from './digest.repository.js';

export interface DigestImage {
  /** Absolute URL of a JPEG, PNG or GIF (formats every mail client shows; WebP and AVIF are not). */
  url: string;
  width: number;
  height: number;
  alt: string;
}

export interface DigestItem {
  id: number;
  headline: string;
  dek: string;
  /** Absolute URL of the story. */
  url: string;
  image: DigestImage | null;
  /** Author names in byline order (empty for unsigned stories). */
  byline: string[];
  section: string | null;
  publishedAt: string;
  topRank: number | null;
}

export interface DigestRules {
  /** At most this many stories from one section (stories without a section count as one). */
  perSection: number;
  /** Below this, held-back stories fill the list. */
  minItems: number;
  /** Never more than this many stories. */
  maxItems: number;
}

export const DEFAULT_DIGEST_RULES: DigestRules = { perSection: 3, minItems: 5, maxItems: 12 };

/** Images are shown at most this wide (the 600 px email minus its padding); variants of twice that look sharp on high-density screens. */
export const EMAIL_CONTENT_WIDTH = 552;
const WANTED_WIDTH = EMAIL_CONTENT_WIDTH * 2;
const MAIL_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png', 'gif']);

/**
 * The image an email shows: the smallest mail-safe variant at least twice the
 * displayed width, else the largest mail-safe one, else the original when it
 * is mail-safe itself; none otherwise (a WebP-only upload shows no image
 * rather than a broken one in Outlook).
 */
export function pickImage(row: DigestRow, publicUrl: string): DigestImage | null {
  if (row.storage_key === null) return null;
  const alt = (row.image_alt || row.alt || row.headline).trim();
  const safe = parseVariants(row.variants ?? '[]')
    .filter((v: MediaVariant) => MAIL_FORMATS.has(v.format) && v.width > 0 && v.height > 0)
    .sort((a, b) => a.width - b.width);
  const chosen = safe.find((v) => v.width >= WANTED_WIDTH) ?? safe.at(-1);
  if (chosen) return { url: absolute(publicUrl, mediaUrl(chosen.key)), width: chosen.width, height: chosen.height, alt };
  const format = (row.mime ?? '').replace('image/', '');
  if (MAIL_FORMATS.has(format) && row.width && row.height) return { url: absolute(publicUrl, mediaUrl(row.storage_key)), width: row.width, height: row.height, alt };
  return null;
}

export function digestItem(row: DigestRow, byline: string[], publicUrl: string): DigestItem {
  const path = articlePath({ slug: row.slug, section: row.section_slug !== null ? { slug: row.section_slug } : null });
  return {
    id: row.id,
    headline: row.headline,
    dek: row.dek,
    url: absolute(publicUrl, path),
    image: pickImage(row, publicUrl),
    byline,
    section: row.section_name,
    publishedAt: row.published_at,
    topRank: row.top_rank,
  };
}

const newestFirst = (a: DigestRow, b: DigestRow) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : b.id - a.id);

/** The suggested stories in order, and the ones left out (newest first) for the editor to add. */
export function orderCandidates(rows: readonly DigestRow[], rules: DigestRules = DEFAULT_DIGEST_RULES): { chosen: DigestRow[]; others: DigestRow[] } {
  const ranked = rows.filter((r) => r.top_rank !== null && r.top_rank >= 1).sort((a, b) => a.top_rank! - b.top_rank! || newestFirst(a, b));
  const rest = rows.filter((r) => !(r.top_rank !== null && r.top_rank >= 1)).sort(newestFirst);
  const chosen: DigestRow[] = [];
  const heldBack: DigestRow[] = [];
  const perSection = new Map<number | null, number>();
  for (const row of [...ranked, ...rest]) {
    const count = perSection.get(row.section_id) ?? 0;
    // Ranked stories are the editor's choice: always in, but they use up their section's quota.
    const isRanked = row.top_rank !== null && row.top_rank >= 1;
    if (chosen.length < rules.maxItems && (isRanked || count < rules.perSection)) {
      chosen.push(row);
      perSection.set(row.section_id, count + 1);
    } else {
      heldBack.push(row);
    }
  }
  while (chosen.length < Math.min(rules.minItems, rules.maxItems) && heldBack.length > 0) chosen.push(heldBack.shift()!);
  return { chosen, others: heldBack.sort(newestFirst) };
}

/** One line, no control characters, at most `max` characters (an ellipsis when cut). */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** "<Newsletter>: <top headline> and 4 more", or the newsletter's name when there is nothing to send. */
export function suggestSubject(newsletterName: string, items: readonly Pick<DigestItem, 'headline'>[]): string {
  const [first] = items;
  if (!first) return oneLine(newsletterName, 150);
  const more = items.length - 1;
  const tail = more > 0 ? ` and ${more} more` : '';
  const prefix = `${newsletterName}: `;
  return oneLine(prefix + oneLine(first.headline, Math.max(20, 150 - prefix.length - tail.length)) + tail, 200);
}
