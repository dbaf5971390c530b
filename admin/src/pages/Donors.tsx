/**
 * Donors: people who gave, most recent gift first (read-only). Search by email
 * or name, narrow by the state of their recurring gift (all in the address),
 * the total they gave less refunds, pages.
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { API, query } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { Pagination } from '../list/Pagination';
import { NoAccess } from '../manage/NoAccess';
import { useSession } from '../session';
import { useSite } from '../site';
import { SetupNotice } from '../revenue/SetupNotice';
import { money, PAGE_SIZE, RECURRING_NAMES, type DonorPage, type RecurringStatus } from '../revenue/revenue';
import '../list/list.css';
import '../manage/manage.css';

export default function Donors() {
  const { can } = useSession();
  if (!can('revenue.manage')) return <NoAccess title="Donors" />;
  return <DonorsScreen />;
}

function DonorsScreen() {
  useTitle('Donors');
  const { timeZone } = useSite();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const recurring = (params.get('recurring') ?? '') as RecurringStatus | '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [typed, setTyped] = useState(q);
  const list = useApi<DonorPage>(`/donors${query({ q: q || undefined, recurring: recurring || undefined, page, pageSize: PAGE_SIZE })}`);
  const change = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries({ page: '', ...changes })) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    change({ q: typed.trim() });
  };
  const data = list.data;
  const filtered = Boolean(q || recurring);

  return (
    <div className="manage">
      <h1>Donors</h1>
      <p className="hint">
        Everyone who gave, most recent gift first. Totals are what they gave less refunds. <Link to="/donations">See every gift</Link>.
      </p>
      <SetupNotice />
      <form role="search" className="filters" onSubmit={onSearch} aria-label="Find donors">
        <label>
          Email or name <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} />
        </label>
        <button type="submit">Search</button>
        <label>
          Recurring gift{' '}
          <select value={recurring} onChange={(e) => change({ recurring: e.target.value })}>
            <option value="">Any donor</option>
            {(Object.keys(RECURRING_NAMES) as RecurringStatus[]).map((s) => (
              <option key={s} value={s}>
                {RECURRING_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p>
        <a className="button" href={`${API}/donors/export.csv${query({ q: q || undefined, recurring: recurring || undefined })}`} download>
          Download {filtered ? 'these donors' : 'all donors'} as CSV
        </a>
      </p>
      <ErrorMessage error={list.error} />
      {!data && list.loading ? <Loading what="Loading donors" /> : null}
      {data ? (
        <p role="status" className="totals">
          {data.total} donor{data.total === 1 ? '' : 's'}
          {filtered ? ' found' : ''}: {money(data.totalMinor, data.currency)} given in all.
        </p>
      ) : null}
      {data && data.items.length === 0 ? <p className="empty">{filtered ? 'No donors match.' : 'Nobody has given yet.'}</p> : null}
      {data && data.items.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Donors</caption>
            <thead>
              <tr>
                <th scope="col">Donor</th>
                <th scope="col">Total given</th>
                <th scope="col">Gifts</th>
                <th scope="col">Recurring gift</th>
                <th scope="col">First gift</th>
                <th scope="col">Last gift</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <Link to={`/donations?q=${encodeURIComponent(d.email)}`}>{d.email}</Link>
                    {d.name ? <span className="sub">{d.name}</span> : null}
                  </th>
                  <td>{money(d.totalMinor, data.currency)}</td>
                  <td>{d.giftCount}</td>
                  <td>{d.recurring ? RECURRING_NAMES[d.recurring] : '—'}</td>
                  <td>{d.firstGiftAt ? formatDateTime(d.firstGiftAt, timeZone) : '—'}</td>
                  <td>{d.lastGiftAt ? formatDateTime(d.lastGiftAt, timeZone) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} noun="donors" onPage={(p) => change({ page: String(p) })} /> : null}
    </div>
  );
}
