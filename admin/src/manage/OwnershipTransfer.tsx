/**
 * The owner hands the newsroom to another active staff member, confirming with
 * their password. Afterwards they are an admin; the session is re-read so the
 * screen shows what their new role allows.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { SelectField, TextField } from '../components/Field';
import { ConfirmDialog, ErrorMessage } from '../components/Feedback';
import type { User } from '../types';
import { ROLE_NAMES } from './roles';
import type { StatusState } from './Status';
import { useSubmit } from '../forms/useSubmit';

export function OwnershipTransfer({ users, me, status, onTransferred }: { users: User[]; me: User; status: StatusState; onTransferred(): Promise<void> }) {
  const candidates = users.filter((u) => u.active && u.id !== me.id);
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit();
  const chosen = candidates.find((u) => String(u.id) === userId);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Ask before the irreversible step; the server checks the choice and the password.
    setConfirming(true);
  };

  const transfer = async () => {
    setConfirming(false);
    const ok = await submit.run(() => api.post<{ owner: User }>('/ownership', { userId: Number(userId) || 0, password }));
    setPassword('');
    if (ok) {
      status.show(`${chosen?.name ?? 'They'} now own${chosen ? 's' : ''} the newsroom. You are an admin.`);
      await onTransferred();
    }
  };

  return (
    <section className="panel" aria-labelledby="ownership-heading">
      <h2 id="ownership-heading">Transfer ownership</h2>
      <p className="hint">There is one owner. After the transfer you become an admin, and only the new owner can transfer it again.</p>
      <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-labelledby="ownership-heading">
        <ErrorMessage error={submit.error} />
        <div className="form-grid">
          <SelectField label="New owner" value={userId} onChange={(e) => setUserId(e.target.value)} error={submit.error?.field('/userId')} required>
            <option value="">Choose a staff member</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email}, {ROLE_NAMES[u.role].toLowerCase()})
              </option>
            ))}
          </SelectField>
          <TextField
            label="Your password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={submit.error?.field('/password')}
          />
        </div>
        <div className="actions">
          <button type="submit" className="danger" disabled={submit.busy || !userId || !password}>
            {submit.busy ? 'Transferring…' : 'Transfer ownership'}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={`Make ${chosen?.name ?? 'them'} the owner?`}
        message={<p>You will become an admin and cannot take ownership back yourself.</p>}
        confirmLabel="Transfer ownership"
        danger
        onConfirm={() => void transfer()}
        onCancel={() => setConfirming(false)}
      />
    </section>
  );
}
