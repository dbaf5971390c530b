/**
 * Someone saved the article while this person was editing (409): autosaving has
 * stopped; nothing is overwritten until the user compares and chooses.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { Dialog, ErrorMessage, Loading } from '../components/Feedback';
import { formatDateTime } from '../format';
import type { Article, ArticleFields } from '../types';
import { Compare } from './Compare';
import { bodyParagraphs, pickFields } from './fields';

interface Props {
  articleId: number;
  error: ApiError;
  working: ArticleFields;
  timeZone: string;
  onKeepMine(current: Article): Promise<void>;
  onTakeTheirs(current: Article): void;
}

export function ConflictDialog({ articleId, error, working, timeZone, onKeepMine, onTakeTheirs }: Props) {
  const [current, setCurrent] = useState<Article>();
  const [loadError, setLoadError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const changedBy = typeof error.details.changedBy === 'string' && error.details.changedBy ? error.details.changedBy : 'Someone else';
  const changedAt = typeof error.details.changedAt === 'string' ? formatDateTime(error.details.changedAt, timeZone) : '';

  useEffect(() => {
    let live = true;
    setLoadError(undefined);
    api.get<Article>(`/articles/${articleId}`).then(
      (article) => live && setCurrent(article),
      (e: unknown) => live && setLoadError(e),
    );
    return () => {
      live = false;
    };
  }, [articleId, tick]);

  const keepMine = async () => {
    if (!current) return;
    setBusy(true);
    setActionError(undefined);
    try {
      await onKeepMine(current);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const copyAndReload = async () => {
    if (!current) return;
    setActionError(undefined);
    try {
      await navigator.clipboard.writeText(bodyParagraphs(working.body).join('\n\n'));
    } catch {
      // Without the clipboard the text must not be thrown away: keep the dialog open and say so.
      setActionError(new Error('Could not copy to the clipboard (the browser refused). Your version is still here: copy it by hand or keep it.'));
      return;
    }
    onTakeTheirs(current);
  };

  return (
    <Dialog open title="Someone else changed this article" onClose={() => undefined} dismissable={false}>
      <p>
        <strong>{changedBy}</strong> saved this article{changedAt ? ` at ${changedAt}` : ''} while you were editing. Your changes are
        not lost: they are kept on this device until you choose what to do.
      </p>
      {loadError ? (
        <>
          <ErrorMessage error={loadError} />
          <button type="button" onClick={() => setTick((t) => t + 1)}>
            Try again
          </button>
        </>
      ) : !current ? (
        <Loading what="Loading their version" />
      ) : (
        <details className="compare-box">
          <summary>Compare your version with theirs</summary>
          <Compare mine={working} theirs={pickFields(current)} mineLabel="Your version" theirsLabel="Their version" />
        </details>
      )}
      <ErrorMessage error={actionError} />
      <div className="actions">
        <button type="button" className="primary" disabled={!current || busy} onClick={() => void keepMine()}>
          Keep my version
        </button>
        <button type="button" disabled={!current || busy} onClick={() => current && onTakeTheirs(current)}>
          Take their version
        </button>
        <button type="button" disabled={!current || busy} onClick={() => void copyAndReload()}>
          Copy my text and reload
        </button>
      </div>
      <p className="hint">
        “Keep my version” saves the changes you made over theirs (what they changed elsewhere stays). “Take their version” discards your changes. “Copy my text and reload” puts your
        article text on the clipboard, then loads theirs.
      </p>
    </Dialog>
  );
}
