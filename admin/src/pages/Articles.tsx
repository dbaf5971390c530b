/**
 * Every article in the newsroom: status tabs with counts, filters, sortable
 * columns, pages, and bulk unpublish/delete. Filters, sort and page live in the
 * address (see list/articleQuery.ts), so reload, Back and shared links keep them.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { useSession } from '../session';
import type { ArticleList, Author, Section } from '../types';
import { ArticleFilters } from '../list/ArticleFilters';
import { ArticleTable } from '../list/ArticleTable';
import { articleListPath, defaultDirection, PAGE_SIZE, readArticleQuery, writeArticleQuery, type ArticleQuery, type ArticleSort } from '../list/articleQuery';
import { BulkActions, BulkSummary, type BulkOutcome } from '../list/BulkActions';
import { Pagination } from '../list/Pagination';
import { StatusTabs } from '../list/StatusTabs';
import '../list/list.css';

export default function Articles() {
  useTitle('Articles');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const current = useMemo(() => readArticleQuery(params), [params]);
  const path = articleListPath(current);
  const list = useApi<ArticleList>(path);
  const sections = useApi<{ items: Section[] }>('/sections');
  const authors = useApi<{ items: Author[] }>('/authors');
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [outcome, setOutcome] = useState<BulkOutcome>();

  // A selection belongs to the rows on screen: another page or filter starts empty.
  useEffect(() => setSelected(new Set()), [path]);

  const change = useCallback(
    (changes: Partial<ArticleQuery>, options?: { replace?: boolean }) => {
      // Any change but the page itself starts again at page 1.
      const next = { ...readArticleQuery(params), page: 1, ...changes };
      setParams(writeArticleQuery(next), { replace: options?.replace });
    },
    [params, setParams],
  );

  const sortBy = (column: ArticleSort) => {
    const direction = column === current.sort ? (current.direction === 'asc' ? 'desc' : 'asc') : defaultDirection(column);
    change({ sort: column, direction });
  };

  const select = (ids: number[], on: boolean) =>
    setSelected((before) => {
      const next = new Set(before);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const data = list.data;
  const items = data?.items ?? [];
  const selectedItems = items.filter((i) => selected.has(i.id));
  const bulkAllowed = can('article.unpublish', true) || can('article.delete', true);
  const filtered = Boolean(current.q || current.sectionId || current.authorId || current.label || current.mine || current.review || current.status);
  const lastPage = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <div className="page-head">
        <h1>Articles</h1>
        <Link className="button primary" to="/articles/new">
          New article
        </Link>
      </div>
      <StatusTabs current={current} counts={data?.counts} />
      <ArticleFilters current={current} sections={sections.data?.items ?? []} authors={authors.data?.items ?? []} onChange={change} />
      {outcome ? <BulkSummary outcome={outcome} onDismiss={() => setOutcome(undefined)} /> : null}
      {bulkAllowed ? (
        <BulkActions
          selected={selectedItems}
          onDone={(result) => {
            setOutcome(result);
            setSelected(new Set());
            list.reload();
          }}
        />
      ) : null}
      <ErrorMessage error={list.error} />
      {!data && list.loading ? <Loading what="Loading articles" /> : null}
      {data && items.length === 0 ? (
        <div className="empty">
          {current.page > lastPage && data.total > 0 ? (
            <p>
              There is no page {current.page}.{' '}
              <button type="button" className="link" onClick={() => change({ page: lastPage })}>
                Go to the last page
              </button>
            </p>
          ) : filtered ? (
            <p>No articles match these filters.</p>
          ) : (
            <p>
              No articles yet. <Link to="/articles/new">Write the first one</Link>.
            </p>
          )}
        </div>
      ) : null}
      {items.length ? (
        <ArticleTable
          items={items}
          sort={current.sort}
          direction={current.direction}
          onSort={sortBy}
          selectable={bulkAllowed}
          selected={selected}
          onSelect={select}
          busy={list.loading}
        />
      ) : null}
      {data ? <Pagination page={current.page} pageSize={PAGE_SIZE} total={data.total} noun="articles" onPage={(page) => change({ page })} /> : null}
    </>
  );
}
