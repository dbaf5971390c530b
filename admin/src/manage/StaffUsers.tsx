/**
 * The staff list: role, active, two-step sign-in. Controls the server would
 * refuse (your own role, the owner's account) are disabled with the reason;
 * anything else it refuses is shown as its message.
 */
import { useState } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage } from '../components/Feedback';
import { formatDateTime } from '../format';
import type { Role, User } from '../types';
import { ASSIGNABLE_ROLES, ROLE_NAMES } from './roles';
import type { StatusState } from './Status';
import { useSubmit } from '../forms/useSubmit';

type Pending = { kind: 'deactivate' | 'reactivate' | 'two-factor'; user: User } | null;

export function StaffUsers({ users, me, timeZone, status, onChanged }: { users: User[]; me: User; timeZone: string; status: StatusState; onChanged(user: User): void }) {
  const action = useSubmit<HTMLDivElement>();
  const [pending, setPending] = useState<Pending>(null);

  const patch = async (user: User, body: Partial<{ role: Role; active: boolean; twoFactor: false }>, done: (saved: User) => string) => {
    await action.run(async () => {
      const saved = await api.patch<User>(`/users/${user.id}`, body);
      onChanged(saved);
      status.show(done(saved), false);
    });
  };

  const confirm = () => {
    if (!pending) return;
    const { kind, user } = pending;
    setPending(null);
    if (kind === 'two-factor') void patch(user, { twoFactor: false }, (u) => `Two-step sign-in is off for ${u.name}. They can sign in with their password and set it up again.`);
    else if (kind === 'deactivate') void patch(user, { active: false }, (u) => `${u.name} is deactivated and signed out everywhere.`);
    else void patch(user, { active: true }, (u) => `${u.name} can sign in again.`);
  };

  /** Why a control is off, or undefined when the server would allow it. */
  const locked = (user: User) => (user.role === 'owner' ? 'The owner changes only by ownership transfer' : user.id === me.id ? 'This is you' : undefined);

  return (
    <div ref={action.ref}>
      <ErrorMessage error={action.error} />
      <table className="data">
        <caption className="visually-hidden">Staff accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Two-step sign-in</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const reason = locked(user);
            return (
              <tr key={user.id}>
                <th scope="row">
                  {user.name}
                  {user.id === me.id ? ' (you)' : ''}
                </th>
                <td>{user.email}</td>
                <td>
                  {reason ? (
                    <span title={reason}>{ROLE_NAMES[user.role]}</span>
                  ) : (
                    <select
                      aria-label={`Role of ${user.name}`}
                      value={user.role}
                      disabled={action.busy}
                      onChange={(e) => void patch(user, { role: e.target.value as Role }, (u) => `${u.name} is now ${ROLE_NAMES[u.role].toLowerCase()}.`)}
                    >
                      {ASSIGNABLE_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{user.active ? 'Active' : <span className="badge badge-unpublished">Deactivated</span>}</td>
                <td>
                  {user.twoFactor ? 'On' : 'Off'}
                  {user.twoFactor && !reason ? (
                    <>
                      {' '}
                      <button type="button" className="link" onClick={() => setPending({ kind: 'two-factor', user })} aria-label={`Turn off two-step sign-in for ${user.name}`}>
                        Turn off
                      </button>
                    </>
                  ) : null}
                </td>
                <td>{user.lastSignInAt ? formatDateTime(user.lastSignInAt, timeZone) : 'Never'}</td>
                <td>
                  {reason ? null : user.active ? (
                    <button type="button" onClick={() => setPending({ kind: 'deactivate', user })} aria-label={`Deactivate ${user.name}`}>
                      Deactivate
                    </button>
                  ) : (
                    <button type="button" onClick={() => setPending({ kind: 'reactivate', user })} aria-label={`Reactivate ${user.name}`}>
                      Reactivate
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'two-factor'
            ? `Turn off two-step sign-in for ${pending.user.name}?`
            : pending?.kind === 'deactivate'
              ? `Deactivate ${pending.user.name}?`
              : `Reactivate ${pending?.user.name ?? ''}?`
        }
        message={
          pending?.kind === 'two-factor' ? (
            <p>Do this only when you are sure it is them asking (they lost their phone, say). They will sign in with just their password until they set it up again.</p>
          ) : pending?.kind === 'deactivate' ? (
            <p>They are signed out on every device at once and cannot sign in until someone reactivates them. Their articles stay as they are.</p>
          ) : (
            <p>They will be able to sign in again with their password.</p>
          )
        }
        confirmLabel={pending?.kind === 'two-factor' ? 'Turn off' : pending?.kind === 'deactivate' ? 'Deactivate' : 'Reactivate'}
        danger={pending?.kind !== 'reactivate'}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}
