/**
 * Social accounts (docs/social.md): the newsroom's Mastodon, Bluesky,
 * Facebook Page and X accounts that published stories are posted to. Admins
 * connect, test and disconnect each; tokens are write-only.
 */
import { api } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { NoAccess } from '../manage/NoAccess';
import { StatusArea, useStatus } from '../manage/Status';
import { useSession } from '../session';
import { useSite } from '../site';
import { AccountForm } from '../social/AccountForm';
import type { SocialAccount } from '../social/types';
import '../manage/manage.css';
import '../social/social.css';

export default function SocialAccounts() {
  const { can } = useSession();
  useTitle('Social accounts');
  if (!can('settings.manage')) return <NoAccess title="Social accounts" />;
  return <Screen />;
}

function Screen() {
  const site = useSite();
  const status = useStatus();
  const loaded = useApi<{ items: SocialAccount[] }>('/social/accounts');
  const replace = (network: string, next: SocialAccount | undefined) => {
    if (!loaded.data) return;
    if (!next) {
      // Disconnected: show the empty form again from the server's view.
      void api.get<{ items: SocialAccount[] }>('/social/accounts').then((fresh) => loaded.setData(fresh));
      return;
    }
    loaded.setData({ items: loaded.data.items.map((a) => (a.network === network ? next : a)) });
  };
  return (
    <div className="narrow social-accounts">
      <h1>Social accounts</h1>
      <p className="hint">
        When a story is published for the first time, it is posted to every connected account with its headline (or the text set in the editor’s Social panel), its link
        and a card. Each post’s status shows in the editor. Tokens are kept on the server and never shown again after saving.
      </p>
      <StatusArea status={status} />
      {loaded.loading && !loaded.data ? <Loading /> : null}
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.data?.items.map((account) => (
        <AccountForm
          key={`${account.network}-${account.connectedAt ?? 'none'}`}
          account={account}
          timeZone={site.timeZone}
          onChange={(next) => replace(account.network, next)}
          announce={(message) => status.show(message, false)}
        />
      ))}
    </div>
  );
}
