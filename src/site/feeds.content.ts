/**
 * Turns stored articles into feed entries: the full body (stored sanitized, as
 * rendered blocks) with the dateline, the featured image and any corrections,
 * every URL made absolute, since feed readers show it away from the site.
 * Inserts (related links, when the site puts them in feeds) are woven in by
 * the same pipeline as the page's.
 */
import type { CorrectionRow } from '../db/schema.js';
import type { FeedEntryRow, TagRef } from '../newsroom/articles.repository.js';
import type { RenderedBlock } from '../newsroom/body.js';
import { escapeHtml } from '../shared/html.js';
import { weaveBody, type BodyInsert } from './body-inserts.js';
import { absolute, articlePath, formatDate } from './format.js';
import { articleGuid, latestTime } from './feeds.xml.js';
import type { FeedCategory, FeedEntry } from './feeds.render.js';
import { withDateline } from './views/article.js';

export interface EntryContext {
  publicUrl: string;
  timeZone: string;
  language: string;
}

const CORRECTION_LABELS: Record<CorrectionRow['kind'], string> = { correction: 'Correction', clarification: 'Clarification', update: 'Update' };

// An opening tag; stored HTML is sanitized, so a raw `<` or `>` never appears in text or attribute values.
const OPENING_TAG = /<[a-zA-Z][^>]*>/g;
const URL_ATTRIBUTE = /(\s(?:href|src|poster|cite)=")([^"]*)"/g;
const SRCSET_ATTRIBUTE = /(\ssrcset=")([^"]*)"/g;
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|quot|#39|#x27|apos|lt|gt);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'quot' ? '"' : name === 'lt' ? '<' : name === 'gt' ? '>' : "'",
  );
}

/** An absolute URL for a link or image found in a body, relative to the article's own page. */
export function absoluteUrl(value: string, publicUrl: string, pageUrl: string): string {
  const raw = decodeAttribute(value).trim();
  if (!raw || HAS_SCHEME.test(raw)) return value;
  try {
    // Site-absolute paths follow the site's rule (which keeps a public URL's path prefix).
    const resolved = raw.startsWith('/') && !raw.startsWith('//') ? absolute(publicUrl, raw) : new URL(raw, pageUrl).href;
    return escapeHtml(resolved);
  } catch {
    return value;
  }
}

/** Makes every href/src/srcset in sanitized body HTML absolute. */
export function absolutizeHtml(html: string, publicUrl: string, pageUrl: string): string {
  if (!html.includes('="')) return html;
  return html.replace(OPENING_TAG, (tag) =>
    tag
      .replace(URL_ATTRIBUTE, (_, head: string, value: string) => `${head}${absoluteUrl(value, publicUrl, pageUrl)}"`)
      .replace(SRCSET_ATTRIBUTE, (_, head: string, value: string) => {
        const candidates = value.split(',').map((candidate) => {
          const [url = '', ...descriptor] = candidate.trim().split(/\s+/);
          return [absoluteUrl(url, publicUrl, pageUrl), ...descriptor].join(' ');
        });
        return `${head}${candidates.join(', ')}"`;
      }),
  );
}

/** The entry's stored body blocks (none when the stored JSON is unreadable). */
export function feedBlocks(row: Pick<FeedEntryRow, 'bodyBlocks'>): RenderedBlock[] {
  try {
    const value = JSON.parse(row.bodyBlocks) as unknown;
    return Array.isArray(value) ? (value as RenderedBlock[]) : [];
  } catch {
    return [];
  }
}

export interface EntryBody {
  /** The row's blocks when the caller has already parsed them. */
  blocks?: RenderedBlock[];
  /** Woven into the body like on the page; their links are made absolute with the rest. */
  inserts?: readonly BodyInsert[];
}

export function feedEntry(row: FeedEntryRow, tags: readonly TagRef[], corrections: readonly CorrectionRow[], ctx: EntryContext, body: EntryBody = {}): FeedEntry {
  const { card } = row;
  const { publicUrl } = ctx;
  const url = absolute(publicUrl, articlePath(card));
  const image = card.image
    ? {
        url: absolute(publicUrl, card.image.src),
        mime: card.image.mime,
        bytes: row.imageBytes ?? 0,
        width: card.image.width,
        height: card.image.height,
        alt: card.image.alt,
        credit: card.image.credit,
      }
    : undefined;

  let content = '';
  if (image && card.image) {
    const caption = [card.image.caption ? escapeHtml(card.image.caption) : '', card.image.credit ? `<span class="credit">${escapeHtml(card.image.credit)}</span>` : '']
      .filter(Boolean)
      .join(' ');
    const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : '';
    content += `<figure class="featured-image"><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}"${size}>${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
  }
  content += absolutizeHtml(weaveBody(withDateline(body.blocks ?? feedBlocks(row), row.dateline), body.inserts ?? []).html, publicUrl, url);
  if (corrections.length) {
    content += '<aside class="corrections"><h2>Corrections and updates</h2>';
    for (const c of corrections) {
      content += `<p><strong>${CORRECTION_LABELS[c.kind] ?? 'Update'}, <time datetime="${escapeHtml(c.created_at)}">${escapeHtml(formatDate(c.created_at, ctx.timeZone, ctx.language))}</time>:</strong> ${escapeHtml(c.body)}</p>`;
    }
    content += '</aside>';
  }

  const categories: FeedCategory[] = [];
  if (card.section) categories.push({ term: card.section.slug, label: card.section.name, scheme: `${publicUrl}/` });
  for (const tag of tags) categories.push({ term: tag.slug, label: tag.name, scheme: `${publicUrl}/tag/` });

  return {
    id: articleGuid(publicUrl, card.id),
    url,
    title: card.headline,
    summary: card.dek,
    contentHtml: content,
    published: card.publishedAt,
    updated: latestTime(card.publishedAt, card.updatedAt, ...corrections.map((c) => c.created_at)) ?? card.publishedAt,
    authors: card.authors.map((a) => ({ name: a.name, url: absolute(publicUrl, `/author/${a.slug}`) })),
    categories,
    image,
  };
}
