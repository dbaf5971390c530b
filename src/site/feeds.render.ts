/**
 * One feed, three formats: RSS 2.0 (with content:encoded, dc:creator, Media
 * RSS), Atom 1.0 (RFC 4287) and JSON Feed 1.1.
 *
 * Written by hand rather than with the `feed` package (v6), which we tried:
 * it writes RSS `<author>` with a bare name (RSS requires an email address
 * there), declares Atom titles as HTML while filling them with plain text,
 * guesses enclosure types from file extensions (`image/jpg`), leaves control
 * characters in the XML, and its JSON output is JSON Feed 1.0 (`author`, no
 * `language`). Every value below goes through `xmlText` (or JSON.stringify).
 */
import { isoTime, rfc822Time, xmlElement, xmlText } from './feeds.xml.js';
import { escapeHtml } from '../shared/html.js';

export interface FeedPerson {
  name: string;
  url: string;
}

export interface FeedCategory {
  /** Machine term (a slug). */
  term: string;
  /** What readers see. */
  label: string;
  /** URL naming the vocabulary the term comes from. */
  scheme: string;
}

export interface FeedImage {
  url: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  alt: string;
  credit: string;
}

export interface FeedEntry {
  /** Stable id (a tag: URI): never the URL, which changes with the slug. */
  id: string;
  url: string;
  title: string;
  /** Plain text. */
  summary: string;
  /** Full body, HTML with absolute URLs. */
  contentHtml: string;
  published: string;
  updated: string;
  authors: FeedPerson[];
  categories: FeedCategory[];
  image?: FeedImage;
}

export interface FeedDocument {
  /** Stable id of the feed (a tag: URI). */
  id: string;
  title: string;
  description: string;
  /** The HTML page the feed follows. */
  homeUrl: string;
  urls: { rss: string; atom: string; json: string };
  language: string;
  /** Newest change among the entries. */
  updated: string;
  publisher: FeedPerson;
  logoUrl?: string;
  entries: FeedEntry[];
}

export const FEED_CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const;

const GENERATOR = 'Broadsheet';

export function renderRss(feed: FeedDocument): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:media="http://search.yahoo.com/mrss/">\n',
    '<channel>\n',
    xmlElement('title', feed.title),
    xmlElement('link', feed.homeUrl),
    xmlElement('description', feed.description || feed.title),
    xmlElement('language', feed.language),
    xmlElement('lastBuildDate', rfc822Time(feed.updated)),
    xmlElement('generator', GENERATOR),
    `<atom:link href="${xmlText(feed.urls.rss)}" rel="self" type="application/rss+xml"/>\n`,
  ];
  for (const entry of feed.entries) {
    out.push('<item>', xmlElement('title', entry.title), xmlElement('link', entry.url));
    out.push(`<guid isPermaLink="false">${xmlText(entry.id)}</guid>`);
    out.push(xmlElement('pubDate', rfc822Time(entry.published)), xmlElement('dcterms:modified', isoTime(entry.updated)));
    for (const author of entry.authors) out.push(xmlElement('dc:creator', author.name));
    for (const category of entry.categories) out.push(`<category domain="${xmlText(category.scheme)}">${xmlText(category.label)}</category>`);
    // RSS descriptions are HTML: the plain-text summary is escaped once for HTML, once for XML.
    if (entry.summary) out.push(xmlElement('description', escapeHtml(entry.summary)));
    out.push(xmlElement('content:encoded', entry.contentHtml));
    if (entry.image) {
      const image = entry.image;
      out.push(`<enclosure url="${xmlText(image.url)}" length="${image.bytes}" type="${xmlText(image.mime)}"/>`);
      out.push(
        `<media:content url="${xmlText(image.url)}" type="${xmlText(image.mime)}" medium="image"${image.width ? ` width="${image.width}"` : ''}${image.height ? ` height="${image.height}"` : ''}>`,
        image.alt ? `<media:description type="plain">${xmlText(image.alt)}</media:description>` : '',
        image.credit ? xmlElement('media:credit', image.credit) : '',
        '</media:content>',
      );
    }
    out.push('</item>\n');
  }
  out.push('</channel>\n</rss>\n');
  return out.join('');
}

function atomPerson(tag: 'author' | 'contributor', person: FeedPerson): string {
  return `<${tag}>${xmlElement('name', person.name)}${person.url ? xmlElement('uri', person.url) : ''}</${tag}>`;
}

export function renderAtom(feed: FeedDocument): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(feed.language)}">\n`,
    xmlElement('id', feed.id),
    `<title type="text">${xmlText(feed.title)}</title>`,
    feed.description ? `<subtitle type="text">${xmlText(feed.description)}</subtitle>` : '',
    xmlElement('updated', isoTime(feed.updated)),
    `<link rel="alternate" type="text/html" href="${xmlText(feed.homeUrl)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.urls.atom)}"/>`,
    // Entries without a byline take the publisher as their author (Atom requires one).
    atomPerson('author', feed.publisher),
    `<generator>${GENERATOR}</generator>`,
    feed.logoUrl ? xmlElement('logo', feed.logoUrl) : '',
    '\n',
  ];
  for (const entry of feed.entries) {
    out.push('<entry>', xmlElement('id', entry.id), `<title type="text">${xmlText(entry.title)}</title>`);
    out.push(`<link rel="alternate" type="text/html" href="${xmlText(entry.url)}"/>`);
    out.push(xmlElement('published', isoTime(entry.published)), xmlElement('updated', isoTime(entry.updated)));
    for (const author of entry.authors) out.push(atomPerson('author', author));
    for (const category of entry.categories) {
      out.push(`<category term="${xmlText(category.term)}" scheme="${xmlText(category.scheme)}" label="${xmlText(category.label)}"/>`);
    }
    if (entry.summary) out.push(`<summary type="text">${xmlText(entry.summary)}</summary>`);
    out.push(`<content type="html">${xmlText(entry.contentHtml)}</content>`);
    if (entry.image) {
      out.push(`<link rel="enclosure" type="${xmlText(entry.image.mime)}" length="${entry.image.bytes}" href="${xmlText(entry.image.url)}"/>`);
    }
    out.push('</entry>\n');
  }
  out.push('</feed>\n');
  return out.join('');
}

export function renderJsonFeed(feed: FeedDocument): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.urls.json,
    ...(feed.description ? { description: feed.description } : {}),
    language: feed.language,
    authors: [feed.publisher],
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      content_html: entry.contentHtml,
      ...(entry.summary ? { summary: entry.summary } : {}),
      ...(entry.image ? { image: entry.image.url } : {}),
      date_published: isoTime(entry.published),
      date_modified: isoTime(entry.updated),
      authors: entry.authors.length ? entry.authors : [feed.publisher],
      tags: entry.categories.map((c) => c.label),
    })),
  };
  return JSON.stringify(document);
}
