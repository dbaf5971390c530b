/**
 * The editor's Social panel (docs/social.md): whether this story is posted to
 * the newsroom's social accounts, custom text per network, and each post's
 * status: queued, posted (with its link), failed (with the network's own
 * message and a Retry button) or skipped. While a post is on its way the panel
 * checks again every few seconds.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { Checkbox, TextArea } from '../components/Field';
import { useSubmit } from '../forms/useSubmit';
import { formatDateTime } from '../format';
import { useApi } from '../hooks';
import { STATUS_LABELS } from './fields';
import type { ArticleSocial, NetworkId } from './types';
import './social.css';

interface Props {
  articleId: number;
  published: boolean;
  canEdit: boolean;
  canPost: boolean;
  timeZone: string;
}

const REFRESH_MS = 4000;

export function SocialPanel({ articleId, published, canEdit, canPost, timeZone }: Props) {
  const path = `/articles/${articleId}/social`;
  const loaded = useApi<ArticleSocial>(path);
  const { ref, busy, error, run } = useSubmit<HTMLFormElement>();
  const [texts, setTexts] = useState<Partial<Record<NetworkId, string>>>({});
  const [optOut, setOptOut] = useState(false);
  const [status, setStatus] = useState('');
  const [again, setAgain] = useState<NetworkId>();
  const data = loaded.data;

  useEffect(() => {
    if (!data) return;
    setTexts(data.options.texts);
    setOptOut(data.options.optOut);
  }, [data?.options]); // eslint-disable-line react-hooks/exhaustive-deps

  const pending = data?.posts.some((p) => p.status === 'queued' || p.status === 'posting') ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => loaded.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [pending, loaded.reload]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      loaded.setData(await api.put<ArticleSocial>(path, { optOut, texts }));
      setStatus(optOut ? 'Saved: this story will not be posted to social media.' : 'Social text saved.');
    });
  };

  const post = (network: NetworkId, label: string, repeat = false) =>
    void run(async () => {
      setAgain(undefined);
      loaded.setData(await api.post<ArticleSocial>(`${path}/${network}`, repeat ? { again: true } : {}));
      setStatus(`${label}: queued.`);
    });

  const connected = data?.networks.filter((n) => n.connected) ?? [];
  return (
    <section className="panel social-panel" aria-labelledby="social-heading">
      <h2 id="social-heading">Social</h2>
      {loaded.loading && !data ? <Loading /> : null}
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      {data && connected.length === 0 && data.posts.length === 0 ? (
        <p className="hint">No social accounts are connected. An admin connects them under Social accounts.</p>
      ) : null}
      {data && connected.length > 0 ? (
        <form ref={ref} onSubmit={save} noValidate>
          <ErrorMessage error={error} />
          <Checkbox
            label="Do not post this story to social media"
            checked={optOut}
            disabled={!canEdit || busy}
            onChange={(e) => setOptOut(e.target.checked)}
            hint={published ? 'Posts are made when a story is first published; this stops any still queued.' : 'Posts go out when the story is first published.'}
          />
          {!optOut
            ? connected.map((n) => (
                <TextArea
                  key={n.network}
                  label={`Text for ${n.label}`}
                  hint={`Leave empty to use the headline. At most ${n.maxText} characters; the link is added after it.`}
                  rows={2}
                  maxLength={n.maxText}
                  value={texts[n.network] ?? ''}
                  disabled={!canEdit || busy}
                  error={error?.field(`/texts/${n.network}`)}
                  onChange={(e) => setTexts((t) => ({ ...t, [n.network]: e.target.value }))}
                />
              ))
            : null}
          {canEdit ? (
            <button type="submit" disabled={busy}>
              Save social settings
            </button>
          ) : null}
        </form>
      ) : null}
      {data && (data.posts.length > 0 || (published && connected.length > 0)) ? (
        <>
          <h3>Posts</h3>
          <ul className="social-posts">
            {data.networks
              .filter((n) => n.connected || data.posts.some((p) => p.network === n.network))
              .map((n) => {
                const p = data.posts.find((x) => x.network === n.network);
                return (
                  <li key={n.network}>
                    <strong>{n.label}</strong>{' '}
                    {p ? <span className={`badge badge-${p.status}`}>{STATUS_LABELS[p.status]}</span> : <span className="badge">Not posted</span>}
                    {p?.status === 'posted' && p.remoteUrl ? (
                      <>
                        {' '}
                        <a href={p.remoteUrl} target="_blank" rel="noopener noreferrer">
                          View post<span className="visually-hidden"> on {n.label}</span>
                        </a>
                        {p.postedAt ? <span className="hint"> {formatDateTime(p.postedAt, timeZone)}</span> : null}
                      </>
                    ) : null}
                    {p?.status === 'queued' && p.nextAttemptAt ? <span className="hint"> next try {formatDateTime(p.nextAttemptAt, timeZone)}</span> : null}
                    {canPost && published && n.connected ? (
                      <span className="actions">
                        {p?.status === 'failed' || p?.status === 'skipped' ? (
                          <button type="button" className="link" disabled={busy} onClick={() => post(n.network, n.label)}>
                            Retry<span className="visually-hidden"> {n.label}</span>
                          </button>
                        ) : null}
                        {!p ? (
                          <button type="button" className="link" disabled={busy} onClick={() => post(n.network, n.label)}>
                            Post now<span className="visually-hidden"> to {n.label}</span>
                          </button>
                        ) : null}
                        {p?.status === 'posted' ? (
                          <button type="button" className="link" disabled={busy} onClick={() => setAgain(n.network)}>
                            Post again<span className="visually-hidden"> to {n.label}</span>
                          </button>
                        ) : null}
                      </span>
                    ) : null}
                    {p?.error ? <p className={p.status === 'skipped' ? 'hint' : 'error-text'}>{p.error}</p> : null}
                  </li>
                );
              })}
          </ul>
        </>
      ) : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <ConfirmDialog
        open={again !== undefined}
        title="Post this story again?"
        message="It is already posted there; followers will see a second post."
        confirmLabel="Post again"
        onConfirm={() => again && post(again, data?.networks.find((n) => n.network === again)?.label ?? again, true)}
        onCancel={() => setAgain(undefined)}
      />
    </section>
  );
}
