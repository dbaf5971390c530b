/**
 * Newsletters: the list with readers per status, a form to create or edit one
 * (opened in place, like authors), and deleting one nobody receives. The server
 * decides who may use the screen: without `newsletter.manage` its refusal shows.
 */
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { focusById } from '../forms/focus';
import { useSubmit } from '../forms/useSubmit';
import { useApi, useTitle } from '../hooks';
import { StatusArea, useStatus } from '../manage/Status';
import { NewsletterForm } from '../newsletters/NewsletterForm';
import { scheduleText, STATUS_SHORT } from '../newsletters/labels';
import { useSession } from '../session';
import { SUBSCRIPTION_STATUSES, type Newsletter } from '../types';
import '../manage/manage.css';
import '../newsletters/newsletters.css';

/** null: no form open; 'new'; or the id being edited. */
type Editing = null | 'new' | number;

const byPosition = (a: Newsletter, b: Newsletter) => a.position - b.position || a.name.localeCompare(b.name);

export default function Newsletters() {
  useTitle('Newsletters');
  const { can } = useSession();
  const list = useApi<{ items: Newsletter[] }>('/newsletters');
  const status = useStatus();
  const remove = useSubmit<HTMLDivElement>();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Newsletter | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const newsletters = list.data?.items ?? [];
  const current = typeof editing === 'number' ? newsletters.find((n) => n.id === editing) : undefined;
  const allowed = can('newsletter.manage');

  // Opening the form moves focus to its heading, so the change of context is announced.
  useEffect(() => {
    if (editing !== null) headingRef.current?.focus();
  }, [editing]);

  const close = () => {
    const opener = editing === 'new' || editing === null ? 'new-newsletter' : `edit-newsletter-${editing}`;
    setEditing(null);
    focusById(opener);
  };

  const confirmDelete = async () => {
    const target = deleting;
    setDeleting(null);
    if (!target) return;
    const ok = await remove.run(() => api.delete(`/newsletters/${target.id}`));
    if (ok) {
      list.setData({ items: newsletters.filter((n) => n.id !== target.id) });
      if (editing === target.id) setEditing(null);
      status.show(`Deleted ${target.name}.`);
    } else {
      // A refusal (409: it still has readers) names the reason; the list may be out of date.
      list.reload();
    }
  };

  return (
    <div className="manage">
      <h1>Newsletters</h1>
      <p className="hint">
        Public newsletters are offered on the site’s sign-up page, in every footer and at the end of articles. <Link to="/subscribers">See the subscribers</Link>.
      </p>
      <StatusArea status={status} />
      {editing !== null && (editing === 'new' || current) ? (
        <section className="panel" aria-labelledby="newsletter-form-heading">
          <h2 id="newsletter-form-heading" ref={headingRef} tabIndex={-1}>
            {current ? `Edit ${current.name}` : 'New newsletter'}
          </h2>
          <NewsletterForm
            key={current?.id ?? 'new'}
            newsletter={current}
            onCancel={close}
            onUnchanged={() => {
              setEditing(null);
              status.show(`Nothing to save: ${current?.name ?? 'the newsletter'} has not changed.`);
            }}
            onSaved={(saved) => {
              const known = newsletters.some((n) => n.id === saved.id);
              list.setData({ items: (known ? newsletters.map((n) => (n.id === saved.id ? saved : n)) : [...newsletters, saved]).sort(byPosition) });
              setEditing(null);
              status.show(
                known
                  ? `Saved ${saved.name}.`
                  : `Created ${saved.name}.${saved.visibility === 'public' ? ' Readers can sign up to it on the site now.' : ' It is hidden: readers are not offered it.'}`,
              );
            }}
          />
        </section>
      ) : allowed ? (
        <div className="actions head-actions">
          <button type="button" className="primary" id="new-newsletter" onClick={() => setEditing('new')}>
            New newsletter
          </button>
        </div>
      ) : null}
      <div ref={remove.ref}>
        <ErrorMessage error={remove.error} />
      </div>
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading newsletters" /> : null}
      {list.data && newsletters.length === 0 ? <p>No newsletters yet.</p> : null}
      {newsletters.length > 0 ? (
        <div className="table-wrap">
          <table className="data newsletters">
            <caption className="visually-hidden">Newsletters, with their readers by status</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Visibility</th>
                <th scope="col">Schedule</th>
                {SUBSCRIPTION_STATUSES.map((s) => (
                  <th scope="col" className="num" key={s}>
                    {STATUS_SHORT[s]}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {newsletters.map((n) => (
                <tr key={n.id}>
                  <th scope="row">
                    {n.name}
                    <span className="sub">
                      <code>{n.slug}</code>
                    </span>
                  </th>
                  <td>
                    <span className={`badge badge-${n.visibility}`}>{n.visibility === 'public' ? 'Public' : 'Hidden'}</span>
                  </td>
                  <td>
                    {scheduleText(n.schedule)}
                    {n.schedule ? <span className="sub">{n.sendMode === 'automatic' ? 'Goes out automatically' : 'Reviewed by an editor'}</span> : null}
                  </td>
                  {SUBSCRIPTION_STATUSES.map((s) => (
                    <td className="num" key={s}>
                      {n.counts[s]}
                    </td>
                  ))}
                  <td>
                    <div className="row-actions">
                      <Link to={`/subscribers?newsletterId=${n.id}`} aria-label={`Readers of ${n.name}`}>
                        Readers
                      </Link>
                      {allowed ? (
                        <>
                          <Link to={`/newsletters/${n.id}/compose`} aria-label={`Compose ${n.name}`}>
                            Compose
                          </Link>
                          <Link to={`/newsletters/${n.id}/sends`} aria-label={`Sends of ${n.name}`}>
                            Sends
                          </Link>
                        </>
                      ) : null}
                      <button type="button" id={`edit-newsletter-${n.id}`} aria-label={`Edit ${n.name}`} onClick={() => setEditing(n.id)} disabled={editing === n.id}>
                        Edit
                      </button>
                      <button type="button" aria-label={`Delete ${n.name}`} onClick={() => setDeleting(n)} disabled={remove.busy}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'the newsletter'}?`}
        message={
          <p>
            It disappears from the site’s sign-up forms and cannot be brought back. Only a newsletter nobody receives or is waiting to confirm can be deleted; one with
            readers can be hidden instead. Consent records keep its name.
          </p>
        }
        confirmLabel="Delete newsletter"
        danger
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </div>
  );
}
