/**
 * The article's editable fields as plain data: defaults for a new article,
 * picking them out of an API answer, which ones changed, the slug rule the
 * server uses, and the body's plain text (for comparing and copying).
 */
import type { Article, ArticleFields, BodyDoc } from '../types';

export const FIELD_KEYS = [
  'headline', 'dek', 'slug', 'body', 'label', 'dateline', 'sectionId', 'authorIds', 'tagIds', 'imageId', 'imageAlt',
  'imageCaption', 'imageCredit', 'topRank', 'breaking', 'breakingUntil', 'seoTitle', 'seoDescription', 'socialTitle',
  'socialDescription', 'socialImageUrl', 'canonicalUrl',
] as const satisfies readonly (keyof ArticleFields)[];

export type FieldKey = (typeof FIELD_KEYS)[number];

export function emptyFields(): ArticleFields {
  return {
    headline: '',
    dek: '',
    slug: '', // empty: the server derives it from the headline on create
    body: { type: 'doc', content: [] },
    label: 'news',
    dateline: '',
    sectionId: null,
    authorIds: [],
    tagIds: [],
    imageId: null,
    imageAlt: '',
    imageCaption: '',
    imageCredit: '',
    topRank: null,
    breaking: false,
    breakingUntil: null,
    seoTitle: '',
    seoDescription: '',
    socialTitle: '',
    socialDescription: '',
    socialImageUrl: '',
    canonicalUrl: '',
  };
}

export function pickFields(article: Article | ArticleFields): ArticleFields {
  const out = {} as Record<FieldKey, unknown>;
  for (const key of FIELD_KEYS) out[key] = article[key];
  return out as unknown as ArticleFields;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `working` that differ from `base`; null when nothing does. */
export function changedFields(working: ArticleFields, base: ArticleFields): Partial<ArticleFields> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of FIELD_KEYS) {
    if (!sameValue(working[key], base[key])) {
      out[key] = working[key];
      any = true;
    }
  }
  return any ? (out as Partial<ArticleFields>) : null;
}

/** The server's slug rule (src/newsroom/slug.ts), so the address preview matches what will be saved. */
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

/** True when `slug` is what the server would derive from `headline` (possibly made unique with "-2", "-3" …). */
export function slugFollowsHeadline(slug: string, headline: string): boolean {
  const derived = slugify(headline);
  return slug === derived || new RegExp(`^${derived}-\\d+$`).test(slug);
}

interface Node {
  type?: string;
  text?: string;
  content?: Node[];
}

/** One line per paragraph, heading, list item or quote line of the body: what a person would call its text. */
export function bodyParagraphs(doc: BodyDoc): string[] {
  const lines: string[] = [];
  const inline = (node: Node): string => {
    if (node.type === 'text') return node.text ?? '';
    if (node.type === 'hardBreak') return '\n';
    return (node.content ?? []).map(inline).join('');
  };
  const walk = (node: Node) => {
    const children = node.content ?? [];
    const isTextBlock = children.length > 0 && children.every((c) => c.type === 'text' || c.type === 'hardBreak' || !c.content);
    if (node.type === 'text') lines.push(node.text ?? '');
    else if (isTextBlock) {
      const text = inline(node).trim();
      if (text) lines.push(...text.split('\n'));
    } else children.forEach(walk);
  };
  (doc.content as Node[]).forEach(walk);
  return lines;
}

/** Human names of fields, for "other fields that differ" lists and error summaries. */
export const FIELD_NAMES: Record<FieldKey, string> = {
  headline: 'Headline',
  dek: 'Standfirst',
  slug: 'Slug',
  body: 'Article text',
  label: 'Label',
  dateline: 'Dateline',
  sectionId: 'Section',
  authorIds: 'Bylines',
  tagIds: 'Tags',
  imageId: 'Featured image',
  imageAlt: 'Image alt text',
  imageCaption: 'Image caption',
  imageCredit: 'Image credit',
  topRank: 'Top-story rank',
  breaking: 'Breaking',
  breakingUntil: 'Breaking until',
  seoTitle: 'SEO title',
  seoDescription: 'SEO description',
  socialTitle: 'Social title',
  socialDescription: 'Social description',
  socialImageUrl: 'Social image URL',
  canonicalUrl: 'Canonical URL',
};
