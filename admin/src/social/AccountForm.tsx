/**
 * One network's connected account: its settings, its secrets (never shown:
 * "saved" or empty; typing a new one replaces it), save, test connection and
 * disconnect.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useSubmit } from '../forms/useSubmit';
import { formatDateTime } from '../format';
import { ACCOUNT_FIELDS } from './fields';
import type { SocialAccount, TestResult } from './types';

interface Props {
  account: SocialAccount;
  timeZone: string;
  onChange(account: SocialAccount | undefined): void;
  announce(message: string): void;
}

export function AccountForm({ account, timeZone, onChange, announce }: Props) {
  const { ref, busy, error, run } = useSubmit<HTMLFormElement>();
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...account.settings }));
  const [auth, setAuth] = useState(account.settings.auth ?? 'oauth1');
  const [test, setTest] = useState<TestResult>();
  const [confirming, setConfirming] = useState(false);
  const id = `social-${account.network}`;
  const fields = ACCOUNT_FIELDS[account.network].filter((f) => !f.auth || f.auth === auth);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const body: Record<string, string> = account.network === 'x' ? { auth } : {};
      for (const field of fields) {
        const value = (values[field.name] ?? '').trim();
        // An empty secret keeps the saved one; an empty setting is sent (the server applies its default or refuses).
        if (field.secret && !value) continue;
        body[field.name] = value;
      }
      const saved = await api.put<SocialAccount>(`/social/accounts/${account.network}`, body);
      setValues({ ...saved.settings });
      setTest(undefined);
      onChange(saved);
      announce(`${account.label} account saved. Test the connection to check it.`);
    });
  };

  const runTest = () =>
    void run(async () => {
      const result = await api.post<TestResult>(`/social/accounts/${account.network}/test`);
      setTest(result);
      onChange({ ...account, displayName: result.displayName ?? account.displayName, lastError: result.ok ? null : (result.error ?? null), verifiedAt: result.ok ? new Date().toISOString() : account.verifiedAt });
      announce(result.ok ? `${account.label}: connected as ${result.displayName}.` : `${account.label}: the connection test failed.`);
    });

  const disconnect = () =>
    void run(async () => {
      setConfirming(false);
      await api.delete(`/social/accounts/${account.network}`);
      onChange(undefined);
      setValues({});
      setTest(undefined);
      announce(`${account.label} disconnected: its token was deleted.`);
    });

  return (
    <section className="panel social-account" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{account.label}</h2>
      <p className="social-state">
        {account.connected ? (
          <>
            <strong>Connected</strong>
            {account.displayName ? (
              <>
                {' as '}
                {account.profileUrl ? <a href={account.profileUrl}>{account.displayName}</a> : account.displayName}
              </>
            ) : null}
            {account.verifiedAt ? <> · last checked {formatDateTime(account.verifiedAt, timeZone)}</> : <> · not tested yet</>}
          </>
        ) : (
          'Not connected: stories are not posted here.'
        )}
      </p>
      {account.lastError ? (
        <p className="error-text" role="alert">
          {account.lastError}
        </p>
      ) : null}
      {test?.ok ? <p className="success-text">Connection works: {test.displayName}.</p> : null}
      <form ref={ref} onSubmit={submit} noValidate>
        <ErrorMessage error={error} />
        {account.network === 'x' ? (
          <SelectField label="Sign-in kind" value={auth} onChange={(e) => setAuth(e.target.value)} disabled={busy}>
            <option value="oauth1">OAuth 1.0a user keys</option>
            <option value="oauth2">OAuth 2.0 user token</option>
          </SelectField>
        ) : null}
        {fields.map((field) => (
          <TextField
            key={field.name}
            label={
              field.secret ? (
                <>
                  {field.label} <span className="badge">{account.secrets[field.name] === 'set' ? 'saved' : 'not set'}</span>
                </>
              ) : (
                field.label
              )
            }
            name={field.name}
            type={field.secret ? 'password' : 'text'}
            autoComplete={field.secret ? 'new-password' : 'off'}
            spellCheck={false}
            placeholder={field.secret && account.secrets[field.name] === 'set' ? 'Leave empty to keep the saved one' : field.placeholder}
            hint={field.hint}
            value={values[field.name] ?? ''}
            maxLength={field.secret ? 4000 : 500}
            error={error?.field(`/${field.name}`)}
            disabled={busy}
            onChange={(e) => setValues((v) => ({ ...v, [field.name]: e.target.value }))}
          />
        ))}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {account.connected ? 'Save' : 'Connect'}
            <span className="visually-hidden"> {account.label}</span>
          </button>
          {account.connected ? (
            <>
              <button type="button" disabled={busy} onClick={runTest}>
                Test connection<span className="visually-hidden"> to {account.label}</span>
              </button>
              <button type="button" className="danger" disabled={busy} onClick={() => setConfirming(true)}>
                Disconnect<span className="visually-hidden"> {account.label}</span>
              </button>
            </>
          ) : null}
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={`Disconnect ${account.label}?`}
        message="Its token is deleted. Stories published from now on are not posted here; posts already made stay on the network."
        confirmLabel="Disconnect"
        danger
        onConfirm={disconnect}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}
