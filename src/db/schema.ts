/**
 * Table types shared by both dialects. Timestamps are ISO-8601 UTC strings
 * ("2026-11-29T09:00:00.000Z") in both databases: they sort and compare as text,
 * and read back identically from SQLite and PostgreSQL. Flags are 0/1 integers
 * for the same reason. JSON documents are stored as text.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ArticleStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';
export type ArticleLabel = 'news' | 'analysis' | 'opinion' | 'review' | 'fact-check' | 'sponsored';
export type CorrectionKind = 'correction' | 'clarification' | 'update';

export interface AuthorsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  title: string;
  bio: string;
  avatar_media_id: number | null;
  expertise: string; // JSON string[]
  social: string; // JSON Record<string,string>
  email: string | null;
  created_at: string;
  updated_at: string;
}

export interface SectionsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface TagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface MediaTable {
  id: Generated<number>;
  storage_key: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: string; // JSON MediaVariant[]
  created_at: string;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  dek: string;
  body_doc: string; // JSON ProseMirror document (source of truth)
  body_blocks: string; // JSON RenderedBlock[]: sanitized HTML per top-level block
  word_count: number;
  label: ArticleLabel;
  dateline: string;
  status: ArticleStatus;
  section_id: number | null;
  image_id: number | null;
  image_alt: string;
  image_caption: string;
  image_credit: string;
  published_at: string | null;
  first_published_at: string | null;
  updated_at: string | null; // the reader-facing "Updated" time (dateModified)
  scheduled_at: string | null;
  top_rank: number | null;
  breaking: number;
  breaking_until: string | null;
  seo_title: string;
  seo_description: string;
  social_title: string;
  social_description: string;
  social_image_url: string;
  canonical_url: string;
  version: number;
  created_at: string;
  saved_at: string;
}

export interface ArticleAuthorsTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface ArticleTagsTable {
  article_id: number;
  tag_id: number;
  position: number;
}

export interface ArticleRedirectsTable {
  old_slug: string;
  article_id: number;
  created_at: string;
}

export interface CorrectionsTable {
  id: Generated<number>;
  article_id: number;
  kind: CorrectionKind;
  body: string;
  created_at: string;
}

export interface RevisionsTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  actor: string;
  note: string;
  snapshot: string; // JSON of the article's editable fields
  created_at: string;
}

export interface PagesTable {
  id: Generated<number>;
  slug: string;
  title: string;
  body_doc: string;
  body_blocks: string;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string; // JSON
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  unique_key: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface Database {
  authors: AuthorsTable;
  sections: SectionsTable;
  tags: TagsTable;
  media: MediaTable;
  articles: ArticlesTable;
  article_authors: ArticleAuthorsTable;
  article_tags: ArticleTagsTable;
  article_redirects: ArticleRedirectsTable;
  corrections: CorrectionsTable;
  revisions: RevisionsTable;
  pages: PagesTable;
  settings: SettingsTable;
  jobs: JobsTable;
}

export type ArticleRow = Selectable<ArticlesTable>;
export type NewArticleRow = Insertable<ArticlesTable>;
export type ArticleUpdate = Updateable<ArticlesTable>;
export type AuthorRow = Selectable<AuthorsTable>;
export type SectionRow = Selectable<SectionsTable>;
export type TagRow = Selectable<TagsTable>;
export type MediaRow = Selectable<MediaTable>;
export type CorrectionRow = Selectable<CorrectionsTable>;
export type JobRow = Selectable<JobsTable>;
export type PageRow = Selectable<PagesTable>;
