/**
 * The Content API's schemas (TypeBox, i.e. JSON Schema): they validate the
 * query strings, and the OpenAPI document and the reference page are made
 * from them (openapi.ts), so the three never disagree.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ARTICLE_FIELDS, DEFAULT_LIMIT, INCLUDES, LABELS, MAX_LIMIT } from './content.service.js';

/** A string from a fixed list, validated with a plain `enum` (clearer errors than a union of literals). */
const StringEnum = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

const Slug = (description: string) => Type.String({ maxLength: 200, description });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Accepted on every keyed route; a header is better (URLs end up in logs and histories). */
export const KeyParam = Type.String({ maxLength: 100, description: 'The API key, for clients that cannot send headers (feed readers). Prefer the Authorization or X-Api-Key header.' });

export const ShapeParams = {
  fields: Type.Optional(Type.String({ maxLength: 500, description: `Comma-separated fields to return (id is always returned): ${ARTICLE_FIELDS.join(', ')}.` })),
  include: Type.Optional(
    Type.String({
      maxLength: 200,
      description: `Comma-separated extras: ${INCLUDES.join(', ')}. "authors" and "section" expand the short references into full objects; the others add the field. Lists include none by default, one article all of them.`,
    }),
  ),
};

export const ArticlesQuery = Type.Object(
  {
    section: Type.Optional(Slug('Only articles in this section (its slug).')),
    tag: Type.Optional(Slug('Only articles with this tag (its slug).')),
    author: Type.Optional(Slug('Only articles by this author (their slug).')),
    label: Type.Optional(Type.String({ maxLength: 40, description: `Only articles with this label: ${LABELS.join(', ')}.` })),
    breaking: Type.Optional(Type.Boolean({ description: 'true: only live breaking stories; false: none of them.' })),
    updated_since: Type.Optional(Type.String({ maxLength: 40, description: 'Only articles changed at or after this time (ISO 8601, e.g. 2026-01-31T09:00:00Z). Compares modifiedAt.' })),
    sort: Type.Optional(
      StringEnum(['published', 'modified'] as const, {
        description: 'published (default): newest publication first. modified: oldest change first, for keeping a copy in step (pass the last modifiedAt as updated_since next time).',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `Articles per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).` })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor from the previous page (with the same sort).' })),
    ...ShapeParams,
    key: Type.Optional(KeyParam),
  },
  { additionalProperties: false },
);

export const ArticleQuery = Type.Object({ ...ShapeParams, key: Type.Optional(KeyParam) }, { additionalProperties: false });
export const KeyOnlyQuery = Type.Object({ key: Type.Optional(KeyParam) }, { additionalProperties: false });
export const ArticleParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200, description: 'The article id (digits) or slug.' }) });
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200, description: 'The slug.' }) });

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, description: 'Words to look for; "quoted phrases" match as a phrase.' }),
    section: Type.Optional(Slug('Only this section (slug).')),
    author: Type.Optional(Slug('Only this author (slug).')),
    from: Type.Optional(Type.String({ maxLength: 10, description: 'Published on or after this day (YYYY-MM-DD, the site\'s time zone).' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'Published on or before this day (YYYY-MM-DD).' })),
    sort: Type.Optional(StringEnum(['relevance', 'newest'] as const, { description: 'relevance (default) or newest.' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Result page, 20 results each.' })),
    key: Type.Optional(KeyParam),
  },
  { additionalProperties: false },
);

// --- responses -----------------------------------------------------------------------------------

const Ref = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });

export const Image = Type.Object(
  {
    url: Type.String({ description: 'The original upload.' }),
    width: Type.Integer(),
    height: Type.Integer(),
    alt: Type.String(),
    caption: Type.String(),
    credit: Type.String(),
    mime: Type.String(),
    variants: Type.Array(Type.Object({ url: Type.String(), width: Type.Integer(), height: Type.Integer(), format: Type.String() }), {
      description: 'Resized copies, narrowest first: JPEG (or the original format), WebP and AVIF at the same widths.',
    }),
  },
);

const Span = Type.Object({
  text: Type.String({ description: 'A run of text; "\\n" is a line break.' }),
  marks: Type.Optional(Type.Array(StringEnum(['bold', 'italic'] as const))),
  href: Type.Optional(Type.String({ description: 'The run is a link to this absolute URL.' })),
});
const ListBlock = Type.Object({
  type: Type.Literal('list'),
  ordered: Type.Boolean(),
  start: Type.Optional(Type.Integer()),
  items: Type.Array(
    Type.Object({
      content: Type.Array(Span),
      children: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'A nested list: a list block of the same shape.' })),
    }),
  ),
});
export const Block = Type.Union(
  [
    Type.Object({ type: Type.Literal('paragraph'), content: Type.Array(Span) }),
    Type.Object({ type: Type.Literal('heading'), level: Type.Integer({ minimum: 2, maximum: 4 }), content: Type.Array(Span) }),
    ListBlock,
    Type.Object({ type: Type.Literal('quote'), paragraphs: Type.Array(Type.Array(Span)) }),
    Type.Object({ type: Type.Literal('pullquote'), content: Type.Array(Span), attribution: Type.String() }),
    Type.Object({ type: Type.Literal('image'), image: Image, caption: Type.String(), credit: Type.String() }),
    Type.Object({ type: Type.Literal('embed'), provider: Type.String({ description: 'youtube, x, instagram, facebook, bluesky or link' }), url: Type.String(), title: Type.String() }),
    Type.Object({ type: Type.Literal('rule') }),
  ],
  { description: 'One block of the body. Unknown block types may be added later: skip them.' },
);

const Author = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  title: Type.String(),
  bio: Type.Optional(Type.String()),
  expertise: Type.Optional(Type.Array(Type.String())),
  social: Type.Optional(Type.Record(Type.String(), Type.String())),
  avatar: Type.Optional(Nullable(Image)),
  url: Type.Optional(Type.String({ description: "The author's page on the site." })),
  articles: Type.Optional(Type.String({ description: 'Their articles in this API.' })),
  articleCount: Type.Optional(Type.Integer()),
});

const RelatedPick = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  headline: Type.String(),
  url: Type.String(),
  label: Type.String(),
  publishedAt: Nullable(Type.String()),
  section: Nullable(Ref),
  pinned: Type.Boolean({ description: 'Chosen by an editor (otherwise by the related-stories engine).' }),
});

export const Article = Type.Object(
  {
    id: Type.Integer(),
    slug: Type.Optional(Type.String()),
    url: Type.Optional(Type.String({ description: 'The article on the site (absolute).' })),
    headline: Type.Optional(Type.String()),
    dek: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
    dateline: Type.Optional(Type.String()),
    breaking: Type.Optional(Type.Boolean({ description: 'A live breaking story now.' })),
    publishedAt: Type.Optional(Type.String()),
    firstPublishedAt: Type.Optional(Type.String()),
    updatedAt: Type.Optional(Nullable(Type.String({ description: 'When the newsroom marked the story updated (shown to readers).' }))),
    modifiedAt: Type.Optional(Type.String({ description: 'The last change of any kind; what updated_since compares.' })),
    section: Type.Optional(Nullable(Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String(), description: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }))),
    authors: Type.Optional(Type.Array(Author)),
    image: Type.Optional(Nullable(Image)),
    tags: Type.Optional(Type.Array(Ref)),
    body: Type.Optional(
      Type.Object({
        html: Type.String({ description: 'Sanitized HTML (an allowlist of tags and attributes).' }),
        blocks: Type.Array(Block),
        wordCount: Type.Integer(),
        readingMinutes: Type.Integer(),
      }),
    ),
    corrections: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), kind: StringEnum(['correction', 'clarification', 'update'] as const), body: Type.String(), createdAt: Type.String() }))),
    related: Type.Optional(Type.Array(RelatedPick)),
  },
  { description: 'Fields depend on `fields` and `include`.' },
);

export const ArticleList = Type.Object({
  items: Type.Array(Article),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page.' })),
});
export const ArticleOne = Type.Object({ article: Article });

const Listing = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String(),
  articles: Type.String({ description: 'Its articles in this API.' }),
});
export const SectionList = Type.Object({ items: Type.Array(Listing) });
export const TagList = Type.Object({ items: Type.Array(Listing) });
export const AuthorList = Type.Object({ items: Type.Array(Author) });
export const AuthorOne = Type.Object({ author: Author });

export const Site = Type.Object({
  site: Type.Object({
    name: Type.String(),
    tagline: Type.String(),
    description: Type.String(),
    language: Type.String(),
    timeZone: Type.String(),
    url: Type.String(),
    logo: Nullable(Type.Object({ url: Type.String() })),
    colours: Type.Object({ accent: Type.String(), onAccent: Type.String(), text: Type.String(), background: Type.String(), breaking: Type.String() }),
    social: Type.Record(Type.String(), Type.String(), { description: 'Only the accounts that are set: facebook, x, mastodon, bluesky, instagram, youtube.' }),
    appLinks: Type.Record(Type.String(), Type.String(), { description: 'ios and android store links, when set.' }),
    policies: Type.Record(Type.String(), Type.String()),
    feeds: Type.Object({ rss: Type.String(), atom: Type.String(), json: Type.String() }),
  }),
});

export const SearchResults = Type.Object({
  query: Type.String(),
  sort: Type.String(),
  total: Type.Integer(),
  totalIsCapped: Type.Boolean({ description: 'There are more matches than total.' }),
  page: Type.Integer(),
  pages: Type.Integer(),
  ignoredFilters: Type.Array(Type.String(), { description: 'Filters that were not understood and left out.' }),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      slug: Type.String(),
      url: Type.String(),
      headline: Type.String(),
      headlineHtml: Type.String({ description: 'The headline, HTML-escaped, with matched words in <mark>.' }),
      snippet: Type.String(),
      snippetHtml: Type.String(),
      dek: Type.String(),
      label: Type.String(),
      publishedAt: Type.String(),
      section: Nullable(Ref),
      authors: Type.Array(Author),
      article: Type.String({ description: 'The article in this API.' }),
    }),
  ),
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      status: Type.Integer(),
      code: Type.String({ description: 'Stable, machine-readable: e.g. invalid, api_key_missing, api_key_invalid, api_key_revoked, origin_not_allowed, not_found, rate_limited.' }),
      message: Type.String({ description: 'For people; may change.' }),
      fields: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { description: 'The parameters that are wrong (400).' })),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      requestId: Type.String(),
    }),
  },
);
