/** Structured data (schema.org JSON-LD) for search engines and news aggregators. */
import type { AuthorRow } from '../db/schema.js';
import type { SiteSettings } from '../newsroom/settings.js';
import type { ArticleView } from './site.service.js';
import { absolute, articlePath } from './format.js';

export const DEFAULT_LOGO = { path: '/assets/logo.png', width: 600, height: 60 };

export function organizationLd(site: SiteSettings, publicUrl: string): Record<string, unknown> {
  const sameAs = Object.values(site.social).filter(Boolean);
  const policy = (path: string) => (path ? absolute(publicUrl, path) : undefined);
  const logoUrl = site.logoUrl ? absolute(publicUrl, site.logoUrl) : absolute(publicUrl, DEFAULT_LOGO.path);
  return {
    '@type': 'NewsMediaOrganization',
    '@id': `${publicUrl}/#publisher`,
    name: site.name,
    url: `${publicUrl}/`,
    logo: {
      '@type': 'ImageObject',
      url: logoUrl,
      ...(site.logoUrl ? {} : { width: DEFAULT_LOGO.width, height: DEFAULT_LOGO.height }),
    },
    ...(sameAs.length ? { sameAs } : {}),
    ...(site.policies.corrections ? { correctionsPolicy: policy(site.policies.corrections) } : {}),
    ...(site.policies.ethics ? { ethicsPolicy: policy(site.policies.ethics), publishingPrinciples: policy(site.policies.ethics) } : {}),
    ...(site.policies.ownership ? { ownershipFundingInfo: policy(site.policies.ownership) } : {}),
    ...(site.policies.about ? { masthead: policy(site.policies.about) } : {}),
  };
}

export function personLd(author: Pick<AuthorRow, 'name' | 'slug' | 'title' | 'bio' | 'social' | 'expertise'>, publicUrl: string, imageUrl?: string) {
  const social = safeJson<Record<string, string>>(author.social, {});
  const expertise = safeJson<string[]>(author.expertise, []);
  const sameAs = Object.values(social).filter((v) => typeof v === 'string' && /^https?:\/\//.test(v));
  return {
    '@type': 'Person',
    '@id': `${publicUrl}/author/${author.slug}#person`,
    name: author.name,
    url: `${publicUrl}/author/${author.slug}`,
    ...(author.title ? { jobTitle: author.title } : {}),
    ...(author.bio ? { description: author.bio } : {}),
    ...(imageUrl ? { image: imageUrl } : {}),
    ...(sameAs.length ? { sameAs } : {}),
    ...(expertise.length ? { knowsAbout: expertise } : {}),
  };
}

export function breadcrumbLd(items: { name: string; url: string }[]) {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: items.map((item, i) => ({ '@type': 'ListItem', position: i + 1, name: item.name, item: item.url })),
  };
}

export function modifiedTime(article: ArticleView): string {
  const times = [article.card.publishedAt, article.card.updatedAt, ...article.corrections.map((c) => c.created_at)].filter(
    (t): t is string => Boolean(t),
  );
  return times.sort().at(-1) ?? article.card.publishedAt;
}

const LABEL_TYPES: Record<string, string> = {
  analysis: 'AnalysisNewsArticle',
  opinion: 'OpinionNewsArticle',
  review: 'ReviewNewsArticle',
  'fact-check': 'NewsArticle',
  sponsored: 'AdvertiserContentArticle',
  news: 'NewsArticle',
};

export function newsArticleLd(article: ArticleView, site: SiteSettings, publicUrl: string, canonical: string) {
  const { card } = article;
  const images = card.image
    ? [
        absolute(publicUrl, card.image.src),
        ...card.image.srcset
          .split(',')
          .map((s) => s.trim().split(' ')[0])
          .filter((s): s is string => Boolean(s))
          .slice(-2)
          .map((s) => absolute(publicUrl, s)),
      ]
    : [];
  const correction = article.corrections
    .filter((c) => c.kind === 'correction' || c.kind === 'clarification')
    .map((c) => ({ '@type': 'CorrectionComment', text: c.body, datePublished: c.created_at }));
  return {
    '@context': 'https://schema.org',
    '@type': LABEL_TYPES[card.label] ?? 'NewsArticle',
    '@id': `${canonical}#article`,
    mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
    url: canonical,
    headline: card.headline.slice(0, 110),
    ...(card.dek ? { description: card.dek } : {}),
    ...(images.length ? { image: [...new Set(images)] } : {}),
    datePublished: card.publishedAt,
    dateModified: modifiedTime(article),
    author: article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: `${publicUrl}/author/${a.slug}` })),
    publisher: organizationLd(site, publicUrl),
    ...(card.section ? { articleSection: card.section.name } : {}),
    ...(article.tags.length ? { keywords: article.tags.map((t) => t.name) } : {}),
    ...(article.dateline ? { locationCreated: { '@type': 'Place', name: article.dateline } } : {}),
    wordCount: article.wordCount,
    inLanguage: site.language,
    isAccessibleForFree: true,
    ...(correction.length ? { correction } : {}),
  };
}

export function articleCanonical(article: ArticleView, publicUrl: string): string {
  return article.seo.canonicalUrl || absolute(publicUrl, articlePath(article.card));
}

function safeJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
