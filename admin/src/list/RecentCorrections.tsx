/**
 * The dashboard's latest corrections, clarifications and updates (GET /corrections?limit=10).
 * A server without that route (404) or a role that may not list them (403) simply shows no box.
 */
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime, formatRelative } from '../format';
import { useApi } from '../hooks';
import { useSite } from '../site';

interface RecentCorrection {
  id: number;
  articleId: number;
  headline: string;
  kind: 'correction' | 'clarification' | 'update';
  text: string;
  createdAt: string;
}

const KIND_NAMES: Record<RecentCorrection['kind'], string> = { correction: 'Correction', clarification: 'Clarification', update: 'Update' };

export function RecentCorrections() {
  const { timeZone } = useSite();
  const list = useApi<{ items: RecentCorrection[] }>('/corrections?limit=10');
  if (list.error && (list.error.status === 404 || list.error.status === 403)) return null;
  const items = list.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="dash-corrections">
      <h2 id="dash-corrections">
        Recent corrections
        {list.data ? ' ' : null}
        {list.data ? <span className="count">{items.length}</span> : null}
      </h2>
      <ErrorMessage error={list.error} />
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && !items.length ? <p className="hint">No corrections, clarifications or updates yet.</p> : null}
      {items.length ? (
        <ul className="story-list">
          {items.map((c) => (
            <li key={c.id}>
              <Link to={`/articles/${c.articleId}`}>{c.headline || 'Untitled'}</Link>
              <span className="meta">
                {KIND_NAMES[c.kind] ?? c.kind},{' '}
                <time dateTime={c.createdAt} title={formatDateTime(c.createdAt, timeZone)}>
                  {formatRelative(c.createdAt)}
                </time>
                : {c.text.length > 140 ? `${c.text.slice(0, 140)}…` : c.text}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
