/**
 * Reader prompts: the campaigns with their kind, placement, status and dates,
 * links to edit each and to its performance. The server decides who may use
 * the screen (prompts.manage): without it, its refusal shows.
 */
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { kindName, placementName, type Prompt } from '../prompts/types';
import '../manage/manage.css';

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '');

export default function Prompts() {
  useTitle('Prompts');
  const list = useApi<{ items: Prompt[] }>('/prompts');
  const prompts = list.data?.items ?? [];
  return (
    <div className="manage">
      <h1>Prompts</h1>
      <p className="hint">Donation appeals, newsletter sign-ups, app and social prompts shown to readers on the site. The highest priority wins when several match a page.</p>
      <div className="actions head-actions">
        <Link className="button primary" to="/prompts/new">
          New prompt
        </Link>
      </div>
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading prompts" /> : null}
      {list.data && prompts.length === 0 ? <p>No prompts yet.</p> : null}
      {prompts.length > 0 ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Prompts, highest priority first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Placement</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Priority
                </th>
                <th scope="col">Runs</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {prompts.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/prompts/${p.id}`}>{p.name}</Link>
                    <span className="sub">
                      <code>{p.slug}</code>
                    </span>
                  </th>
                  <td>{kindName(p.kind)}</td>
                  <td>{placementName(p.placement)}</td>
                  <td>{p.status === 'active' ? 'Active' : 'Paused'}</td>
                  <td className="num">{p.priority}</td>
                  <td>{p.startsAt || p.endsAt ? `${day(p.startsAt) || 'now'} – ${day(p.endsAt) || 'open'}` : 'Always'}</td>
                  <td>
                    <Link to={`/prompts/${p.id}/stats`} aria-label={`Performance of ${p.name}`}>
                      Performance
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
