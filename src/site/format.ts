/** Dates, URLs and labels as readers see them. */
import type { ArticleLabel } from '../db/schema.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, language: string, kind: 'datetime' | 'date' | 'month'): Intl.DateTimeFormat {
  const key = `${timeZone}|${language}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'datetime'
        ? { timeZone, year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }
        : kind === 'date'
          ? { timeZone, year: 'numeric', month: 'long', day: 'numeric' }
          : { timeZone, year: 'numeric', month: 'long' };
    f = new Intl.DateTimeFormat(language, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * Formatted dates, remembered: `Intl.DateTimeFormat#format` costs several µs a
 * call and an article page formats the same few timestamps on every render.
 * Bounded; the oldest entries go first.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 10_000;

function cachedFormat(kind: 'datetime' | 'date' | 'month', timeZone: string, language: string, time: string | number): string {
  const key = `${kind}|${timeZone}|${language}|${time}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatter(timeZone, language, kind).format(typeof time === 'number' ? time : new Date(time));
    if (formatted.size >= FORMATTED_MAX) formatted.delete(formatted.keys().next().value!);
    formatted.set(key, text);
  }
  return text;
}

export function formatDateTime(isoTime: string, timeZone: string, language = 'en'): string {
  return cachedFormat('datetime', timeZone, language, isoTime);
}

export function formatDate(isoTime: string, timeZone: string, language = 'en'): string {
  return cachedFormat('date', timeZone, language, isoTime);
}

export function formatMonth(year: number, month: number, language = 'en'): string {
  return cachedFormat('month', 'UTC', language, Date.UTC(year, month - 1, 15));
}

export const LABEL_NAMES: Record<ArticleLabel, string> = {
  news: 'News',
  analysis: 'Analysis',
  opinion: 'Opinion',
  review: 'Review',
  'fact-check': 'Fact check',
  sponsored: 'Sponsored',
};

export function articlePath(article: { slug: string; section: { slug: string } | null }): string {
  return article.section ? `/${article.section.slug}/${article.slug}` : `/article/${article.slug}`;
}

export function absolute(publicUrl: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return publicUrl + (path.startsWith('/') ? path : `/${path}`);
}

export function httpDate(isoTime: string | Date): string {
  return new Date(isoTime).toUTCString();
}
