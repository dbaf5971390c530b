/**
 * The newsroom at a glance: what waits for review, what is scheduled, what went
 * out lately, the user's own drafts and the latest corrections, each linking to
 * the full list.
 */
import { Link } from 'react-router-dom';
import { formatDateTime, formatRelative } from '../format';
import { useApi, useTitle } from '../hooks';
import { useSession } from '../session';
import { useSite } from '../site';
import type { ArticleList, ArticleListItem } from '../types';
import { DashboardPanel } from '../list/DashboardPanel';
import { joinNames } from '../list/labels';
import { RecentCorrections } from '../list/RecentCorrections';
import '../list/list.css';

/** The API sorts by publication time, which a scheduled article does not have yet: order by the planned time here. */
const soonestFirst = (items: ArticleListItem[]) => [...items].sort((a, b) => (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? ''));

function Saved({ iso, verb }: { iso: string | null; verb: string }) {
  const { timeZone } = useSite();
  if (!iso) return null;
  return (
    <>
      {verb}{' '}
      <time dateTime={iso} title={formatDateTime(iso, timeZone)}>
        {formatRelative(iso)}
      </time>
    </>
  );
}

const byline = (item: ArticleListItem) => (item.authors.length ? ` · ${joinNames(item.authors.map((a) => a.name))}` : '');

export default function Dashboard() {
  useTitle('Dashboard');
  const { user, can } = useSession();
  const { timeZone } = useSite();
  const review = useApi<ArticleList>('/articles?review=true&pageSize=5');
  // Up to 100 scheduled articles, ordered here by when they go out.
  const scheduled = useApi<ArticleList>('/articles?status=scheduled&pageSize=100');
  const published = useApi<ArticleList>('/articles?status=published&sort=published&direction=desc&pageSize=10');
  const drafts = useApi<ArticleList>('/articles?status=draft&mine=true&pageSize=5');

  return (
    <>
      <div className="page-head">
        <h1>Dashboard</h1>
        {can('article.create') ? (
          <Link className="button primary" to="/articles/new">
            Write an article
          </Link>
        ) : null}
      </div>
      <p className="hint">Signed in as {user.name}.</p>
      <div className="dash-grid">
        <DashboardPanel
          title="Awaiting review"
          list={review}
          allLink="/articles?review=true"
          allText="All articles awaiting review"
          empty="Nothing is waiting for review."
          meta={(item) => (
            <>
              <Saved iso={item.reviewRequestedAt} verb="Submitted" />
              {byline(item)}
            </>
          )}
        />
        <DashboardPanel
          title="Scheduled"
          list={scheduled}
          order={soonestFirst}
          allLink="/articles?status=scheduled"
          allText="All scheduled articles"
          empty="Nothing is scheduled."
          meta={(item) => (item.scheduledAt ? <>Goes out {formatDateTime(item.scheduledAt, timeZone)}</> : 'Scheduled')}
        />
        <DashboardPanel
          title="Recently published"
          list={published}
          limit={10}
          allLink="/articles?status=published&sort=published"
          allText="All published articles"
          empty="Nothing has been published yet."
          meta={(item) => (
            <>
              <Saved iso={item.publishedAt} verb="Published" />
              {byline(item)}
            </>
          )}
        />
        <DashboardPanel
          title="Your drafts"
          list={drafts}
          allLink="/articles?status=draft&mine=true"
          allText="All your drafts"
          empty="You have no drafts."
          meta={(item) => <Saved iso={item.savedAt} verb="Saved" />}
        />
        <RecentCorrections />
      </div>
    </>
  );
}
