/**
 * Adding images to the library: a file input (several at once) and a drop area.
 * Files go up one after another (the server decodes at most two at a time anyway);
 * each failure shows the server's own reason next to the file's name.
 */
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { ApiError } from '../api';
import { StatusMessage } from '../components/Feedback';
import { ACCEPTED_IMAGE_TYPES, uploadImage } from '../components/upload';
import type { MediaItem } from '../types';

interface Failure {
  name: string;
  message: string;
}

export function MediaUploader({ onUploaded }: { onUploaded(items: MediaItem[]): void }) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [failures, setFailures] = useState<Failure[]>([]);
  const [message, setMessage] = useState('');

  // A file dropped just beside the drop area would make the browser open it in place of the admin.
  useEffect(() => {
    const guard = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  const upload = async (files: File[]) => {
    if (!files.length || busy) return;
    setFailures([]);
    setMessage('');
    const done: MediaItem[] = [];
    const failed: Failure[] = [];
    for (const [i, file] of files.entries()) {
      setBusy(files.length > 1 ? `Uploading ${file.name} (${i + 1} of ${files.length})…` : `Uploading ${file.name}…`);
      try {
        done.push(await uploadImage(file));
      } catch (e) {
        failed.push({ name: file.name || 'The pasted image', message: e instanceof ApiError ? e.message : String(e) });
      }
    }
    setBusy(null);
    setFailures(failed);
    if (input.current) input.current.value = '';
    if (done.length) {
      setMessage(done.length === 1 ? `Uploaded ${done[0]!.filename || 'the image'}.` : `Uploaded ${done.length} images.`);
      onUploaded(done);
    }
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void upload(Array.from(event.dataTransfer.files));
  };

  return (
    <section
      className={`dropzone ${over ? 'over' : ''}`}
      aria-labelledby={`${inputId}-title`}
      onDragOver={(event) => {
        // Only a drag carrying files is welcome here (not text or a link dragged from the page).
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={drop}
    >
      <h2 id={`${inputId}-title`} className="visually-hidden">
        Upload images
      </h2>
      <p>Drop images here, or</p>
      {/* Before its label so CSS can show the hidden input's keyboard focus on the label. */}
      <input
        ref={input}
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept={ACCEPTED_IMAGE_TYPES.join(',')}
        disabled={busy !== null}
        onChange={(event) => void upload(Array.from(event.target.files ?? []))}
      />
      <label htmlFor={inputId} className="button primary">
        Choose images to upload
      </label>
      <p className="hint">JPEG, PNG, WebP, AVIF or GIF. Location and camera details are removed from every image.</p>
      {failures.length ? (
        <div className="notice notice-error" role="alert">
          <p>{failures.length === 1 ? 'This file was not uploaded:' : 'These files were not uploaded:'}</p>
          <ul>
            {failures.map((f, i) => (
              <li key={i}>
                <strong>{f.name}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <StatusMessage>{busy ?? message}</StatusMessage>
    </section>
  );
}
