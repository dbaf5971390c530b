// Placeholder until the screen is built.
import { useTitle } from '../hooks';

export default function ArticleEditor() {
  useTitle('ArticleEditor');
  return <h1>ArticleEditor</h1>;
}
