/** The library as a grid of thumbnails; choosing one shows its details beside the grid. */
import { thumbnailUrl } from '../components/upload';
import type { MediaItem } from '../types';

export function MediaGrid({ items, selectedId, onSelect }: { items: MediaItem[]; selectedId: number | undefined; onSelect(item: MediaItem): void }) {
  return (
    <ul className="library-grid" aria-label="Images">
      {items.map((item) => (
        <li key={item.id}>
          <button type="button" className="library-tile" aria-pressed={item.id === selectedId} onClick={() => onSelect(item)}>
            {/* The tile's text names the image, so the thumbnail itself is decoration. */}
            <img src={thumbnailUrl(item)} alt="" loading="lazy" width={160} height={112} />
            <span className="alt">{item.alt || <em>No alt text</em>}</span>
            <span className="file">
              {item.filename || `Image ${item.id}`} · {item.width}×{item.height}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
