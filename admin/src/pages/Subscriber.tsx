/**
 * One reader's record: their subscriptions with statuses, every consent record
 * (when, what, from where), and deleting them with everything kept about them,
 * after typing their address (the one erasure that cannot be undone).
 */
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { TextField } from '../components/Field';
import { Dialog, ErrorMessage, Loading } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { consentActionText, sourceText, STATUS_NAMES } from '../newsletters/labels';
import { useSite } from '../site';
import type { SubscriberDetail } from '../types';
import type { SubscribersLocationState } from './Subscribers';
import '../manage/manage.css';
import '../newsletters/newsletters.css';

export default function Subscriber() {
  const { id } = useParams();
  const location = useLocation();
  const valid = Boolean(id && /^[1-9]\d{0,9}$/.test(id));
  const reader = useApi<SubscriberDetail>(valid ? `/subscribers/${id}` : null);
  // Back to the list as it was left (search, filters, page), when we came from it.
  const back = `/subscribers${(location.state as { back?: string } | null)?.back ?? ''}`;
  useTitle(reader.data ? reader.data.email : 'Subscriber');

  return (
    <div className="manage subscriber">
      <p className="back">
        <Link to={back}>← All subscribers</Link>
      </p>
      {reader.data ? (
        <Record reader={reader.data} back={back} />
      ) : (
        <>
          <h1>Subscriber</h1>
          {!valid ? <ErrorMessage>There is no such subscriber.</ErrorMessage> : null}
          <ErrorMessage error={reader.error} />
          {reader.loading ? <Loading what="Loading the subscriber" /> : null}
        </>
      )}
    </div>
  );
}

function Record({ reader, back }: { reader: SubscriberDetail; back: string }) {
  const { timeZone } = useSite();
  const [deleting, setDeleting] = useState(false);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : '');
  const withIp = reader.consents.some((c) => c.ip);
  return (
    <>
      <h1>{reader.email}</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{reader.name || 'None given'}</dd>
        <dt>First signed up</dt>
        <dd>{when(reader.createdAt)}</dd>
        <dt>Last changed</dt>
        <dd>{when(reader.updatedAt)}</dd>
      </dl>

      <h2 id="subscriptions">Subscriptions</h2>
      {reader.subscriptions.length === 0 ? (
        <p>None.</p>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-labelledby="subscriptions">
            <thead>
              <tr>
                <th scope="col">Newsletter</th>
                <th scope="col">Status</th>
                <th scope="col">Signed up from</th>
                <th scope="col">Asked</th>
                <th scope="col">Confirmed</th>
                <th scope="col">Unsubscribed</th>
              </tr>
            </thead>
            <tbody>
              {reader.subscriptions.map((s) => (
                <tr key={s.newsletterId}>
                  <th scope="row">{s.newsletterName}</th>
                  <td>
                    <span className={`badge badge-${s.status}`}>{STATUS_NAMES[s.status]}</span>
                  </td>
                  <td>{sourceText(s.source)}</td>
                  <td>{when(s.requestedAt)}</td>
                  <td>{when(s.confirmedAt)}</td>
                  <td>{when(s.unsubscribedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="consents">Consent records</h2>
      <p className="hint">Every request, confirmation and withdrawal, as it happened. They are never changed, and go only with the reader.</p>
      {reader.consents.length === 0 ? (
        <p>None.</p>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-labelledby="consents">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Newsletter</th>
                <th scope="col">Source</th>
                {withIp ? <th scope="col">IP address</th> : null}
              </tr>
            </thead>
            <tbody>
              {reader.consents.map((c, i) => (
                <tr key={i}>
                  <td>{when(c.createdAt)}</td>
                  <td>{consentActionText(c.action)}</td>
                  <td>{c.newsletterName}</td>
                  <td>
                    {sourceText(c.source)}
                    {sourceText(c.source) !== c.source ? (
                      <span className="sub">
                        <code>{c.source}</code>
                      </span>
                    ) : null}
                  </td>
                  {withIp ? <td>{c.ip ?? ''}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section className="panel danger-zone" aria-labelledby="delete-reader">
        <h2 id="delete-reader">Delete this reader</h2>
        <p>
          Removes the address, the name, every subscription and every consent record, and any confirmation email not yet sent. Links in emails they already have stop
          working. It cannot be undone.
        </p>
        <button type="button" className="danger" id="delete-reader-button" onClick={() => setDeleting(true)}>
          Delete this reader and all their data
        </button>
      </section>
      <DeleteReaderDialog open={deleting} reader={reader} back={back} onCancel={() => setDeleting(false)} />
    </>
  );
}

/** The erasure: the reader's address must be typed, so a slip of the mouse cannot delete someone. */
function DeleteReaderDialog({ open, reader, back, onCancel }: { open: boolean; reader: SubscriberDetail; back: string; onCancel(): void }) {
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const submit = useSubmit();
  const navigate = useNavigate();
  const close = () => {
    setTyped('');
    setMismatch(false);
    submit.clear();
    onCancel();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // The address is one reader whatever the case of its letters (the server keys it lower-cased).
    if (typed.trim().toLowerCase() !== reader.email.toLowerCase()) {
      setMismatch(true);
      submit.ref.current?.querySelector<HTMLInputElement>('input')?.focus();
      return;
    }
    setMismatch(false);
    const ok = await submit.run(() => api.delete(`/subscribers/${reader.id}`));
    if (ok) navigate(back, { state: { deleted: reader.email } satisfies SubscribersLocationState });
  };

  const subscriptions = reader.subscriptions.length;
  const consents = reader.consents.length;
  return (
    <Dialog open={open} title={`Delete ${reader.email}?`} onClose={close}>
      <form ref={submit.ref} onSubmit={onSubmit} noValidate>
        <p>
          This deletes the reader, their {subscriptions} subscription{subscriptions === 1 ? '' : 's'} and {consents} consent record{consents === 1 ? '' : 's'}. It cannot be undone.
        </p>
        <ErrorMessage error={submit.error} />
        <TextField
          label="Type the reader’s address to confirm"
          hint={reader.email}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={mismatch ? `Type ${reader.email} exactly as shown` : undefined}
        />
        <div className="actions">
          <button type="submit" className="danger" disabled={submit.busy}>
            {submit.busy ? 'Deleting…' : 'Delete reader and data'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
