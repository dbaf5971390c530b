/**
 * Suppression list: addresses no newsletter is sent to (hard bounces,
 * complaints, repeated soft bounces, editors' additions), newest first.
 * Search by address and the reason tab live in the address, like the
 * Subscribers screen; an editor can add an address by hand and lift one.
 * docs/newsletters.md, "Bounces, complaints and suppression".
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, query } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { TextField } from '../components/Field';
import { useSubmit } from '../forms/useSubmit';
import { formatDateTime } from '../format';
import { useApi, useDebounced, useLatest, useTitle } from '../hooks';
import { Pagination } from '../list/Pagination';
import { StatusArea, useStatus } from '../manage/Status';
import { useSite } from '../site';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionPage, type SuppressionReason } from '../types';
import '../list/list.css';
import '../manage/manage.css';
import '../newsletters/newsletters.css';

const PAGE_SIZE = 50;

export const REASON_NAMES: Record<SuppressionReason, string> = {
  hard_bounce: 'Hard bounce',
  complaint: 'Marked as spam',
  soft_bounce: 'Soft bounces',
  manual: 'Added by hand',
};

interface ListQuery {
  q: string;
  reason: SuppressionReason | '';
  page: number;
}

function readQuery(params: URLSearchParams): ListQuery {
  const reason = params.get('reason') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    q: params.get('q') ?? '',
    reason: (SUPPRESSION_REASONS as string[]).includes(reason) ? (reason as SuppressionReason) : '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function writeQuery(q: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.q.trim()) params.set('q', q.q.trim());
  if (q.reason) params.set('reason', q.reason);
  if (q.page > 1) params.set('page', String(q.page));
  return params;
}

export default function Suppressions() {
  useTitle('Suppression list');
  const { timeZone } = useSite();
  const [params, setParams] = useSearchParams();
  const current = useMemo(() => readQuery(params), [params]);
  const list = useApi<SuppressionPage>(`/newsletter-suppressions${query({ q: current.q.trim(), reason: current.reason, page: current.page, pageSize: PAGE_SIZE })}`);
  const status = useStatus();
  const [lifting, setLifting] = useState<Suppression>();
  const lift = useSubmit<HTMLDivElement>();

  const change = useCallback(
    (changes: Partial<ListQuery>, options?: { replace?: boolean }) => setParams(writeQuery({ ...readQuery(params), page: 1, ...changes }), { replace: options?.replace }),
    [params, setParams],
  );

  // The search box: typing settles for 300 ms before the address (and the list) follow.
  const [text, setText] = useState(current.q);
  const debounced = useDebounced(text, 300);
  const latest = useLatest({ q: current.q, change });
  useEffect(() => {
    if (debounced.trim() !== latest.current.q.trim()) latest.current.change({ q: debounced }, { replace: true });
  }, [debounced, latest]);
  useEffect(() => {
    setText((shown) => (shown.trim() === current.q.trim() ? shown : current.q));
  }, [current.q]);

  const confirmLift = async () => {
    const row = lifting;
    if (!row) return;
    const ok = await lift.run(() => api.delete(`/newsletter-suppressions/${row.id}`));
    setLifting(undefined);
    if (ok) {
      status.show(`Lifted the suppression of ${row.email}. Newsletters reach them again once they subscribe again.`);
      list.reload();
    }
  };

  const data = list.data;
  const items = data?.items ?? [];
  const filtered = Boolean(current.q || current.reason);
  const tab = (reason: ListQuery['reason']) => ({ search: `?${writeQuery({ ...current, reason, page: 1 }).toString()}` });

  return (
    <div className="manage">
      <h1>Suppression list</h1>
      <p className="hint">
        No newsletter is sent to these addresses, whatever their subscriptions say: mailboxes that do not exist, readers who marked an issue as spam, mailboxes that
        refused several issues in a row, and addresses added by hand. A reader who signs up again and confirms from their mailbox is taken off the list.{' '}
        <Link to="/subscribers">Subscribers</Link>.
      </p>
      <StatusArea status={status} />
      <ErrorMessage error={lift.error} />
      <AddSuppression
        onAdded={(row) => {
          status.show(`Added ${row.email} to the suppression list.`);
          list.reload();
        }}
      />
      <div className="filters" role="search" aria-label="Find suppressed addresses">
        <TextField
          className="field-search"
          label="Search by address"
          type="search"
          value={text}
          maxLength={200}
          autoCapitalize="off"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') change({ q: text }, { replace: true });
          }}
        />
        {filtered ? (
          <button
            type="button"
            className="link clear-filters"
            onClick={() => {
              setText('');
              change({ q: '', reason: '' });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <nav className="tabs" aria-label="Reason">
        <ul>
          <li>
            <Link to={tab('')} aria-current={current.reason === '' ? 'page' : undefined}>
              All reasons
            </Link>
          </li>
          {SUPPRESSION_REASONS.map((r) => (
            <li key={r}>
              <Link to={tab(r)} aria-current={current.reason === r ? 'page' : undefined}>
                {REASON_NAMES[r]}
                {data ? (
                  <>
                    {' '}
                    <span className="count">{data.counts[r]}</span>
                  </>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="visually-hidden" role="status">
        {data && filtered && !list.loading ? `${data.total} address${data.total === 1 ? '' : 'es'} found` : ''}
      </p>
      <ErrorMessage error={list.error} />
      {!data && list.loading ? <Loading what="Loading the suppression list" /> : null}
      {data && items.length === 0 ? <div className="empty">{filtered ? <p>No suppressed address matches.</p> : <p>No address is suppressed.</p>}</div> : null}
      {items.length ? (
        <div className={`table-wrap${list.loading ? ' loading-overlay' : ''}`}>
          <table className="data suppressions" aria-busy={list.loading || undefined}>
            <caption className="visually-hidden">Suppressed addresses</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Reason</th>
                <th scope="col">Reported by</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((row) => (
                <tr key={row.id}>
                  <th scope="row">
                    {row.subscriberId ? <Link to={`/subscribers/${row.subscriberId}`}>{row.email}</Link> : row.email}
                    {row.detail ? <span className="sub">{row.detail}</span> : null}
                  </th>
                  <td>
                    <span className={`badge badge-${row.reason === 'complaint' ? 'complained' : 'bounced'}`}>{REASON_NAMES[row.reason]}</span>
                  </td>
                  <td>{sourceText(row.source)}</td>
                  <td>{formatDateTime(row.createdAt, timeZone)}</td>
                  <td>
                    <button type="button" onClick={() => setLifting(row)} aria-label={`Lift the suppression of ${row.email}`}>
                      Lift
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? <Pagination page={current.page} pageSize={PAGE_SIZE} total={data.total} noun="addresses" onPage={(page) => change({ page })} /> : null}
      <ConfirmDialog
        open={lifting !== undefined}
        title={`Lift the suppression of ${lifting?.email ?? ''}?`}
        message={
          <p>
            Newsletters may be sent to this address again. Their subscriptions stay {lifting?.reason === 'complaint' ? 'marked as spam' : 'bounced'} until they subscribe
            again.
          </p>
        }
        confirmLabel={lift.busy ? 'Lifting…' : 'Lift suppression'}
        onConfirm={() => void confirmLift()}
        onCancel={() => setLifting(undefined)}
      />
    </div>
  );
}

/** Who reported it, in words: the mail service, our own SMTP refusal, or the staff member. */
function sourceText(source: string): string {
  const names: Record<string, string> = { ses: 'Amazon SES', postmark: 'Postmark', mailgun: 'Mailgun', webhook: 'Webhook', smtp: 'Mail server refusal' };
  if (names[source]) return names[source]!;
  if (source.startsWith('admin:')) return source.slice('admin:'.length);
  return source;
}

/** Adding an address by hand (reason "Added by hand"): the server's field errors sit next to their field. */
function AddSuppression({ onAdded }: { onAdded(row: Suppression): void }) {
  const [email, setEmail] = useState('');
  const [detail, setDetail] = useState('');
  const submit = useSubmit();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    let added: Suppression | undefined;
    const ok = await submit.run(async () => {
      added = await api.post<Suppression>('/newsletter-suppressions', { email, ...(detail.trim() ? { detail: detail.trim() } : {}) });
    });
    if (ok && added) {
      setEmail('');
      setDetail('');
      onAdded(added);
    }
  };
  const fieldError = submit.error?.field('/email') ?? (submit.error?.status === 409 ? submit.error.message : undefined);
  return (
    <form ref={submit.ref} className="add-suppression" onSubmit={onSubmit} noValidate aria-label="Add an address">
      <h2>Add an address</h2>
      <ErrorMessage error={submit.error && !fieldError && !submit.error.field('/detail') ? submit.error : undefined} />
      <TextField label="Email address" type="email" autoComplete="off" autoCapitalize="off" spellCheck={false} required value={email} maxLength={320} onChange={(e) => setEmail(e.target.value)} error={fieldError} />
      <TextField label="Why (optional)" hint="Shown in the list, e.g. “asked by phone on 3 May”." value={detail} maxLength={500} onChange={(e) => setDetail(e.target.value)} error={submit.error?.field('/detail')} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Adding…' : 'Add to the suppression list'}
        </button>
      </div>
    </form>
  );
}
