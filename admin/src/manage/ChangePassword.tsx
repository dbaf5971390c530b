/** Changing your own password: the current one, then the new one twice. The server signs out your other devices. */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import type { StatusState } from './Status';
import { useSubmit } from '../forms/useSubmit';

export function ChangePassword({ status, onChanged }: { status: StatusState; onChanged(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const submit = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await submit.run(async () => {
      if (next !== again) throw new ApiError(400, 'invalid', 'The new passwords do not match', [{ path: '/again', message: 'Type the same new password twice' }]);
      await api.put('/me/password', { currentPassword: current, newPassword: next });
    });
    if (ok) {
      setCurrent('');
      setNext('');
      setAgain('');
      status.show('Password changed. You are still signed in here; every other device you were signed in on has been signed out.');
      onChanged();
    }
  };

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <p className="hint">Changing it signs you out on every other device; this one stays signed in.</p>
      <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-labelledby="password-heading" className="narrow">
        <ErrorMessage error={submit.error} />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={submit.error?.field('/currentPassword')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters. A few unrelated words make a good one."
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={submit.error?.field('/newPassword')}
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          error={submit.error?.field('/again')}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={submit.busy}>
            {submit.busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
