/** Queries for authors, sections and tags. */
import type { Kysely } from 'kysely';
import type { AuthorRow, Database, SectionRow, TagRow } from '../db/schema.js';

export class TaxonomyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  sectionBySlug(slug: string): Promise<SectionRow | undefined> {
    return this.db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  sectionById(id: number): Promise<SectionRow | undefined> {
    return this.db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  sections(): Promise<SectionRow[]> {
    return this.db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute();
  }

  tagBySlug(slug: string): Promise<TagRow | undefined> {
    return this.db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  tags(): Promise<TagRow[]> {
    return this.db.selectFrom('tags').selectAll().orderBy('name').execute();
  }

  authorBySlug(slug: string): Promise<AuthorRow | undefined> {
    return this.db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  authors(): Promise<AuthorRow[]> {
    return this.db.selectFrom('authors').selectAll().orderBy('name').execute();
  }

  authorsByIds(ids: readonly number[]): Promise<AuthorRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('authors').selectAll().where('id', 'in', ids).execute();
  }

  async existingIds(table: 'authors' | 'tags' | 'sections', ids: readonly number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await this.db.selectFrom(table).select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }

  async insertSection(row: { slug: string; name: string; description: string; position: number }, now: string) {
    return (await this.db.insertInto('sections').values({ ...row, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async updateSection(id: number, patch: Partial<{ slug: string; name: string; description: string; position: number }>, now: string) {
    await this.db.updateTable('sections').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
  }

  async insertTag(row: { slug: string; name: string; description: string }, now: string) {
    return (await this.db.insertInto('tags').values({ ...row, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async updateTag(id: number, patch: Partial<{ slug: string; name: string; description: string }>, now: string) {
    await this.db.updateTable('tags').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
  }

  async insertAuthor(
    row: { slug: string; name: string; title: string; bio: string; expertise: string; social: string; email: string | null; avatar_media_id: number | null },
    now: string,
  ) {
    return (await this.db.insertInto('authors').values({ ...row, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  }

  async updateAuthor(
    id: number,
    patch: Partial<{ slug: string; name: string; title: string; bio: string; expertise: string; social: string; email: string | null; avatar_media_id: number | null }>,
    now: string,
  ) {
    await this.db.updateTable('authors').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
  }

  async insertMedia(row: {
    storage_key: string; mime: string; width: number; height: number; bytes: number; alt: string; caption: string; credit: string; variants: string;
  }, now: string): Promise<number> {
    return (await this.db.insertInto('media').values({ ...row, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  }

  mediaById(id: number) {
    return this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
