/**
 * "Send as newsletter" in the article editor (docs/newsletters.md, "Breaking
 * news from the editor"): a published story goes to one newsletter's readers
 * as a one-story email. The newsletter defaults to the one called "breaking"
 * (by name or slug), else the first. Sending asks first, naming how many
 * readers get it; the server refuses a second send of the same story to the
 * same newsletter (409, with when it went) unless the editor confirms again,
 * so a double click never emails anyone twice.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { Dialog, ErrorMessage, StatusMessage } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import type { Newsletter } from '../types';

interface StartedSend {
  id: number;
  subject: string;
  recipients: number;
}

/** The newsletter a breaking story most likely goes to. */
export function defaultNewsletter(newsletters: readonly Newsletter[]): Newsletter | undefined {
  return newsletters.find((n) => /breaking/i.test(n.name) || /breaking/i.test(n.slug)) ?? newsletters[0];
}

const readers = (n: number) => `${n.toLocaleString('en')} reader${n === 1 ? '' : 's'}`;

export function NewsletterAlert({ articleId, headline }: { articleId: number; headline: string }) {
  const [newsletters, setNewsletters] = useState<Newsletter[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [chosenId, setChosenId] = useState<number>();
  const [subject, setSubject] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<StartedSend>();

  useEffect(() => {
    const controller = new AbortController();
    api.get<{ items: Newsletter[] }>('/newsletters', { signal: controller.signal }).then(
      (answer) => {
        setNewsletters(answer.items);
        setChosenId((current) => current ?? defaultNewsletter(answer.items)?.id);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e);
      },
    );
    return () => controller.abort();
  }, []);

  const chosen = newsletters?.find((n) => n.id === chosenId);
  // A 409 naming an earlier send of this story: the editor may still decide to send it again.
  const earlier = error instanceof ApiError && error.status === 409 && typeof error.details.sendId === 'number' ? error.details.sendId : undefined;
  const subjectError = error instanceof ApiError ? error.field('/subject') : undefined;

  const send = async (again: boolean) => {
    if (!chosen) return;
    setBusy(true);
    setError(undefined);
    try {
      const body = { newsletterId: chosen.id, ...(subject.trim() ? { subject: subject.trim() } : {}), ...(again ? { again: true } : {}) };
      const started = await api.post<StartedSend>(`/articles/${articleId}/newsletter-send`, body);
      setSent({ id: started.id, subject: started.subject, recipients: started.recipients });
      setConfirming(false);
    } catch (e) {
      setError(e);
      // A field problem belongs next to the field, outside the dialog.
      if (e instanceof ApiError && e.status === 400 && e.field('/subject')) setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setConfirming(false);
    setError(undefined);
  };

  return (
    <section className="panel newsletter-alert" aria-labelledby="newsletter-alert-heading">
      <h2 id="newsletter-alert-heading">Newsletter alert</h2>
      {loadError ? <ErrorMessage error={loadError} /> : null}
      {newsletters && newsletters.length === 0 ? <p>There is no newsletter to send to yet. Create one under Newsletters.</p> : null}
      {newsletters && chosen ? (
        <>
          <p className="hint">Send this story on its own to a newsletter’s readers, now.</p>
          <SelectField label="Newsletter" value={chosen.id} onChange={(e) => setChosenId(Number(e.target.value))}>
            {newsletters.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({readers(n.counts.subscribed)})
              </option>
            ))}
          </SelectField>
          <TextField label="Subject" hint="Leave empty to use the headline." placeholder={headline} maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} error={subjectError} />
          <button
            type="button"
            onClick={() => {
              setError(undefined);
              setConfirming(true);
            }}
          >
            Send as newsletter…
          </button>
        </>
      ) : null}
      {sent ? (
        <StatusMessage>
          “{sent.subject}” is going to {readers(sent.recipients)}. <Link to={`/newsletter-sends/${sent.id}`}>Follow the send</Link>
        </StatusMessage>
      ) : null}

      <Dialog open={confirming && Boolean(chosen)} title={`Send this story to ${chosen?.name ?? 'the newsletter'}?`} onClose={close}>
        {chosen ? (
          <>
            <p>
              “{subject.trim() || headline}” goes to <strong>{readers(chosen.counts.subscribed)}</strong> of {chosen.name} now. Emails that have gone out
              cannot be called back.
            </p>
            <ErrorMessage error={error} />
            {earlier !== undefined ? (
              <p>
                <Link to={`/newsletter-sends/${earlier}`}>See the earlier send</Link>
              </p>
            ) : null}
            <div className="actions">
              {earlier !== undefined ? (
                <button type="button" className="primary" disabled={busy} onClick={() => void send(true)}>
                  {busy ? 'Sending…' : 'Send it again'}
                </button>
              ) : (
                <button type="button" className="primary" disabled={busy} onClick={() => void send(false)}>
                  {busy ? 'Sending…' : `Send to ${readers(chosen.counts.subscribed)}`}
                </button>
              )}
              <button type="button" onClick={close}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </section>
  );
}
