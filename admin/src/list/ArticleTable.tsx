/** The article list's table: selection checkboxes, sortable headers, one row per article. */
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { formatDateTime, formatRelative } from '../format';
import { useSite } from '../site';
import type { ArticleListItem } from '../types';
import type { ArticleSort } from './articleQuery';
import { LABEL_NAMES, joinNames } from './labels';
import { SortHeader, type Direction } from './SortHeader';
import { StatusBadge } from './StatusBadge';

export function ArticleTable({
  items,
  sort,
  direction,
  onSort,
  selectable,
  selected,
  onSelect,
  busy,
}: {
  items: ArticleListItem[];
  sort: ArticleSort;
  direction: Direction;
  onSort(column: ArticleSort): void;
  selectable: boolean;
  selected: ReadonlySet<number>;
  onSelect(ids: number[], on: boolean): void;
  busy: boolean;
}) {
  const { timeZone } = useSite();
  const allOn = items.length > 0 && items.every((i) => selected.has(i.id));
  const someOn = items.some((i) => selected.has(i.id));
  const all = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // "Some selected" has no HTML attribute; it is a property.
    if (all.current) all.current.indeterminate = someOn && !allOn;
  }, [someOn, allOn]);

  return (
    <div className={`table-wrap ${busy ? 'loading-overlay' : ''}`}>
      <table className="data" aria-busy={busy || undefined}>
        <caption className="visually-hidden">Articles</caption>
        <thead>
          <tr>
            {selectable ? (
              <th scope="col" className="check">
                <input
                  ref={all}
                  type="checkbox"
                  aria-label="Select all on this page"
                  checked={allOn}
                  onChange={(e) => onSelect(
                    items.map((i) => i.id),
                    e.target.checked,
                  )}
                />
              </th>
            ) : null}
            <SortHeader column="headline" sort={sort} direction={direction} onSort={onSort}>
              Headline
            </SortHeader>
            <th scope="col">Status</th>
            <th scope="col">Section</th>
            <th scope="col">Byline</th>
            <th scope="col">Label</th>
            <SortHeader column="updated" sort={sort} direction={direction} onSort={onSort}>
              Last saved
            </SortHeader>
            <SortHeader column="published" sort={sort} direction={direction} onSort={onSort}>
              Published
            </SortHeader>
            <th scope="col">Top rank</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              {selectable ? (
                <td className="check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${item.headline}`}
                    checked={selected.has(item.id)}
                    onChange={(e) => onSelect([item.id], e.target.checked)}
                  />
                </td>
              ) : null}
              <td>
                <Link className="headline" to={`/articles/${item.id}`}>
                  {item.headline || 'Untitled'}
                </Link>
                {item.reviewRequestedAt ? <span className="sub"> · awaiting review</span> : null}
              </td>
              <td>
                <StatusBadge status={item.status} scheduledAt={item.scheduledAt} />
              </td>
              <td>{item.section?.name ?? <span className="sub">None</span>}</td>
              <td>{item.authors.length ? joinNames(item.authors.map((a) => a.name)) : <span className="sub">None</span>}</td>
              <td>{LABEL_NAMES[item.label] ?? item.label}</td>
              <td>
                <time dateTime={item.savedAt} title={formatDateTime(item.savedAt, timeZone)}>
                  {formatRelative(item.savedAt)}
                </time>
              </td>
              <td>
                {item.publishedAt ? (
                  <time dateTime={item.publishedAt}>{formatDateTime(item.publishedAt, timeZone)}</time>
                ) : (
                  <span className="sub">Never</span>
                )}
              </td>
              <td className="num">{item.topRank ?? (
                  <span className="sub">
                    <span aria-hidden="true">–</span>
                    <span className="visually-hidden">Not ranked</span>
                  </span>
                )}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
