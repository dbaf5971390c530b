/**
 * The donations dashboard, at the top of the Donations screen: what was
 * raised over a range of the site's dates (one-time and recurring, refunds
 * subtracted), who gives every month or year now, a chart per day, week or
 * month, and the articles and campaigns that raised the most.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { query } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi } from '../hooks';
import { money } from './revenue';
import { DashboardChart } from './DashboardChart';
import type { DashboardInterval, DashboardSummary } from './DashboardData';
import './Dashboard.css';

const INTERVAL_NAMES: Record<DashboardInterval, string> = { day: 'Day', week: 'Week', month: 'Month' };

export function DonationsDashboard() {
  const [shown, setShown] = useState<{ from?: string; to?: string; interval: DashboardInterval }>({ interval: 'day' });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [per, setPer] = useState<DashboardInterval>('day');
  const perId = useId();
  const summary = useApi<DashboardSummary>(`/donations/summary${query({ from: shown.from, to: shown.to, interval: shown.interval })}`);
  const data = summary.data;
  // The server picks the default range: show it in the date fields once known.
  useEffect(() => {
    if (!data) return;
    setFrom((f) => f || data.from);
    setTo((t) => t || data.to);
  }, [data]);
  const onShow = (event: FormEvent) => {
    event.preventDefault();
    setShown({ from: from || undefined, to: to || undefined, interval: per });
  };

  return (
    <section className="donations-dashboard" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">Dashboard</h2>
      <form className="filters" onSubmit={onShow} aria-label="Dashboard range">
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        {/* Its own label element: a select inside one would add the chosen option to its name. */}
        <label htmlFor={perId}>Per</label>{' '}
        <select id={perId} value={per} onChange={(e) => setPer(e.target.value as DashboardInterval)}>
          {(Object.keys(INTERVAL_NAMES) as DashboardInterval[]).map((i) => (
            <option key={i} value={i}>
              {INTERVAL_NAMES[i]}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      <ErrorMessage error={summary.error} />
      {!data && summary.loading ? <Loading what="Loading the dashboard" /> : null}
      {data ? <SummaryView data={data} /> : null}
    </section>
  );
}

function SummaryView({ data }: { data: DashboardSummary }) {
  const m = (minor: number) => money(minor, data.currency);
  const { totals, recurring } = data;
  const range = `${data.from} to ${data.to}`;
  return (
    <>
      <p className="hint">
        {range}, in the site’s time zone ({data.timeZone}). Refunds are taken from the gift they return.
      </p>
      <ul className="dashboard-cards" aria-label="Totals">
        <li>
          <span className="card-label">Raised</span> <span className="card-value">{m(totals.raisedMinor)}</span>
          <span className="sub">
            {totals.count} gift{totals.count === 1 ? '' : 's'}
          </span>
        </li>
        <li>
          <span className="card-label">One-time</span> <span className="card-value">{m(totals.oneTimeMinor)}</span>
        </li>
        <li>
          <span className="card-label">Recurring</span> <span className="card-value">{m(totals.recurringMinor)}</span>
        </li>
        <li>
          <span className="card-label">Refunded</span> <span className="card-value">{m(totals.refundedMinor)}</span>
        </li>
        <li>
          <span className="card-label">Monthly recurring revenue</span> <span className="card-value">{m(recurring.monthlyRevenueMinor)}</span>
          <span className="sub">now; yearly gifts count a twelfth</span>
        </li>
        <li>
          <span className="card-label">Active recurring donors</span> <span className="card-value">{recurring.activeDonors}</span>
          <span className="sub">now</span>
        </li>
      </ul>
      <h3>Raised per {data.interval}</h3>
      <DashboardChart periods={data.periods} currency={data.currency} label={`Money raised per ${data.interval}, ${range}`} />
      <div className="dashboard-tops">
        <div>
          <h3>Top articles</h3>
          {data.topArticles.length === 0 ? (
            <p className="empty">No gifts from articles in this range.</p>
          ) : (
            <table className="data">
              <caption className="visually-hidden">Articles by money raised, {range}</caption>
              <thead>
                <tr>
                  <th scope="col">Article</th>
                  <th scope="col">Raised</th>
                  <th scope="col">Gifts</th>
                </tr>
              </thead>
              <tbody>
                {data.topArticles.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link to={`/articles/${a.id}`}>{a.headline}</Link>
                    </th>
                    <td>{m(a.raisedMinor)}</td>
                    <td>{a.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>Top campaigns</h3>
          {data.topCampaigns.length === 0 ? (
            <p className="empty">No gifts from campaigns in this range.</p>
          ) : (
            <table className="data">
              <caption className="visually-hidden">Campaigns by money raised, {range}</caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Raised</th>
                  <th scope="col">Gifts</th>
                </tr>
              </thead>
              <tbody>
                {data.topCampaigns.map((c) => (
                  <tr key={c.campaign}>
                    <th scope="row">{c.campaign}</th>
                    <td>{m(c.raisedMinor)}</td>
                    <td>{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </>
  );
}
