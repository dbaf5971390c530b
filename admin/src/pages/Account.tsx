// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Account() {
  useTitle('Account');
  return <h1>Account</h1>;
}
