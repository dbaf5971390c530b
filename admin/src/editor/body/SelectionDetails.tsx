/**
 * Fields for the selected image (alt text, caption and credit for this use of
 * it), the pull quote the cursor is in (its attribution) or the selected embed
 * (its address). Shown under the toolbar; the document changes as you type.
 */
import { useEditorState, type Editor } from '@tiptap/react';
import { NodeSelection } from '@tiptap/pm/state';
import { TextField } from '../../components/Field';
import { describeEmbed, PROVIDER_NAMES } from './links';
import type { ImageAttrs } from './BodyImage';

export function SelectionDetails({ editor, onReplaceImage, onChangeEmbed }: { editor: Editor; onReplaceImage(): void; onChangeEmbed(): void }) {
  const selected = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const { selection } = e.state;
      const node = selection instanceof NodeSelection ? selection.node : null;
      if (node?.type.name === 'image') return { kind: 'image' as const, attrs: node.attrs as ImageAttrs, editable: e.isEditable };
      if (node?.type.name === 'embed') return { kind: 'embed' as const, url: String(node.attrs.url ?? ''), editable: e.isEditable };
      if (e.isActive('pullQuote')) return { kind: 'pullQuote' as const, attribution: String(e.getAttributes('pullQuote').attribution ?? ''), editable: e.isEditable };
      return null;
    },
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  if (!selected) return null;
  const update = (name: string, attrs: Record<string, unknown>) => editor.chain().updateAttributes(name, attrs).run();
  const readOnly = !selected.editable;

  if (selected.kind === 'image') {
    const { alt, caption, credit } = selected.attrs;
    return (
      <section className="body-details" aria-label="Selected image">
        <h3 className="body-details-title">Selected image</h3>
        <div className="body-details-fields">
          <TextField
            label="Alt text"
            hint={alt ? 'Describes the image for people who cannot see it.' : 'Describe the image for people who cannot see it: it is missing.'}
            value={alt ?? ''}
            readOnly={readOnly}
            maxLength={1000}
            onChange={(e) => update('image', { alt: e.target.value })}
          />
          <TextField label="Caption" value={caption ?? ''} readOnly={readOnly} maxLength={2000} onChange={(e) => update('image', { caption: e.target.value })} />
          <TextField label="Credit" value={credit ?? ''} readOnly={readOnly} maxLength={300} onChange={(e) => update('image', { credit: e.target.value })} />
        </div>
        {readOnly ? null : (
          <div className="actions">
            <button type="button" onClick={onReplaceImage}>
              Replace image…
            </button>
            <button type="button" onClick={() => editor.chain().focus().deleteSelection().run()}>
              Remove image
            </button>
          </div>
        )}
      </section>
    );
  }

  if (selected.kind === 'embed') {
    const info = describeEmbed(selected.url);
    return (
      <section className="body-details" aria-label="Selected embed">
        <h3 className="body-details-title">
          Selected embed: {info ? (info.provider === 'link' ? 'link card' : PROVIDER_NAMES[info.provider]) : 'not a usable address'}
        </h3>
        <p className="body-details-url">{selected.url}</p>
        {readOnly ? null : (
          <div className="actions">
            <button type="button" onClick={onChangeEmbed}>
              Change address…
            </button>
            <button type="button" onClick={() => editor.chain().focus().deleteSelection().run()}>
              Remove embed
            </button>
          </div>
        )}
      </section>
    );
  }

  return (
    <section className="body-details" aria-label="Pull quote">
      <TextField
        label="Pull quote attribution"
        hint="Who said it, shown under the quote. Optional."
        value={selected.attribution}
        readOnly={readOnly}
        maxLength={300}
        onChange={(e) => update('pullQuote', { attribution: e.target.value })}
      />
    </section>
  );
}
