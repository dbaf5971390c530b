/**
 * What feeds and sitemaps share: XML text escaping (which also drops the
 * characters XML 1.0 forbids, so one stray control character in a headline
 * cannot make a whole feed unreadable), dates in the formats the specs ask
 * for, and the stable ids of articles.
 */

// Everything outside XML 1.0's Char production (including lone surrogates).
const INVALID_XML_CHARS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_SPECIAL = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NEEDS_WORK = /[&<>"'\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text or attribute value, escaped for XML. */
export function xmlText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INVALID_XML_CHARS, '').replace(XML_SPECIAL, (c) => XML_ENTITIES[c]!);
}

/** `<name>text</name>` with the text escaped. */
export function xmlElement(name: string, text: string): string {
  return `<${name}>${xmlText(text)}</${name}>`;
}

// What Date#toISOString writes, and what the newsroom stores: such strings sort by time as plain strings.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The latest of some timestamps (ISO strings; null and unparsable ones ignored). */
export function latestTime(...times: (string | null | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  let canonical = true;
  for (const time of times) {
    if (!time) continue;
    if (canonical && CANONICAL_ISO.test(time)) {
      // Fast path for the common case (sitemaps call this 50,000 times a file).
      if (best === undefined || time > best) best = time;
      continue;
    }
    if (canonical) {
      canonical = false;
      bestMs = best === undefined ? -Infinity : Date.parse(best);
    }
    const ms = Date.parse(time);
    if (!Number.isNaN(ms) && ms > bestMs) {
      bestMs = ms;
      best = time;
    }
  }
  return best;
}

/** RFC 3339 / W3C datetime in UTC (Atom, JSON Feed, sitemaps). */
export function isoTime(time: string): string {
  return CANONICAL_ISO.test(time) ? time : new Date(time).toISOString();
}

/** RFC 822 date (RSS 2.0). */
export function rfc822Time(time: string): string {
  return new Date(time).toUTCString();
}

/**
 * The year in the article ids below. Part of every id readers have stored:
 * never change it, or every feed reader shows every story again.
 */
export const ID_YEAR = 2026;

/**
 * A `tag:` URI (RFC 4151) that names an article for good: it survives headline
 * and slug changes, which the article's URL does not. Built from the public
 * host (and path prefix, when the site lives under one) and the article id.
 */
export function articleGuid(publicUrl: string, articleId: number): string {
  return tagUri(publicUrl, `article-${articleId}`);
}

export function tagUri(publicUrl: string, specific: string): string {
  const url = new URL(publicUrl);
  const prefix = url.pathname.replace(/^\/+|\/+$/g, '');
  return `tag:${url.hostname},${ID_YEAR}:${prefix ? `${prefix}/` : ''}${specific}`;
}
