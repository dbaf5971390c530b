/**
 * "Push alert" in the article editor (docs/push.md): title, text, link (the
 * article unless another page of the site is given), topic with its number of
 * subscribers, urgency, and now or a time; a preview; and a confirmation that
 * names how many devices get it, since an alert cannot be called back. Each
 * composition carries a request key, so a double click or a retried request
 * makes one alert.
 */
import { forwardRef, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { Dialog, ErrorMessage, StatusMessage } from '../components/Feedback';
import { SelectField, TextArea, TextField } from '../components/Field';
import { fromZonedInput } from '../format';
import { useApi } from '../hooks';
import { useSite } from '../site';
import { AlertPreview } from './AlertPreview';
import { MAX_BODY, MAX_TITLE, URGENCY_LABEL, type PushAlert, type PushTopic, type PushUrgency } from './types';
import './push.css';

const devices = (n: number) => `${n.toLocaleString('en')} device${n === 1 ? '' : 's'}`;
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9_-]/g, '');

interface Props {
  articleId: number;
  headline: string;
  dek: string;
  articleUrl: string;
  sectionId: number | null;
}

export const PushAlertPanel = forwardRef<HTMLElement, Props>(function PushAlertPanel({ articleId, headline, dek, articleUrl, sectionId }, ref) {
  const site = useSite();
  const topics = useApi<{ items: PushTopic[] }>('/push/topics');
  const [title, setTitle] = useState(headline);
  const [body, setBody] = useState(dek);
  const [link, setLink] = useState('');
  const [topic, setTopic] = useState('breaking');
  const [urgency, setUrgency] = useState<PushUrgency>('high');
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [sendAt, setSendAt] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<PushAlert>();
  const [requestKey, setRequestKey] = useState(newKey);

  // A new headline or dek fills fields the editor has not touched.
  useEffect(() => setTitle((current) => (current === '' ? headline : current)), [headline]);
  useEffect(() => setBody((current) => (current === '' ? dek : current)), [dek]);

  const chosen = topics.data?.items.find((t) => t.topic === topic);
  const fieldError = (path: string) => (error instanceof ApiError ? error.field(path) : undefined);

  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const at = when === 'later' ? fromZonedInput(sendAt, site.timeZone) : null;
      const alert = await api.post<PushAlert>('/push/alerts', {
        title: title.trim(),
        body: body.trim(),
        articleId,
        ...(link.trim() ? { url: link.trim() } : {}),
        topic,
        urgency,
        ...(at ? { sendAt: at } : {}),
        requestKey,
      });
      setSent(alert);
      setConfirming(false);
      setRequestKey(newKey()); // the next alert is a new one
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 400) setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel push-alert-panel" aria-labelledby="push-alert-heading" ref={ref} tabIndex={-1}>
      <h2 id="push-alert-heading">Push alert</h2>
      <p className="hint">A notification on the devices of readers who asked for alerts on this topic.</p>
      <ErrorMessage error={topics.error} />
      <TextField label="Title" required maxLength={MAX_TITLE} value={title} onChange={(e) => setTitle(e.target.value)} error={fieldError('/title')} hint={`${title.length}/${MAX_TITLE}`} />
      <TextArea label="Text" rows={3} maxLength={MAX_BODY} value={body} onChange={(e) => setBody(e.target.value)} error={fieldError('/body')} hint={`${body.length}/${MAX_BODY}`} />
      <TextField label="Link" placeholder={articleUrl} hint="Leave empty to open this article. Another page of the site also works." value={link} onChange={(e) => setLink(e.target.value)} error={fieldError('/url') ?? fieldError('/articleId')} />
      <SelectField label="Send to" value={topic} onChange={(e) => setTopic(e.target.value)} error={fieldError('/topic')}>
        {(topics.data?.items ?? [{ topic: 'breaking', label: 'Breaking news', subscribers: 0 }]).map((t) => (
          <option key={t.topic} value={t.topic}>
            {t.label} ({devices(t.subscribers)}){sectionId !== null && t.topic === `section:${sectionId}` ? ' · this article’s section' : ''}
          </option>
        ))}
      </SelectField>
      <SelectField label="Urgency" value={urgency} onChange={(e) => setUrgency(e.target.value as PushUrgency)}>
        {(Object.keys(URGENCY_LABEL) as PushUrgency[]).map((u) => (
          <option key={u} value={u}>
            {URGENCY_LABEL[u]}
          </option>
        ))}
      </SelectField>
      <fieldset className="push-when">
        <legend>When</legend>
        <label>
          <input type="radio" name="push-when" checked={when === 'now'} onChange={() => setWhen('now')} /> Now
        </label>{' '}
        <label>
          <input type="radio" name="push-when" checked={when === 'later'} onChange={() => setWhen('later')} /> At a time
        </label>
        {when === 'later' ? <TextField label={`Send at (${site.timeZone})`} type="datetime-local" value={sendAt} onChange={(e) => setSendAt(e.target.value)} error={fieldError('/sendAt')} /> : null}
      </fieldset>
      <AlertPreview siteName={site.name} title={title.trim()} body={body.trim()} link={link.trim() || articleUrl} />
      <ErrorMessage error={error instanceof ApiError && error.status === 400 ? error : undefined} />
      <button
        type="button"
        disabled={!title.trim() || (when === 'later' && !sendAt)}
        onClick={() => {
          setError(undefined);
          setConfirming(true);
        }}
      >
        {when === 'later' ? 'Schedule alert…' : 'Send alert…'}
      </button>
      {sent ? (
        <StatusMessage>
          “{sent.title}” {sent.status === 'scheduled' && Date.parse(sent.sendAt) > Date.now() + 60_000 ? 'is scheduled' : 'is going out'}. <Link to="/push-alerts">See alerts</Link>
        </StatusMessage>
      ) : null}

      <Dialog open={confirming} title={when === 'later' ? 'Schedule this alert?' : 'Send this alert now?'} onClose={() => setConfirming(false)}>
        <p>
          “{title.trim()}” goes to <strong>{devices(chosen?.subscribers ?? 0)}</strong> following {chosen?.label ?? topic}
          {when === 'later' ? ' at the time you chose' : ' now'}. A notification that has gone out cannot be called back.
        </p>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void send()}>
            {busy ? 'Sending…' : when === 'later' ? 'Schedule' : `Send to ${devices(chosen?.subscribers ?? 0)}`}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </section>
  );
});
