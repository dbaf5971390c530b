/** Authors: the byline profiles readers see (not staff accounts). List, create and edit. */
import { useEffect, useRef, useState } from 'react';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { AuthorForm } from '../manage/AuthorForm';
import { focusById } from '../forms/focus';
import { NoAccess } from '../manage/NoAccess';
import { StatusArea, useStatus } from '../manage/Status';
import { useSession } from '../session';
import type { Author } from '../types';
import '../manage/manage.css';

export default function Authors() {
  const { can } = useSession();
  if (!can('byline.manage')) return <NoAccess title="Authors" />;
  return <AuthorsScreen />;
}

/** null: no form open; 'new'; or the id being edited. */
type Editing = null | 'new' | number;

function AuthorsScreen() {
  useTitle('Authors');
  const list = useApi<{ items: Author[] }>('/authors');
  const status = useStatus();
  const [editing, setEditing] = useState<Editing>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const authors = list.data?.items ?? [];
  const current = typeof editing === 'number' ? authors.find((a) => a.id === editing) : undefined;

  // Opening the form moves focus to its heading, so the change of context is announced.
  useEffect(() => {
    if (editing !== null) headingRef.current?.focus();
  }, [editing]);

  const close = () => {
    const opener = editing === 'new' || editing === null ? 'new-author' : `edit-author-${editing}`;
    setEditing(null);
    focusById(opener);
  };

  return (
    <div className="manage">
      <h1>Authors</h1>
      <p className="hint">Byline profiles shown on articles and author pages. They are not staff accounts.</p>
      <StatusArea status={status} />
      {editing !== null && (editing === 'new' || current) ? (
        <section className="panel" aria-labelledby="author-form-heading">
          <h2 id="author-form-heading" ref={headingRef} tabIndex={-1}>
            {current ? `Edit ${current.name}` : 'New author'}
          </h2>
          <AuthorForm
            key={current?.id ?? 'new'}
            author={current}
            onCancel={close}
            onSaved={(saved) => {
              const known = authors.some((a) => a.id === saved.id);
              list.setData({ items: known ? authors.map((a) => (a.id === saved.id ? saved : a)) : [...authors, saved].sort((a, b) => a.name.localeCompare(b.name)) });
              setEditing(null);
              status.show(known ? `Saved ${saved.name}.` : `Created ${saved.name}. The profile is at /author/${saved.slug}.`);
            }}
          />
        </section>
      ) : (
        <div className="actions" style={{ marginTop: 0, marginBottom: '1rem' }}>
          <button type="button" className="primary" id="new-author" onClick={() => setEditing('new')}>
            New author
          </button>
        </div>
      )}
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading authors" /> : null}
      {list.data && authors.length === 0 ? <p>No authors yet.</p> : null}
      {authors.length > 0 ? (
        <table className="data">
          <caption className="visually-hidden">Authors</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Title</th>
              <th scope="col">Slug</th>
              <th scope="col">Email</th>
              <th scope="col">Expertise</th>
              <th scope="col">
                <span className="visually-hidden">Edit</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {authors.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.name}</th>
                <td>{a.title}</td>
                <td>
                  <code>{a.slug}</code>
                </td>
                <td>{a.email ?? ''}</td>
                <td>{a.expertise.join(', ')}</td>
                <td>
                  <button type="button" id={`edit-author-${a.id}`} aria-label={`Edit ${a.name}`} onClick={() => setEditing(a.id)} disabled={editing === a.id}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
