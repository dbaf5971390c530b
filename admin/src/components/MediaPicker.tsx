/**
 * Choosing an image from the media library, or adding one: search, a grid of
 * thumbnails with "Show more", and upload by file input, by dropping a file on
 * the dialog or by pasting one. A fresh upload is picked straight away.
 * Picking calls onPick(item) and then closes the dialog (onClose).
 */
import { useEffect, useId, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { api, ApiError, query } from '../api';
import { useDebounced } from '../hooks';
import type { MediaItem, MediaPage } from '../types';
import { Dialog, ErrorMessage, StatusMessage } from './Feedback';
import { ACCEPTED_IMAGE_TYPES, firstImageFile, thumbnailUrl, uploadImage } from './upload';
import '../editor/body/picker.css';

export interface MediaPickerProps {
  open: boolean;
  onClose(): void;
  onPick(item: MediaItem): void;
  /** The dialog's heading; "Choose an image" unless told. */
  title?: string;
}

const PER_PAGE = 24;

export function MediaPicker({ open, onClose, onPick, title = 'Choose an image' }: MediaPickerProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {/* Rendered only while open, so every opening starts fresh (empty search, first page). */}
      {open ? (
        <PickerBody
          onCancel={onClose}
          onPick={(item) => {
            onPick(item);
            onClose();
          }}
        />
      ) : null}
    </Dialog>
  );
}

function PickerBody({ onPick, onCancel }: { onPick(item: MediaItem): void; onCancel(): void }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [items, setItems] = useState<MediaItem[]>([]);
  const [total, setTotal] = useState(0);
  // The page belongs to one search: a new search starts again at page 1.
  const [shown, setShown] = useState({ q: '', page: 1 });
  const page = shown.q === q ? shown.page : 1;
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>();
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<unknown>();
  const [uploadAlt, setUploadAlt] = useState('');
  const [dragging, setDragging] = useState(false);
  const searchId = useId();
  const fileId = useId();
  const altId = useId();
  const fileInput = useRef<HTMLInputElement>(null);

  // "Show more" appends the next page; page 1 replaces what is shown.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<MediaPage>(`/media${query({ q, page, perPage: PER_PAGE })}`, { signal: controller.signal })
      .then((answer) => {
        setItems((before) => (page === 1 ? answer.items : [...before, ...answer.items.filter((i) => !before.some((b) => b.id === i.id))]));
        setTotal(answer.total);
        setLoadError(undefined);
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setLoadError(error);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [q, page]);

  async function upload(file: File) {
    if (uploading) return;
    setUploadError(undefined);
    if (!file.type.startsWith('image/')) {
      setUploadError(new Error(`“${file.name}” is not an image: choose a JPEG, PNG, WebP, AVIF or GIF file`));
      return;
    }
    setUploading(file.name || 'the pasted image');
    try {
      const item = await uploadImage(file, uploadAlt.trim() || undefined);
      onPick(item);
    } catch (error) {
      setUploadError(error instanceof ApiError || error instanceof Error ? error : new Error(String(error)));
      if (fileInput.current) fileInput.current.value = '';
    } finally {
      setUploading(null);
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void upload(file);
  }

  function onPaste(event: ClipboardEvent) {
    // Only image files are ours: pasted text still goes into the search or alt box.
    const file = firstImageFile(event.clipboardData.files);
    if (!file) return;
    event.preventDefault();
    void upload(file);
  }

  const searching = search.trim() !== q;
  return (
    <div
      className={`media-picker${dragging ? ' media-picker-dragging' : ''}`}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
      onPaste={onPaste}
    >
      <fieldset className="media-upload" disabled={uploading !== null}>
        <legend>Add a new image</legend>
        <p className="hint">Choose a file, drop one here or paste one (JPEG, PNG, WebP, AVIF or GIF).</p>
        <div className="media-upload-fields">
          <div className="field">
            <label htmlFor={altId}>Alt text for the new image (optional)</label>
            <input id={altId} value={uploadAlt} onChange={(e) => setUploadAlt(e.target.value)} maxLength={1000} />
          </div>
          <div className="field">
            <label htmlFor={fileId}>Image file</label>
            <input
              ref={fileInput}
              id={fileId}
              type="file"
              accept={ACCEPTED_IMAGE_TYPES.join(',')}
              aria-describedby={uploadError ? `${fileId}-error` : undefined}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void upload(file);
              }}
            />
          </div>
        </div>
        {uploadError ? (
          <div id={`${fileId}-error`}>
            <ErrorMessage error={uploadError} />
          </div>
        ) : null}
      </fieldset>
      <StatusMessage>{uploading ? `Uploading ${uploading}…` : ''}</StatusMessage>

      <div className="field">
        <label htmlFor={searchId}>Search the library</label>
        <input
          id={searchId}
          type="search"
          // Finding an existing image is the usual errand: start there. The attribute (not React's
          // autoFocus, which fires before the dialog opens) is what showModal() looks for.
          ref={(element) => element?.setAttribute('autofocus', '')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Alt text, caption, credit or file name"
          aria-describedby={`${searchId}-count`}
        />
        <p className="hint" id={`${searchId}-count`} aria-live="polite">
          {loading || searching ? 'Searching…' : total === 0 ? (q ? `No images match “${q}”.` : 'The library is empty.') : `${total} image${total === 1 ? '' : 's'}`}
        </p>
      </div>
      <ErrorMessage error={loadError} />

      {items.length ? (
        <ul className="media-grid" aria-label="Images">
          {items.map((item) => (
            <li key={item.id}>
              <button type="button" className="media-tile" onClick={() => onPick(item)} disabled={uploading !== null}>
                <img src={thumbnailUrl(item)} alt="" loading="lazy" width={item.width} height={item.height} />
                <span className="media-tile-alt">{item.alt || <em>No alt text</em>}</span>
                <span className="media-tile-meta">
                  {item.filename || `Image ${item.id}`} · {item.width}×{item.height}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <div className="actions">
        {items.length < total ? (
          <button type="button" onClick={() => setShown({ q, page: page + 1 })} disabled={loading}>
            {loading ? 'Loading…' : `Show more (${total - items.length} left)`}
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
