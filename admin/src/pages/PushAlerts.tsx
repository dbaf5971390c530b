/**
 * Push alerts, newest first (docs/push.md): status, topic, when, and per
 * alert how many devices it was sent to, how many failed and how many readers
 * opened it. A scheduled alert can be cancelled. Alerts still going out are
 * refreshed every few seconds.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading, StatusMessage } from '../components/Feedback';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { useSite } from '../site';
import { PUSH_STATUS_LABEL, type PushAlert, type PushTopic } from '../push/types';
import '../list/list.css';
import '../manage/manage.css';

const REFRESH_MS = 5000;

export default function PushAlerts() {
  useTitle('Push alerts');
  const site = useSite();
  const alerts = useApi<{ items: PushAlert[] }>('/push/alerts');
  const topics = useApi<{ items: PushTopic[] }>('/push/topics');
  const [cancelling, setCancelling] = useState<PushAlert>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');
  const label = (topic: string) => topics.data?.items.find((t) => t.topic === topic)?.label ?? topic;

  const anyActive = alerts.data?.items.some((a) => a.status === 'sending' || a.status === 'scheduled') ?? false;
  const { reload } = alerts;
  useEffect(() => {
    if (!anyActive) return;
    const timer = window.setTimeout(reload, REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [anyActive, reload, alerts.data]);

  const cancel = async (alert: PushAlert) => {
    setCancelling(undefined);
    setError(undefined);
    try {
      await api.post<PushAlert>(`/push/alerts/${alert.id}/cancel`, {});
      setDone(`“${alert.title}” was cancelled.`);
      reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="manage">
      <h1>Push alerts</h1>
      <p className="hint">
        Alerts are written from an article’s editor. Readers sign up on the site’s <a href={`${site.publicUrl}/alerts`}>alerts page</a>.
      </p>
      {topics.data ? (
        <p>
          Subscribed devices:{' '}
          {topics.data.items
            .filter((t) => t.subscribers > 0)
            .map((t) => `${t.label} ${t.subscribers.toLocaleString('en')}`)
            .join(' · ') || 'none yet'}
        </p>
      ) : null}
      <ErrorMessage error={alerts.error ?? error} />
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {alerts.loading && !alerts.data ? <Loading what="Loading the alerts" /> : null}
      {alerts.data && alerts.data.items.length === 0 ? <p>No alert has been sent yet.</p> : null}
      {alerts.data && alerts.data.items.length ? (
        <div className="table-wrap">
          <table className="data push-alerts">
            <caption className="visually-hidden">Push alerts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Topic</th>
                <th scope="col">Status</th>
                <th scope="col">Send time</th>
                <th scope="col" className="num">Devices</th>
                <th scope="col" className="num">Sent</th>
                <th scope="col" className="num">Failed</th>
                <th scope="col" className="num">Opened</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.articleId ? <Link to={`/articles/${a.articleId}`}>{a.title}</Link> : a.title}
                    {a.body ? <span className="sub">{a.body}</span> : null}
                  </th>
                  <td>{label(a.topic)}</td>
                  <td>
                    <span className={`badge badge-${a.status}`}>{PUSH_STATUS_LABEL[a.status]}</span>
                    {a.counts.waiting > 0 && a.status === 'sending' ? <span className="sub">{a.counts.waiting} waiting to retry</span> : null}
                  </td>
                  <td>{formatDateTime(a.sendAt, site.timeZone)}</td>
                  <td className="num">{a.recipients}</td>
                  <td className="num">{a.counts.sent}</td>
                  <td className="num" title={`${a.counts.removed} unsubscribed devices removed; ${a.counts.unknown} not known (interrupted)`}>
                    {a.counts.failed}
                  </td>
                  <td className="num">{a.counts.clicked}</td>
                  <td>
                    {a.status === 'scheduled' ? (
                      <button type="button" onClick={() => setCancelling(a)}>
                        Cancel<span className="visually-hidden"> “{a.title}”</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={Boolean(cancelling)}
        title="Cancel this alert?"
        message={<p>“{cancelling?.title}” will not be sent.</p>}
        confirmLabel="Cancel the alert"
        danger
        onConfirm={() => cancelling && void cancel(cancelling)}
        onCancel={() => setCancelling(undefined)}
      />
    </div>
  );
}
