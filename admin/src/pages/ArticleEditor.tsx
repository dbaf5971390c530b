/**
 * The article editor (/articles/new, /articles/:id): loads the article and the
 * lists it needs, restores unsaved changes kept on this device, and hands the
 * working copy to the editor screen. Saving lives in editor/autosave.ts; the
 * panels are in editor/*.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useTitle } from '../hooks';
import { useSession } from '../session';
import type { Article, Author, Section, Tag } from '../types';
import { readLocalCopy, type LocalCopy } from '../editor/autosave';
import { changedFields, pickFields } from '../editor/fields';
import { EditorScreen, storageKey } from '../editor/EditorScreen';

export default function ArticleEditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const param = id ?? 'new';
  // Creating an article changes the address from /new to /<id>; that must not reload the screen
  // (the cursor, the undo history). Any other change of address opens another article.
  const created = useRef<number | null>(null);
  const [instance, setInstance] = useState({ param, key: param });
  if (instance.param !== param) {
    const same = created.current !== null && param === String(created.current);
    setInstance({ param, key: same ? instance.key : param });
  }
  const articleId = id === undefined ? null : Number(id);
  if (id !== undefined && !(Number.isInteger(articleId) && articleId! > 0)) {
    return (
      <div className="narrow">
        <h1>Not found</h1>
        <p>There is no such article.</p>
      </div>
    );
  }
  return (
    <Loader
      key={instance.key}
      articleId={articleId}
      onCreated={(article) => {
        created.current = article.id;
        navigate(`/articles/${article.id}`, { replace: true });
      }}
    />
  );
}

interface Lists {
  sections: Section[];
  tags: Tag[];
  authors: Author[];
}

interface Loaded extends Lists {
  article: Article | null;
  restored: LocalCopy | null;
}

function Loader({ articleId, onCreated }: { articleId: number | null; onCreated(article: Article): void }) {
  const { user } = useSession();
  // The id this screen opened with; it stays the same when a new article gets its id.
  const [openedId] = useState(articleId);
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useTitle(loaded?.article?.headline || (openedId === null ? 'New article' : 'Edit article'));

  useEffect(() => {
    let live = true;
    setError(undefined);
    Promise.all([
      openedId === null ? Promise.resolve(null) : api.get<Article>(`/articles/${openedId}`),
      api.get<{ items: Section[] }>('/sections'),
      api.get<{ items: Tag[] }>('/tags'),
      api.get<{ items: Author[] }>('/authors'),
    ]).then(
      ([article, sections, tags, authors]) => {
        if (!live) return;
        const key = storageKey(user.id, openedId);
        let restored = readLocalCopy(localStorage, key);
        // A copy identical to the server's (say, a save sent as the page closed that did arrive) is not news.
        if (restored && article && changedFields({ ...pickFields(article), ...restored.fields }, pickFields(article)) === null) {
          localStorage.removeItem(key);
          restored = null;
        }
        setLoaded({ article, restored, sections: sections.items, tags: tags.items, authors: authors.items });
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [openedId, user.id, tick]);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <div className="narrow">
        <h1>{missing ? 'Not found' : 'Edit article'}</h1>
        {missing ? (
          <p>
            There is no article {openedId}. <Link to="/articles">Back to the articles</Link>
          </p>
        ) : (
          <>
            <ErrorMessage error={error} />
            <button type="button" onClick={() => setTick((t) => t + 1)}>
              Try again
            </button>
          </>
        )}
      </div>
    );
  }
  if (!loaded) return <Loading what="Loading the article" />;
  return <EditorScreen {...loaded} onCreated={onCreated} />;
}
