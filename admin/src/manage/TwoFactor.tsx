/**
 * Two-step sign-in for yourself: start (the server makes a secret), add it to
 * an authenticator app by typing the key or opening the otpauth:// link,
 * confirm with a code; or turn it off with your password.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import type { StatusState } from './Status';
import { useSubmit } from '../forms/useSubmit';

interface Enrolment {
  secret: string;
  uri: string;
}

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP": easier to type by hand (apps ignore the spaces). */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function TwoFactor({ enabled, status, onChanged }: { enabled: boolean; status: StatusState; onChanged(): Promise<void> }) {
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const start = useSubmit<HTMLDivElement>();
  const confirm = useSubmit();
  const disable = useSubmit();

  const begin = async () => {
    await start.run(async () => setEnrolment(await api.post<Enrolment>('/me/two-factor')));
  };

  const onConfirm = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await confirm.run(() => api.post('/me/two-factor/confirm', { code: code.replace(/\s/g, '') }));
    if (ok) {
      setEnrolment(undefined);
      setCode('');
      await onChanged();
      status.show('Two-step sign-in is on. From now on, signing in asks for a code from your app as well as your password.');
    }
  };

  const onDisable = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await disable.run(() => api.post('/me/two-factor/disable', { password }));
    setPassword('');
    if (ok) {
      await onChanged();
      status.show('Two-step sign-in is off. Signing in now needs only your password.');
    }
  };

  if (enabled) {
    return (
      <section className="panel" aria-labelledby="two-step-heading">
        <h2 id="two-step-heading">Two-step sign-in</h2>
        <p>
          <strong>On.</strong> Signing in asks for a code from your authenticator app.
        </p>
        <form ref={disable.ref} onSubmit={onDisable} noValidate aria-label="Turn off two-step sign-in" className="narrow">
          <ErrorMessage error={disable.error} />
          <TextField
            label="Your password"
            hint="To turn two-step sign-in off, confirm it is you."
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={disable.error?.field('/password')}
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={disable.busy || !password}>
              {disable.busy ? 'Turning off…' : 'Turn off two-step sign-in'}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <section className="panel" aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">Two-step sign-in</h2>
      <p>
        <strong>Off.</strong> With it on, signing in also asks for a 6-digit code from an authenticator app on your phone (such as Google
        Authenticator, Microsoft Authenticator, 1Password or Aegis), so a stolen password alone is not enough.
      </p>
      <div ref={start.ref}>
        <ErrorMessage error={start.error} />
        {!enrolment ? (
          <div className="actions">
            <button type="button" className="primary" onClick={() => void begin()} disabled={start.busy}>
              {start.busy ? 'Starting…' : 'Set up two-step sign-in'}
            </button>
          </div>
        ) : null}
      </div>
      {enrolment ? (
        <form ref={confirm.ref} onSubmit={onConfirm} noValidate aria-label="Confirm two-step sign-in">
          <ol>
            <li>
              <p>In your authenticator app, add an account and choose to enter a setup key. Type this key (time-based):</p>
              <p className="secret">
                {grouped(enrolment.secret)}
              </p>
              <p className="hint">
                On a phone with the app installed, this link may add it directly:{' '}
                <a href={enrolment.uri} className="uri">
                  {enrolment.uri}
                </a>
              </p>
            </li>
            <li>
              <p>Type the 6-digit code the app now shows.</p>
            </li>
          </ol>
          <ErrorMessage error={confirm.error} />
          <TextField
            label="Code from your app"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            maxLength={12}
            className="narrow"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={confirm.error?.field('/code')}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={confirm.busy || !code.trim()}>
              {confirm.busy ? 'Checking…' : 'Turn on two-step sign-in'}
            </button>
            <button
              type="button"
              onClick={() => {
                setEnrolment(undefined);
                setCode('');
                confirm.clear();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
