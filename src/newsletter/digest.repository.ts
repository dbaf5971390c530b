/**
 * Queries for composing a digest: published stories (never drafts, scheduled,
 * future or withdrawn ones) with what an email shows of them. Kysely only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** One published story as a digest needs it: headline, dek, section, lead image, rank. */
export interface DigestRow {
  id: number;
  slug: string;
  headline: string;
  dek: string;
  published_at: string;
  top_rank: number | null;
  section_id: number | null;
  section_slug: string | null;
  section_name: string | null;
  image_alt: string;
  storage_key: string | null;
  width: number | null;
  height: number | null;
  alt: string | null;
  variants: string | null;
  mime: string | null;
}

/** More stories than any digest holds: a newsroom publishing more in a day gets the newest this many to choose from. */
export const CANDIDATES_MAX = 300;

export class DigestRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private published(now: string) {
    return this.db
      .selectFrom('articles as a')
      .leftJoin('sections as s', 's.id', 'a.section_id')
      .leftJoin('media as m', 'm.id', 'a.image_id')
      .select([
        'a.id',
        'a.slug',
        'a.headline',
        'a.dek',
        'a.published_at',
        'a.top_rank',
        'a.section_id',
        's.slug as section_slug',
        's.name as section_name',
        'a.image_alt',
        'm.storage_key',
        'm.width',
        'm.height',
        'm.alt',
        'm.variants',
        'm.mime',
      ])
      .where('a.status', '=', 'published')
      .where('a.published_at', '<=', now);
  }

  /** Stories published in [since, now], newest first. */
  async publishedSince(since: string, now: string, limit = CANDIDATES_MAX): Promise<DigestRow[]> {
    const rows = await this.published(now).where('a.published_at', '>=', since).orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
    return rows as DigestRow[];
  }

  /** The published stories among `ids` (any order; absent ids are unknown or not public). */
  async publishedByIds(ids: readonly number[], now: string): Promise<DigestRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.published(now).where('a.id', 'in', [...ids]).execute();
    return rows as DigestRow[];
  }

  /** Author names per story, in byline order. */
  async bylines(articleIds: readonly number[]): Promise<Map<number, string[]>> {
    const names = new Map<number, string[]>();
    if (articleIds.length === 0) return names;
    const rows = await this.db
      .selectFrom('article_authors as aa')
      .innerJoin('authors as au', 'au.id', 'aa.author_id')
      .select(['aa.article_id', 'au.name'])
      .where('aa.article_id', 'in', [...articleIds])
      .orderBy('aa.article_id')
      .orderBy('aa.position')
      .execute();
    for (const row of rows) {
      const list = names.get(row.article_id) ?? [];
      list.push(row.name);
      names.set(row.article_id, list);
    }
    return names;
  }
}
