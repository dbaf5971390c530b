/**
 * Composing an issue of a newsletter: the suggested stories (reordered with
 * the Move buttons or by dragging, removed, more added by search), the intro,
 * the subject (the suggestion one click away), a live preview at desktop and
 * phone widths, a test email, and "Send now" after a confirmation naming how
 * many readers get it. The composition is kept in localStorage until it is
 * sent, so a reload loses nothing; "Send now" carries the session's
 * Idempotency-Key, so a double click or a retry starts one send.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { TextArea, TextField } from '../components/Field';
import { ConfirmDialog, ErrorMessage, Loading, StatusMessage } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { formatRelative } from '../format';
import { useDebounced, useTitle } from '../hooks';
import { AddStory } from '../list/AddStory';
import { plural } from '../list/labels';
import { RankedList, type FocusRequest, type RankedStory } from '../list/RankedList';
import { useSession } from '../session';
import type { ArticleListItem, Newsletter } from '../types';
import { ComposePreview, PREVIEW_WIDTHS, type PreviewWidth } from '../newsletters/ComposePreview';
import { clearDraft, loadDraft, newIdempotencyKey, saveDraft, type ComposeDraft } from '../newsletters/composeDraft';
import type { Candidates, ComposeInput, ComposeItem, DigestItem, RenderedEmail, SendView } from '../newsletters/composeTypes';
import '../list/list.css';
import '../manage/manage.css';
import '../newsletters/newsletters.css';
import '../newsletters/compose.css';

/** The Admin API's limit on stories per issue. */
const MAX_STORIES = 50;

const fromDigest = (item: DigestItem): ComposeItem => ({ id: item.id, headline: item.headline, section: item.section, byline: item.byline, thumbnail: item.image?.url ?? null });
const fromArticle = (item: ArticleListItem): ComposeItem => ({
  id: item.id,
  headline: item.headline,
  section: item.section?.name ?? null,
  byline: item.authors.map((a) => a.name),
  thumbnail: null,
});
const toRanked = (item: ComposeItem): RankedStory => ({
  id: item.id,
  headline: item.headline,
  status: 'published',
  detail: [item.section, item.byline.length ? `By ${item.byline.join(', ')}` : ''].filter(Boolean).join(' · '),
  ...(item.thumbnail ? { thumbnail: item.thumbnail } : {}),
});

export default function NewsletterCompose() {
  const newsletterId = Number(useParams().id);
  const { user, can } = useSession();
  const navigate = useNavigate();
  const [newsletter, setNewsletter] = useState<Newsletter>();
  const [draft, setDraft] = useState<ComposeDraft>();
  const [restoredFrom, setRestoredFrom] = useState<string>();
  const [loadError, setLoadError] = useState<unknown>();
  const [focus, setFocus] = useState<FocusRequest>();
  const [message, setMessage] = useState('');
  const [width, setWidth] = useState<PreviewWidth>('desktop');
  const [preview, setPreview] = useState<{ email: RenderedEmail; for: string }>();
  const [previewError, setPreviewError] = useState<unknown>();
  const [testTo, setTestTo] = useState(user.email);
  const [confirmReaders, setConfirmReaders] = useState<number | null>(null);
  const [noReaders, setNoReaders] = useState('');
  const test = useSubmit<HTMLDivElement>();
  const send = useSubmit<HTMLDivElement>();
  // Every story shown since loading, so the list's new order maps back to full items.
  const known = useRef(new Map<number, ComposeItem>());
  // Once sent, nothing may write the composition back to storage.
  const sent = useRef(false);
  useTitle(newsletter ? `Compose ${newsletter.name}` : 'Compose');

  const start = useCallback(
    async (fresh: boolean) => {
      setLoadError(undefined);
      setPreview(undefined);
      try {
        const found = await api.get<Newsletter>(`/newsletters/${newsletterId}`);
        setNewsletter(found);
        const saved = fresh ? undefined : loadDraft(newsletterId);
        if (saved) {
          setRestoredFrom(saved.savedAt);
          setDraft(saved);
          return;
        }
        const candidates = await api.get<Candidates>(`/newsletters/${newsletterId}/candidates`);
        setRestoredFrom(undefined);
        setDraft({
          items: candidates.items.map(fromDigest),
          intro: found.template.intro ?? '',
          subject: candidates.subject,
          suggestedSubject: candidates.subject,
          idempotencyKey: newIdempotencyKey(),
          savedAt: new Date().toISOString(),
        });
      } catch (e) {
        setLoadError(e);
      }
    },
    [newsletterId],
  );
  const allowed = can('newsletter.manage');
  useEffect(() => {
    if (allowed) void start(false);
  }, [start, allowed]);

  useEffect(() => {
    if (!draft || sent.current) return;
    for (const item of draft.items) known.current.set(item.id, item);
    saveDraft(newsletterId, { ...draft, savedAt: new Date().toISOString() });
  }, [draft, newsletterId]);

  const input: ComposeInput | undefined = useMemo(() => (draft ? { subject: draft.subject, intro: draft.intro, itemIds: draft.items.map((i) => i.id) } : undefined), [draft]);
  const inputKey = JSON.stringify(input ?? null);
  const previewKey = useDebounced(inputKey, 400);

  // The preview follows the composition (after a short pause in typing).
  useEffect(() => {
    const wanted = JSON.parse(previewKey) as ComposeInput | null;
    if (!wanted || !wanted.subject.trim()) return;
    const controller = new AbortController();
    api.post<RenderedEmail>(`/newsletters/${newsletterId}/preview`, wanted, { signal: controller.signal }).then(
      (email) => {
        setPreview({ email, for: previewKey });
        setPreviewError(undefined);
      },
      (e: unknown) => {
        if ((e as Error).name !== 'AbortError') setPreviewError(e);
      },
    );
    return () => controller.abort();
  }, [previewKey, newsletterId]);

  const onFocusDone = useCallback(() => setFocus(undefined), []);

  if (!allowed) {
    return (
      <>
        <h1>Compose a newsletter</h1>
        <ErrorMessage>Only editors can compose and send newsletters.</ErrorMessage>
      </>
    );
  }

  const update = (change: Partial<ComposeDraft>) => setDraft((d) => (d ? { ...d, ...change } : d));

  const reorder = (next: RankedStory[], text: string, request?: FocusRequest) => {
    update({ items: next.flatMap((s) => known.current.get(s.id) ?? []) });
    setMessage(text);
    setFocus(request);
  };
  const add = (article: ArticleListItem) => {
    if (!draft || draft.items.some((i) => i.id === article.id)) return;
    const item = fromArticle(article);
    known.current.set(item.id, item);
    update({ items: [...draft.items, item] });
    setMessage(`${item.headline || 'Untitled'} added at position ${draft.items.length + 1}.`);
  };

  const startOver = () => {
    clearDraft(newsletterId);
    setMessage('Started over from the suggested stories.');
    void start(true);
  };

  const sendTest = async () => {
    if (!input) return;
    const ok = await test.run(async () => {
      const answer = await api.post<{ to: string }>(`/newsletters/${newsletterId}/test-email`, { ...input, to: testTo.trim() });
      setMessage(`Test email sent to ${answer.to}.`);
    });
    if (!ok) setMessage('');
  };

  const askToSend = async () => {
    setNoReaders('');
    send.clear();
    const ok = await send.run(async () => {
      // Counted now, not when the screen opened: the dialog names who will get it.
      const fresh = await api.get<Newsletter>(`/newsletters/${newsletterId}`);
      setNewsletter(fresh);
      if (fresh.counts.subscribed === 0) setNoReaders(`Nobody is subscribed to ${fresh.name} yet, so there is no one to send it to.`);
      else setConfirmReaders(fresh.counts.subscribed);
    });
    if (!ok) setConfirmReaders(null);
  };

  const sendNow = async () => {
    if (!draft || !input) return;
    setConfirmReaders(null);
    await send.run(async () => {
      const started = await api.post<SendView>(`/newsletters/${newsletterId}/sends`, input, { headers: { 'Idempotency-Key': draft.idempotencyKey } });
      sent.current = true;
      clearDraft(newsletterId);
      navigate(`/newsletter-sends/${started.id}`);
    });
  };

  const fieldError = (path: string) => send.error?.field(path) ?? test.error?.field(path);
  const stale = preview !== undefined && preview.for !== inputKey;

  return (
    <div className="manage compose">
      <p className="back">
        <Link to="/newsletters">Newsletters</Link>
        {newsletter ? (
          <>
            {' · '}
            <Link to={`/newsletters/${newsletterId}/sends`}>Sends of {newsletter.name}</Link>
          </>
        ) : null}
      </p>
      <h1>{newsletter ? `Compose ${newsletter.name}` : 'Compose a newsletter'}</h1>
      <ErrorMessage error={loadError} />
      {!draft && !loadError ? <Loading what="Loading the suggested stories" /> : null}
      {restoredFrom !== undefined && draft ? (
        <div className="notice notice-ok restored">
          <p>Your unsent composition from {formatRelative(restoredFrom)} is back, as you left it.</p>
          <button type="button" onClick={startOver}>
            Start over from the suggested stories
          </button>
        </div>
      ) : null}
      {draft && newsletter ? (
        <div className="compose-grid">
          <div className="compose-main">
            <section className="panel" aria-labelledby="compose-subject">
              <h2 id="compose-subject">Subject and introduction</h2>
              <TextField
                label="Subject"
                value={draft.subject}
                maxLength={200}
                required
                error={fieldError('/subject')}
                hint={draft.suggestedSubject ? `Suggested: ${draft.suggestedSubject}` : undefined}
                onChange={(e) => update({ subject: e.target.value })}
              />
              <div className="actions tight">
                <button type="button" disabled={!draft.suggestedSubject || draft.subject === draft.suggestedSubject} onClick={() => update({ subject: draft.suggestedSubject })}>
                  Use the suggested subject
                </button>
              </div>
              <TextArea
                label="Introduction"
                rows={4}
                maxLength={5000}
                value={draft.intro}
                error={fieldError('/intro')}
                hint="Shown under the greeting. A blank line starts a new paragraph."
                onChange={(e) => update({ intro: e.target.value })}
              />
            </section>

            <section className="panel" aria-labelledby="compose-stories">
              <h2 id="compose-stories">Stories ({draft.items.length})</h2>
              <p className="hint">The first story leads the email. Drag a story by its handle, or use the Move buttons.</p>
              {draft.items.length ? (
                <RankedList
                  stories={draft.items.map(toRanked)}
                  onChange={reorder}
                  focus={focus}
                  onFocusDone={onFocusDone}
                  label="Stories in this issue, first one first"
                  listName="this issue"
                />
              ) : (
                <p className="empty">No stories yet: add one below. An issue needs at least one story to be sent.</p>
              )}
              {fieldError('/itemIds') ? <p className="field-error">{fieldError('/itemIds')}</p> : null}
            </section>
            <StatusMessage>{message}</StatusMessage>
            <AddStory ranked={new Set(draft.items.map((i) => i.id))} full={draft.items.length >= MAX_STORIES} onAdd={add} listName="this issue" inList="already in this issue" />

            <section className="panel" aria-labelledby="compose-test">
              <h2 id="compose-test">Send a test</h2>
              <div ref={test.ref}>
                <TextField label="Test email address" type="email" value={testTo} maxLength={254} error={fieldError('/to')} onChange={(e) => setTestTo(e.target.value)} />
                <ErrorMessage error={test.error} />
              </div>
              <div className="actions tight">
                <button type="button" aria-busy={test.busy || undefined} onClick={() => !test.busy && void sendTest()}>
                  {test.busy ? 'Sending the test…' : 'Send test email'}
                </button>
              </div>
            </section>

            <section className="panel send-panel" aria-labelledby="compose-send">
              <h2 id="compose-send">Send to readers</h2>
              <p className="hint">
                {plural(newsletter.counts.subscribed, 'reader')} subscribed to {newsletter.name} get it at once. You can pause or cancel a send while it goes out.
              </p>
              <div ref={send.ref}>
                <ErrorMessage error={send.error} />
                {noReaders ? <ErrorMessage>{noReaders}</ErrorMessage> : null}
              </div>
              <div className="actions tight">
                <button type="button" className="primary" aria-busy={send.busy || undefined} onClick={() => !send.busy && void askToSend()}>
                  {send.busy ? 'Starting…' : 'Send now…'}
                </button>
              </div>
            </section>
          </div>

          <section className="compose-preview panel" aria-labelledby="compose-preview">
            <h2 id="compose-preview">Preview</h2>
            <div className="width-toggle" role="group" aria-label="Preview width">
              {(Object.keys(PREVIEW_WIDTHS) as PreviewWidth[]).map((w) => (
                <button type="button" key={w} aria-pressed={width === w} onClick={() => setWidth(w)}>
                  {PREVIEW_WIDTHS[w].label}
                </button>
              ))}
            </div>
            <p className="status" role="status" aria-live="polite">
              {!draft.subject.trim() ? 'Write a subject to see the preview.' : stale || !preview ? 'Updating the preview…' : 'The preview is up to date.'}
            </p>
            {previewError ? <ErrorMessage error={previewError} /> : null}
            {preview ? (
              <>
                <p className="preview-subject">
                  <span className="hint">Subject:</span> {preview.email.subject}
                </p>
                <ComposePreview html={preview.email.html} width={width} title={`Preview of the email, ${PREVIEW_WIDTHS[width].label.toLowerCase()}`} />
                <details className="preview-text">
                  <summary>Plain-text version</summary>
                  <pre>{preview.email.text}</pre>
                </details>
              </>
            ) : null}
          </section>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirmReaders !== null}
        title={`Send “${draft?.subject ?? ''}” now?`}
        message={
          <p>
            It goes to the {plural(confirmReaders ?? 0, 'reader')} subscribed to {newsletter?.name}, with {plural(draft?.items.length ?? 0, 'story', 'stories')}. You can pause
            or cancel while it is sending, but not take back what has gone out.
          </p>
        }
        confirmLabel={`Send to ${plural(confirmReaders ?? 0, 'reader')}`}
        onConfirm={() => void sendNow()}
        onCancel={() => setConfirmReaders(null)}
      />
    </div>
  );
}
