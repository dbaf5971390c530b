/** The article list's status tabs with counts ("All 38", "Drafts 3"): links, so each tab is an address. */
import { Link } from 'react-router-dom';
import type { ArticleStatus, StatusCounts } from '../types';
import { writeArticleQuery, type ArticleQuery } from './articleQuery';

const TABS: { status: ArticleStatus | ''; name: string; key: keyof StatusCounts }[] = [
  { status: '', name: 'All', key: 'all' },
  { status: 'draft', name: 'Drafts', key: 'draft' },
  { status: 'scheduled', name: 'Scheduled', key: 'scheduled' },
  { status: 'published', name: 'Published', key: 'published' },
  { status: 'unpublished', name: 'Unpublished', key: 'unpublished' },
];

export function StatusTabs({ current, counts }: { current: ArticleQuery; counts: StatusCounts | undefined }) {
  return (
    <nav className="tabs" aria-label="Article status">
      <ul>
        {TABS.map((tab) => (
          <li key={tab.key}>
            <Link
              to={{ search: `?${writeArticleQuery({ ...current, status: tab.status, page: 1 }).toString()}` }}
              aria-current={current.status === tab.status ? 'page' : undefined}
            >
              {tab.name}
              {counts ? (
                <>
                  {' '}
                  <span className="count">{counts[tab.key]}</span>
                </>
              ) : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
