/**
 * Related stories of the article (docs/related.md): the engine's picks in
 * order, which editors can pin, move, remove or replace (remove one, add
 * another), and the per-article switch for inline "READ:" links. Every change
 * is saved at once (PUT /articles/:id/related); pinned and removed stories
 * survive the engine's recomputation.
 */
import { useState, type FormEvent } from 'react';
import { api, query } from '../api';
import { useApi, useDebounced } from '../hooks';
import { ErrorMessage, Loading } from '../components/Feedback';
import { Checkbox, TextField } from '../components/Field';
import { useSubmit } from '../forms/useSubmit';
import type { ArticleList, ArticleRelated, RelatedPick } from '../types';

interface Props {
  articleId: number;
  /** The article is live: picks exist only for published articles. */
  published: boolean;
  /** May change the picks (the same permission as editing the article). */
  canEdit: boolean;
  /** How many picks readers see as inline links (site setting, default 2). */
  inlineCount?: number;
}

export function RelatedPanel({ articleId, published, canEdit, inlineCount = 2 }: Props) {
  const path = `/articles/${articleId}/related`;
  const loaded = useApi<ArticleRelated>(path);
  const { ref, busy, error, run } = useSubmit<HTMLDivElement>();
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const results = useApi<ArticleList>(canEdit && q ? `/articles${query({ q, status: 'published', pageSize: 8 })}` : null);

  const data = loaded.data;
  const save = (next: { picks?: { id: number; pinned: boolean }[]; removed?: number[]; inline?: boolean }, message: string) =>
    run(async () => {
      const answer = await api.put<ArticleRelated>(path, next);
      loaded.setData(answer);
      setStatus(message);
    });

  const entries = (picks: RelatedPick[]) => picks.map((p) => ({ id: p.id, pinned: p.pinned }));
  const move = (index: number, by: number) => {
    if (!data) return;
    const list = entries(data.picks);
    const [item] = list.splice(index, 1);
    list.splice(index + by, 0, { id: item!.id, pinned: true });
    void save({ picks: list }, `Moved and pinned “${data.picks[index]!.headline}”.`);
  };
  const togglePin = (index: number) => {
    if (!data) return;
    const list = entries(data.picks);
    list[index] = { ...list[index]!, pinned: !list[index]!.pinned };
    void save({ picks: list }, list[index]!.pinned ? 'Pinned.' : 'Unpinned: the engine may move or replace it.');
  };
  const remove = (pick: RelatedPick) => {
    if (!data) return;
    void save(
      { picks: entries(data.picks.filter((p) => p.id !== pick.id)), removed: [...data.removed.map((r) => r.id), pick.id] },
      `Removed “${pick.headline}”: it will not be picked again for this article.`,
    );
  };
  const restore = (pick: RelatedPick) => {
    if (!data) return;
    void save({ removed: data.removed.filter((r) => r.id !== pick.id).map((r) => r.id) }, `“${pick.headline}” may be picked again.`);
  };
  const add = (id: number, headline: string) => {
    if (!data) return;
    void save(
      { picks: [{ id, pinned: true }, ...entries(data.picks).filter((p) => p.id !== id)], removed: data.removed.map((r) => r.id).filter((r) => r !== id) },
      `Added “${headline}” first, pinned.`,
    );
    setSearch('');
  };

  return (
    <section className="panel related-panel" aria-labelledby="related-heading">
      <h2 id="related-heading">Related stories</h2>
      {loaded.loading && !data ? <Loading /> : null}
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      {data ? (
        <div ref={ref}>
          <Checkbox
            label="Show “READ:” links in this article"
            checked={data.inline}
            disabled={!canEdit || busy}
            onChange={(e) => void save({ inline: e.target.checked }, e.target.checked ? 'Inline links on.' : 'Inline links off for this article.')}
          />
          {!published ? <p className="hint">Stories are picked when the article is published; you can pin stories now.</p> : null}
          {data.picks.length ? (
            <ol className="related-picks">
              {data.picks.map((p, i) => (
                <li key={p.id}>
                  <span className="related-headline">
                    {p.headline}
                    {i < inlineCount && data.inline ? <span className="badge"> inline</span> : null}
                    {p.pinned ? <span className="badge"> pinned</span> : null}
                    {p.status !== 'published' ? <span className="badge"> {p.status}: not shown</span> : null}
                  </span>
                  {canEdit ? (
                    <span className="actions">
                      <button type="button" className="link" disabled={busy} aria-pressed={p.pinned} onClick={() => togglePin(i)}>
                        {p.pinned ? 'Unpin' : 'Pin'}
                        <span className="visually-hidden"> {p.headline}</span>
                      </button>
                      <button type="button" className="link" disabled={busy || i === 0} onClick={() => move(i, -1)}>
                        Up<span className="visually-hidden"> {p.headline}</span>
                      </button>
                      <button type="button" className="link" disabled={busy || i === data.picks.length - 1} onClick={() => move(i, 1)}>
                        Down<span className="visually-hidden"> {p.headline}</span>
                      </button>
                      <button type="button" className="link danger" disabled={busy} onClick={() => remove(p)}>
                        Remove<span className="visually-hidden"> {p.headline}</span>
                      </button>
                    </span>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="hint">No related stories yet.</p>
          )}
          {canEdit ? (
            <form onSubmit={(e: FormEvent) => e.preventDefault()}>
              <TextField label="Add a story" hint="Search published stories; an added story is pinned first. Moving a story pins it." value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
              {q && results.data ? (
                <ul className="related-results">
                  {results.data.items
                    .filter((item) => item.id !== articleId)
                    .map((item) => (
                      <li key={item.id}>
                        <button type="button" className="link" disabled={busy} onClick={() => add(item.id, item.headline)}>
                          Add “{item.headline}”
                        </button>
                      </li>
                    ))}
                  {!results.data.items.length ? <li className="hint">No published story matches.</li> : null}
                </ul>
              ) : null}
            </form>
          ) : null}
          {data.removed.length ? (
            <details>
              <summary>Removed ({data.removed.length})</summary>
              <ul>
                {data.removed.map((p) => (
                  <li key={p.id}>
                    {p.headline}{' '}
                    {canEdit ? (
                      <button type="button" className="link" disabled={busy} onClick={() => restore(p)}>
                        Allow again<span className="visually-hidden"> {p.headline}</span>
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {error ? <ErrorMessage error={error} /> : null}
          <p className="status" role="status">
            {status}
          </p>
        </div>
      ) : null}
    </section>
  );
}
