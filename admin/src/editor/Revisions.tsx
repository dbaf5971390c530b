/**
 * Every saved version of the article, newest first, with who saved it and why;
 * any of them compared with the working copy (GET …/revisions/:id has its
 * fields), or restored. Restoring is itself a new save, so it can be undone by
 * restoring the version before it.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime } from '../format';
import type { ArticleFields, Revision } from '../types';
import { Compare } from './Compare';
import { emptyFields } from './fields';

interface RevisionWithFields extends Revision {
  fields: Partial<ArticleFields>;
}

interface Props {
  articleId: number;
  /** The article's current version: the list reloads when it changes (while open). */
  version: number;
  timeZone: string;
  /** The working copy, which "Compare" sets against the revision. */
  working: ArticleFields;
  canRestore: boolean;
  onRestore(revision: Revision): Promise<void>;
}

export function Revisions({ articleId, version, timeZone, working, canRestore, onRestore }: Props) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Revision[]>();
  const [error, setError] = useState<unknown>();
  const [comparing, setComparing] = useState<number | null>(null);
  const [compared, setCompared] = useState<RevisionWithFields>();
  const [compareError, setCompareError] = useState<unknown>();
  const [restoring, setRestoring] = useState<Revision | null>(null);
  const [restoreError, setRestoreError] = useState<unknown>();

  useEffect(() => {
    if (!open) return;
    let live = true;
    api.get<{ items: Revision[] }>(`/articles/${articleId}/revisions`).then(
      (answer) => {
        if (!live) return;
        setItems(answer.items);
        setError(undefined);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [open, articleId, version]);

  useEffect(() => {
    if (comparing === null) return;
    let live = true;
    setCompared(undefined);
    setCompareError(undefined);
    api.get<RevisionWithFields>(`/articles/${articleId}/revisions/${comparing}`).then(
      (answer) => live && setCompared(answer),
      (e: unknown) => live && setCompareError(e),
    );
    return () => {
      live = false;
    };
  }, [articleId, comparing]);

  const format = (iso: string) => formatDateTime(iso, timeZone);
  return (
    <details className="panel revisions" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Revisions</summary>
      {error ? <ErrorMessage error={error} /> : null}
      {!items && !error ? <Loading what="Loading revisions" /> : null}
      <ErrorMessage error={restoreError} />
      {items ? (
        <ol className="revision-list">
          {items.map((r) => {
            const current = r.version === version;
            return (
              <li key={r.id}>
                <p className="revision-head">
                  <strong>Version {r.version}</strong>
                  {current ? ' (current)' : ''} · {r.actor} · <time dateTime={r.createdAt}>{format(r.createdAt)}</time>
                </p>
                {r.note ? <p className="revision-note">{r.note}</p> : null}
                {!current ? (
                  <div className="actions">
                    <button type="button" aria-expanded={comparing === r.id} onClick={() => setComparing(comparing === r.id ? null : r.id)}>
                      Compare with current<span className="visually-hidden"> (version {r.version})</span>
                    </button>
                    {canRestore ? (
                      <button type="button" onClick={() => setRestoring(r)}>
                        Restore<span className="visually-hidden"> version {r.version}</span>
                      </button>
                    ) : null}
                  </div>
                ) : null}
                {comparing === r.id ? (
                  <div className="revision-compare">
                    {compareError ? <ErrorMessage error={compareError} /> : null}
                    {!compared && !compareError ? <Loading what={`Loading version ${r.version}`} /> : null}
                    {compared && compared.id === r.id ? (
                      <Compare mine={working} theirs={{ ...emptyFields(), ...compared.fields }} mineLabel="Current version" theirsLabel={`Version ${r.version}`} />
                    ) : null}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      <ConfirmDialog
        open={restoring !== null}
        title={`Restore version ${restoring?.version ?? ''}?`}
        message={<p>The article’s fields go back to how they were in that version, as a new save. Your unsaved changes are saved first.</p>}
        confirmLabel="Restore"
        onConfirm={() => {
          const r = restoring;
          setRestoring(null);
          if (!r) return;
          setRestoreError(undefined);
          onRestore(r).catch((e: unknown) => setRestoreError(e));
        }}
        onCancel={() => setRestoring(null)}
      />
    </details>
  );
}
