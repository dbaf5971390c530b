/** Kysely queries for the media library. */
import { sql, type Kysely } from 'kysely';
import type { Database, MediaRow } from '../db/schema.js';

export interface NewMedia {
  storage_key: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
  caption: string;
  credit: string;
  variants: string;
  filename: string;
  content_hash: string;
  uploaded_by: number | null;
  created_at: string;
}

export interface MediaListQuery {
  /** Words that must all appear in the alt text, caption, credit or file name (any case). */
  q?: string;
  limit: number;
  offset: number;
}

export interface MediaUsage {
  id: number;
  slug: string;
  headline: string;
  status: string;
  published_at: string | null;
  /** How the article uses the image: its lead image, in its body, or both. */
  as: ('lead' | 'body')[];
}

/** `%` and `_` in the user's words match themselves. */
function likePattern(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class MediaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: NewMedia): Promise<number> {
    return (await this.db.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  byId(id: number): Promise<MediaRow | undefined> {
    return this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byHash(hash: string): Promise<MediaRow | undefined> {
    return this.db.selectFrom('media').selectAll().where('content_hash', '=', hash).executeTakeFirst();
  }

  async update(id: number, patch: Partial<Pick<MediaRow, 'alt' | 'caption' | 'credit'>>): Promise<void> {
    if (!Object.keys(patch).length) return;
    await this.db.updateTable('media').set(patch).where('id', '=', id).execute();
  }

  async list(query: MediaListQuery): Promise<{ items: MediaRow[]; total: number }> {
    let base = this.db.selectFrom('media');
    const words = (query.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
    for (const word of words) {
      const pattern = likePattern(word);
      base = base.where((eb) =>
        eb.or(
          (['alt', 'caption', 'credit', 'filename'] as const).map((column) => eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`)),
        ),
      );
    }
    const [items, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** Articles whose lead image is this one, or whose body shows one of its files. */
  async usage(media: Pick<MediaRow, 'id' | 'storage_key'>): Promise<MediaUsage[]> {
    // Every file of an item shares the key up to "-<width>.<ext>".
    const stem = media.storage_key.replace(/-\d+\.[a-z0-9]+$/i, '-');
    const inBody = `%/media/${stem.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('articles')
      .select(['id', 'slug', 'headline', 'status', 'published_at', 'image_id'])
      .select((eb) => eb(sql`body_doc`, 'like', sql`${inBody} escape '\\'`).as('in_body'))
      .where((eb) => eb.or([eb('image_id', '=', media.id), eb(sql`body_doc`, 'like', sql`${inBody} escape '\\'`)]))
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => {
      const as: MediaUsage['as'] = [];
      if (r.image_id === media.id) as.push('lead');
      if (r.in_body === true || Number(r.in_body) === 1) as.push('body');
      return { id: r.id, slug: r.slug, headline: r.headline, status: r.status, published_at: r.published_at, as };
    });
  }

  /** Ids of authors whose profile picture this is. */
  async authorIds(mediaId: number): Promise<number[]> {
    return (await this.db.selectFrom('authors').select('id').where('avatar_media_id', '=', mediaId).execute()).map((r) => r.id);
  }
}

