/** The signed-in shell: skip link, navigation by permission, the signed-in user, and the screen. */
import { NavLink, Outlet } from 'react-router-dom';
import { useSession } from '../session';
import { useSite } from '../site';

interface NavItem {
  to: string;
  label: string;
  /** Shown when the user may do this action at all (on anything or on their own things). */
  action?: string;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/articles', label: 'Articles' },
  { to: '/top-stories', label: 'Top stories', action: 'homepage.rank' },
  { to: '/media', label: 'Media', action: 'media.view' },
  { to: '/sections', label: 'Sections', action: 'section.manage' },
  { to: '/tags', label: 'Tags', action: 'tag.manage' },
  { to: '/authors', label: 'Authors', action: 'byline.manage' },
  { to: '/newsletters', label: 'Newsletters', action: 'newsletter.manage' },
  { to: '/subscribers', label: 'Subscribers', action: 'newsletter.manage' },
  { to: '/suppressions', label: 'Suppression list', action: 'newsletter.manage' },
  { to: '/prompts', label: 'Prompts', action: 'prompts.manage' },
  { to: '/push-alerts', label: 'Push alerts', action: 'push.send' },
  { to: '/donations', label: 'Donations', action: 'revenue.manage' },
  { to: '/donors', label: 'Donors', action: 'revenue.manage' },
  { to: '/staff', label: 'Staff', action: 'staff.manage' },
  { to: '/settings', label: 'Settings', action: 'settings.manage' },
  { to: '/social-accounts', label: 'Social accounts', action: 'settings.manage' },
  { to: '/api-keys', label: 'API keys', action: 'apikeys.manage' },
];

export function Layout() {
  const { user, permissions, signOut } = useSession();
  const site = useSite();
  const allowed = (item: NavItem) => !item.action || (permissions[item.action] ?? 'none') !== 'none';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={site.publicUrl || '/'} title="Open the site">
          {site.name}
        </a>
        <nav aria-label="Admin">
          <ul>
            {NAV.filter(allowed).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <NavLink to="/account" title="Your account">
            {user.name} <span className="role">({user.role})</span>
          </NavLink>
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
