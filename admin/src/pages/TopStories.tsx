/**
 * The home page's top stories: the ranked list (rank 1 leads the home page),
 * reordered by drag and drop or buttons, stories added by search or removed.
 * Changes are kept on this screen until "Save order" (one PUT of the whole
 * order), so an editor can try an arrangement before readers see it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading, StatusMessage } from '../components/Feedback';
import { formatRelative } from '../format';
import { useTitle } from '../hooks';
import { useSession } from '../session';
import type { Article, ArticleListItem } from '../types';
import { AddStory } from '../list/AddStory';
import { plural } from '../list/labels';
import { RankedList, type FocusRequest, type RankedStory } from '../list/RankedList';
import '../list/list.css';

const MAX_STORIES = 100; // the API's limit

const published = (iso: string | null) => (iso ? `Published ${formatRelative(iso)}` : 'Never published');

/** The ranked ids with their headlines: one GET per article (a ranking is short), skipping any that no longer exist. */
async function loadRanking(): Promise<{ stories: RankedStory[]; missing: number }> {
  const { articleIds } = await api.get<{ articleIds: number[] }>('/home/top-stories');
  const found = await Promise.all(
    articleIds.map((id) =>
      api.get<Article>(`/articles/${id}`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    ),
  );
  const stories = found.filter((a): a is Article => a !== null).map((a) => ({ id: a.id, headline: a.headline, status: a.status, detail: published(a.publishedAt) }));
  return { stories, missing: articleIds.length - stories.length };
}

const sameOrder = (a: number[], b: number[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export default function TopStories() {
  useTitle('Top stories');
  const { can } = useSession();
  const mayRank = can('homepage.rank');
  const [stories, setStories] = useState<RankedStory[]>();
  const [saved, setSaved] = useState<number[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [saveError, setSaveError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const [focus, setFocus] = useState<FocusRequest>();
  const [missing, setMissing] = useState(0);
  const saveButton = useRef<HTMLButtonElement>(null);
  // Every story shown since loading, so "Discard changes" can put back ones removed meanwhile.
  const known = useRef(new Map<number, RankedStory>());

  const load = useCallback(() => {
    setLoadError(undefined);
    loadRanking().then(
      (result) => {
        for (const story of result.stories) known.current.set(story.id, story);
        setStories(result.stories);
        setSaved(result.stories.map((s) => s.id));
        setMissing(result.missing);
      },
      (e: unknown) => setLoadError(e),
    );
  }, []);
  useEffect(() => {
    if (mayRank) load();
  }, [load, mayRank]);

  const ids = useMemo(() => (stories ?? []).map((s) => s.id), [stories]);
  const dirty = stories !== undefined && !sameOrder(ids, saved);

  // Leaving the page with an unsaved order asks first (in-app links are not blocked: BrowserRouter has no blocker).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const onFocusDone = useCallback(() => setFocus(undefined), []);

  if (!mayRank) {
    return (
      <>
        <h1>Top stories</h1>
        <ErrorMessage>Only editors can change the home page's top stories.</ErrorMessage>
      </>
    );
  }

  const change = (next: RankedStory[], text: string, focusRequest?: FocusRequest) => {
    for (const story of next) known.current.set(story.id, story);
    setStories(next);
    setMessage(`${text} Not saved yet.`);
    setSaveError(undefined);
    setFocus(focusRequest);
  };

  const add = (item: ArticleListItem) => {
    if (!stories || stories.some((s) => s.id === item.id)) return;
    const detail = [item.section?.name, published(item.publishedAt)].filter(Boolean).join(' · ');
    change([...stories, { id: item.id, headline: item.headline, status: item.status, detail }], `${item.headline || 'Untitled'} added at position ${stories.length + 1}.`);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const answer = await api.put<{ articleIds: number[] }>('/home/top-stories', { articleIds: ids });
      setSaved(answer.articleIds);
      setMissing(0);
      setMessage(`Order saved: ${plural(answer.articleIds.length, 'top story', 'top stories')}. The home page shows it now.`);
    } catch (e) {
      setSaveError(e);
      setMessage('');
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    // The Discard button goes away with the changes: keep the keyboard user next to it.
    saveButton.current?.focus();
    setStories(saved.flatMap((id) => known.current.get(id) ?? []));
    setMessage('Changes discarded: back to the saved order.');
  };

  return (
    <>
      <h1>Top stories</h1>
      <p className="hint">
        The home page leads with these stories, in this order. Drag a story by its handle (or focus the handle and use Space and the arrow keys), or
        use the Move buttons. Nothing changes for readers until you press <strong>Save order</strong>; after saving, the home page updates
        immediately.
      </p>
      <ErrorMessage error={loadError} />
      {!stories && !loadError ? <Loading what="Loading the top stories" /> : null}
      {missing ? (
        <div className="notice notice-warn">
          <p>{plural(missing, 'ranked article')} no longer {missing === 1 ? 'exists and is' : 'exist and are'} left out; saving removes them from the ranking.</p>
        </div>
      ) : null}
      {stories ? (
        <>
          {stories.length ? (
            <RankedList stories={stories} onChange={change} focus={focus} onFocusDone={onFocusDone} />
          ) : (
            <p className="empty">No top stories: the home page shows the latest articles. Add a story below.</p>
          )}
          <ErrorMessage error={saveError} />
          <div className="actions">
            {/* Never disabled: a button that disables itself on save would drop the keyboard user's focus. */}
            <button type="button" ref={saveButton} className="primary" aria-busy={saving || undefined} onClick={() => !saving && void save()}>
              {saving ? 'Saving…' : 'Save order'}
            </button>
            {dirty ? (
              <>
                <button type="button" disabled={saving} onClick={discard}>
                  Discard changes
                </button>
                <span className="notice-warn">Unsaved changes</span>
              </>
            ) : null}
          </div>
          <StatusMessage>{message}</StatusMessage>
          <AddStory ranked={new Set(ids)} full={stories.length >= MAX_STORIES} onAdd={add} />
        </>
      ) : null}
    </>
  );
}
