/** A library item as the attributes of a body image (the largest fallback file, the library's texts as a start). */
import type { MediaItem } from '../../types';
import type { ImageAttrs } from './BodyImage';

export function attrsFromMedia(item: MediaItem): ImageAttrs {
  return {
    src: item.url,
    alt: item.alt,
    width: item.width || null,
    height: item.height || null,
    caption: item.caption,
    credit: item.credit,
  };
}
