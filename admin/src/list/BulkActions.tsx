/**
 * Unpublish or delete the selected articles (POST /articles/bulk). Each action
 * asks first, saying exactly what will happen to which articles (delete only
 * removes drafts readers never saw; anything ever published is unpublished
 * instead, so its address keeps saying "withdrawn"). The server's per-article
 * results are summed up afterwards. The server decides: a refusal (403) changes
 * nothing and its message is shown.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { ConfirmDialog, ErrorMessage } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { useSession } from '../session';
import type { ArticleListItem } from '../types';
import { plural } from './labels';

type Action = 'unpublish' | 'delete';
type Result = 'unpublished' | 'deleted' | 'unchanged' | 'not_found';
interface BulkAnswer {
  results: { id: number; result: Result }[];
}

export interface BulkOutcome {
  action: Action;
  results: { id: number; headline: string; result: Result }[];
}

/** The server deletes only articles readers never saw; anything ever published is unpublished instead. */
function neverPublished(item: ArticleListItem): boolean {
  return item.firstPublishedAt === null;
}

function UnpublishMessage({ items }: { items: ArticleListItem[] }) {
  const live = items.filter((i) => i.status === 'published').length;
  const scheduled = items.filter((i) => i.status === 'scheduled').length;
  const other = items.length - live - scheduled;
  return (
    <ul>
      {live ? <li>{plural(live, 'published article')} will come off the site; {live === 1 ? 'its page tells' : 'their pages tell'} readers it was withdrawn.</li> : null}
      {scheduled ? <li>{plural(scheduled, 'scheduled article')} will not go out and {scheduled === 1 ? 'goes' : 'go'} back to draft.</li> : null}
      {other ? <li>{plural(other, 'article')} that {other === 1 ? 'is' : 'are'} not on the site will stay as {other === 1 ? 'it is' : 'they are'}.</li> : null}
    </ul>
  );
}

function DeleteMessage({ items }: { items: ArticleListItem[] }) {
  const gone = items.filter(neverPublished).length;
  const kept = items.length - gone;
  return (
    <ul>
        {gone ? (
          <li>
            {plural(gone, 'article')} that readers never saw will be <strong>deleted for good</strong>, with {gone === 1 ? 'its' : 'their'} revisions and
            corrections. This cannot be undone.
          </li>
        ) : null}
        {kept ? (
          <li>
            {plural(kept, 'article')} that {kept === 1 ? 'was' : 'were'} published at some point will be <strong>unpublished instead</strong> (or stay
            unpublished): {kept === 1 ? 'its address keeps' : 'their addresses keep'} telling readers the article was withdrawn.
          </li>
        ) : null}
    </ul>
  );
}

export function BulkActions({ selected, onDone }: { selected: ArticleListItem[]; onDone(outcome: BulkOutcome): void }) {
  const { can } = useSession();
  const [asking, setAsking] = useState<Action | null>(null);
  const { busy, error, run: submit } = useSubmit();
  // At least their own articles: the server checks each one.
  const mayUnpublish = can('article.unpublish', true);
  const mayDelete = can('article.delete', true);
  if (!mayUnpublish && !mayDelete) return null;

  const run = (action: Action) => {
    setAsking(null);
    const headlines = new Map(selected.map((i) => [i.id, i.headline]));
    void submit(async () => {
      const answer = await api.post<BulkAnswer>('/articles/bulk', { action, ids: selected.map((i) => i.id) });
      onDone({ action, results: answer.results.map((r) => ({ ...r, headline: headlines.get(r.id) ?? `Article ${r.id}` })) });
    });
  };

  const count = selected.length;
  return (
    <>
      <div className="bulk-bar" role="group" aria-label="Selected articles">
        <p aria-live="polite">{count ? `${plural(count, 'article')} selected` : 'Select articles to unpublish or delete several at once.'}</p>
        {mayUnpublish ? (
          <button type="button" disabled={!count || busy} onClick={() => setAsking('unpublish')}>
            Unpublish selected
          </button>
        ) : null}
        {mayDelete ? (
          <button type="button" className="danger" disabled={!count || busy} onClick={() => setAsking('delete')}>
            Delete selected
          </button>
        ) : null}
        {busy ? <span role="status">Working…</span> : null}
      </div>
      <ErrorMessage error={error} />
      <ConfirmDialog
        open={asking === 'unpublish'}
        title={`Unpublish ${plural(count, 'article')}?`}
        message={<UnpublishMessage items={selected} />}
        confirmLabel="Unpublish"
        onConfirm={() => void run('unpublish')}
        onCancel={() => setAsking(null)}
      />
      <ConfirmDialog
        open={asking === 'delete'}
        title={`Delete ${plural(count, 'article')}?`}
        message={<DeleteMessage items={selected} />}
        confirmLabel="Delete"
        danger
        onConfirm={() => void run('delete')}
        onCancel={() => setAsking(null)}
      />
    </>
  );
}

const RESULT_WORDS: Record<Result, { one: string; many: string }> = {
  deleted: { one: 'deleted for good', many: 'deleted for good' },
  unpublished: { one: 'unpublished', many: 'unpublished' },
  unchanged: { one: 'left as it was', many: 'left as they were' },
  not_found: { one: 'was already gone', many: 'were already gone' },
};

/**
 * "2 deleted for good, 1 unpublished", with the headlines under each. It takes focus when it
 * appears: the button that started the action is disabled once the selection is cleared.
 */
export function BulkSummary({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [outcome]);
  const groups = (['deleted', 'unpublished', 'unchanged', 'not_found'] as Result[])
    .map((result) => ({ result, items: outcome.results.filter((r) => r.result === result) }))
    .filter((g) => g.items.length);
  return (
    <div className="notice notice-ok results" role="status" tabIndex={-1} ref={ref}>
      <p>
        <strong>Done:</strong> {groups.map((g) => `${plural(g.items.length, 'article')} ${g.items.length === 1 ? RESULT_WORDS[g.result].one : RESULT_WORDS[g.result].many}`).join('; ')}.
      </p>
      <ul>
        {groups.flatMap((g) =>
          g.items.map((r) => (
            <li key={r.id}>
              {r.headline}: {RESULT_WORDS[r.result].one}
            </li>
          )),
        )}
      </ul>
      <div className="actions">
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
