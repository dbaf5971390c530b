/**
 * A pull quote: one line of text set large, with an optional attribution.
 * Stored as { type: 'pullQuote', attrs: { attribution }, content: inline }, rendered
 * by the server as <figure class="pullquote">. The attribution is edited in the
 * details bar under the toolbar, so the figcaption here is display only.
 */
import { Node } from '@tiptap/core';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    pullQuote: {
      /** Turns the current block into a pull quote, or a pull quote back into a paragraph. */
      togglePullQuote: () => ReturnType;
      setPullQuoteAttribution: (attribution: string) => ReturnType;
    };
  }
}

export const PullQuote = Node.create({
  name: 'pullQuote',
  group: 'block',
  content: 'inline*',
  defining: true,

  addAttributes() {
    return {
      attribution: {
        default: '',
        parseHTML: (element) => element.querySelector('figcaption')?.textContent?.trim() ?? '',
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [
      {
        tag: 'figure.pullquote',
        contentElement: (element: HTMLElement) =>
          (element.querySelector('blockquote p') ?? element.querySelector('blockquote') ?? element) as HTMLElement,
      },
    ];
  },

  renderHTML({ node }) {
    const attribution = String(node.attrs.attribution ?? '');
    return [
      'figure',
      { class: 'pullquote' },
      ['blockquote', { class: 'pullquote-text' }, ['p', 0]],
      ['figcaption', { contenteditable: 'false', class: attribution ? '' : 'pullquote-empty' }, attribution || 'No attribution'],
    ];
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleNode(this.name, 'paragraph'),
      setPullQuoteAttribution:
        (attribution) =>
        ({ commands }) =>
          commands.updateAttributes(this.name, { attribution }),
    };
  },
});
