/** How stored media becomes <img> attributes on the site. */
import type { MediaRow } from '../db/schema.js';

export interface MediaVariant {
  width: number;
  height: number;
  key: string;
  format: 'jpeg' | 'webp' | 'avif' | 'png' | 'gif';
}

export interface ImageRef {
  src: string;
  width: number;
  height: number;
  alt: string;
  caption: string;
  credit: string;
  /** `srcset` of same-format variants, empty when there are none. */
  srcset: string;
  mime: string;
}

export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

export function parseVariants(json: string): MediaVariant[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as MediaVariant[]) : [];
  } catch {
    return [];
  }
}

export function imageRef(
  media: Pick<MediaRow, 'storage_key' | 'width' | 'height' | 'alt' | 'caption' | 'credit' | 'variants' | 'mime'>,
  overrides: { alt?: string; caption?: string; credit?: string } = {},
): ImageRef {
  const variants = parseVariants(media.variants)
    .filter((v) => v.format === 'jpeg' || v.format === media.mime.replace('image/', ''))
    .sort((a, b) => a.width - b.width);
  const srcset = variants.length ? variants.map((v) => `${mediaUrl(v.key)} ${v.width}w`).join(', ') : '';
  return {
    src: mediaUrl(media.storage_key),
    width: media.width,
    height: media.height,
    alt: overrides.alt || media.alt,
    caption: overrides.caption || media.caption,
    credit: overrides.credit || media.credit,
    srcset,
    mime: media.mime,
  };
}
