/** The lead image: chosen from the media library (or uploaded there), with its alt text, caption and credit for this article. */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { TextArea, TextField } from '../components/Field';
import { MediaPicker } from '../components/MediaPicker';
import { thumbnailUrl } from '../components/upload';
import type { ArticleFields, MediaItem } from '../types';

type ImageFields = Pick<ArticleFields, 'imageId' | 'imageAlt' | 'imageCaption' | 'imageCredit'>;

interface Props {
  value: ImageFields;
  onChange(patch: Partial<ImageFields>): void;
  disabled?: boolean;
  error(path: string): string | undefined;
  /** The chosen image's URL, for the social card preview. */
  onImageUrl?(url: string): void;
}

export function FeaturedImage({ value, onChange, disabled, error, onImageUrl }: Props) {
  const [open, setOpen] = useState(false);
  const [item, setItem] = useState<MediaItem | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (value.imageId === null) {
      setItem(null);
      return;
    }
    if (item?.id === value.imageId) return;
    let live = true;
    setMissing(false);
    api.get<{ media: MediaItem }>(`/media/${value.imageId}`).then(
      (found) => live && setItem(found.media),
      () => live && setMissing(true),
    );
    return () => {
      live = false;
    };
  }, [value.imageId, item?.id]);

  useEffect(() => {
    onImageUrl?.(item && value.imageId === item.id ? item.url : '');
  }, [item, value.imageId, onImageUrl]);

  const pick = (picked: MediaItem) => {
    setItem(picked);
    // The library's alt text, caption and credit are a good start; what the article already says wins.
    onChange({
      imageId: picked.id,
      imageAlt: value.imageAlt || picked.alt,
      imageCaption: value.imageCaption || picked.caption,
      imageCredit: value.imageCredit || picked.credit,
    });
  };

  return (
    <fieldset className="featured-image">
      <legend>Featured image</legend>
      {value.imageId === null ? (
        <p className="hint">No image.</p>
      ) : item && item.id === value.imageId ? (
        <img className="featured-thumb" src={thumbnailUrl(item)} alt={value.imageAlt || item.alt || ''} width={item.width} height={item.height} />
      ) : (
        <p className="hint">{missing ? 'This image is no longer in the media library.' : 'Loading the image…'}</p>
      )}
      {error('/imageId') ? (
        <p className="field-error" role="alert">
          {error('/imageId')}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => setOpen(true)} disabled={disabled}>
          {value.imageId === null ? 'Choose image' : 'Change image'}
        </button>
        {value.imageId !== null ? (
          <button type="button" disabled={disabled} onClick={() => onChange({ imageId: null })}>
            Remove image
          </button>
        ) : null}
      </div>
      {value.imageId !== null ? (
        <>
          <TextField
            label="Alt text"
            hint="What the image shows, for people who cannot see it."
            value={value.imageAlt}
            maxLength={500}
            disabled={disabled}
            error={error('/imageAlt')}
            onChange={(e) => onChange({ imageAlt: e.target.value })}
          />
          <TextArea label="Caption" value={value.imageCaption} maxLength={1000} rows={2} disabled={disabled} error={error('/imageCaption')} onChange={(e) => onChange({ imageCaption: e.target.value })} />
          <TextField label="Credit" value={value.imageCredit} maxLength={300} disabled={disabled} error={error('/imageCredit')} onChange={(e) => onChange({ imageCredit: e.target.value })} />
        </>
      ) : null}
      <MediaPicker open={open} onClose={() => setOpen(false)} onPick={pick} title="Choose the featured image" />
    </fieldset>
  );
}
