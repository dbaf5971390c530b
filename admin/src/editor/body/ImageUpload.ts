/**
 * Dropping or pasting an image file into the body: the file is uploaded to the
 * media library and the image is inserted where it was dropped (or at the cursor
 * when pasted). A placeholder widget marks the spot while the upload runs and
 * moves with the text if the writer keeps typing above it.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { MediaItem } from '../../types';
import { firstImageFile } from '../../components/upload';
import { attrsFromMedia } from './media';

export interface ImageUploadOptions {
  upload(file: File): Promise<MediaItem>;
  /** Told when an upload starts (the file's name) and ends (null). */
  onBusy(name: string | null): void;
  onError(error: unknown): void;
}

type Meta = { add: { id: object; pos: number } } | { remove: { id: object } };

const key = new PluginKey<DecorationSet>('imageUpload');

function placeholder(): HTMLElement {
  const element = document.createElement('div');
  element.className = 'body-upload-placeholder';
  element.textContent = 'Uploading image…';
  return element;
}

function findPlaceholder(state: EditorState, id: object): number | null {
  const found = key.getState(state)?.find(undefined, undefined, (spec) => spec.id === id);
  return found?.length ? found[0]!.from : null;
}

export const ImageUpload = Extension.create<ImageUploadOptions>({
  name: 'imageUpload',
  // Before Link's and the embed's paste handlers: a pasted file is never text.
  priority: 1200,

  addOptions() {
    return {
      upload: () => Promise.reject(new Error('Uploading is not available here')),
      onBusy: () => {},
      onError: () => {},
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;

    function start(view: EditorView, file: File, pos: number) {
      const id = {};
      view.dispatch(view.state.tr.setMeta(key, { add: { id, pos } } satisfies Meta));
      options.onBusy(file.name || 'the pasted image');
      options
        .upload(file)
        .then((item) => {
          const at = findPlaceholder(view.state, id);
          if (at === null || view.isDestroyed) return; // the writer deleted the spot, or left the page
          const node = view.state.schema.nodes.image!.create(attrsFromMedia(item));
          view.dispatch(view.state.tr.insert(at, node).setMeta(key, { remove: { id } } satisfies Meta));
        })
        .catch((error: unknown) => {
          if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, { remove: { id } } satisfies Meta));
          options.onError(error);
        })
        .finally(() => options.onBusy(null));
    }

    /** A position between blocks near `pos`, where a block image can go without splitting a paragraph. */
    function blockBoundary(state: EditorState, pos: number): number {
      const $pos = state.doc.resolve(Math.min(pos, state.doc.content.size));
      if ($pos.depth === 0) return $pos.pos;
      // After the top-level block holding the position (an empty paragraph: in its place).
      const block = $pos.node(1);
      return block.type.name === 'paragraph' && block.content.size === 0 ? $pos.before(1) : $pos.after(1);
    }

    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            set = set.map(tr.mapping, tr.doc);
            const meta = tr.getMeta(key) as Meta | undefined;
            if (meta && 'add' in meta) {
              const widget = Decoration.widget(meta.add.pos, placeholder, { id: meta.add.id, side: -1 });
              set = set.add(tr.doc, [widget]);
            } else if (meta && 'remove' in meta) {
              set = set.remove(set.find(undefined, undefined, (spec) => spec.id === meta.remove.id));
            }
            return set;
          },
        },
        props: {
          decorations(state) {
            return key.getState(state);
          },
          handlePaste(view, event) {
            const file = firstImageFile(event.clipboardData?.files);
            if (!file || !view.editable) return false;
            // Word and some browsers put a picture of the copied text next to its HTML: the text wins.
            const html = event.clipboardData?.getData('text/html') ?? '';
            if (html && !/^\s*(<[^>]+>\s*)*$/.test(html.replace(/<img\b[^>]*>/gi, ''))) return false;
            event.preventDefault();
            start(view, file, blockBoundary(view.state, view.state.selection.from));
            return true;
          },
          handleDrop(view, event, _slice, moved) {
            const file = moved ? undefined : firstImageFile((event as DragEvent).dataTransfer?.files);
            if (!file || !view.editable) return false;
            event.preventDefault();
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
            start(view, file, blockBoundary(view.state, at?.pos ?? view.state.selection.from));
            return true;
          },
        },
      }),
    ];
  },
});
