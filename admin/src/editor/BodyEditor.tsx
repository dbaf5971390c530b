/**
 * The article body: a Tiptap editor producing exactly the ProseMirror JSON the
 * server keeps (src/newsroom/body.ts), with a toolbar, fields for the selected
 * image / pull quote / embed, image upload by drop and paste, pasted Word and
 * Google Docs cleaned, and the word count and reading time the server will compute.
 * Only pages/ArticleEditor.tsx imports it, so Tiptap stays in that lazy chunk.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import type { BodyDoc, MediaItem } from '../types';
import { useLatest } from '../hooks';
import { ErrorMessage, StatusMessage } from '../components/Feedback';
import { MediaPicker } from '../components/MediaPicker';
import { uploadImage } from '../components/upload';
import { bodyExtensions, toEditorDoc } from './body/extensions';
import { cleanPastedHtml } from './body/paste';
import { countWords, readingMinutes } from './body/stats';
import { attrsFromMedia } from './body/media';
import { Toolbar } from './body/Toolbar';
import { SelectionDetails } from './body/SelectionDetails';
import { LinkDialog } from './body/LinkDialog';
import { EmbedDialog } from './body/EmbedDialog';
import './body.css';

export interface BodyEditorProps {
  /** The document to start from; later changes to this prop are ignored unless `resetKey` changes. */
  value: BodyDoc;
  onChange(doc: BodyDoc, stats: { words: number }): void;
  /** Changing it reloads `value` into the editor (after restoring a revision or taking the other person's version). */
  resetKey?: string | number;
  readOnly?: boolean;
  /** Accessible name of the editing area. */
  label?: string;
  /** Shown in the empty editor. */
  placeholder?: string;
}

type Picking = 'insert' | 'replace' | null;

export function BodyEditor({ value, onChange, resetKey, readOnly = false, label = 'Article text', placeholder = 'Write the article…' }: BodyEditorProps) {
  const changed = useLatest(onChange);
  const current = useLatest(value);
  const [words, setWords] = useState(() => countWords(value));
  const [uploading, setUploading] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<unknown>();
  const [linkOpen, setLinkOpen] = useState(false);
  const [embedOpen, setEmbedOpen] = useState(false);
  const [picking, setPicking] = useState<Picking>(null);
  const statsId = useId();
  const openLink = useRef(() => {});

  const extensions = useMemo(
    () =>
      bodyExtensions({
        placeholder,
        upload: (file) => uploadImage(file),
        onBusy: (name) => {
          setUploading(name);
          if (name) setUploadError(undefined);
        },
        onError: (error) => setUploadError(error),
        onLinkShortcut: () => openLink.current(),
      }),
    // The schema is fixed for the editor's life; the placeholder text is read once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const editor = useEditor({
    extensions,
    content: toEditorDoc(value),
    editable: !readOnly,
    immediatelyRender: true,
    // Tiptap would add a <style> element, which the admin's CSP (style-src 'self') blocks: its rules are in body.css.
    injectCSS: false,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': label,
        'aria-describedby': statsId,
        class: 'body-prose',
        spellcheck: 'true',
      },
      transformPastedHTML: cleanPastedHtml,
    },
    onUpdate: ({ editor: e }) => {
      const doc = e.getJSON() as BodyDoc;
      const count = countWords(doc);
      setWords(count);
      changed.current(doc, { words: count });
    },
  });

  openLink.current = () => {
    if (editor.isEditable) setLinkOpen(true);
  };

  // A new resetKey loads the current value without reporting it as a change.
  const firstReset = useRef(true);
  useEffect(() => {
    if (firstReset.current) {
      firstReset.current = false;
      return;
    }
    editor.commands.setContent(toEditorDoc(current.current), { emitUpdate: false });
    setWords(countWords(current.current));
  }, [resetKey, editor, current]);

  useEffect(() => {
    editor.setEditable(!readOnly, false);
  }, [editor, readOnly]);

  useEffect(() => {
    editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: { ...(editor.options.editorProps.attributes as Record<string, string>), 'aria-label': label } } });
  }, [editor, label]);

  function picked(item: MediaItem) {
    const attrs = attrsFromMedia(item);
    if (picking === 'replace') {
      // A new picture: its size and the library's texts, unless this use already has its own.
      const old = editor.getAttributes('image');
      editor
        .chain()
        .focus()
        .updateAttributes('image', {
          src: attrs.src,
          width: attrs.width,
          height: attrs.height,
          alt: old.alt || attrs.alt,
          caption: old.caption || attrs.caption,
          credit: old.credit || attrs.credit,
        })
        .run();
    } else {
      editor.chain().focus().insertBodyImage(attrs).run();
    }
  }

  const linkHref = linkOpen ? String(editor.getAttributes('link').href ?? '') : '';
  const embedUrl = embedOpen && editor.isActive('embed') ? String(editor.getAttributes('embed').url ?? '') : '';

  return (
    <div className={`body-editor${readOnly ? ' body-editor-readonly' : ''}`}>
      {readOnly ? null : (
        <Toolbar
          editor={editor}
          label={`${label}: formatting`}
          actions={{ onLink: () => setLinkOpen(true), onImage: () => setPicking('insert'), onEmbed: () => setEmbedOpen(true) }}
        />
      )}
      <SelectionDetails editor={editor} onReplaceImage={() => setPicking('replace')} onChangeEmbed={() => setEmbedOpen(true)} />
      <EditorContent editor={editor} className="body-content" />
      <StatusMessage>{uploading ? `Uploading ${uploading}…` : ''}</StatusMessage>
      {uploadError ? (
        <ErrorMessage>
          The image could not be uploaded: {uploadError instanceof Error ? uploadError.message : String(uploadError)}{' '}
          <button type="button" className="link" onClick={() => setUploadError(undefined)}>
            Dismiss
          </button>
        </ErrorMessage>
      ) : null}
      <p className="body-stats" id={statsId}>
        {words.toLocaleString()} {words === 1 ? 'word' : 'words'} · {readingMinutes(words)} min read
      </p>

      <LinkDialog
        open={linkOpen}
        initial={linkHref}
        onClose={() => setLinkOpen(false)}
        onRemove={() => {
          setLinkOpen(false);
          editor.chain().focus().extendMarkRange('link').unsetLink().run();
        }}
        onApply={(href) => {
          setLinkOpen(false);
          const chain = editor.chain().focus();
          if (editor.state.selection.empty && !editor.isActive('link')) {
            // Nothing selected: the address itself becomes the linked text.
            const text = href.replace(/^mailto:/, '');
            chain.insertContent({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] }).unsetMark('link').run();
          } else {
            chain.extendMarkRange('link').setLink({ href }).run();
          }
        }}
      />
      <EmbedDialog
        open={embedOpen}
        initial={embedUrl}
        onClose={() => setEmbedOpen(false)}
        onApply={(url) => {
          setEmbedOpen(false);
          editor.chain().focus().setEmbed(url).run();
        }}
      />
      <MediaPicker
        open={picking !== null}
        title={picking === 'replace' ? 'Replace the image' : 'Insert an image'}
        onClose={() => setPicking(null)}
        onPick={picked}
      />
    </div>
  );
}
