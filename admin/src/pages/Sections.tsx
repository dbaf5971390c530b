// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function Sections() {
  useTitle('Sections');
  return <h1>Sections</h1>;
}
