/** Authors, sections and tags: validation, unique slugs, and announcing changes to the pages that show them. */
import type { AuthorRow, SectionRow, TagRow } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
import { Invalid, NotFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import { isSlug, RESERVED_SLUGS, slugify } from './slug.js';
import type { TaxonomyRepository } from './taxonomy.repository.js';

export interface TaxonomyServiceDeps {
  taxonomy: TaxonomyRepository;
  events: EventBus;
  clock: Clock;
}

export interface SectionInput {
  name: string;
  slug?: string;
  description?: string;
  position?: number;
}

export interface TagInput {
  name: string;
  slug?: string;
  description?: string;
}

export interface AuthorInput {
  name: string;
  slug?: string;
  title?: string;
  bio?: string;
  expertise?: string[];
  social?: Record<string, string>;
  email?: string | null;
  avatarMediaId?: number | null;
}

function requireText(value: unknown, path: string, max: number, required = true): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && !value.trim()) || value.length > max) {
    throw new Invalid(`Invalid ${path.slice(1)}`, [{ path, message: required ? `required, at most ${max} characters` : `at most ${max} characters` }]);
  }
  return value.trim();
}

function slugOf(input: { slug?: string; name: string }, reserved: boolean): string {
  const slug = input.slug ?? slugify(input.name);
  if (!isSlug(slug)) throw new Invalid('Invalid slug', [{ path: '/slug', message: 'use lowercase letters, digits and single hyphens' }]);
  if (reserved && RESERVED_SLUGS.has(slug)) throw new Invalid('That slug is reserved', [{ path: '/slug', message: `"${slug}" is used by the site itself` }]);
  return slug;
}

export class TaxonomyService {
  constructor(private readonly deps: TaxonomyServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  async createSection(input: SectionInput): Promise<SectionRow> {
    const name = requireText(input.name, '/name', 80);
    const slug = slugOf({ ...input, name }, true);
    if (await this.deps.taxonomy.sectionBySlug(slug)) throw new Invalid('That section already exists', [{ path: '/slug', message: 'already taken' }]);
    const id = await this.deps.taxonomy.insertSection(
      { slug, name, description: requireText(input.description, '/description', 500, false), position: input.position ?? 0 },
      this.now(),
    );
    await this.deps.events.emit('content.changed', { change: { tags: ['sections', 'list:home', 'sitemap'] } });
    return (await this.deps.taxonomy.sectionById(id))!;
  }

  async updateSection(id: number, input: Partial<SectionInput>): Promise<SectionRow> {
    const current = await this.deps.taxonomy.sectionById(id);
    if (!current) throw new NotFound('No such section');
    const patch: Partial<{ slug: string; name: string; description: string; position: number }> = {};
    if (input.name !== undefined) patch.name = requireText(input.name, '/name', 80);
    if (input.slug !== undefined) patch.slug = slugOf({ slug: input.slug, name: current.name }, true);
    if (patch.slug !== undefined) {
      const holder = await this.deps.taxonomy.sectionBySlug(patch.slug);
      if (holder && holder.id !== id) throw new Invalid('That section already exists', [{ path: '/slug', message: 'already taken' }]);
    }
    if (input.description !== undefined) patch.description = requireText(input.description, '/description', 500, false);
    if (input.position !== undefined) patch.position = input.position;
    await this.deps.taxonomy.updateSection(id, patch, this.now());
    // Every page shows the section navigation.
    await this.deps.events.emit('content.changed', { change: { tags: ['sections', `section:${id}`, 'sitemap'] } });
    return (await this.deps.taxonomy.sectionById(id))!;
  }

  async createTag(input: TagInput): Promise<TagRow> {
    const name = requireText(input.name, '/name', 80);
    const slug = slugOf({ ...input, name }, false);
    const existing = await this.deps.taxonomy.tagBySlug(slug);
    if (existing) return existing;
    await this.deps.taxonomy.insertTag({ slug, name, description: requireText(input.description, '/description', 500, false) }, this.now());
    // `tags`: anything that lists every tag, or finds one by slug (the Content API's /tags and ?tag=).
    await this.deps.events.emit('content.changed', { change: { tags: ['tags'] } });
    return (await this.deps.taxonomy.tagBySlug(slug))!;
  }

  async updateTag(id: number, input: Partial<TagInput>): Promise<void> {
    const patch: Partial<{ slug: string; name: string; description: string }> = {};
    if (input.name !== undefined) patch.name = requireText(input.name, '/name', 80);
    if (input.slug !== undefined) patch.slug = slugOf({ slug: input.slug, name: input.name ?? 'x' }, false);
    if (patch.slug !== undefined) {
      const holder = await this.deps.taxonomy.tagBySlug(patch.slug);
      if (holder && holder.id !== id) throw new Invalid('That tag already exists', [{ path: '/slug', message: 'already taken' }]);
    }
    if (input.description !== undefined) patch.description = requireText(input.description, '/description', 500, false);
    await this.deps.taxonomy.updateTag(id, patch, this.now());
    await this.deps.events.emit('content.changed', { change: { tags: ['tags', `tag:${id}`, `list:tag:${id}`] } });
  }

  async createAuthor(input: AuthorInput): Promise<AuthorRow> {
    const name = requireText(input.name, '/name', 120);
    const slug = slugOf({ ...input, name }, false);
    if (await this.deps.taxonomy.authorBySlug(slug)) throw new Invalid('That author already exists', [{ path: '/slug', message: 'already taken' }]);
    await this.deps.taxonomy.insertAuthor(
      {
        slug,
        name,
        title: requireText(input.title, '/title', 120, false),
        bio: requireText(input.bio, '/bio', 2000, false),
        expertise: JSON.stringify((input.expertise ?? []).map((e) => requireText(e, '/expertise', 80))),
        social: JSON.stringify(cleanSocial(input.social ?? {})),
        email: input.email ?? null,
        avatar_media_id: input.avatarMediaId ?? null,
      },
      this.now(),
    );
    // `authors`: anything that lists every author, or finds one by slug (the Content API's /authors and ?author=).
    await this.deps.events.emit('content.changed', { change: { tags: ['sitemap', 'authors'] } });
    return (await this.deps.taxonomy.authorBySlug(slug))!;
  }

  async updateAuthor(id: number, input: Partial<AuthorInput>): Promise<void> {
    const patch: Parameters<TaxonomyRepository['updateAuthor']>[1] = {};
    if (input.name !== undefined) patch.name = requireText(input.name, '/name', 120);
    if (input.title !== undefined) patch.title = requireText(input.title, '/title', 120, false);
    if (input.bio !== undefined) patch.bio = requireText(input.bio, '/bio', 2000, false);
    if (input.expertise !== undefined) patch.expertise = JSON.stringify(input.expertise.map((e) => requireText(e, '/expertise', 80)));
    if (input.social !== undefined) patch.social = JSON.stringify(cleanSocial(input.social));
    if (input.email !== undefined) patch.email = input.email;
    if (input.avatarMediaId !== undefined) patch.avatar_media_id = input.avatarMediaId;
    await this.deps.taxonomy.updateAuthor(id, patch, this.now());
    // Article pages show bylines and bios; list pages show bylines on cards (tagged a:<id>, so the author tag covers the article pages, and lists are re-rendered through the author's list tag).
    await this.deps.events.emit('content.changed', { change: { tags: ['authors', `author:${id}`, `list:author:${id}`] } });
  }
}

function cleanSocial(social: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(social)) {
    if (!/^[a-z]{1,20}$/.test(key)) throw new Invalid('Invalid social link', [{ path: `/social/${key}`, message: 'unknown network name' }]);
    if (value && !/^https:\/\/\S{1,300}$/.test(value)) throw new Invalid('Invalid social link', [{ path: `/social/${key}`, message: 'must be an https:// URL' }]);
    if (value) out[key] = value;
  }
  return out;
}
