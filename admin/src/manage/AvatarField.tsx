/** An author's photo: the current one as a thumbnail, chosen from (or uploaded to) the media library, or removed. */
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { api } from '../api';
import { MediaPicker } from '../components/MediaPicker';
import { thumbnailUrl } from '../components/upload';
import type { MediaItem } from '../types';

export function AvatarField({ mediaId, authorName, onChange, error }: { mediaId: number | null; authorName: string; onChange(id: number | null): void; error?: string }) {
  const [item, setItem] = useState<MediaItem>();
  const [picking, setPicking] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);

  // Look up the current photo for its thumbnail (a freshly picked one is already known).
  useEffect(() => {
    if (mediaId === null || item?.id === mediaId) return;
    let live = true;
    setLoadFailed(false);
    api.get<{ media: MediaItem }>(`/media/${mediaId}`).then(
      (answer) => live && setItem(answer.media),
      () => live && setLoadFailed(true),
    );
    return () => {
      live = false;
    };
  }, [mediaId, item?.id]);

  const current = mediaId !== null && item?.id === mediaId ? item : undefined;
  return (
    <fieldset>
      <legend>Photo</legend>
      <div className="avatar-preview">
        {current ? <img src={thumbnailUrl(current)} alt="" /> : null}
        <p className="hint">
          {mediaId === null
            ? 'No photo set.'
            : current
              ? `Current photo: ${current.alt || current.filename || current.caption || `image ${current.id}`} (${current.width}×${current.height})`
              : loadFailed
                ? `Photo #${mediaId} (its preview could not be loaded).`
                : 'Loading the current photo…'}
        </p>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions" style={{ marginTop: 0, marginBottom: '0.75rem' }}>
        <button type="button" onClick={() => setPicking(true)}>
          {mediaId === null ? 'Choose a photo…' : 'Change photo…'}
        </button>
        {mediaId !== null ? (
          <button type="button" onClick={() => onChange(null)}>
            Remove photo
          </button>
        ) : null}
      </div>
      {/* Outside the author form in the DOM: Enter in the picker's search must not submit the form. */}
      {createPortal(
        <MediaPicker
        open={picking}
        title={authorName ? `Choose a photo of ${authorName}` : 'Choose a photo'}
        onClose={() => setPicking(false)}
        onPick={(picked) => {
          setItem(picked);
          onChange(picked.id);
        }}
        />,
        document.body,
      )}
    </fieldset>
  );
}
