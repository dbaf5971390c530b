/**
 * Content API keys (docs/content-api.md): one per app or partner. Admins make
 * a key (name, requests per minute, browser origins) and see its secret once,
 * right then; the list shows each key's start, limit, origins, who made it,
 * when it was last used, and revokes a key at once.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ConfirmDialog, Dialog, ErrorMessage, Loading } from '../components/Feedback';
import { TextArea, TextField } from '../components/Field';
import { useSubmit, type Submit } from '../forms/useSubmit';
import { formatDateTime } from '../format';
import { useApi, useTitle } from '../hooks';
import { StatusArea, useStatus } from '../manage/Status';
import { useSite } from '../site';
import '../list/list.css';
import '../manage/manage.css';

interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  rateLimit: number;
  corsOrigins: string[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export default function ApiKeys() {
  useTitle('API keys');
  const { timeZone, publicUrl } = useSite();
  const list = useApi<{ items: ApiKey[] }>('/api-keys');
  const status = useStatus();
  const [created, setCreated] = useState<{ key: ApiKey; secret: string }>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [editing, setEditing] = useState<ApiKey>();
  const revoke = useSubmit<HTMLDivElement>();

  const confirmRevoke = async () => {
    const key = revoking;
    if (!key) return;
    const ok = await revoke.run(() => api.post(`/api-keys/${key.id}/revoke`));
    setRevoking(undefined);
    if (ok) {
      status.show(`Revoked “${key.name}”. Apps using it now get 401 errors.`);
      list.reload();
    }
  };

  const items = list.data?.items ?? [];
  return (
    <div className="manage">
      <h1>API keys</h1>
      <p className="hint">
        Apps and partners read published stories through the Content API with a key of their own. Each key has its own rate limit and the web sites allowed to call from a
        browser. Revoking a key stops it at once. The API reference: <a href={`${publicUrl}/developers`}>{`${publicUrl}/developers`}</a>.
      </p>
      <StatusArea status={status} />
      {created ? (
        <section className="panel" aria-labelledby="new-key-title">
          <h2 id="new-key-title">The key for “{created.key.name}”</h2>
          <p>
            <strong>Copy it now: it is shown only this once.</strong> Give it to the app’s developers through a safe channel. If it is lost, revoke it and make a new one.
          </p>
          <p className="secret" aria-label="The new API key">
            {created.secret}
          </p>
          <div className="actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.secret).then(() => status.show('Copied the key.', false), () => undefined)}>
              Copy the key
            </button>
            <button type="button" className="primary" onClick={() => setCreated(undefined)}>
              I have copied it
            </button>
          </div>
        </section>
      ) : (
        <CreateKey
          onCreated={(result) => {
            setCreated(result);
            list.reload();
          }}
        />
      )}
      <h2>Keys</h2>
      <ErrorMessage error={list.error ?? revoke.error} />
      {!list.data && list.loading ? <Loading what="Loading the keys" /> : null}
      {list.data && items.length === 0 ? (
        <div className="empty">
          <p>No key yet.</p>
        </div>
      ) : null}
      {items.length ? (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key starts with</th>
                <th scope="col">Requests a minute</th>
                <th scope="col">Browser origins</th>
                <th scope="col">Made</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((key) => (
                <tr key={key.id}>
                  <th scope="row">
                    {key.name}
                    {key.revokedAt ? <><br /><span className="sub">Revoked {formatDateTime(key.revokedAt, timeZone)}</span></> : null}
                  </th>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.rateLimit.toLocaleString()}</td>
                  <td>{key.corsOrigins.length ? key.corsOrigins.join(', ') : 'None (server apps only)'}</td>
                  <td>
                    {formatDateTime(key.createdAt, timeZone)}
                    {key.createdBy ? <><br /><span className="sub">by {key.createdBy}</span></> : null}
                  </td>
                  <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, timeZone) : 'Never'}</td>
                  <td>
                    {key.revokedAt ? (
                      <span className="badge badge-unpublished">Revoked</span>
                    ) : (
                      <div className="actions">
                        <button type="button" onClick={() => setEditing(key)} aria-label={`Change the key “${key.name}”`}>
                          Change
                        </button>
                        <button type="button" className="danger" onClick={() => setRevoking(key)} aria-label={`Revoke the key “${key.name}”`}>
                          Revoke
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Dialog open={editing !== undefined} title={`Change the key “${editing?.name ?? ''}”`} onClose={() => setEditing(undefined)}>
        {editing ? (
          <EditKey
            apiKey={editing}
            onSaved={(saved) => {
              setEditing(undefined);
              status.show(`Saved “${saved.name}”: ${saved.rateLimit.toLocaleString()} requests a minute.`);
              list.reload();
            }}
            onCancel={() => setEditing(undefined)}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={revoking !== undefined}
        danger
        title={`Revoke the key “${revoking?.name ?? ''}”?`}
        message={<p>Every app or partner using it is refused from now on. This cannot be undone; make a new key if they need access again.</p>}
        confirmLabel={revoke.busy ? 'Revoking…' : 'Revoke the key'}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(undefined)}
      />
    </div>
  );
}

interface KeyForm {
  name: string;
  rateLimit: string;
  origins: string;
}

const formOf = (key?: ApiKey): KeyForm => ({ name: key?.name ?? '', rateLimit: String(key?.rateLimit ?? 600), origins: key?.corsOrigins.join('\n') ?? '' });

/** The body the Admin API takes; a rate limit that is not a whole number goes as typed, for the server to refuse beside its field. */
function bodyOf(form: KeyForm) {
  const limit = Number(form.rateLimit);
  return { name: form.name, rateLimit: Number.isInteger(limit) && form.rateLimit.trim() !== '' ? limit : form.rateLimit, corsOrigins: form.origins.split(/[\s,]+/).filter(Boolean) };
}

/** Name, requests a minute and browser origins, with the server's errors beside each (for making and changing a key). */
function KeyFields({ form, onChange, submit }: { form: KeyForm; onChange(form: KeyForm): void; submit: Submit<HTMLFormElement> }) {
  const originError = submit.error?.fields.find((f) => f.path.startsWith('/corsOrigins'))?.message;
  const known = Boolean(submit.error?.field('/name') || submit.error?.field('/rateLimit') || originError);
  return (
    <>
      <ErrorMessage error={submit.error && !known ? submit.error : undefined} />
      <div className="form-grid">
        <TextField label="Name" hint="Who or what it is for, e.g. “iPhone app” or “Regional partner feed”." required value={form.name} maxLength={80} onChange={(e) => onChange({ ...form, name: e.target.value })} error={submit.error?.field('/name')} />
        <TextField
          label="Requests a minute"
          hint="Requests over this in one minute get a 429 answer."
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          required
          value={form.rateLimit}
          onChange={(e) => onChange({ ...form, rateLimit: e.target.value })}
          error={submit.error?.field('/rateLimit')}
        />
      </div>
      <TextArea
        label="Browser origins (optional)"
        hint="Web sites that may call the API with this key from a browser, one a line, e.g. https://app.example.org. * allows any site. Leave empty for apps and servers."
        rows={3}
        value={form.origins}
        onChange={(e) => onChange({ ...form, origins: e.target.value })}
        error={originError}
      />
    </>
  );
}

/** The form for a new key. */
function CreateKey({ onCreated }: { onCreated(result: { key: ApiKey; secret: string }): void }) {
  const [form, setForm] = useState<KeyForm>(formOf());
  const submit = useSubmit();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    let result: { key: ApiKey; secret: string } | undefined;
    const ok = await submit.run(async () => {
      result = await api.post<{ key: ApiKey; secret: string }>('/api-keys', bodyOf(form));
    });
    if (ok && result) {
      setForm(formOf());
      onCreated(result);
    }
  };
  return (
    <form ref={submit.ref} className="panel" onSubmit={onSubmit} noValidate aria-labelledby="create-key-title">
      <h2 id="create-key-title">Make a key</h2>
      <KeyFields form={form} onChange={setForm} submit={submit} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Making the key…' : 'Make the key'}
        </button>
      </div>
    </form>
  );
}

/** Changing a key's name, limit or origins; the secret stays the same. */
function EditKey({ apiKey, onSaved, onCancel }: { apiKey: ApiKey; onSaved(key: ApiKey): void; onCancel(): void }) {
  const [form, setForm] = useState<KeyForm>(formOf(apiKey));
  const submit = useSubmit();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    let saved: ApiKey | undefined;
    const ok = await submit.run(async () => {
      saved = await api.patch<ApiKey>(`/api-keys/${apiKey.id}`, bodyOf(form));
    });
    if (ok && saved) onSaved(saved);
  };
  return (
    <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label="Change the key">
      <KeyFields form={form} onChange={setForm} submit={submit} />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
