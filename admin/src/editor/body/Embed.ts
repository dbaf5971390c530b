/**
 * An embed: a social post or video stored as its URL ({ type: 'embed', attrs: { url } }).
 * The server renders it as a link card; here it is a card naming the provider and
 * showing the URL as text. Nothing is loaded from the third party in the admin.
 * Pasting a lone YouTube, X, Instagram, Facebook or Bluesky URL into an empty
 * paragraph turns that paragraph into an embed.
 */
import { Node } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
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
  // Before Link's paste handler, which would otherwise turn the URL into linked text.
  priority: 1100,
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

  addProseMirrorPlugins() {
    const type = this.type;
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
            // Replace the empty paragraph itself, so no blank line is left above the card.
            const start = $from.before();
            const tr = view.state.tr.replaceWith(start, start + parent.nodeSize, type.create({ url: info.url }));
            view.dispatch(tr.scrollIntoView());
            return true;
          },
        },
      }),
    ];
  },
});
