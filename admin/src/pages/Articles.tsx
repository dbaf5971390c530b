// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Articles() {
  useTitle('Articles');
  return <h1>Articles</h1>;
}
