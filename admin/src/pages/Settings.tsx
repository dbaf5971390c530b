// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Settings() {
  useTitle('Settings');
  return <h1>Settings</h1>;
}
