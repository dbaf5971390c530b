/** First run: the one-time setup link (printed by `npm start`) creates the owner's account. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useTitle } from '../hooks';
import { useSubmit } from '../forms/useSubmit';
import { useSessionContext } from '../session';
import { useFragmentToken } from '../tokens';
import type { SessionInfo } from '../types';

export function Setup() {
  useTitle('Set up Broadsheet');
  const { accept } = useSessionContext();
  const [required, setRequired] = useState<boolean>();
  const token = useFragmentToken();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [loadError, setLoadError] = useState<ApiError>();
  const { ref: formRef, busy, error: saveError, run } = useSubmit<HTMLFormElement>();
  // One message place for both: a failed check, then whatever the last attempt said.
  const error = saveError ?? loadError;

  useEffect(() => {
    api.get<{ required: boolean }>('/setup', { signedOut: true }).then((r) => setRequired(r.required), setLoadError);
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setLoadError(undefined);
      const info = await api.post<SessionInfo>('/setup', { token, ...form }, { signedOut: true });
      accept(info);
      window.location.assign('/admin/');
    });
  };

  if (required === undefined && !error) return <Loading />;
  return (
    <main id="main" className="signed-out narrow">
      <h1>Set up your newsroom</h1>
      {required === false ? (
        <p>
          This newsroom is already set up. <a href="/admin/">Sign in</a>.
        </p>
      ) : !token ? (
        <p>Open the setup link that <code>npm start</code> printed (it carries a one-time code), or run <code>broadsheet user create --role owner</code>.</p>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <p>Create the owner's account. There is no default password: you choose it now.</p>
          <ErrorMessage error={error} />
          <TextField label="Your name" autoComplete="name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={error?.field('/name')} />
          <TextField label="Email" type="email" autoComplete="username" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={error?.field('/email')} />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            hint="At least 12 characters. A phrase of several words is easy to remember and hard to guess."
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            error={error?.field('/password')}
          />
          <button type="submit" className="primary" disabled={busy}>
            Create account
          </button>
        </form>
      )}
    </main>
  );
}
