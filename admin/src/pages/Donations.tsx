/**
 * Donations: every gift Stripe reported, newest first (the webhook writes
 * them). Search by donor, narrow by frequency and status (all in the address),
 * totals over what is shown, pages; refund a gift (pending until Stripe
 * reports it done).
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { query } from '../api';
import { ErrorMessage, Loading, StatusMessage } from '../components/Feedback';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { Pagination } from '../list/Pagination';
import { NoAccess } from '../manage/NoAccess';
import { useSession } from '../session';
import { useSite } from '../site';
import { SetupNotice } from '../revenue/SetupNotice';
import { EmbedCodes } from '../revenue/EmbedCodes';
import { DonationsDashboard } from '../revenue/Dashboard';
import { RefundDialog } from '../revenue/RefundDialog';
import { FREQUENCY_NAMES, money, PAGE_SIZE, STATUS_NAMES, type Donation, type DonationPage, type DonationStatus, type Frequency } from '../revenue/revenue';
import '../list/list.css';
import '../manage/manage.css';

export default function Donations() {
  const { can } = useSession();
  if (!can('revenue.manage')) return <NoAccess title="Donations" />;
  return <DonationsScreen />;
}

function DonationsScreen() {
  useTitle('Donations');
  const { timeZone } = useSite();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const frequency = (params.get('frequency') ?? '') as Frequency | '';
  const status = (params.get('status') ?? '') as DonationStatus | '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [typed, setTyped] = useState(q);
  const [refunding, setRefunding] = useState<Donation | null>(null);
  const [notice, setNotice] = useState('');
  const list = useApi<DonationPage>(`/donations${query({ q: q || undefined, frequency: frequency || undefined, status: status || undefined, page, pageSize: PAGE_SIZE })}`);
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
  const filtered = Boolean(q || frequency || status);

  return (
    <div className="manage">
      <h1>Donations</h1>
      <p className="hint">
        Every gift, newest first, as Stripe reported it. <Link to="/donors">See the donors</Link>.
      </p>
      <SetupNotice />
      <EmbedCodes />
      <DonationsDashboard />
      <h2>Every gift</h2>
      <form role="search" className="filters" onSubmit={onSearch} aria-label="Find donations">
        <label>
          Donor’s email or name <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} />
        </label>
        <button type="submit">Search</button>
        <label>
          Frequency{' '}
          <select value={frequency} onChange={(e) => change({ frequency: e.target.value })}>
            <option value="">Any</option>
            {(Object.keys(FREQUENCY_NAMES) as Frequency[]).map((f) => (
              <option key={f} value={f}>
                {FREQUENCY_NAMES[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => change({ status: e.target.value })}>
            <option value="">Any</option>
            {(Object.keys(STATUS_NAMES) as DonationStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage error={list.error} />
      {!data && list.loading ? <Loading what="Loading donations" /> : null}
      {data ? (
        <p role="status" className="totals">
          {data.totals.count} gift{data.totals.count === 1 ? '' : 's'}
          {filtered ? ' found' : ''}: {money(data.totals.amountMinor, data.currency)} given
          {data.totals.refundedMinor ? `, ${money(data.totals.refundedMinor, data.currency)} refunded` : ''}.
        </p>
      ) : null}
      {data && data.items.length === 0 ? <p className="empty">{filtered ? 'No donations match.' : 'No donations yet.'}</p> : null}
      {data && data.items.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Donations</caption>
            <thead>
              <tr>
                <th scope="col">Donor</th>
                <th scope="col">Amount</th>
                <th scope="col">Frequency</th>
                <th scope="col">Status</th>
                <th scope="col">From</th>
                <th scope="col">Paid</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    {d.donor.email}
                    {d.donor.name ? <span className="sub">{d.donor.name}</span> : null}
                    {d.message ? <span className="sub">“{d.message}”</span> : null}
                  </th>
                  <td>
                    {money(d.amountMinor, d.currency)}
                    {d.feeCoveredMinor ? <span className="sub">{money(d.feeCoveredMinor, d.currency)} covers fees</span> : null}
                  </td>
                  <td>{FREQUENCY_NAMES[d.frequency]}</td>
                  <td>
                    {STATUS_NAMES[d.status]}
                    {d.status === 'partially_refunded' ? <span className="sub">{money(d.refundedMinor, d.currency)} refunded</span> : null}
                    {d.pendingRefundMinor ? <span className="sub">Refund of {money(d.pendingRefundMinor, d.currency)} pending</span> : null}
                    {d.refunds
                      .filter((r) => r.status === 'failed')
                      .map((r) => (
                        <span key={r.id} className="sub refund-failed">
                          Refund of {money(r.amountMinor, d.currency)} failed: {r.error}
                        </span>
                      ))}
                  </td>
                  <td>
                    {[d.articleId ? `Article ${d.articleId}` : '', d.campaign ? `Campaign ${d.campaign}` : '', d.utm.source ? `${d.utm.source}${d.utm.medium ? ` / ${d.utm.medium}` : ''}` : '']
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </td>
                  <td>{formatDateTime(d.paidAt, timeZone)}</td>
                  <td>
                    {d.refundableMinor > 0 ? (
                      <button type="button" onClick={() => setRefunding(d)} aria-label={`Refund the gift of ${money(d.amountMinor, d.currency)} from ${d.donor.email}`}>
                        Refund
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <StatusMessage>{notice}</StatusMessage>
      <RefundDialog
        donation={refunding}
        onClose={() => setRefunding(null)}
        onRefunded={(message) => {
          setRefunding(null);
          setNotice(message);
          list.reload();
        }}
      />
      {data ? <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} noun="donations" onPage={(p) => change({ page: String(p) })} /> : null}
    </div>
  );
}
