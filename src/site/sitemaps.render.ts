/**
 * Sitemap XML (sitemaps.org 0.9, with Google's image 1.1 and news 0.9
 * extensions), built as strings: an article sitemap holds up to 50,000 URLs
 * and must not cost a query or an object tree per URL.
 */
import { isoTime, xmlText } from './feeds.xml.js';

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface SitemapRef {
  loc: string;
  lastmod?: string;
}

export interface SitemapUrl {
  loc: string;
  lastmod?: string;
  images?: string[];
}

export interface NewsUrl {
  loc: string;
  title: string;
  published: string;
}

export function renderSitemapIndex(sitemaps: readonly SitemapRef[]): string {
  const out: string[] = [XML_DECLARATION, `<sitemapindex xmlns="${SITEMAP_NS}">\n`];
  for (const s of sitemaps) {
    out.push(`<sitemap><loc>${xmlText(s.loc)}</loc>${s.lastmod ? `<lastmod>${isoTime(s.lastmod)}</lastmod>` : ''}</sitemap>\n`);
  }
  out.push('</sitemapindex>\n');
  return out.join('');
}

export const URLSET_OPEN = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:image="${IMAGE_NS}">\n`;
export const URLSET_CLOSE = '</urlset>\n';

/** The `<url>` elements of a urlset (so a large one can be built in parts). */
export function renderUrls(urls: Iterable<SitemapUrl>): string {
  let out = '';
  for (const url of urls) {
    out += `<url><loc>${xmlText(url.loc)}</loc>`;
    if (url.lastmod) out += `<lastmod>${isoTime(url.lastmod)}</lastmod>`;
    if (url.images) for (const image of url.images) out += `<image:image><image:loc>${xmlText(image)}</image:loc></image:image>`;
    out += '</url>\n';
  }
  return out;
}

export function renderUrlset(urls: Iterable<SitemapUrl>): string {
  return URLSET_OPEN + renderUrls(urls) + URLSET_CLOSE;
}

export function renderNewsSitemap(publication: { name: string; language: string }, urls: readonly NewsUrl[]): string {
  const name = xmlText(publication.name);
  const language = xmlText(publication.language);
  const out: string[] = [XML_DECLARATION, `<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n`];
  for (const url of urls) {
    out.push(
      `<url><loc>${xmlText(url.loc)}</loc><news:news>` +
        `<news:publication><news:name>${name}</news:name><news:language>${language}</news:language></news:publication>` +
        `<news:publication_date>${isoTime(url.published)}</news:publication_date>` +
        `<news:title>${xmlText(url.title)}</news:title>` +
        `</news:news></url>\n`,
    );
  }
  out.push('</urlset>\n');
  return out.join('');
}

/**
 * The language code Google News wants: ISO 639 (two or three letters), except
 * for Chinese, where it is zh-cn or zh-tw.
 */
export function newsLanguage(language: string): string {
  const tag = language.toLowerCase();
  if (tag.startsWith('zh')) return /-(tw|hk|mo|hant)\b/.test(tag) ? 'zh-tw' : 'zh-cn';
  return tag.split('-')[0] || 'en';
}
