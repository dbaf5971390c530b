/** A staff invitation (emailed link with #token=...): choose a password and join. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import { useTitle } from '../hooks';
import { useSubmit } from '../forms/useSubmit';
import { useSessionContext } from '../session';
import { useFragmentToken } from '../tokens';
import type { SessionInfo } from '../types';

export function AcceptInvitation() {
  useTitle('Join the newsroom');
  const { accept } = useSessionContext();
  const token = useFragmentToken();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { ref: formRef, busy, error, run } = useSubmit<HTMLFormElement>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const info = await api.post<SessionInfo>('/invitations/accept', { token, password, ...(name.trim() ? { name: name.trim() } : {}) }, { signedOut: true });
      accept(info);
      window.location.assign('/admin/');
    });
  };

  return (
    <main id="main" className="signed-out narrow">
      <h1>Join the newsroom</h1>
      {!token ? (
        <p>This page needs the link from your invitation email. Ask an admin to send a new invitation if it has expired.</p>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <ErrorMessage error={error} />
          <TextField label="Your name (leave empty to keep the one in the invitation)" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={error?.field('/name')} />
          <TextField
            label="Choose a password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters."
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error?.field('/password')}
          />
          <button type="submit" className="primary" disabled={busy}>
            Create my account
          </button>
        </form>
      )}
    </main>
  );
}
