/**
 * Import subscribers from a CSV file (docs/newsletters.md, "Import"): the file,
 * the newsletters, optional column mapping, how readers are added (subscribed
 * at once, or pending until they confirm by email) and the importer's consent
 * assertion, which the server requires. After the upload the import runs as a
 * job on the server: this screen asks for its progress every second and shows
 * the report when it ends. The import's id is in the address (`?id=`), so a
 * reload or a shared link shows the same import. Below: the recent imports.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { describedBy, FieldMessages, SelectField, TextField } from '../components/Field';
import { formatDateTime } from '../format';
import { useApi, useTitle, type Loaded } from '../hooks';
import { useSite } from '../site';
import type { Newsletter } from '../types';
import '../list/list.css';
import '../manage/manage.css';
import '../newsletters/newsletters.css';
import '../newsletters/import.css';

/** GET /api/admin/subscribers/imports/:id (src/newsletter/import.routes.ts). */
export interface SubscriberImportView {
  id: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  filename: string;
  importer: string;
  newsletters: { id: number; slug: string; name: string }[];
  encoding: string;
  delimiter: string;
  header: boolean;
  emailColumn: { number: number; header: string | null };
  nameColumns: { number: number; header: string | null }[];
  totalRows: number | null;
  processedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  invalid: number;
  invalidRows: { line: number; reason: string }[];
  skippedRows: { line: number; reason: string }[];
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const POLL_MS = 1000;
const n = (value: number) => value.toLocaleString('en');
const finished = (i: SubscriberImportView) => i.status === 'done' || i.status === 'failed';

/** The assertion the server records with every imported reader (the `consent` field). */
const CONSENT_WORDS = 'Everyone in this file agreed to receive the newsletters I ticked.';

export default function SubscriberImport() {
  useTitle('Import subscribers');
  const [params, setParams] = useSearchParams();
  const id = Number(params.get('id')) || null;
  const recent = useApi<{ items: SubscriberImportView[] }>('/subscribers/imports');
  const reloadRecent = recent.reload;

  return (
    <div className="manage subscriber-import">
      <p className="breadcrumb">
        <Link to="/subscribers">Subscribers</Link>
      </p>
      <h1>Import subscribers</h1>
      {id ? (
        <ImportProgress key={id} id={id} onFinished={reloadRecent} onAnother={() => setParams({})} />
      ) : (
        <ImportForm
          onStarted={(started) => {
            setParams({ id: String(started.id) });
            reloadRecent();
          }}
        />
      )}
      <RecentImports loaded={recent} current={id} />
    </div>
  );
}

function ImportForm({ onStarted }: { onStarted: (started: SubscriberImportView) => void }) {
  const newsletters = useApi<{ items: Newsletter[] }>('/newsletters');
  const [chosen, setChosen] = useState<number[]>([]);
  const [mode, setMode] = useState<'subscribed' | 'pending'>('subscribed');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // One refused field: the server's whole sentence goes next to it (it says what to do); several: each one's own words.
  const field = (path: string) => (error?.field(path) ? (error.fields.length === 1 ? error.message : error.field(path)) : undefined);

  // A refused upload: the first field the server named takes the focus.
  useEffect(() => {
    if (error?.fields.length) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body = new FormData();
    // Text fields first, the file last.
    for (const newsletterId of chosen) body.append('newsletters', String(newsletterId));
    for (const name of ['emailColumn', 'nameColumn', 'header', 'delimiter', 'consent'] as const) {
      const value = data.get(name);
      if (typeof value === 'string' && value !== '') body.append(name, value);
    }
    body.append('mode', mode);
    const file = data.get('file');
    if (file instanceof File && file.name) body.append('file', file, file.name);
    setBusy(true);
    setError(undefined);
    try {
      onStarted(await api.post<SubscriberImportView>('/subscribers/imports', body));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e)));
    } finally {
      setBusy(false);
    }
  }

  const items = newsletters.data?.items ?? [];
  const newslettersError = field('/newsletters');
  return (
    <form ref={form} className="panel" aria-label="Import a CSV file" onSubmit={submit} noValidate>
      <p className="hint">
        A CSV file with one reader per row: an email address and, if you have them, names. Spreadsheet programs save one with
        “Save as… CSV”. The columns are found by themselves; set them below only if they are not.
      </p>
      <TextField label="CSV file" name="file" type="file" accept=".csv,.txt,.tsv,text/csv,text/plain" required error={field('/file')} hint="At most 20 MB (about 400,000 rows)." />
      <fieldset className="days" aria-describedby={newslettersError ? 'import-newsletters-error' : undefined}>
        <legend>Subscribe them to</legend>
        {newsletters.loading && !newsletters.data ? <Loading what="Loading newsletters" /> : null}
        <ErrorMessage error={newsletters.error} />
        {newsletters.data && items.length === 0 ? (
          <p>
            There are no newsletters yet. <Link to="/newsletters">Create one first</Link>.
          </p>
        ) : null}
        <ul>
          {items.map((newsletter) => (
            <li key={newsletter.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.includes(newsletter.id)}
                  aria-invalid={newslettersError ? true : undefined}
                  onChange={(e) => setChosen((list) => (e.target.checked ? [...list, newsletter.id] : list.filter((x) => x !== newsletter.id)))}
                />
                {newsletter.name}
              </label>
            </li>
          ))}
        </ul>
        <FieldMessages hintId="import-newsletters-hint" errorId="import-newsletters-error" error={newslettersError} />
      </fieldset>

      <details className="columns" open={Boolean(field('/emailColumn') || field('/nameColumn') || field('/header') || field('/delimiter'))}>
        <summary>Columns and format (optional)</summary>
        <TextField label="Email column" name="emailColumn" error={field('/emailColumn')} hint="The column's heading (for example “E-mail”) or its number: 1 is the first." />
        <TextField
          label="Name column"
          name="nameColumn"
          error={field('/nameColumn')}
          hint="A heading or a number; join two with + (“First name+Last name”); “none” for no names."
        />
        <SelectField label="First row" name="header" defaultValue="" error={field('/header')}>
          <option value="">Find out from the file</option>
          <option value="yes">Holds column headings</option>
          <option value="no">Is a reader</option>
        </SelectField>
        <SelectField label="Separator" name="delimiter" defaultValue="" error={field('/delimiter')}>
          <option value="">Find out from the file</option>
          <option value=",">Comma ( , )</option>
          <option value=";">Semicolon ( ; )</option>
          <option value="tab">Tab</option>
          <option value="|">Vertical bar ( | )</option>
        </SelectField>
      </details>

      <fieldset className="send-mode">
        <legend>How they are added</legend>
        <ul>
          <li>
            <label>
              <input type="radio" name="mode-choice" value="subscribed" checked={mode === 'subscribed'} onChange={() => setMode('subscribed')} aria-describedby="import-mode-subscribed" />
              Subscribed at once
            </label>
            <p className="hint" id="import-mode-subscribed">
              They get the next issue. Use this when they already asked for these newsletters, for example on a paper form.
            </p>
          </li>
          <li>
            <label>
              <input type="radio" name="mode-choice" value="pending" checked={mode === 'pending'} onChange={() => setMode('pending')} aria-describedby="import-mode-pending" />
              Pending: each reader confirms by email
            </label>
            <p className="hint" id="import-mode-pending">
              Each new reader gets the sign-up’s confirmation email (a few a second) and receives nothing else until they click its
              button. Readers already subscribed stay subscribed.
            </p>
          </li>
        </ul>
        <FieldMessages hintId="import-mode-hint" errorId="import-mode-error" error={field('/mode')} />
      </fieldset>

      <div className="field field-check consent">
        <input
          type="checkbox"
          id="import-consent"
          name="consent"
          value="yes"
          required
          aria-invalid={field('/consent') ? true : undefined}
          aria-describedby={describedBy('import-consent-hint', 'import-consent-error', true, field('/consent'))}
        />
        <label htmlFor="import-consent">{CONSENT_WORDS}</label>
        <FieldMessages
          hintId="import-consent-hint"
          errorId="import-consent-error"
          hint="Required. Importing people who did not agree is against the law in most countries. Each reader’s consent record names this file and you."
          error={field('/consent')}
        />
      </div>

      {error && !error.fields.length ? <ErrorMessage error={error} /> : null}
      {error && error.fields.length > 1 ? <ErrorMessage>The file was not imported: {error.message}</ErrorMessage> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Import'}
        </button>
      </div>
    </form>
  );
}

/** One import's progress, asked for every second until it ends, then its report. */
function ImportProgress({ id, onFinished, onAnother }: { id: number; onFinished: () => void; onAnother: () => void }) {
  const [current, setCurrent] = useState<SubscriberImportView>();
  const [error, setError] = useState<ApiError>();
  const heading = useRef<HTMLHeadingElement>(null);
  const done = current ? finished(current) : false;
  const reportFinished = useRef(onFinished);
  reportFinished.current = onFinished;

  /** One look at the import; false when there is nothing more to wait for. */
  const load = useCallback(
    async (signal: AbortSignal): Promise<boolean> => {
      try {
        const next = await api.get<SubscriberImportView>(`/subscribers/imports/${id}`, { signal });
        setCurrent(next);
        setError(undefined);
        if (!finished(next)) return true;
        reportFinished.current();
        return false;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return false;
        const failure = e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e));
        setError(failure);
        // A network hiccup or a 5xx: keep asking. No such import (404) or no permission: stop.
        return failure.status === 0 || failure.status >= 500;
      }
    },
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if ((await load(controller.signal)) && !controller.signal.aborted) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  // The screen changed under the keyboard user's feet (the form went away): put them at the progress heading.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  if (!current) {
    return (
      <section className="panel import-progress" aria-labelledby="import-heading">
        <h2 id="import-heading" ref={heading} tabIndex={-1}>
          Import {id}
        </h2>
        {error ? <ErrorMessage error={error} /> : <Loading what="Loading the import" />}
      </section>
    );
  }

  const total = current.totalRows;
  const percent = total ? Math.floor((current.processedRows / total) * 100) : 0;
  const stage =
    current.status === 'queued'
      ? 'Waiting for the server to start the import…'
      : current.status === 'running'
        ? total === null
          ? 'Reading the file…'
          : `${n(current.processedRows)} of ${n(total)} rows (${percent} %)`
        : current.status === 'done'
          ? `Done: ${n(current.processedRows)} of ${n(total ?? current.processedRows)} rows`
          : 'The import failed';

  return (
    <section className="panel import-progress" aria-labelledby="import-heading">
      <h2 id="import-heading" ref={heading} tabIndex={-1}>
        Importing {current.filename}
      </h2>
      <p className="hint">
        Into {current.newsletters.map((x) => x.name).join(', ') || '(a deleted newsletter)'}; addresses from column {describeColumn(current.emailColumn)}
        {current.nameColumns.length ? `, names from ${current.nameColumns.map(describeColumn).join(' + ')}` : ', no names'}; {current.encoding}.
      </p>
      <div className="field">
        <label htmlFor="import-progress-bar">Progress</label>
        {/* No value while the server counts the rows: an indeterminate bar. */}
        <progress id="import-progress-bar" max={total ?? undefined} value={done ? (total ?? 1) : total === null ? undefined : current.processedRows} aria-describedby="import-stage">
          {percent} %
        </progress>
        <p id="import-stage" className="stage" role="status" aria-live="polite">
          {stage}
        </p>
      </div>
      <ErrorMessage error={error} />
      {current.status === 'failed' ? <ErrorMessage>{current.error ?? 'The import failed.'}</ErrorMessage> : null}
      {done ? <ImportReport report={current} /> : null}
      {done ? (
        <div className="actions">
          <button type="button" onClick={onAnother}>
            Import another file
          </button>{' '}
          <Link to="/subscribers">See the subscribers</Link>
        </div>
      ) : null}
    </section>
  );
}

function describeColumn(c: { number: number; header: string | null }): string {
  return c.header ? `${c.number} (“${c.header}”)` : String(c.number);
}

function ImportReport({ report }: { report: SubscriberImportView }) {
  return (
    <div className="import-report">
      <h3>Report</h3>
      <dl className="import-counts">
        <div>
          <dt>New readers</dt>
          <dd>{n(report.created)}</dd>
        </div>
        <div>
          <dt>Known readers updated</dt>
          <dd>{n(report.updated)}</dd>
        </div>
        <div>
          <dt>Already subscribed</dt>
          <dd>{n(report.unchanged)}</dd>
        </div>
        <div>
          <dt>Duplicates in the file</dt>
          <dd>{n(report.duplicates)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{n(report.skipped)}</dd>
        </div>
        <div>
          <dt>Invalid</dt>
          <dd>{n(report.invalid)}</dd>
        </div>
      </dl>
      <LineList title="Invalid lines" lines={report.invalidRows} count={report.invalid} />
      <LineList title="Skipped lines" lines={report.skippedRows} count={report.skipped} />
    </div>
  );
}

function LineList({ title, lines, count }: { title: string; lines: { line: number; reason: string }[]; count: number }) {
  if (!count) return null;
  return (
    <div className="table-wrap">
      <table className="data import-lines">
        <caption>
          {title}
          {count > lines.length ? ` (the first ${n(lines.length)} of ${n(count)})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={`${l.line}-${l.reason}`}>
              <td>{l.line}</td>
              <td>{l.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_WORDS: Record<SubscriberImportView['status'], string> = { queued: 'Waiting', running: 'Importing', done: 'Done', failed: 'Failed' };

function RecentImports({ loaded, current }: { loaded: Loaded<{ items: SubscriberImportView[] }>; current: number | null }) {
  const { timeZone } = useSite();
  const items = loaded.data?.items ?? [];
  return (
    <section className="recent-imports" aria-labelledby="recent-imports-heading">
      <h2 id="recent-imports-heading">Recent imports</h2>
      <ErrorMessage error={loaded.error} />
      {loaded.data && items.length === 0 ? <p>No imports yet.</p> : null}
      {items.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Recent imports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Newsletters</th>
                <th scope="col">By</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Rows</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">
                    <Link to={`/subscribers/import?id=${i.id}`} aria-current={i.id === current ? 'page' : undefined}>
                      {i.filename}
                    </Link>
                  </th>
                  <td>{i.newsletters.map((x) => x.name).join(', ')}</td>
                  <td>{i.importer}</td>
                  <td>{formatDateTime(i.createdAt, timeZone)}</td>
                  <td>{STATUS_WORDS[i.status]}</td>
                  <td>
                    {n(i.processedRows)}
                    {i.totalRows !== null && i.totalRows !== i.processedRows ? ` of ${n(i.totalRows)}` : ''}
                    {finished(i) ? ` (${n(i.created)} new, ${n(i.invalid)} invalid, ${n(i.skipped)} skipped)` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
