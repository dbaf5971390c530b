/** URL slugs: lowercase ASCII letters, digits and single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, maxLength).replace(/-+[^-]*$/, (m) => (slug.length > maxLength ? '' : m));
  return cut.replace(/-+$/, '') || 'untitled';
}

export function isSlug(value: string): boolean {
  return value.length <= 200 && SLUG_PATTERN.test(value);
}

/** Paths the site owns at the top level; a section cannot take them. */
export const RESERVED_SLUGS = new Set([
  'admin', 'api', 'article', 'assets', 'media', 'author', 'authors', 'tag', 'tags', 'archive', 'search', 'feed', 'feeds',
  'sitemap', 'sitemaps', 'robots', 'healthz', 'page', 'pages', 'preview', 'newsletter', 'newsletters', 'donate', 'account',
  'subscribe', 'unsubscribe', 'static', 'favicon', 'manifest', 'offline', 'sw', 'app',
]);
