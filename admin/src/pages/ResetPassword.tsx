/** Forgotten password: ask for a link by email; the link (with #token=...) opens this page to choose a new one. */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage, StatusMessage } from '../components/Feedback';
import { useTitle } from '../hooks';
import { useSubmit } from '../forms/useSubmit';
import { useFragmentToken } from '../tokens';

export function ResetPassword() {
  const token = useFragmentToken();
  // A new token (the emailed link opened in this tab) starts the page afresh: a fresh form, no old message.
  return <ResetPasswordForm key={token} token={token} />;
}

function ResetPasswordForm({ token }: { token: string }) {
  useTitle(token ? 'Choose a new password' : 'Reset your password');
  const [value, setValue] = useState('');
  const [done, setDone] = useState('');
  const { ref: formRef, busy, error, run } = useSubmit<HTMLFormElement>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      if (token) {
        await api.post('/password-reset/complete', { token, password: value }, { signedOut: true });
        setDone('Your password is changed. Every session was signed out: sign in with the new password.');
      } else {
        await api.post('/password-reset', { email: value }, { signedOut: true });
        setDone('If that address belongs to a staff account, a link to reset the password is on its way. It works for one hour.');
      }
    });
  };

  return (
    <main id="main" className="signed-out narrow">
      <h1>{token ? 'Choose a new password' : 'Reset your password'}</h1>
      <StatusMessage>{done}</StatusMessage>
      {done ? (
        <p>
          <Link to="/">Go to sign in</Link>
        </p>
      ) : (
        <form ref={formRef} onSubmit={submit} noValidate>
          <ErrorMessage error={error} />
          {token ? (
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters."
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
              error={error?.field('/password')}
            />
          ) : (
            <TextField label="Email" type="email" autoComplete="username" required value={value} onChange={(e) => setValue(e.target.value)} error={error?.field('/email')} />
          )}
          <button type="submit" className="primary" disabled={busy}>
            {token ? 'Change password' : 'Send me a link'}
          </button>
        </form>
      )}
    </main>
  );
}
