/** Your own account: who you are, your password, two-step sign-in and where you are signed in. Every role. */
import { useApi, useTitle } from '../hooks';
import { ChangePassword } from '../manage/ChangePassword';
import { Sessions, type SessionRow } from '../manage/Sessions';
import { StatusArea, useStatus } from '../manage/Status';
import { TwoFactor } from '../manage/TwoFactor';
import { ROLE_NAMES } from '../manage/roles';
import { useSession } from '../session';
import { useSite } from '../site';
import '../manage/manage.css';

export default function Account() {
  useTitle('Your account');
  const { user, refresh } = useSession();
  const { timeZone } = useSite();
  const status = useStatus();
  const sessions = useApi<{ sessions: SessionRow[] }>('/sessions');

  return (
    <div className="manage">
      <h1>Your account</h1>
      <StatusArea status={status} />
      <section className="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">You</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>{ROLE_NAMES[user.role]}</dd>
        </dl>
        <p className="hint">If your name, email or role needs to change, ask an administrator.</p>
      </section>
      <ChangePassword status={status} onChanged={sessions.reload} />
      <TwoFactor enabled={user.twoFactor} status={status} onChanged={refresh} />
      <Sessions list={sessions} timeZone={timeZone} />
    </div>
  );
}
