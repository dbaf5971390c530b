// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Media() {
  useTitle('Media');
  return <h1>Media</h1>;
}
