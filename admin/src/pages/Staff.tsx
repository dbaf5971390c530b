/** Staff: accounts and their roles, invitations, and (for the owner) ownership transfer. */
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { Invitations } from '../manage/Invitations';
import { NoAccess } from '../manage/NoAccess';
import { OwnershipTransfer } from '../manage/OwnershipTransfer';
import { StaffUsers } from '../manage/StaffUsers';
import { StatusArea, useStatus } from '../manage/Status';
import { useSession } from '../session';
import { useSite } from '../site';
import type { User } from '../types';
import '../manage/manage.css';

export default function Staff() {
  const { can } = useSession();
  if (!can('staff.manage')) return <NoAccess title="Staff" />;
  return <StaffScreen />;
}

function StaffScreen() {
  useTitle('Staff');
  const { user: me, can, refresh } = useSession();
  const { timeZone } = useSite();
  const list = useApi<{ users: User[] }>('/users');
  const status = useStatus();
  const users = list.data?.users ?? [];

  return (
    <div className="manage">
      <h1>Staff</h1>
      <StatusArea status={status} />
      <h2 id="accounts">Accounts</h2>
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading staff" /> : null}
      {list.data ? (
        <StaffUsers
          users={users}
          me={me}
          timeZone={timeZone}
          status={status}
          onChanged={(saved) => list.setData({ users: users.map((u) => (u.id === saved.id ? saved : u)) })}
        />
      ) : null}
      <Invitations timeZone={timeZone} status={status} />
      {can('ownership.transfer') && list.data ? (
        <OwnershipTransfer
          users={users}
          me={me}
          status={status}
          onTransferred={async () => {
            list.reload();
            await refresh();
          }}
        />
      ) : null}
    </div>
  );
}
