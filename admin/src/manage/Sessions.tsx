/** Where you are signed in, and "sign out everywhere" (this device included: you land on the sign-in page). */
import { useState } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime, formatRelative } from '../format';
import type { Loaded } from '../hooks';
import { describeDevice } from './device';
import { useSubmit } from '../forms/useSubmit';

export interface SessionRow {
  id: number;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string;
  userAgent: string;
}

export function Sessions({ list, timeZone }: { list: Loaded<{ sessions: SessionRow[] }>; timeZone: string }) {
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit<HTMLDivElement>();
  const sessions = list.data?.sessions ?? [];

  const everywhere = async () => {
    setConfirming(false);
    const ok = await submit.run(() => api.delete('/sessions'));
    // This session ended too: start again at the sign-in page.
    if (ok) window.location.assign('/admin/');
  };

  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <div ref={submit.ref}>
        <ErrorMessage error={list.error ?? submit.error} />
        {list.loading && !list.data ? <Loading what="Loading your sessions" /> : null}
        {sessions.length > 0 ? (
          <table className="data">
            <caption className="visually-hidden">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row" title={s.userAgent}>
                    {describeDevice(s.userAgent)} {s.current ? <span className="badge badge-published">This device</span> : null}
                  </th>
                  <td>{s.ip}</td>
                  <td>{formatDateTime(s.createdAt, timeZone)}</td>
                  <td>
                    <span title={formatDateTime(s.lastSeenAt, timeZone)}>{formatRelative(s.lastSeenAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <div className="actions">
          <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={submit.busy}>
            Sign out everywhere
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere?"
        message={<p>Every session ends, on every device, this one included. You will need to sign in again here.</p>}
        confirmLabel="Sign out everywhere"
        danger
        onConfirm={() => void everywhere()}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}
