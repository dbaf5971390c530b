// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Staff() {
  useTitle('Staff');
  return <h1>Staff</h1>;
}
