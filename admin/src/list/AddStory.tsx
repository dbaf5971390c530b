/** "Add a story": search published articles by headline (the latest ones before anything is typed) and add one to a list (the ranking, a newsletter). */
import { useState } from 'react';
import { query } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { formatRelative } from '../format';
import { useApi, useDebounced } from '../hooks';
import type { ArticleList, ArticleListItem } from '../types';

export function AddStory({
  ranked,
  onAdd,
  full,
  listName = 'the top stories',
  inList = 'already ranked',
}: {
  ranked: ReadonlySet<number>;
  onAdd(item: ArticleListItem): void;
  full: boolean;
  /** What the stories are added to, for the buttons' names ("the top stories"). */
  listName?: string;
  /** How the messages say a story is in the list already ("already ranked"). */
  inList?: string;
}) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const found = useApi<ArticleList>(`/articles${query({ status: 'published', q, sort: 'published', direction: 'desc', pageSize: 10 })}`);
  const items = (found.data?.items ?? []).filter((i) => !ranked.has(i.id));
  return (
    <section className="panel" aria-labelledby="add-story">
      <h2 id="add-story">Add a story</h2>
      <TextField
        label="Search published articles"
        type="search"
        value={text}
        maxLength={200}
        hint={q ? undefined : 'The latest published articles are listed until you type.'}
        onChange={(e) => setText(e.target.value)}
      />
      <ErrorMessage error={found.error} />
      {!found.data && found.loading ? <Loading what="Searching" /> : null}
      {found.data && !items.length ? <p className="hint">{q ? `No published article that is not ${inList} matches.` : `Every recent article is ${inList}.`}</p> : null}
      {items.length ? (
        <ul className="add-results" aria-label="Published articles" aria-busy={found.loading || undefined}>
          {items.map((item) => (
            <li key={item.id}>
              <span>
                {item.headline || 'Untitled'}
                <span className="hint"> · published {formatRelative(item.publishedAt)}</span>
              </span>
              <button type="button" disabled={full} aria-label={`Add ${item.headline || 'Untitled'} to ${listName}`} onClick={() => onAdd(item)}>
                Add
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
