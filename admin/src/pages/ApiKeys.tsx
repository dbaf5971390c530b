/**
 * Content API keys (docs/content-api.md): one per app or partner. Admins make
 * a key (name, requests per minute, browser origins) and see its secret once,
 * right then; the list shows each key's start, limit, origins, who made it,
 * when it was last used, and revokes a key at once.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { TextArea, TextField } from '../components/Field';
import { useSubmit } from '../forms/useSubmit';
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
                      <button type="button" className="danger" onClick={() => setRevoking(key)} aria-label={`Revoke the key “${key.name}”`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
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

/** The form for a new key; the server's field errors sit next to their field. */
function CreateKey({ onCreated }: { onCreated(result: { key: ApiKey; secret: string }): void }) {
  const [name, setName] = useState('');
  const [rateLimit, setRateLimit] = useState('600');
  const [origins, setOrigins] = useState('');
  const submit = useSubmit();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    let result: { key: ApiKey; secret: string } | undefined;
    const limit = Number(rateLimit);
    const ok = await submit.run(async () => {
      result = await api.post<{ key: ApiKey; secret: string }>('/api-keys', {
        name,
        rateLimit: Number.isInteger(limit) ? limit : rateLimit,
        corsOrigins: origins.split(/[\s,]+/).filter(Boolean),
      });
    });
    if (ok && result) {
      setName('');
      setRateLimit('600');
      setOrigins('');
      onCreated(result);
    }
  };
  const originError = submit.error?.fields.find((f) => f.path.startsWith('/corsOrigins'))?.message;
  const known = Boolean(submit.error?.field('/name') || submit.error?.field('/rateLimit') || originError);
  return (
    <form ref={submit.ref} className="panel" onSubmit={onSubmit} noValidate aria-labelledby="create-key-title">
      <h2 id="create-key-title">Make a key</h2>
      <ErrorMessage error={submit.error && !known ? submit.error : undefined} />
      <div className="form-grid">
        <TextField label="Name" hint="Who or what it is for, e.g. “iPhone app” or “Regional partner feed”." required value={name} maxLength={80} onChange={(e) => setName(e.target.value)} error={submit.error?.field('/name')} />
        <TextField
          label="Requests a minute"
          hint="Requests over this in one minute get a 429 answer."
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          required
          value={rateLimit}
          onChange={(e) => setRateLimit(e.target.value)}
          error={submit.error?.field('/rateLimit')}
        />
      </div>
      <TextArea
        label="Browser origins (optional)"
        hint="Web sites that may call the API with this key from a browser, one a line, e.g. https://app.example.org. * allows any site. Leave empty for apps and servers."
        rows={3}
        value={origins}
        onChange={(e) => setOrigins(e.target.value)}
        error={originError}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Making the key…' : 'Make the key'}
        </button>
      </div>
    </form>
  );
}
