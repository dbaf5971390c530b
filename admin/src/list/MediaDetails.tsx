/**
 * One library image: a preview, its facts, its alt text / caption / credit
 * (editable by editors, and by the uploader for their own images) and the
 * articles that use it.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { TextArea, TextField } from '../components/Field';
import { ErrorMessage, Loading, StatusMessage } from '../components/Feedback';
import { formatBytes, formatDateTime } from '../format';
import { useApi } from '../hooks';
import { useSubmit } from '../forms/useSubmit';
import { useSession } from '../session';
import { useSite } from '../site';
import type { ArticleStatus, MediaItem } from '../types';
import { StatusBadge } from './StatusBadge';

interface Usage {
  id: number;
  slug: string;
  headline: string;
  status: ArticleStatus;
  published_at: string | null;
  as: ('lead' | 'body')[];
}

/** A browser-safe file about 960 pixels wide for the preview (the original can be large). */
function previewUrl(item: MediaItem): string {
  const usable = item.variants.filter((v) => ['jpeg', 'jpg', 'png'].includes(v.format)).sort((a, b) => a.width - b.width);
  return (usable.find((v) => v.width >= 960) ?? usable[usable.length - 1])?.url ?? item.url;
}

const USES: Record<'lead' | 'body', string> = { lead: 'lead image', body: 'in the text' };

function UsedIn({ id }: { id: number }) {
  const usage = useApi<{ articles: Usage[] }>(`/media/${id}/usage`);
  return (
    <section aria-labelledby="media-used-in">
      <h3 id="media-used-in">Used in</h3>
      <ErrorMessage error={usage.error} />
      {!usage.data && usage.loading ? <Loading /> : null}
      {usage.data && !usage.data.articles.length ? <p className="hint">No article uses this image.</p> : null}
      {usage.data?.articles.length ? (
        <ul className="story-list">
          {usage.data.articles.map((a) => (
            <li key={a.id}>
              <Link to={`/articles/${a.id}`}>{a.headline || 'Untitled'}</Link>
              <span className="meta">
                {a.as.map((use) => USES[use]).join(' and ')} · <StatusBadge status={a.status} />
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function TextForm({ item, onSaved }: { item: MediaItem; onSaved(item: MediaItem): void }) {
  const [alt, setAlt] = useState(item.alt);
  const [caption, setCaption] = useState(item.caption);
  const [credit, setCredit] = useState(item.credit);
  const { busy, error, run } = useSubmit();
  const [message, setMessage] = useState('');
  const changed = alt !== item.alt || caption !== item.caption || credit !== item.credit;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!changed) {
      setMessage('Nothing to save: no changes.');
      return;
    }
    setMessage('');
    await run(async () => {
      const answer = await api.patch<{ media: MediaItem }>(`/media/${item.id}`, { alt, caption, credit });
      onSaved(answer.media);
      setMessage('Saved. Pages that show this image are updated.');
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      {error && !error.fields.length ? <ErrorMessage error={error} /> : null}
      <TextArea
        label="Alt text"
        hint="What the image shows, for people who cannot see it. Articles can override it."
        value={alt}
        maxLength={1000}
        onChange={(e) => setAlt(e.target.value)}
        error={error?.field('/alt')}
      />
      <TextArea label="Caption" value={caption} maxLength={2000} onChange={(e) => setCaption(e.target.value)} error={error?.field('/caption')} />
      <TextField label="Credit" value={credit} maxLength={300} onChange={(e) => setCredit(e.target.value)} error={error?.field('/credit')} />
      {/* Not disabled while saving or unchanged: that would drop the keyboard user's focus after a save. */}
      <button type="submit" className="primary" aria-busy={busy || undefined}>
        {busy ? 'Saving…' : 'Save details'}
      </button>
      <StatusMessage>{message}</StatusMessage>
    </form>
  );
}

export function MediaDetails({ item, onSaved, onClose }: { item: MediaItem; onSaved(item: MediaItem): void; onClose(): void }) {
  const { user, can } = useSession();
  const { timeZone } = useSite();
  const mayEdit = can('media.edit', item.uploadedBy !== null && item.uploadedBy === user.id);
  return (
    <section className="panel media-details" aria-labelledby="media-details-title">
      <h2 id="media-details-title">{item.filename || `Image ${item.id}`}</h2>
      <img src={previewUrl(item)} alt={item.alt} width={item.width} height={item.height} />
      <dl>
        <dt>Size</dt>
        <dd>
          {item.width} × {item.height} pixels
        </dd>
        <dt>File</dt>
        <dd>{formatBytes(item.bytes)} as uploaded</dd>
        <dt>Uploaded</dt>
        <dd>{formatDateTime(item.createdAt, timeZone)}</dd>
        <dt>Address</dt>
        <dd>
          <a href={item.url} target="_blank" rel="noreferrer">
            Open the full image
          </a>
        </dd>
      </dl>
      {mayEdit ? (
        // Keyed by item so switching images never carries one image's unsaved text to another.
        <TextForm key={item.id} item={item} onSaved={onSaved} />
      ) : (
        <dl aria-describedby="media-readonly-hint">
          <dt>Alt text</dt>
          <dd>{item.alt || <em>None</em>}</dd>
          <dt>Caption</dt>
          <dd>{item.caption || <em>None</em>}</dd>
          <dt>Credit</dt>
          <dd>{item.credit || <em>None</em>}</dd>
          <dd className="hint" id="media-readonly-hint">
            Editors and the person who uploaded it can change these.
          </dd>
        </dl>
      )}
      <UsedIn id={item.id} />
      <div className="actions">
        <button type="button" onClick={onClose}>
          Close details
        </button>
      </div>
    </section>
  );
}
