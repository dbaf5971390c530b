/** One box on the dashboard: a heading with a count, a short list of articles, and a link to the full list. */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading } from '../components/Feedback';
import type { Loaded } from '../hooks';
import type { ArticleList, ArticleListItem } from '../types';

export function DashboardPanel({
  title,
  list,
  allLink,
  allText,
  empty,
  limit = 5,
  order,
  meta,
}: {
  title: string;
  list: Loaded<ArticleList>;
  /** Where the full list is (the article list with the same filter). */
  allLink: string;
  allText: string;
  empty: string;
  limit?: number;
  /** Reorders the fetched items before the first `limit` are shown (when the API cannot sort that way). */
  order?(items: ArticleListItem[]): ArticleListItem[];
  meta(item: ArticleListItem): ReactNode;
}) {
  const headingId = `dash-${title.toLowerCase().replace(/\W+/g, '-')}`;
  const items = list.data ? (order ? order(list.data.items) : list.data.items).slice(0, limit) : [];
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title}
        {list.data ? ' ' : null}
        {list.data ? <span className="count">{list.data.total}</span> : null}
      </h2>
      <ErrorMessage error={list.error} />
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? <p className="hint">{empty}</p> : null}
      {items.length ? (
        <ul className="story-list">
          {items.map((item) => (
            <li key={item.id}>
              <Link to={`/articles/${item.id}`}>{item.headline || 'Untitled'}</Link>
              <span className="meta">{meta(item)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {list.data && list.data.total > 0 ? (
        <p>
          <Link to={allLink}>{allText}</Link>
        </p>
      ) : null}
    </section>
  );
}
