/** A line diff (longest common subsequence): enough to compare two versions paragraph by paragraph. */

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/** Lines of `before` missing from `after` are "removed", lines only in `after` are "added". */
export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  // Common head and tail first: most edits touch a few paragraphs in the middle.
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  const b = before.slice(start, endB);
  const a = after.slice(start, endA);
  const n = b.length;
  const m = a.length;
  // lcs[i][j]: length of the longest common subsequence of b[i..] and a[j..].
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = b[i] === a[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (b[i] === a[j]) {
      middle.push({ op: 'same', text: b[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) middle.push({ op: 'removed', text: b[i++]! });
    else middle.push({ op: 'added', text: a[j++]! });
  }
  while (i < n) middle.push({ op: 'removed', text: b[i++]! });
  while (j < m) middle.push({ op: 'added', text: a[j++]! });
  return [
    ...before.slice(0, start).map((text) => ({ op: 'same' as const, text })),
    ...middle,
    ...before.slice(endB).map((text) => ({ op: 'same' as const, text })),
  ];
}
