/**
 * An embed: a social post or video stored as its URL ({ type: 'embed', attrs: { url } }).
 * The server renders it as a link card; here it is a card naming the provider and
 * showing the URL as text. Nothing is loaded from the third party in the admin.
 * Pasting a lone YouTube, X, Instagram, Facebook or Bluesky URL into an empty
 * paragraph turns that paragraph into an embed.
 */
import { Extension, Node } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { describeEmbed, PROVIDER_NAMES } from './links';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    embed: {
      /** Inserts an embed at the selection (replacing an empty paragraph), or changes the selected embed's URL. */
      setEmbed: (url: string) => ReturnType;
    };
  }
}

export const Embed = Node.create({
  name: 'embed',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      url: {
        default: '',
        parseHTML: (element) =>
          element.getAttribute('data-embed-url') ?? element.querySelector('a[href]')?.getAttribute('href') ?? '',
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [
      // Our own editor's card (copy and paste inside the admin) and the reader page's card.
      { tag: 'div[data-embed-url]' },
      { tag: 'figure[data-embed]' },
    ];
  },

  renderHTML({ node }) {
    const url = String(node.attrs.url ?? '');
    const info = describeEmbed(url);
    const label = !info ? 'Not a usable address' : info.provider === 'link' ? 'Link card' : `${PROVIDER_NAMES[info.provider]} embed`;
    return [
      'div',
      { class: `embed-card embed-${info?.provider ?? 'invalid'}`, 'data-embed-url': url },
      ['span', { class: 'embed-provider' }, label],
      ['span', { class: 'embed-url' }, url],
    ];
  },

  addCommands() {
    return {
      setEmbed:
        (url) =>
        ({ state, commands }) => {
          const { selection } = state;
          if ('node' in selection && (selection as { node?: { type: { name: string } } }).node?.type.name === this.name) {
            return commands.updateAttributes(this.name, { url });
          }
          return commands.insertContent({ type: this.name, attrs: { url } });
        },
    };
  },
});

/**
 * Pasting a lone social or video URL into an empty paragraph makes an embed of it.
 * An extension of its own so it can run before Link's paste handler (which would make
 * the URL linked text) without moving the embed node ahead of paragraph in the schema:
 * the first block type there is what ProseMirror creates by default (Enter, trailing node).
 */
export const EmbedPaste = Extension.create({
  name: 'embedPaste',
  priority: 1100,

  addProseMirrorPlugins() {
    const type = this.editor.schema.nodes.embed!;
    return [
      new Plugin({
        key: new PluginKey('embedPaste'),
        props: {
          handlePaste(view, event) {
            const text = event.clipboardData?.getData('text/plain')?.trim() ?? '';
            if (!text || /\s/.test(text)) return false;
            const info = describeEmbed(text);
            if (!info || info.provider === 'link') return false;
            const { $from, empty } = view.state.selection;
            const parent = $from.parent;
            if (!empty || parent.type.name !== 'paragraph' || parent.content.size > 0) return false;
            // Replace the empty paragraph itself, so no blank line is left above the card, and
            // carry on writing in the paragraph after it (a new one when the card ends the article).
            const start = $from.before();
            const end = start + parent.nodeSize;
            const last = end === view.state.doc.content.size;
            const nodes = last ? [type.create({ url: info.url }), view.state.schema.nodes.paragraph!.create()] : [type.create({ url: info.url })];
            const tr = view.state.tr.replaceWith(start, end, nodes);
            tr.setSelection(TextSelection.near(tr.doc.resolve(start + 1), 1));
            view.dispatch(tr.scrollIntoView());
            return true;
          },
        },
      }),
    ];
  },
});
