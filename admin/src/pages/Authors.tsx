// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Authors() {
  useTitle('Authors');
  return <h1>Authors</h1>;
}
