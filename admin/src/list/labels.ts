/** Reader-facing names of article labels, for selects and tables. */
import type { Label } from '../types';

export const LABEL_NAMES: Record<Label, string> = {
  news: 'News',
  analysis: 'Analysis',
  opinion: 'Opinion',
  review: 'Review',
  'fact-check': 'Fact check',
  sponsored: 'Sponsored',
};

/** "Alice Ng and Bo Li", "A, B and C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "1 article", "3 articles". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
