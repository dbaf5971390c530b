// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Tags() {
  useTitle('Tags');
  return <h1>Tags</h1>;
}
