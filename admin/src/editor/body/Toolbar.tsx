/**
 * The formatting toolbar: one tab stop (roving tabindex, arrow keys move between
 * buttons, Home/End jump), aria-pressed on toggles, and the keyboard shortcut in
 * each button's tooltip. Buttons that cannot act here stay focusable but say so
 * with aria-disabled, so keyboard users do not lose their place.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';

export interface ToolbarActions {
  onLink(): void;
  onImage(): void;
  onEmbed(): void;
}

interface Tool {
  key: string;
  label: string;
  content: ReactNode;
  shortcut?: string;
  pressed?: boolean;
  disabled?: boolean;
  run(): void;
  /** Starts a new group (a visual gap). */
  group?: boolean;
}

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl+';

export function Toolbar({ editor, actions, label = 'Formatting' }: { editor: Editor; actions: ToolbarActions; label?: string }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      editable: e.isEditable,
      paragraph: e.isActive('paragraph'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      h4: e.isActive('heading', { level: 4 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      link: e.isActive('link'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      blockquote: e.isActive('blockquote'),
      pullQuote: e.isActive('pullQuote'),
      canBold: e.can().toggleBold(),
      canItalic: e.can().toggleItalic(),
      canHeading: e.can().setHeading({ level: 2 }),
      canParagraph: e.can().setParagraph(),
      canBullet: e.can().toggleBulletList(),
      canOrdered: e.can().toggleOrderedList(),
      canQuote: e.can().toggleBlockquote(),
      canPullQuote: e.can().togglePullQuote(),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  const off = !state.editable;
  const tools: Tool[] = [
    { key: 'p', label: 'Paragraph', content: '¶', pressed: state.paragraph, disabled: off || (!state.paragraph && !state.canParagraph), run: () => chain().setParagraph().run(), shortcut: `${MOD}Alt+0` },
    { key: 'h2', label: 'Heading H2', content: 'H2', pressed: state.h2, disabled: off || !state.canHeading, run: () => chain().toggleHeading({ level: 2 }).run(), shortcut: `${MOD}Alt+2` },
    { key: 'h3', label: 'Heading H3', content: 'H3', pressed: state.h3, disabled: off || !state.canHeading, run: () => chain().toggleHeading({ level: 3 }).run(), shortcut: `${MOD}Alt+3` },
    { key: 'h4', label: 'Heading H4', content: 'H4', pressed: state.h4, disabled: off || !state.canHeading, run: () => chain().toggleHeading({ level: 4 }).run(), shortcut: `${MOD}Alt+4` },
    { key: 'bold', group: true, label: 'Bold', content: <strong>B</strong>, pressed: state.bold, disabled: off || !state.canBold, run: () => chain().toggleBold().run(), shortcut: `${MOD}B` },
    { key: 'italic', label: 'Italic', content: <em>I</em>, pressed: state.italic, disabled: off || !state.canItalic, run: () => chain().toggleItalic().run(), shortcut: `${MOD}I` },
    { key: 'link', label: state.link ? 'Edit link' : 'Link', content: 'Link', pressed: state.link, disabled: off, run: actions.onLink, shortcut: `${MOD}K` },
    { key: 'ul', group: true, label: 'Bulleted list', content: 'Bulleted list', pressed: state.bulletList, disabled: off || !state.canBullet, run: () => chain().toggleBulletList().run(), shortcut: `${MOD}Shift+8` },
    { key: 'ol', label: 'Numbered list', content: 'Numbered list', pressed: state.orderedList, disabled: off || !state.canOrdered, run: () => chain().toggleOrderedList().run(), shortcut: `${MOD}Shift+7` },
    { key: 'quote', label: 'Block quote', content: '“ Quote', pressed: state.blockquote, disabled: off || !state.canQuote, run: () => chain().toggleBlockquote().run(), shortcut: `${MOD}Shift+B` },
    { key: 'pull', label: 'Pull quote', content: 'Pull quote', pressed: state.pullQuote, disabled: off || !state.canPullQuote, run: () => chain().togglePullQuote().run() },
    { key: 'image', group: true, label: 'Insert image', content: 'Image', disabled: off, run: actions.onImage },
    { key: 'embed', label: 'Embed a post or video', content: 'Embed', disabled: off, run: actions.onEmbed },
    { key: 'hr', label: 'Horizontal rule', content: '―', disabled: off, run: () => chain().setHorizontalRule().run() },
    { key: 'undo', group: true, label: 'Undo', content: '↶', disabled: off || !state.canUndo, run: () => chain().undo().run(), shortcut: `${MOD}Z` },
    { key: 'redo', label: 'Redo', content: '↷', disabled: off || !state.canRedo, run: () => chain().redo().run(), shortcut: MAC ? '⌘Shift+Z' : 'Ctrl+Y' },
  ];

  const [current, setCurrent] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  function move(event: KeyboardEvent, index: number) {
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % tools.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tools.length) % tools.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tools.length - 1;
    if (next === null) return;
    event.preventDefault();
    setCurrent(next);
    buttons.current[next]?.focus();
  }

  return (
    <div className="body-toolbar" role="toolbar" aria-label={label}>
      {tools.map((tool, index) => (
        <button
          key={tool.key}
          ref={(el) => {
            buttons.current[index] = el;
          }}
          type="button"
          className={tool.group ? 'tool tool-group' : 'tool'}
          tabIndex={index === current ? 0 : -1}
          aria-label={tool.label}
          title={tool.shortcut ? `${tool.label} (${tool.shortcut})` : tool.label}
          aria-pressed={tool.pressed === undefined ? undefined : tool.pressed}
          aria-disabled={tool.disabled || undefined}
          aria-keyshortcuts={tool.shortcut ? tool.shortcut.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+') : undefined}
          onFocus={() => setCurrent(index)}
          onKeyDown={(event) => move(event, index)}
          // Keeps the editor's selection while clicking (the command then focuses the editor again).
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            if (!tool.disabled) tool.run();
          }}
        >
          <span aria-hidden="true">{tool.content}</span>
        </button>
      ))}
    </div>
  );
}
