// Placeholder until the Tiptap editor lands: same props as the real one.
import type { BodyDoc } from '../types';

export interface BodyEditorProps {
  /** The document to start from; later changes to this prop are ignored unless `resetKey` changes. */
  value: BodyDoc;
  onChange(doc: BodyDoc, stats: { words: number }): void;
  /** Changing it reloads `value` into the editor (after restoring a revision or taking the other person's version). */
  resetKey?: string | number;
  readOnly?: boolean;
  /** Accessible name of the editing area. */
  label?: string;
}

export function BodyEditor({ value, onChange, readOnly, label = 'Article text' }: BodyEditorProps) {
  const text = value.content
    .map((node) => ((node as { content?: { text?: string }[] }).content ?? []).map((t) => t.text ?? '').join(''))
    .join('\n\n');
  return (
    <textarea
      aria-label={label}
      readOnly={readOnly}
      defaultValue={text}
      onChange={(e) => {
        const paragraphs = e.target.value.split(/\n{2,}/);
        const doc: BodyDoc = { type: 'doc', content: paragraphs.map((p) => ({ type: 'paragraph', content: p ? [{ type: 'text', text: p }] : [] })) };
        onChange(doc, { words: e.target.value.split(/\s+/).filter(Boolean).length });
      }}
    />
  );
}
