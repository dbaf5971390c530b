/** The page shell every reader page shares: head metadata, masthead, navigation, footer. */
import { html, jsonForScript, type Html } from '../../shared/html.js';
import type { SiteSettings } from '../../newsroom/settings.js';
import type { ArticleCard, SectionRef } from '../../newsroom/articles.repository.js';
import { articlePath } from '../format.js';

export interface PageMeta {
  title: string;
  description: string;
  /** Overrides for social cards (Open Graph, X); default to title and description. */
  socialTitle?: string;
  socialDescription?: string;
  /** Absolute canonical URL. */
  canonical: string;
  type: 'website' | 'article' | 'profile';
  image?: { url: string; width?: number; height?: number; alt: string };
  article?: { publishedTime: string; modifiedTime: string; section?: string; tags: string[]; authors: string[] };
  jsonLd: object[];
  feeds: { title: string; href: string; type: 'rss' | 'atom' | 'json' }[];
  noindex?: boolean;
  prev?: string;
  next?: string;
}

export interface LayoutData {
  site: SiteSettings;
  publicUrl: string;
  sections: readonly SectionRef[];
  breaking?: ArticleCard | null;
  meta: PageMeta;
  main: Html;
  bodyClass?: string;
  cssHref: string;
  printCssHref: string;
  scriptHref: string;
  currentSection?: string;
  /** The newsletter sign-up form shown first in the footer (absent: none). */
  footerSignup?: Html;
  /** Page additions from other capabilities (reader prompts: banners; list prompts; overlays and their script). */
  beforeMain?: Html;
  afterMain?: Html;
  endOfBody?: Html;
}

const FEED_TYPES = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' } as const;

function metaTags(data: LayoutData): Html {
  const { meta, site } = data;
  const fullTitle = meta.title === site.name ? site.name : `${meta.title} | ${site.name}`;
  const xHandle = handleFromUrl(site.social.x);
  return html`
<title>${fullTitle}</title>
<meta name="description" content="${meta.description}">
<link rel="canonical" href="${meta.canonical}">
<meta name="robots" content="${meta.noindex ? 'noindex, follow' : 'index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1'}">
${meta.prev ? html`<link rel="prev" href="${meta.prev}">` : ''}${meta.next ? html`<link rel="next" href="${meta.next}">` : ''}
<meta property="og:site_name" content="${site.name}">
<meta property="og:type" content="${meta.type}">
<meta property="og:title" content="${meta.socialTitle || meta.title}">
<meta property="og:description" content="${meta.socialDescription || meta.description}">
<meta property="og:url" content="${meta.canonical}">
<meta property="og:locale" content="${site.language.replace('-', '_')}">
${meta.image
  ? html`<meta property="og:image" content="${meta.image.url}">
${meta.image.width ? html`<meta property="og:image:width" content="${meta.image.width}">` : ''}${meta.image.height ? html`<meta property="og:image:height" content="${meta.image.height}">` : ''}
<meta property="og:image:alt" content="${meta.image.alt}">`
  : ''}
${meta.article
  ? html`<meta property="article:published_time" content="${meta.article.publishedTime}">
<meta property="article:modified_time" content="${meta.article.modifiedTime}">
${meta.article.section ? html`<meta property="article:section" content="${meta.article.section}">` : ''}
${meta.article.tags.map((t) => html`<meta property="article:tag" content="${t}">`)}
${meta.article.authors.map((a) => html`<meta property="article:author" content="${a}">`)}`
  : ''}
<meta name="twitter:card" content="${meta.image ? 'summary_large_image' : 'summary'}">
${xHandle ? html`<meta name="twitter:site" content="@${xHandle}">` : ''}
<meta name="twitter:title" content="${meta.socialTitle || meta.title}">
<meta name="twitter:description" content="${meta.socialDescription || meta.description}">
${meta.image ? html`<meta name="twitter:image" content="${meta.image.url}"><meta name="twitter:image:alt" content="${meta.image.alt}">` : ''}
${meta.feeds.map((f) => html`<link rel="alternate" type="${FEED_TYPES[f.type]}" title="${f.title}" href="${f.href}">`)}
${meta.jsonLd.map((ld) => html`<script type="application/ld+json">${jsonForScript(ld)}</script>`)}`;
}

export function handleFromUrl(url: string): string {
  const match = /^https?:\/\/(?:www\.)?(?:x|twitter)\.com\/([A-Za-z0-9_]{1,15})\/?$/.exec(url);
  return match?.[1] ?? '';
}

export function followLinks(site: SiteSettings): Html {
  const accounts: [string, string][] = [
    ['Facebook', site.social.facebook],
    ['X', site.social.x],
    ['Mastodon', site.social.mastodon],
    ['Bluesky', site.social.bluesky],
    ['Instagram', site.social.instagram],
    ['YouTube', site.social.youtube],
  ];
  const present = accounts.filter(([, url]) => url);
  if (!present.length) return html``;
  return html`<ul class="follow">${present.map(
    ([name, url]) => html`<li><a href="${url}" rel="me noopener">${name}</a></li>`,
  )}</ul>`;
}

export function layout(data: LayoutData): string {
  const { site, sections, breaking } = data;
  const year = new Date().getUTCFullYear();
  return (
    '<!doctype html>' +
    html`
<html lang="${site.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${metaTags(data)}
<meta name="theme-color" content="${site.webApp.themeColor}">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">
<link rel="stylesheet" href="${data.cssHref}">
<link rel="stylesheet" href="${data.printCssHref}" media="print">
<script src="${data.scriptHref}" defer></script>
</head>
<body class="${data.bodyClass ?? ''}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="masthead">
  <div class="masthead-inner">
    <p class="site-name"><a href="/" rel="home">${site.logoUrl ? html`<img src="${site.logoUrl}" alt="${site.name}" height="40">` : site.name}</a></p>
    ${site.tagline ? html`<p class="tagline">${site.tagline}</p>` : ''}
    <form class="site-search" role="search" method="get" action="/search">
      <label for="site-search-q">Search</label>
      <input id="site-search-q" type="search" name="q" maxlength="200">
      <button type="submit">Go</button>
    </form>
  </div>
  <nav class="sections" aria-label="Sections">
    <ul>
      <li><a href="/"${data.currentSection === '' ? html` aria-current="page"` : ''}>Home</a></li>
      ${sections.map(
        (s) => html`<li><a href="/${s.slug}"${data.currentSection === s.slug ? html` aria-current="page"` : ''}>${s.name}</a></li>`,
      )}
    </ul>
  </nav>
</header>
${breaking
  ? html`<aside class="breaking" aria-label="Breaking news"><p><strong class="breaking-label">Breaking</strong> <a href="${articlePath(breaking)}">${breaking.headline}</a></p></aside>`
  : ''}
${data.beforeMain ?? ''}
<main id="main" tabindex="-1">
${data.main}
${data.afterMain ?? ''}
</main>
<footer class="site-footer">
  <div class="footer-inner">
    ${data.footerSignup ?? ''}
    <section aria-labelledby="follow-heading">
      <h2 id="follow-heading">Follow ${site.name}</h2>
      ${followLinks(site)}
      <p><a href="/feed.xml">RSS feed</a></p>
      <p><a href="/alerts">Breaking news alerts</a></p>
    </section>
    ${site.appLinks.ios || site.appLinks.android
      ? html`<section aria-labelledby="apps-heading"><h2 id="apps-heading">Our apps</h2><ul class="apps">
      ${site.appLinks.ios ? html`<li><a href="${site.appLinks.ios}">iPhone and iPad</a></li>` : ''}
      ${site.appLinks.android ? html`<li><a href="${site.appLinks.android}">Android</a></li>` : ''}</ul></section>`
      : ''}
    <section aria-labelledby="about-heading">
      <h2 id="about-heading">About us</h2>
      <ul>
        ${site.policies.about ? html`<li><a href="${site.policies.about}">About ${site.name}</a></li>` : ''}
        ${site.policies.corrections ? html`<li><a href="${site.policies.corrections}">Corrections policy</a></li>` : ''}
        ${site.policies.ethics ? html`<li><a href="${site.policies.ethics}">Ethics policy</a></li>` : ''}
        ${site.policies.ownership ? html`<li><a href="${site.policies.ownership}">Ownership and funding</a></li>` : ''}
        <li><a href="/archive">Archive</a></li>
      </ul>
    </section>
  </div>
  <p class="copyright">© ${year} ${site.name}</p>
</footer>
${data.endOfBody ?? ''}
</body>
</html>`.value
  );
}
