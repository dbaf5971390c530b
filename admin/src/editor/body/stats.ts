/**
 * Word count and reading time as the server computes them (renderBody in
 * src/newsroom/body.ts): the text of paragraphs, headings, list items, quotes and
 * pull quotes; a word is a run of non-space characters holding a letter or digit.
 */

interface JsonNode {
  type?: string;
  text?: string;
  content?: JsonNode[];
}

/** The text of one block's inline content; marks may split a word, so runs join without a space. */
function inlineText(node: JsonNode): string {
  let text = '';
  for (const child of node.content ?? []) {
    if (child.type === 'hardBreak') text += ' ';
    else if (child.type === 'text' && typeof child.text === 'string') text += child.text;
  }
  return text;
}

function listTexts(list: JsonNode, out: string[]): void {
  for (const item of list.content ?? []) {
    if (item.type !== 'listItem') continue;
    for (const child of item.content ?? []) {
      if (child.type === 'paragraph') out.push(inlineText(child));
      else if (child.type === 'bulletList' || child.type === 'orderedList') listTexts(child, out);
    }
  }
}

export function countWords(doc: { content?: unknown[] }): number {
  const texts: string[] = [];
  for (const node of (doc.content ?? []) as JsonNode[]) {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
      case 'pullQuote':
        texts.push(inlineText(node));
        break;
      case 'bulletList':
      case 'orderedList':
        listTexts(node, texts);
        break;
      case 'blockquote':
        for (const child of node.content ?? []) if (child.type === 'paragraph') texts.push(inlineText(child));
        break;
    }
  }
  return texts
    .join(' ')
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Minutes at 230 words per minute, never less than one. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / 230));
}
