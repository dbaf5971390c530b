// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function TopStories() {
  useTitle('TopStories');
  return <h1>TopStories</h1>;
}
