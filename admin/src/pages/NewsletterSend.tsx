/**
 * One newsletter send: live progress (polled every 2 seconds while it is
 * queued or sending), a progress bar and counts, pause / resume / cancel (after
 * a confirmation); the recipients that failed with the mail server's answer;
 * opens and clicks when tracking is on.
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { formatRelative } from '../format';
import { useTitle } from '../hooks';
import { plural } from '../list/labels';
import { StatusArea, useStatus } from '../manage/Status';
import type { Newsletter } from '../types';
import { isActive, SEND_STATUS_LABEL, type SendView } from '../newsletters/composeTypes';
import '../manage/manage.css';
import '../newsletters/newsletters.css';
import '../newsletters/compose.css';

const POLL_MS = 2000;

type Action = 'pause' | 'resume' | 'cancel';

function tally(send: SendView) {
  const c = send.counts;
  const n = (key: string) => c[key] ?? 0;
  return { sent: n('sent'), failed: n('failed'), skipped: n('skipped'), pending: n('pending') + n('sending') };
}

/** One sentence for the live status line: what is happening and what is left. */
function summary(send: SendView): string {
  const t = tally(send);
  const failed = t.failed ? `, ${t.failed} failed` : '';
  switch (send.status) {
    case 'queued':
      return `Queued: sending to ${plural(send.recipients, 'reader')} starts in a moment.`;
    case 'sending':
      return `Sending: ${t.sent} of ${send.recipients} sent${failed}, ${t.pending} to go.`;
    case 'paused':
      return `Paused: ${t.sent} of ${send.recipients} sent${failed}. ${t.pending} wait until you resume.`;
    case 'cancelled':
      return `Cancelled: ${t.sent} of ${send.recipients} sent${failed}; ${t.skipped} will not get it.`;
    case 'done':
      return `Done: ${t.sent} of ${send.recipients} sent${failed}.`;
  }
}

export default function NewsletterSend() {
  const sendId = Number(useParams().id);
  const [send, setSend] = useState<SendView>();
  const [loadError, setLoadError] = useState<unknown>();
  const [newsletter, setNewsletter] = useState<Newsletter>();
  const [tick, setTick] = useState(0);
  const [confirming, setConfirming] = useState<'cancel' | null>(null);
  const action = useSubmit<HTMLDivElement>();
  const status = useStatus();
  useTitle(send ? `Send: ${send.subject}` : 'Newsletter send');

  // Poll while the send moves on its own; stop once it is paused, cancelled or done.
  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    api.get<SendView>(`/newsletter-sends/${sendId}`, { signal: controller.signal }).then(
      (view) => {
        setSend(view);
        setLoadError(undefined);
        if (isActive(view.status)) timer = window.setTimeout(() => setTick((n) => n + 1), POLL_MS);
      },
      (e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setLoadError(e);
        // A lost connection during a send: keep trying, the progress is still wanted.
        if (e instanceof ApiError && e.isNetwork) timer = window.setTimeout(() => setTick((n) => n + 1), POLL_MS);
      },
    );
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [sendId, tick]);

  const newsletterId = send?.newsletterId;
  useEffect(() => {
    if (newsletterId === undefined) return;
    api.get<Newsletter>(`/newsletters/${newsletterId}`).then(setNewsletter, () => undefined);
  }, [newsletterId]);

  const act = async (what: Action) => {
    setConfirming(null);
    await action.run(async () => {
      const view = await api.post<SendView>(`/newsletter-sends/${sendId}/${what}`);
      setSend(view);
      status.show(
        {
          pause: 'Paused. Messages already handed to the mail server still arrive.',
          resume: 'Resumed: the send carries on with the readers not yet sent to.',
          cancel: 'Cancelled: nobody else gets this send.',
        }[what],
      );
      setTick((n) => n + 1);
    });
  };

  if (!send) {
    return (
      <div className="manage compose">
        <h1>Newsletter send</h1>
        <ErrorMessage error={loadError} />
        {!loadError ? <Loading what="Loading the send" /> : null}
      </div>
    );
  }

  const t = tally(send);
  const handled = t.sent + t.failed + t.skipped;
  const canPause = send.status === 'queued' || send.status === 'sending';
  const canResume = send.status === 'paused';
  const canCancel = canPause || canResume;
  const tracking = send.tracking ?? null;

  return (
    <div className="manage compose send">
      <p className="back">
        <Link to="/newsletters">Newsletters</Link>
        {' · '}
        <Link to={`/newsletters/${send.newsletterId}/sends`}>Sends of {newsletter?.name ?? 'this newsletter'}</Link>
      </p>
      <h1>
        Send: {send.subject} <span className={`badge badge-${send.status}`}>{SEND_STATUS_LABEL[send.status]}</span>
        {send.test ? <span className="badge"> Test</span> : null}
      </h1>
      <p className="hint">
        Started {formatRelative(send.createdAt)}
        {send.finishedAt ? `, finished ${formatRelative(send.finishedAt)}` : ''} · {plural(send.recipients, 'recipient')}
      </p>

      <section className="panel" aria-labelledby="send-progress">
        <h2 id="send-progress">Progress</h2>
        <div className="send-progress">
          <label htmlFor="send-progress-bar">
            {handled} of {send.recipients} handled
          </label>
          <progress id="send-progress-bar" max={Math.max(1, send.recipients)} value={send.recipients ? handled : 1} />
        </div>
        <p className="status" role="status" aria-live="polite">
          {summary(send)}
        </p>
        <dl className="send-counts">
          <div>
            <dt>Sent</dt>
            <dd>{t.sent}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{t.failed}</dd>
          </div>
          <div>
            <dt>Pending</dt>
            <dd>{t.pending}</dd>
          </div>
          <div>
            <dt>Skipped</dt>
            <dd>{t.skipped}</dd>
          </div>
        </dl>
        <div ref={action.ref}>
          <ErrorMessage error={action.error} />
        </div>
        <StatusArea status={status} />
        {canCancel ? (
          <div className="actions">
            {canPause ? (
              <button type="button" disabled={action.busy} onClick={() => void act('pause')}>
                Pause
              </button>
            ) : null}
            {canResume ? (
              <button type="button" className="primary" disabled={action.busy} onClick={() => void act('resume')}>
                Resume
              </button>
            ) : null}
            {canCancel ? (
              <button type="button" className="danger" disabled={action.busy} onClick={() => setConfirming('cancel')}>
                Cancel send…
              </button>
            ) : null}
          </div>
        ) : null}
      </section>

      {tracking ? (
        <section className="panel" aria-labelledby="send-tracking">
          <h2 id="send-tracking">Opens and clicks</h2>
          <dl className="send-counts">
            {tracking.trackOpens ? (
              <div>
                <dt>Opens</dt>
                <dd>{tracking.opens}</dd>
              </div>
            ) : null}
            {tracking.trackClicks ? (
              <div>
                <dt>Clicks</dt>
                <dd>{tracking.clicks}</dd>
              </div>
            ) : null}
          </dl>
          {tracking.links.length ? (
            <div className="table-wrap">
              <table className="data">
                <caption>Clicks per link</caption>
                <thead>
                  <tr>
                    <th scope="col">Link</th>
                    <th scope="col" className="num">
                      Clicks
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tracking.links.map((link) => (
                    <tr key={link.url}>
                      <td className="url">{link.url}</td>
                      <td className="num">{link.clicks}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="send-problems">
        <h2 id="send-problems">Problems</h2>
        {send.problems.length ? (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Recipients the send could not reach, with the mail server's answer</caption>
              <thead>
                <tr>
                  <th scope="col">Recipient</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Mail server's answer</th>
                </tr>
              </thead>
              <tbody>
                {send.problems.map((p) => (
                  <tr key={p.email}>
                    <th scope="row">{p.email}</th>
                    <td>{p.status === 'failed' ? 'Failed' : p.status}</td>
                    <td className="num">{p.attempts}</td>
                    <td>{p.error ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No failed recipients.</p>
        )}
      </section>

      <ConfirmDialog
        open={confirming === 'cancel'}
        title="Cancel this send?"
        message={<p>Readers who have not been sent it yet ({t.pending}) will not get it. The {t.sent} who have it keep it. A cancelled send cannot be resumed.</p>}
        confirmLabel="Cancel the send"
        danger
        onConfirm={() => void act('cancel')}
        onCancel={() => setConfirming(null)}
      />
    </div>
  );
}
