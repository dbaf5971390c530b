/** Sign in (with a two-step code when the account has one), and the same form when a session ends mid-work. */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { TextField } from '../components/Field';
import { Dialog, ErrorMessage } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { useSessionContext } from '../session';
import { useTitle } from '../hooks';
import type { SessionInfo } from '../types';

function SignInForm({ fixedEmail, onDone }: { fixedEmail?: string; onDone?: () => void }) {
  const { accept } = useSessionContext();
  const [email, setEmail] = useState(fixedEmail ?? '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const { ref: formRef, busy, error, run } = useSubmit<HTMLFormElement>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      try {
        const info = await api.post<SessionInfo>('/session', { email, password, ...(needTotp ? { totp } : {}) }, { signedOut: true });
        accept(info);
        onDone?.();
      } catch (e) {
        // Not a failure to show: the account has a second step, so the form now asks for the code.
        if (e instanceof ApiError && e.code === 'totp_required') setNeedTotp(true);
        else throw e;
      }
    });
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <ErrorMessage error={error} />
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        readOnly={fixedEmail !== undefined}
        onChange={(e) => setEmail(e.target.value)}
        error={error?.field('/email')}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error?.field('/password')}
      />
      {needTotp ? (
        <TextField
          label="Code from your authenticator app"
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          value={totp}
          onChange={(e) => setTotp(e.target.value)}
          error={error?.code === 'invalid_totp' ? error.message : undefined}
        />
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

export function SignIn() {
  useTitle('Sign in');
  return (
    <main id="main" className="signed-out narrow">
      <h1>Sign in</h1>
      <SignInForm />
      <p>
        <Link to="/reset-password">Forgot your password?</Link>
      </p>
    </main>
  );
}

/** Shown over the current screen: nothing on it is lost, and saving resumes after signing in. */
export function SessionExpiredDialog({ email }: { email: string }) {
  return (
    <Dialog open title="Your session has ended" onClose={() => undefined} dismissable={false}>
      <p>Sign in again to carry on. Your unsaved work is kept on this page and will be saved when you are back.</p>
      <SignInForm fixedEmail={email} />
    </Dialog>
  );
}
