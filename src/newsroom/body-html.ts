/**
 * HTML from outside (imports, API clients) -> our body document. The HTML is
 * first passed through the same allowlist sanitizer as everything else, then
 * mapped onto the node types the renderer knows; anything else is dropped.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { sanitizeBodyHtml, type BodyDoc, type BodyNode } from './body.js';

type Mark = NonNullable<BodyNode['marks']>[number];

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag';
}

function inlineNodes(nodes: readonly ChildNode[], marks: Mark[] = []): BodyNode[] {
  const out: BodyNode[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const text = node.data.replace(/\s+/g, ' ');
      if (text) out.push(marks.length ? { type: 'text', text, marks } : { type: 'text', text });
    } else if (isElement(node)) {
      const tag = node.name;
      if (tag === 'br') out.push({ type: 'hardBreak' });
      else if (tag === 'strong' || tag === 'b') out.push(...inlineNodes(node.children, [...marks, { type: 'bold' }]));
      else if (tag === 'em' || tag === 'i') out.push(...inlineNodes(node.children, [...marks, { type: 'italic' }]));
      else if (tag === 'a' && node.attribs.href) out.push(...inlineNodes(node.children, [...marks, { type: 'link', attrs: { href: node.attribs.href } }]));
      else out.push(...inlineNodes(node.children, marks));
    }
  }
  return out;
}

function paragraph(nodes: readonly ChildNode[]): BodyNode {
  return { type: 'paragraph', content: trimEdges(inlineNodes(nodes)) };
}

function trimEdges(nodes: BodyNode[]): BodyNode[] {
  const first = nodes[0];
  if (first?.text) first.text = first.text.replace(/^\s+/, '');
  const last = nodes[nodes.length - 1];
  if (last?.text) last.text = last.text.replace(/\s+$/, '');
  return nodes.filter((n) => n.type !== 'text' || n.text);
}

function listNode(el: Element): BodyNode {
  const items = el.children.filter(isElement).filter((c) => c.name === 'li');
  return {
    type: el.name === 'ol' ? 'orderedList' : 'bulletList',
    ...(el.name === 'ol' && el.attribs.start ? { attrs: { start: Number(el.attribs.start) || 1 } } : {}),
    content: items.map((li) => ({
      type: 'listItem',
      content: [paragraph(li.children.filter((c) => !(isElement(c) && (c.name === 'ul' || c.name === 'ol')))),
        ...li.children.filter(isElement).filter((c) => c.name === 'ul' || c.name === 'ol').map(listNode)],
    })),
  };
}

function blockNodes(nodes: readonly ChildNode[]): BodyNode[] {
  const out: BodyNode[] = [];
  let loose: ChildNode[] = [];
  const flush = () => {
    const p = paragraph(loose);
    if (p.content?.length) out.push(p);
    loose = [];
  };
  for (const node of nodes) {
    if (!isElement(node)) {
      loose.push(node);
      continue;
    }
    const tag = node.name;
    if (['p', 'h2', 'h3', 'h4', 'h1', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'hr', 'figure', 'img', 'div', 'section', 'article'].includes(tag)) flush();
    switch (tag) {
      case 'p':
        out.push(paragraph(node.children));
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        out.push({ type: 'heading', attrs: { level: Math.min(4, Math.max(2, Number(tag[1]))) }, content: trimEdges(inlineNodes(node.children)) });
        break;
      case 'ul':
      case 'ol':
        out.push(listNode(node));
        break;
      case 'blockquote':
        out.push({ type: 'blockquote', content: blockNodes(node.children).filter((n) => n.type === 'paragraph') });
        break;
      case 'hr':
        out.push({ type: 'horizontalRule' });
        break;
      case 'img':
        out.push({ type: 'image', attrs: { src: node.attribs.src, alt: node.attribs.alt ?? '', width: Number(node.attribs.width) || undefined, height: Number(node.attribs.height) || undefined } });
        break;
      case 'figure':
      case 'div':
      case 'section':
      case 'article':
        out.push(...blockNodes(node.children));
        break;
      default:
        loose.push(node);
    }
  }
  flush();
  return out;
}

export function htmlToDoc(input: string): BodyDoc {
  // Keep the tags mapped below (h1 -> h2, b -> bold ...); renderBody sanitizes again with the strict allowlist.
  const clean = sanitizeBodyHtml(input, ['h1', 'h5', 'h6', 'b', 'i', 'div', 'section', 'article']);
  return { type: 'doc', content: blockNodes(parseDocument(clean).children) };
}
