/**
 * The media library: upload (file input or drop), search, pages of thumbnails,
 * and the chosen image's details (alt text, caption, credit, where it is used).
 * The search and page live in the address, like the article list.
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { query } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useDebounced, useLatest, useTitle } from '../hooks';
import type { MediaItem, MediaPage } from '../types';
import { MediaDetails } from '../list/MediaDetails';
import { MediaGrid } from '../list/MediaGrid';
import { MediaUploader } from '../list/MediaUploader';
import { Pagination } from '../list/Pagination';
import '../list/list.css';

const PER_PAGE = 24;

export default function Media() {
  useTitle('Media library');
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').slice(0, 200);
  const page = Math.max(1, Number(/^\d+$/.test(params.get('page') ?? '') ? params.get('page') : 1));
  const list = useApi<MediaPage>(`/media${query({ q: q.trim(), page, perPage: PER_PAGE })}`);
  const [selected, setSelected] = useState<MediaItem>();
  const [text, setText] = useState(q);
  const debounced = useDebounced(text, 300);

  const go = (next: { q?: string; page?: number }, replace = false) => {
    const out = new URLSearchParams();
    const nq = (next.q ?? q).trim();
    if (nq) out.set('q', nq);
    if ((next.page ?? 1) > 1) out.set('page', String(next.page));
    setParams(out, { replace });
  };

  // Typing settled: search (a new search starts at page 1). Only a settled search moves the address,
  // so Back to an older search is not undone by the box's previous text.
  const latest = useLatest({ q, go });
  useEffect(() => {
    if (debounced.trim() !== latest.current.q.trim()) latest.current.go({ q: debounced }, true);
  }, [debounced, latest]);
  // Back/forward changed the search: show it.
  useEffect(() => setText((shown) => (shown.trim() === q.trim() ? shown : q)), [q]);

  const replaceItem = (item: MediaItem) => {
    setSelected(item);
    if (list.data) list.setData({ ...list.data, items: list.data.items.map((i) => (i.id === item.id ? item : i)) });
  };

  const uploaded = (items: MediaItem[]) => {
    // Newest first: the uploads lead page 1 of the unfiltered library.
    setSelected(items[items.length - 1]);
    setText('');
    if (q || page > 1) go({ q: '', page: 1 });
    else list.reload();
  };

  const items = list.data?.items ?? [];
  return (
    <>
      <h1>Media library</h1>
      <MediaUploader onUploaded={uploaded} />
      <div className="media-layout">
        <section aria-labelledby="library-title">
          <h2 id="library-title" className="visually-hidden">
            Images in the library
          </h2>
          <div className="filters" role="search" aria-label="Search the library">
            <TextField
              className="field-search"
              label="Search images"
              hint="Words in the alt text, caption, credit or file name."
              type="search"
              value={text}
              maxLength={200}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <ErrorMessage error={list.error} />
          {!list.data && list.loading ? <Loading what="Loading images" /> : null}
          {list.data && !items.length ? (
            <p className="empty">{q ? 'No images match this search.' : page > 1 ? 'There are no images on this page.' : 'The library is empty: upload the first image above.'}</p>
          ) : null}
          {items.length ? <MediaGrid items={items} selectedId={selected?.id} onSelect={setSelected} /> : null}
          {list.data ? <Pagination page={page} pageSize={PER_PAGE} total={list.data.total} noun="images" onPage={(n) => go({ page: n })} /> : null}
        </section>
        {selected ? (
          <MediaDetails key={selected.id} item={selected} onSaved={replaceItem} onClose={() => setSelected(undefined)} />
        ) : (
          <p className="panel hint">Choose an image to see its details and where it is used.</p>
        )}
      </div>
    </>
  );
}
