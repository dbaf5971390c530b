/** What a screen shows to someone whose role may not use it (the navigation hides it, but an address can be typed). */
import { Link } from 'react-router-dom';
import { useTitle } from '../hooks';

export function NoAccess({ title }: { title: string }) {
  useTitle(title);
  return (
    <div className="narrow">
      <h1>{title}</h1>
      <p>You do not have access to this screen. If you need it, ask an administrator to change your role.</p>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </div>
  );
}
