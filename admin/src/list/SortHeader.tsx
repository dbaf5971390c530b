/** A table header that sorts by its column: a button inside the <th>, aria-sort on the sorted one. */
import type { ReactNode } from 'react';

export type Direction = 'asc' | 'desc';

export function SortHeader<K extends string>({
  column,
  sort,
  direction,
  onSort,
  children,
}: {
  column: K;
  sort: K;
  direction: Direction;
  onSort(column: K): void;
  children: ReactNode;
}) {
  const active = column === sort;
  return (
    <th scope="col" aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {children}
        <span className="arrow" aria-hidden="true">
          {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
