/**
 * Subscribers: every reader who signed up, newest first. Search by address or
 * name, narrow to a newsletter and a status (all in the address, so reload,
 * Back and shared links keep them), counts per status, pages. Each reader
 * opens their record (pages/Subscriber.tsx).
 */
import { useCallback, useEffect, useMemo } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { API, query } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { Pagination } from '../list/Pagination';
import { StatusArea, useStatus } from '../manage/Status';
import { STATUS_NAMES, STATUS_SHORT } from '../newsletters/labels';
import { SubscriberFilters } from '../newsletters/SubscriberFilters';
import { readSubscriberQuery, subscriberListPath, SUBSCRIBERS_PAGE_SIZE, writeSubscriberQuery, type SubscriberQuery } from '../newsletters/subscriberQuery';
import { useSession } from '../session';
import { useSite } from '../site';
import { SUBSCRIPTION_STATUSES, type Newsletter, type SubscriberPage } from '../types';
import '../list/list.css';
import '../manage/manage.css';
import '../newsletters/newsletters.css';

/** What the reader's record page hands back after deleting someone (shown here as the outcome). */
export interface SubscribersLocationState {
  deleted?: string;
}

export default function Subscribers() {
  useTitle('Subscribers');
  const { timeZone } = useSite();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const current = useMemo(() => readSubscriberQuery(params), [params]);
  const list = useApi<SubscriberPage>(subscriberListPath(current));
  const newsletters = useApi<{ items: Newsletter[] }>('/newsletters');
  const status = useStatus();
  const names = useMemo(() => new Map((newsletters.data?.items ?? []).map((n) => [n.id, n.name])), [newsletters.data]);

  // Arriving from a deleted reader's record: say what happened, once (a reload should not say it again).
  const deleted = (location.state as SubscribersLocationState | null)?.deleted;
  const showStatus = status.show;
  useEffect(() => {
    if (!deleted) return;
    showStatus(`Deleted ${deleted} and everything kept about them.`);
    navigate({ search: location.search }, { replace: true, state: null });
  }, [deleted, location.search, navigate, showStatus]);

  const change = useCallback(
    (changes: Partial<SubscriberQuery>, options?: { replace?: boolean }) => {
      // Any change but the page itself starts again at page 1.
      setParams(writeSubscriberQuery({ ...readSubscriberQuery(params), page: 1, ...changes }), { replace: options?.replace });
    },
    [params, setParams],
  );

  const data = list.data;
  const items = data?.items ?? [];
  const filtered = Boolean(current.q || current.newsletterId || current.status);
  const lastPage = data ? Math.max(1, Math.ceil(data.total / SUBSCRIBERS_PAGE_SIZE)) : 1;
  const tab = (value: SubscriberQuery['status']) => ({ search: `?${writeSubscriberQuery({ ...current, status: value, page: 1 }).toString()}` });

  return (
    <div className="manage">
      <h1>Subscribers</h1>
      <p className="hint">
        Readers who signed up to a newsletter, newest first. <Link to="/newsletters">Manage the newsletters</Link>.
      </p>
      <StatusArea status={status} />
      {can('newsletter.manage') ? (
        <p className="export">
          <Link className="button" to="/subscribers/import">
            Import CSV
          </Link>{' '}
          {/* A plain link: the browser downloads the file itself (the server names it and streams it). */}
          <a className="button" href={`${API}/subscribers/export.csv${query({ newsletter: current.newsletterId, status: current.status })}`} download>
            Export CSV
          </a>{' '}
          <span className="hint">
            {current.newsletterId || current.status ? 'The readers of the chosen newsletter and status' : 'Every reader'}
            {current.q ? ', whatever the search' : ''}.
          </span>
        </p>
      ) : null}
      <SubscriberFilters current={current} newsletters={newsletters.data?.items ?? []} onChange={change} />
      <nav className="tabs" aria-label="Subscription status">
        <ul>
          <li>
            <Link to={tab('')} aria-current={current.status === '' ? 'page' : undefined}>
              All readers
            </Link>
          </li>
          {SUBSCRIPTION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={tab(s)} aria-current={current.status === s ? 'page' : undefined} title={STATUS_NAMES[s]}>
                {STATUS_SHORT[s]}
                {data ? (
                  <>
                    {' '}
                    <span className="count">{data.counts[s]}</span>
                  </>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="hint counts-note">Counts are subscriptions{current.newsletterId ? ' to this newsletter' : ': a reader of two newsletters counts in each'}.</p>
      {/* Typing a search changes the list without moving focus: say how many were found. */}
      <p className="visually-hidden" role="status">
        {data && filtered && !list.loading ? `${data.total} reader${data.total === 1 ? '' : 's'} found` : ''}
      </p>
      <ErrorMessage error={list.error ?? newsletters.error} />
      {!data && list.loading ? <Loading what="Loading subscribers" /> : null}
      {data && items.length === 0 ? (
        <div className="empty">
          {current.page > lastPage && data.total > 0 ? (
            <p>
              There is no page {current.page}.{' '}
              <button type="button" className="link" onClick={() => change({ page: lastPage })}>
                Go to the last page
              </button>
            </p>
          ) : filtered ? (
            <p>No readers match.</p>
          ) : (
            <p>Nobody has signed up yet.</p>
          )}
        </div>
      ) : null}
      {items.length ? (
        <div className={`table-wrap${list.loading ? ' loading-overlay' : ''}`}>
          <table className="data subscribers" aria-busy={list.loading || undefined}>
            <caption className="visually-hidden">Subscribers</caption>
            <thead>
              <tr>
                <th scope="col">Reader</th>
                <th scope="col">Newsletters</th>
                <th scope="col">Signed up</th>
              </tr>
            </thead>
            <tbody>
              {items.map((reader) => (
                <tr key={reader.id}>
                  <th scope="row">
                    <Link to={`/subscribers/${reader.id}`} state={{ back: location.search }}>
                      {reader.email}
                    </Link>
                    {reader.name ? <span className="sub">{reader.name}</span> : null}
                  </th>
                  <td>
                    <ul className="plain">
                      {reader.subscriptions.map((s) => (
                        <li key={s.newsletterId}>
                          {names.get(s.newsletterId) ?? `Newsletter ${s.newsletterId}`}: <span className={`badge badge-${s.status}`}>{STATUS_NAMES[s.status]}</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{formatDateTime(reader.createdAt, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? <Pagination page={current.page} pageSize={SUBSCRIBERS_PAGE_SIZE} total={data.total} noun="readers" onPage={(page) => change({ page })} /> : null}
    </div>
  );
}
