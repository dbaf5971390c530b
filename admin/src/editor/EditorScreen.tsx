/**
 * The editor screen: the main column (headline, standfirst, text) and the
 * sidebar (publishing, section, bylines, tags, image, home page, search and
 * social, revisions, corrections). The working copy lives in the Autosaver;
 * this component shows it, sends edits to it, and runs the workflow actions
 * after saving whatever is pending.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { ErrorMessage, StatusMessage } from '../components/Feedback';
import { SelectField, TextArea, TextField } from '../components/Field';
import { useSession } from '../session';
import { LABEL_NAMES } from '../list/labels';
import { useSite } from '../site';
import { LABELS, type Article, type ArticleFields, type Author, type Correction, type Revision, type Section, type Tag } from '../types';
import { Autosaver, type LocalCopy, type Snapshot } from './autosave';
import { BodyEditor } from './BodyEditor';
import { Bylines } from './Bylines';
import { ConflictDialog } from './ConflictDialog';
import { Corrections } from './Corrections';
import { FeaturedImage } from './FeaturedImage';
import { slugFollowsHeadline, slugify } from './fields';
import { Homepage } from './Homepage';
import { Revisions } from './Revisions';
import { SeoPanel } from './SeoPanel';
import { Tags } from './Tags';
import { useAutosave } from './useAutosave';
import { Workflow, type WorkflowActions } from './Workflow';
import { RelatedPanel } from './RelatedPanel';
import { SocialPanel } from '../social/SocialPanel';
import { NewsletterAlert } from './NewsletterAlert';
import { PushAlertPanel } from '../push/PushAlertPanel';
import { BreakingOffer } from '../push/BreakingOffer';
import './editor.css';

/** Unsaved changes on this device, per user (a shared computer) and per article ("new" before it has an id). */
export function storageKey(userId: number, articleId: number | null): string {
  return `broadsheet:article-draft:${userId}:${articleId ?? 'new'}`;
}

interface Props {
  article: Article | null;
  restored: LocalCopy | null;
  sections: Section[];
  tags: Tag[];
  authors: Author[];
  onCreated(article: Article): void;
}

const SEO_PATHS = ['/seoTitle', '/seoDescription', '/socialTitle', '/socialDescription', '/socialImageUrl', '/canonicalUrl'];

export function EditorScreen({ article, restored, sections, authors, tags: initialTags, onCreated }: Props) {
  const { user, can } = useSession();
  const site = useSite();
  const onCreatedRef = useRef(onCreated);
  onCreatedRef.current = onCreated;
  const [saver] = useState(
    () =>
      new Autosaver({
        server: article,
        restored,
        storage: localStorage,
        storageKey: (id) => storageKey(user.id, id),
        transport: {
          create: (fields) => api.post<Article>('/articles', fields),
          patch: (id, body, keepalive) => api.patch<Article>(`/articles/${id}`, body, { keepalive }),
        },
        onCreated: (created) => onCreatedRef.current(created),
      }),
  );
  const snap = useAutosave(saver);
  const fields = snap.working;
  const server = snap.server;
  const articleId = snap.id;

  const [tags, setTags] = useState(initialTags);
  const [actionError, setActionError] = useState<unknown>();
  const [invalid, setInvalid] = useState<ApiError>();
  const [focusInvalid, setFocusInvalid] = useState(0);
  const [seoOpen, setSeoOpen] = useState(false);
  const [previewUrl, setPreviewUrl] = useState('');
  const [imageUrl, setImageUrl] = useState('');
  const [slugNote, setSlugNote] = useState('');
  const pushPanel = useRef<HTMLElement>(null);
  const [restoredNotice, setRestoredNotice] = useState(restored !== null);
  const [slugAuto, setSlugAuto] = useState(
    () => !article || (!article.firstPublishedAt && article.status !== 'published' && slugFollowsHeadline(fields.slug, fields.headline)),
  );
  const mainRef = useRef<HTMLDivElement>(null);
  // Once readers have seen the address, it never changes by itself (a new slug means a redirect).
  const everPublished = Boolean(snap.server?.firstPublishedAt);
  useEffect(() => {
    if (everPublished) setSlugAuto(false);
  }, [everPublished]);

  // Changes restored from this device are sent as soon as the screen is up.
  useEffect(() => {
    if (restored) void saver.saveNow();
  }, [saver, restored]);

  // Field errors from the last refused save stay until a save succeeds.
  const state = snap.state;
  useEffect(() => {
    if (state.kind === 'invalid') {
      const error = state.error;
      // An automatic slug that another article already uses: keep the current address instead.
      if (slugAuto && error.fields.length > 0 && error.fields.every((f) => f.path === '/slug') && server) {
        setSlugAuto(false);
        setSlugNote(`Another article already uses “${saver.getSnapshot().working.slug}”, so the address stays “${server.slug}”. Edit it if you like.`);
        saver.edit({ slug: server.slug });
        return;
      }
      setInvalid(error);
      if (error.fields.some((f) => SEO_PATHS.includes(f.path))) setSeoOpen(true);
    } else if (state.kind === 'clean') setInvalid(undefined);
  }, [state, slugAuto, server, saver]);

  // After an explicit action fails on field errors, move focus to the first one (never during autosave:
  // focus must not jump away from someone typing).
  useEffect(() => {
    if (!focusInvalid) return;
    const first = mainRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
  }, [focusInvalid]);

  const edit = useCallback((patch: Partial<ArticleFields>) => saver.edit(patch), [saver]);
  const err = (path: string) => {
    // The server's wording for an empty headline is a schema message; say it plainly.
    if (path === '/headline' && invalid?.field(path) && !fields.headline.trim()) return 'Write a headline: every article needs one.';
    return invalid?.field(path);
  };

  const own = !server || server.createdBy === user.id;
  const status = server?.status ?? 'draft';
  const canEdit = server ? (status === 'published' ? can('article.edit-published', own) : can('article.edit', own)) : can('article.create');
  const disabled = !canEdit;

  // --- workflow ----------------------------------------------------------------------

  /** Says (and points at) what stopped the last save. */
  const explainFailure = () => {
    const now = saver.getSnapshot().state;
    if (now.kind === 'invalid') {
      setInvalid(now.error);
      setFocusInvalid((n) => n + 1);
    } else if (now.kind === 'needs-headline') {
      setActionError(new Error('Add a headline first.'));
      setFocusInvalid((n) => n + 1);
    } else if (now.kind === 'retrying') setActionError(new Error('Could not save: the server cannot be reached. Your changes are kept on this device.'));
    else if (now.kind === 'session') setActionError(new Error('Sign in again to save your changes.'));
    else if (now.kind === 'failed') setActionError(now.error);
  };

  /** Saves what is pending before an action; false (with the reason shown) when it could not. */
  const ensureSaved = async (): Promise<boolean> => {
    setActionError(undefined);
    if (!canEdit) return true;
    if (await saver.saveNow()) return true;
    explainFailure();
    return false;
  };

  const act = async (run: (version: number) => Promise<Article | null>, options?: { reset?: boolean }) => {
    try {
      return await saver.act(run, options);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) {
        setInvalid(e);
        setFocusInvalid((n) => n + 1);
      }
      setActionError(e);
      return null;
    }
  };

  const path = (suffix = '') => `/articles/${saver.getSnapshot().id}${suffix}`;
  const actions: WorkflowActions = {
    saveNow: async () => {
      await ensureSaved();
    },
    publishNow: async () => {
      if (await ensureSaved()) await act((version) => api.post<Article>(path('/publish'), { version }));
    },
    schedule: async (at) => {
      if (await ensureSaved()) await act((version) => api.post<Article>(path('/publish'), { at, version }));
    },
    cancelSchedule: async () => {
      setActionError(undefined);
      await act(() => api.post<Article>(path('/unpublish'), {}));
    },
    submit: async () => {
      if (await ensureSaved()) await act((version) => api.post<Article>(path('/submit'), { version }));
    },
    unpublish: async () => {
      // Pending changes are not saved first: on a live article that would publish them for a moment.
      setActionError(undefined);
      await act(() => api.post<Article>(path('/unpublish'), {}));
    },
    update: async (note) => {
      setActionError(undefined);
      const ok = await saver.saveNow({ markUpdated: true, ...(note ? { note } : {}) });
      if (!ok) explainFailure();
      return ok;
    },
    preview: async () => {
      if (!(await ensureSaved())) return;
      try {
        const { url } = await api.post<{ url: string }>(path('/preview-link'), {});
        setPreviewUrl(url);
        window.open(url, '_blank', 'noopener');
      } catch (e) {
        setActionError(e);
      }
    },
  };

  const restoreRevision = async (revision: Revision) => {
    if (!(await ensureSaved())) throw new Error('Your changes could not be saved, so nothing was restored.');
    await act((version) => api.post<Article>(path(`/revisions/${revision.id}/restore`), { version }), { reset: true });
  };

  const addCorrection = async (kind: Correction['kind'], text: string) => {
    // The correction bumps the article's version: read the article back so the next save is not a conflict.
    await saver.act(async () => {
      await api.post(path('/corrections'), { kind, text });
      return api.get<Article>(path());
    });
  };

  // --- fields ------------------------------------------------------------------------

  const section = sections.find((s) => s.id === fields.sectionId);
  const shownSlug = fields.slug || slugify(fields.headline);
  const publicUrl = `${site.publicUrl.replace(/\/+$/, '')}/${section?.slug ?? 'article'}/${shownSlug}`;

  const onHeadline = (headline: string) => {
    const patch: Partial<ArticleFields> = { headline };
    // Until the article exists the server derives the slug itself (unique); afterwards it follows here.
    if (slugAuto && articleId !== null) patch.slug = slugify(headline);
    edit(patch);
  };

  const onSlug = (value: string) => {
    setSlugNote('');
    if (value === '') {
      setSlugAuto(true);
      edit({ slug: articleId === null ? '' : slugify(fields.headline) });
    } else {
      setSlugAuto(false);
      edit({ slug: value });
    }
  };

  // The body editor shows the word count and reading time itself.
  const onBody = useCallback((doc: ArticleFields['body']) => saver.edit({ body: doc }), [saver]);

  const onImageUrl = useCallback((url: string) => setImageUrl(url), []);
  const heading = server ? 'Edit article' : 'New article';

  return (
    <div className="editor" ref={mainRef}>
      <div className="editor-top">
        <h1>{heading}</h1>
        <StatusMessage>{statusText(snap)}</StatusMessage>
      </div>
      {restoredNotice ? (
        <div className="notice notice-warn">
          <p>
            Restored changes you made on this device that had not been saved.{' '}
            <button type="button" className="link" onClick={() => setRestoredNotice(false)}>
              Dismiss
            </button>
          </p>
        </div>
      ) : null}
      {!canEdit ? (
        <div className="notice notice-warn">
          <p>You can read this article but not change it.</p>
        </div>
      ) : null}
      <ErrorMessage error={invalid} />
      <div className="editor-grid">
        <div className="editor-main">
          <TextField
            label="Headline"
            className="headline-field"
            value={fields.headline}
            required
            maxLength={300}
            disabled={disabled}
            error={err('/headline') ?? (snap.state.kind === 'needs-headline' && actionError ? 'A headline is needed to save the article.' : undefined)}
            onChange={(e) => onHeadline(e.target.value)}
            autoFocus={!article}
          />
          <TextArea label="Standfirst (dek)" value={fields.dek} rows={2} maxLength={600} disabled={disabled} error={err('/dek')} onChange={(e) => edit({ dek: e.target.value })} />
          <div className="body-field">
            <BodyEditor value={fields.body} resetKey={snap.resetCount} onChange={onBody} readOnly={disabled} label="Article text" />
            {err('/body') ? (
              <p className="field-error" role="alert">
                {err('/body')}
              </p>
            ) : null}
          </div>
        </div>

        <aside className="editor-side" aria-label="Article settings">
          <Workflow
            key={server?.status ?? 'new'}
            server={server}
            timeZone={site.timeZone}
            can={{
              edit: canEdit,
              publish: can('article.publish', own),
              submit: can('article.submit', own),
              unpublish: can('article.unpublish', own),
            }}
            actions={actions}
            error={actionError}
            previewUrl={previewUrl}
          />
          {articleId !== null && server && status === 'published' && can('newsletter.manage') ? <NewsletterAlert articleId={articleId} headline={server.headline} /> : null}
          {articleId !== null && server && status === 'published' && can('push.send') ? (
            <PushAlertPanel ref={pushPanel} articleId={articleId} headline={server.headline} dek={server.dek} articleUrl={publicUrl} sectionId={server.sectionId} />
          ) : null}
          <BreakingOffer status={server?.status} breaking={Boolean(server?.breaking)} allowed={can('push.send')} panel={pushPanel} />

          <section className="panel" aria-labelledby="placement-heading">
            <h2 id="placement-heading">Placement</h2>
            <TextField
              label="Slug"
              value={fields.slug}
              placeholder={slugify(fields.headline)}
              maxLength={200}
              disabled={disabled}
              error={err('/slug')}
              hint={
                <>
                  <span className="url-preview">{publicUrl}</span>
                  {slugAuto ? ' (follows the headline until you edit it)' : ''}
                  {slugNote ? <span className="slug-note"> {slugNote}</span> : null}
                </>
              }
              onChange={(e) => onSlug(e.target.value.toLowerCase())}
            />
            <SelectField
              label="Section"
              value={fields.sectionId ?? ''}
              disabled={disabled}
              error={err('/sectionId')}
              onChange={(e) => edit({ sectionId: e.target.value ? Number(e.target.value) : null })}
            >
              <option value="">No section</option>
              {sections.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </SelectField>
            <SelectField label="Label" value={fields.label} disabled={disabled} error={err('/label')} onChange={(e) => edit({ label: e.target.value as ArticleFields['label'] })}>
              {LABELS.map((l) => (
                <option key={l} value={l}>
                  {LABEL_NAMES[l]}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Dateline"
              hint="Where the story was reported, e.g. “KYIV”."
              value={fields.dateline}
              maxLength={120}
              disabled={disabled}
              error={err('/dateline')}
              onChange={(e) => edit({ dateline: e.target.value })}
            />
          </section>

          <section className="panel" aria-labelledby="people-heading">
            <h2 id="people-heading">Bylines and tags</h2>
            <Bylines authors={authors} value={fields.authorIds} onChange={(authorIds) => edit({ authorIds })} disabled={disabled} error={err('/authorIds')} />
            <Tags
              tags={tags}
              value={fields.tagIds}
              onChange={(tagIds) => edit({ tagIds })}
              canCreate={can('tag.manage')}
              onCreated={(tag) => setTags((list) => (list.some((t) => t.id === tag.id) ? list : [...list, tag].sort((a, b) => a.name.localeCompare(b.name))))}
              disabled={disabled}
              error={err('/tagIds')}
            />
          </section>

          <section className="panel" aria-labelledby="image-heading">
            <h2 id="image-heading" className="visually-hidden">
              Image
            </h2>
            <FeaturedImage value={fields} onChange={edit} disabled={disabled} error={err} onImageUrl={onImageUrl} />
          </section>

          <Homepage value={fields} onChange={edit} canRank={can('homepage.rank')} disabled={disabled} timeZone={site.timeZone} error={err} />
          {articleId !== null && server ? <RelatedPanel articleId={articleId} published={status === 'published'} canEdit={canEdit} inlineCount={site.relatedInlineCount} /> : null}
          {articleId !== null && server ? <SocialPanel articleId={articleId} published={status === 'published'} canEdit={canEdit} canPost={can('article.publish', own)} timeZone={site.timeZone} /> : null}

          <SeoPanel
            value={fields}
            headline={fields.headline}
            dek={fields.dek}
            url={publicUrl}
            siteName={site.name}
            imageUrl={imageUrl}
            onChange={edit}
            disabled={disabled}
            error={err}
            open={seoOpen}
            onToggle={setSeoOpen}
          />

          {articleId !== null && server ? (
            <Revisions articleId={articleId} version={server.version} timeZone={site.timeZone} working={fields} canRestore={canEdit} onRestore={restoreRevision} />
          ) : null}

          {server ? (
            <Corrections items={server.corrections} timeZone={site.timeZone} canAdd={status === 'published' && can('correction.manage')} onAdd={addCorrection} />
          ) : null}
        </aside>
      </div>

      {snap.state.kind === 'conflict' && articleId !== null ? (
        <ConflictDialog
          key={String(snap.state.error.details.currentVersion)}
          articleId={articleId}
          error={snap.state.error}
          working={fields}
          timeZone={site.timeZone}
          onKeepMine={async (current) => {
            await saver.overwrite(current);
          }}
          onTakeTheirs={(current) => {
            saver.reset(current);
            setRestoredNotice(false);
          }}
        />
      ) : null}
    </div>
  );
}

/** The status line: plain words for where the user's changes are. */
function statusText(snap: Snapshot): string {
  const state = snap.state;
  switch (state.kind) {
    case 'clean':
      return snap.server ? 'All changes saved' : 'New article: it is saved as soon as it has a headline';
    case 'pending':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'needs-headline':
      return 'Add a headline to save this article (your changes are kept on this device)';
    case 'manual':
      return 'Unsaved changes: readers see them when you press Save now or Update (kept on this device meanwhile)';
    case 'retrying':
      return state.error.isNetwork
        ? 'Offline: changes kept on this device, retrying…'
        : `The server could not save (${state.error.message}): changes kept on this device, retrying…`;
    case 'session':
      return 'Signed out: changes kept on this device; sign in again to save them';
    case 'conflict':
      return 'Not saved: someone else changed this article';
    case 'invalid':
      return 'Not saved: correct the fields marked below';
    case 'failed':
      return `Not saved: ${state.error.message}`;
  }
}
