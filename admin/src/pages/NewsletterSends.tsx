/**
 * A newsletter's sends, newest first, with their status and counts; each
 * opens its own screen (progress, pause, cancel, problems). Sends still going
 * out are refreshed every few seconds so the list does not go stale.
 */
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { query } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { formatRelative } from '../format';
import { useApi, useTitle } from '../hooks';
import { Pagination } from '../list/Pagination';
import type { Newsletter } from '../types';
import { isActive, SEND_STATUS_LABEL, type SendPage } from '../newsletters/composeTypes';
import '../list/list.css';
import '../manage/manage.css';
import '../newsletters/newsletters.css';
import '../newsletters/compose.css';

const PAGE_SIZE = 20;
const REFRESH_MS = 5000;

export default function NewsletterSends() {
  const newsletterId = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const newsletter = useApi<Newsletter>(`/newsletters/${newsletterId}`);
  const sends = useApi<SendPage>(`/newsletters/${newsletterId}/sends${query({ page: page > 1 ? page : undefined, pageSize: PAGE_SIZE })}`);
  const name = newsletter.data?.name;
  useTitle(name ? `Sends of ${name}` : 'Newsletter sends');

  const anyActive = sends.data?.items.some((s) => isActive(s.status)) ?? false;
  const { reload } = sends;
  useEffect(() => {
    if (!anyActive) return;
    const timer = window.setTimeout(reload, REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [anyActive, reload, sends.data]);

  return (
    <div className="manage compose">
      <p className="back">
        <Link to="/newsletters">Newsletters</Link>
      </p>
      <h1>{name ? `Sends of ${name}` : 'Newsletter sends'}</h1>
      <div className="actions head-actions">
        <Link className="button primary" to={`/newsletters/${newsletterId}/compose`}>
          Compose an issue
        </Link>
      </div>
      <ErrorMessage error={newsletter.error ?? sends.error} />
      {sends.loading && !sends.data ? <Loading what="Loading the sends" /> : null}
      {sends.data && sends.data.total === 0 ? <p>Nothing has been sent yet.</p> : null}
      {sends.data && sends.data.items.length ? (
        <>
          <div className="table-wrap">
            <table className="data sends">
              <caption className="visually-hidden">Sends of {name ?? 'the newsletter'}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">
                    Recipients
                  </th>
                  <th scope="col" className="num">
                    Sent
                  </th>
                  <th scope="col" className="num">
                    Failed
                  </th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {sends.data.items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link to={`/newsletter-sends/${s.id}`}>{s.subject}</Link>
                      {s.test ? <span className="sub">Test send</span> : null}
                    </th>
                    <td>
                      <span className={`badge badge-${s.status}`}>{SEND_STATUS_LABEL[s.status]}</span>
                    </td>
                    <td>{formatRelative(s.createdAt)}</td>
                    <td className="num">{s.recipients}</td>
                    <td className="num">{s.counts.sent ?? 0}</td>
                    <td className="num">{s.counts.failed ?? 0}</td>
                    <td>{s.finishedAt ? formatRelative(s.finishedAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={PAGE_SIZE} total={sends.data.total} noun="sends" onPage={(p) => setParams(p > 1 ? { page: String(p) } : {})} />
        </>
      ) : null}
    </div>
  );
}
