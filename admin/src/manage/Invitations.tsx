/** Pending invitations (revoke) and the form to invite someone by email with a role. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { SelectField, TextField } from '../components/Field';
import { ConfirmDialog, ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime } from '../format';
import { useApi } from '../hooks';
import type { Role } from '../types';
import { plainFieldMessage } from '../forms/errors';
import { ASSIGNABLE_ROLES, ROLE_HELP, ROLE_NAMES } from './roles';
import type { StatusState } from './Status';
import { useSubmit } from '../forms/useSubmit';

export interface Invitation {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export function Invitations({ timeZone, status }: { timeZone: string; status: StatusState }) {
  const list = useApi<{ invitations: Invitation[] }>('/invitations');
  const invitations = list.data?.invitations ?? [];
  const revoke = useSubmit<HTMLDivElement>();
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const confirmRevoke = async () => {
    const invitation = revoking;
    setRevoking(null);
    if (!invitation) return;
    const ok = await revoke.run(() => api.delete(`/invitations/${invitation.id}`));
    list.reload();
    if (ok) {
      status.show(`The invitation to ${invitation.email} is withdrawn; its link no longer works.`);
    }
  };

  return (
    <>
      <div ref={revoke.ref}>
        <h2 id="invitations">Pending invitations</h2>
        <ErrorMessage error={list.error ?? revoke.error} />
        {list.loading && !list.data ? <Loading what="Loading invitations" /> : null}
        {list.data && invitations.length === 0 ? <p>No invitations are waiting to be accepted.</p> : null}
        {invitations.length > 0 ? (
          <table className="data">
            <caption className="visually-hidden">Pending invitations</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Sent</th>
                <th scope="col">Link works until</th>
                <th scope="col">
                  <span className="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((inv) => (
                <tr key={inv.id}>
                  <th scope="row">{inv.name}</th>
                  <td>{inv.email}</td>
                  <td>{ROLE_NAMES[inv.role]}</td>
                  <td>{formatDateTime(inv.createdAt, timeZone)}</td>
                  <td>{formatDateTime(inv.expiresAt, timeZone)}</td>
                  <td>
                    <button type="button" onClick={() => setRevoking(inv)} aria-label={`Revoke the invitation to ${inv.email}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <InviteForm
        onInvited={(inv) => {
          list.reload();
          status.show(`Invitation emailed to ${inv.email}. The link in it works for 7 days; ${inv.name} chooses a password to join.`);
        }}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the invitation to ${revoking?.email ?? ''}?`}
        message={<p>The link in the email stops working. You can invite them again later.</p>}
        confirmLabel="Revoke"
        danger
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(null)}
      />
    </>
  );
}

function InviteForm({ onInvited }: { onInvited(invitation: Invitation): void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('author');
  const submit = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    let invited: Invitation | undefined;
    const ok = await submit.run(async () => {
      invited = await api.post<Invitation>('/invitations', { email: email.trim(), name: name.trim(), role });
    });
    if (ok && invited) {
      setEmail('');
      setName('');
      onInvited(invited);
    }
  };

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <p className="hint">
        They get an email with a link to choose a password. If this server has no mail server set up (SMTP_URL), the email is saved in its
        outbox folder (DATA_DIR/outbox) instead, for whoever runs the server to pass on.
      </p>
      <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-labelledby="invite-heading">
        <ErrorMessage error={submit.error} />
        <div className="form-grid">
          <TextField
            label="Email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={plainFieldMessage(submit.error?.field('/email')) ?? (submit.error?.status === 409 ? submit.error.message : undefined)}
          />
          <TextField label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={submit.error?.field('/name')} />
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={submit.error?.field('/role')}>
            {ASSIGNABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}: {ROLE_HELP[r]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="actions">
          <button type="submit" className="primary" id="send-invitation" disabled={submit.busy}>
            {submit.busy ? 'Sending…' : 'Send invitation'}
          </button>
        </div>
      </form>
    </section>
  );
}
