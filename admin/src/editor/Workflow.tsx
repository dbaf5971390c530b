/**
 * Where the article stands (draft, scheduled, published …) and what this user
 * may do with it next. The buttons call the page, which saves pending changes
 * first; permissions only decide what is shown, the server has the last word.
 */
import { useState } from 'react';
import { ConfirmDialog, ErrorMessage } from '../components/Feedback';
import { TextField } from '../components/Field';
import { formatDateTime, fromZonedInput, toZonedInput } from '../format';
import type { Article } from '../types';

export interface WorkflowActions {
  saveNow(): Promise<void>;
  publishNow(): Promise<void>;
  schedule(at: string): Promise<void>;
  cancelSchedule(): Promise<void>;
  submit(): Promise<void>;
  unpublish(): Promise<void>;
  /** true when saved */
  update(note: string): Promise<boolean>;
  preview(): Promise<void>;
}

interface Props {
  server: Article | null;
  timeZone: string;
  can: { edit: boolean; publish: boolean; submit: boolean; unpublish: boolean };
  actions: WorkflowActions;
  error: unknown;
  previewUrl: string;
}

const STATUS_TEXT: Record<Article['status'], string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

export function Workflow({ server, timeZone, can, actions, error, previewUrl }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [scheduleAt, setScheduleAt] = useState(() => toZonedInput(server?.scheduledAt ?? null, timeZone));
  const [scheduleError, setScheduleError] = useState<string>();
  const [note, setNote] = useState('');
  const [confirmUnpublish, setConfirmUnpublish] = useState(false);
  const status = server?.status ?? 'draft';
  const exists = server !== null;

  const run = (name: string, fn: () => Promise<void>) => async () => {
    if (busy) return;
    setBusy(name);
    try {
      await fn();
    } finally {
      setBusy(null);
    }
  };

  const schedule = run('schedule', async () => {
    const at = fromZonedInput(scheduleAt, timeZone);
    if (!at) return setScheduleError('Choose a date and time.');
    if (Date.parse(at) <= Date.now()) return setScheduleError('Choose a time in the future.');
    setScheduleError(undefined);
    await actions.schedule(at);
  });

  const format = (iso: string | null | undefined) => formatDateTime(iso, timeZone);
  return (
    <section className="panel workflow" aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">Publishing</h2>
      <p>
        <span className={`badge badge-${status}`}>{exists ? STATUS_TEXT[status] : 'Not saved yet'}</span>
      </p>
      <ul className="facts">
        {server?.status === 'scheduled' && server.scheduledAt ? <li>Will be published {format(server.scheduledAt)}</li> : null}
        {server?.publishedAt ? <li>Published {format(server.publishedAt)}</li> : null}
        {server?.updatedAt ? <li>Marked updated {format(server.updatedAt)}</li> : null}
        {server?.reviewRequestedAt ? <li className="review-state">Submitted for review {format(server.reviewRequestedAt)}</li> : null}
        {server ? <li>Last saved {format(server.savedAt)}</li> : null}
      </ul>
      <ErrorMessage error={error} />
      <div className="actions">
        {can.edit ? (
          <button type="button" onClick={run('save', actions.saveNow)} disabled={busy !== null}>
            {busy === 'save' ? 'Saving…' : 'Save now'}
          </button>
        ) : null}
        <button type="button" onClick={run('preview', actions.preview)} disabled={busy !== null || !exists} title={exists ? undefined : 'Add a headline first: the article is saved, then previewed'}>
          Preview
        </button>
        {can.publish && status !== 'published' ? (
          <button type="button" className="primary" onClick={run('publish', actions.publishNow)} disabled={busy !== null || !exists}>
            {busy === 'publish' ? 'Publishing…' : 'Publish now'}
          </button>
        ) : null}
        {can.submit && !can.publish && status !== 'published' && !server?.reviewRequestedAt ? (
          <button type="button" className="primary" onClick={run('submit', actions.submit)} disabled={busy !== null || !exists}>
            Submit for review
          </button>
        ) : null}
      </div>
      {previewUrl ? (
        <p className="hint">
          The preview opened in a new tab. If it did not,{' '}
          <a href={previewUrl} target="_blank" rel="noopener">
            open the preview
          </a>
          .
        </p>
      ) : null}
      {can.submit && !can.publish && server?.reviewRequestedAt ? <p className="notice notice-ok">Submitted for review: an editor will look at it.</p> : null}

      {can.publish && status !== 'published' && exists ? (
        <div className="schedule">
          <TextField
            label={`Publish at (${timeZone})`}
            type="datetime-local"
            value={scheduleAt}
            error={scheduleError}
            onChange={(e) => setScheduleAt(e.target.value)}
          />
          <div className="actions">
            <button type="button" onClick={schedule} disabled={busy !== null || !scheduleAt}>
              {status === 'scheduled' ? 'Reschedule' : 'Schedule'}
            </button>
            {status === 'scheduled' && can.unpublish ? (
              <button type="button" onClick={run('cancel', actions.cancelSchedule)} disabled={busy !== null}>
                Cancel schedule
              </button>
            ) : null}
          </div>
        </div>
      ) : null}

      {status === 'published' ? (
        <div className="update">
          {can.edit ? (
            <>
              <TextField label="Update note (optional)" hint="Shown to readers with the “Updated” time." value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy !== null}
                  onClick={run('update', async () => {
                    if (await actions.update(note.trim())) setNote('');
                  })}
                >
                  Update
                </button>
              </div>
              <p className="hint">“Save now” publishes changes quietly (a typo); “Update” also shows readers that the article was updated.</p>
            </>
          ) : null}
          {can.unpublish ? (
            <div className="actions">
              <button type="button" className="danger" onClick={() => setConfirmUnpublish(true)} disabled={busy !== null}>
                Unpublish
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirmUnpublish}
        title="Unpublish this article?"
        message={<p>Readers will no longer see it: its address will say the article was withdrawn. You can publish it again later.</p>}
        confirmLabel="Unpublish"
        danger
        onConfirm={() => {
          setConfirmUnpublish(false);
          void run('unpublish', actions.unpublish)();
        }}
        onCancel={() => setConfirmUnpublish(false)}
      />
    </section>
  );
}
