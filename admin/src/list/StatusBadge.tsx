/** An article's status as a coloured badge; a scheduled one says when it goes live (site time zone). */
import { formatDateTime } from '../format';
import { useSite } from '../site';
import type { ArticleStatus } from '../types';

export const STATUS_NAMES: Record<ArticleStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

export function StatusBadge({ status, scheduledAt }: { status: ArticleStatus; scheduledAt?: string | null }) {
  const { timeZone } = useSite();
  const when = status === 'scheduled' && scheduledAt ? formatDateTime(scheduledAt, timeZone) : '';
  return (
    <span className={`badge badge-${status}`}>
      {STATUS_NAMES[status]}
      {when ? ` for ${when}` : ''}
    </span>
  );
}
