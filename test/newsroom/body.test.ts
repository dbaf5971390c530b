/**
 * Article bodies: the editor's ProseMirror JSON document (and HTML from imports)
 * becomes sanitized HTML blocks. Whatever an author or an import sends, no
 * script, event handler or dangerous URL may reach a reader's page.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blocksToHtml,
  describeEmbed,
  docFromParagraphs,
  readingMinutes,
  renderBody,
  sanitizeBodyHtml,
  validateDoc,
  type BodyDoc,
  type BodyNode,
} from '../../src/newsroom/body.js';
import { htmlToDoc } from '../../src/newsroom/body-html.js';
import { Invalid } from '../../src/shared/errors.js';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

const text = (value: string, marks?: BodyNode['marks']): BodyNode => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const para = (...content: BodyNode[]): BodyNode => ({ type: 'paragraph', content });
const doc = (...content: BodyNode[]): BodyDoc => ({ type: 'doc', content });
const render = (...content: BodyNode[]) => renderBody(doc(...content));
const htmlOf = (...content: BodyNode[]) => blocksToHtml(render(...content).blocks);
const fromHtml = (input: string) => renderBody(htmlToDoc(input));
const link = (href: string) => [{ type: 'link' as const, attrs: { href } }];

const ALLOWED_TAGS = new Set(['p', 'h2', 'h3', 'h4', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'figure', 'figcaption', 'img', 'hr', 'br', 'cite', 'span']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster']);

/**
 * Parses the HTML the way a browser would and checks every element: only
 * allowlisted tags, no event handlers or style, and every URL http(s), mailto,
 * or on this site (not protocol-relative).
 */
function assertHarmless(html: string, label: string, brokenImagesOk = false): void {
  const visit = (nodes: readonly ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'script' || node.type === 'style') assert.fail(`${label}: <${(node as Element).name}> survived in ${html}`);
      if (node.type === 'comment') assert.fail(`${label}: a comment survived in ${html}`);
      if (node.type !== 'tag') continue;
      const el = node as Element;
      assert.ok(ALLOWED_TAGS.has(el.name), `${label}: <${el.name}> survived in ${html}`);
      if (el.name === 'img' && !brokenImagesOk) assert.ok(el.attribs.src, `${label}: an <img> without a source (a broken picture) in ${html}`);
      for (const [name, value] of Object.entries(el.attribs)) {
        assert.doesNotMatch(name, /^on/i, `${label}: event handler ${name} survived in ${html}`);
        assert.notEqual(name.toLowerCase(), 'style', `${label}: a style attribute survived in ${html}`);
        assert.notEqual(name.toLowerCase(), 'srcdoc', `${label}: srcdoc survived in ${html}`);
        if (URL_ATTRIBUTES.has(name.toLowerCase())) {
          // Browsers ignore ASCII whitespace and control characters inside a scheme.
          const squashed = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          assert.ok(
            /^(https?:|mailto:)/.test(squashed) || /^#/.test(squashed) || /^\/(?![/\\])/.test(squashed),
            `${label}: ${name}="${value}" survived in ${html}`,
          );
        }
      }
      visit(el.children);
    }
  };
  visit(parseDocument(html).children);
}

describe('rendering every node type', () => {
  test('a paragraph with bold, italic, a link and a hard break', () => {
    const out = render(
      para(
        text('Plain '),
        text('bold', [{ type: 'bold' }]),
        text(' and '),
        text('italic', [{ type: 'italic' }]),
        { type: 'hardBreak' },
        text('a link', link('https://example.org/a?b=1&c=2')),
      ),
    );
    assert.deepEqual(out.blocks.map((b) => b.type), ['paragraph']);
    assert.equal(
      out.blocks[0]!.html,
      '<p>Plain <strong>bold</strong> and <em>italic</em><br />' +
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener">a link</a></p>',
    );
  });

  test('site-relative links and mailto links are kept; external links get rel="noopener"', () => {
    const html = htmlOf(
      para(text('about', link('/about')), text(' '), text('mail', link('mailto:desk@example.org')), text(' '), text('anchor', link('#notes'))),
    );
    assert.match(html, /<a href="\/about">about<\/a>/);
    assert.match(html, /<a href="mailto:desk@example.org">mail<\/a>/);
    assert.match(html, /<a href="#notes">anchor<\/a>/);
  });

  test('headings are clamped to h2..h4 (the headline is the only h1)', () => {
    const levels = [1, 2, 3, 4, 6, 'x'].map((level) => htmlOf({ type: 'heading', attrs: { level }, content: [text('Title')] }));
    assert.deepEqual(levels, ['<h2>Title</h2>', '<h2>Title</h2>', '<h3>Title</h3>', '<h4>Title</h4>', '<h4>Title</h4>', '<h2>Title</h2>']);
    assert.equal(render({ type: 'heading', attrs: { level: 3 }, content: [text('T')] }).blocks[0]!.type, 'heading');
  });

  test('bullet lists, ordered lists with a start, and nested lists', () => {
    const item = (...content: BodyNode[]): BodyNode => ({ type: 'listItem', content });
    const out = render(
      { type: 'bulletList', content: [item(para(text('one'))), item(para(text('two')), { type: 'orderedList', content: [item(para(text('two.a')))] })] },
      { type: 'orderedList', attrs: { start: 3 }, content: [item(para(text('three'))), item(para(text('four')))] },
      { type: 'orderedList', attrs: { start: 1 }, content: [item(para(text('first')))] },
    );
    assert.deepEqual(out.blocks.map((b) => b.type), ['list', 'list', 'list']);
    assert.equal(out.blocks[0]!.html, '<ul><li>one</li><li>two<ol><li>two.a</li></ol></li></ul>');
    assert.equal(out.blocks[1]!.html, '<ol start="3"><li>three</li><li>four</li></ol>');
    assert.equal(out.blocks[2]!.html, '<ol><li>first</li></ol>');
  });

  test('a blockquote keeps its paragraphs', () => {
    const out = render({ type: 'blockquote', content: [para(text('First.')), para(text('Second.'))] });
    assert.deepEqual(out.blocks, [{ type: 'quote', html: '<blockquote><p>First.</p><p>Second.</p></blockquote>' }]);
  });

  test('a pull quote with and without attribution', () => {
    const withWho = render({ type: 'pullQuote', attrs: { attribution: 'The Mayor <3' }, content: [text('We will rebuild.')] });
    assert.equal(withWho.blocks[0]!.type, 'pullquote');
    assert.equal(
      withWho.blocks[0]!.html,
      '<figure class="pullquote"><blockquote class="pullquote-text"><p>We will rebuild.</p></blockquote><figcaption>The Mayor &lt;3</figcaption></figure>',
    );
    const anonymous = htmlOf({ type: 'pullQuote', content: [text('Quiet.')] });
    assert.doesNotMatch(anonymous, /figcaption/);
  });

  test('a horizontal rule', () => {
    assert.deepEqual(render({ type: 'horizontalRule' }).blocks, [{ type: 'rule', html: '<hr />' }]);
  });

  test('an image with size, caption and credit; lazy-loaded', () => {
    const out = render({
      type: 'image',
      attrs: { src: 'https://cdn.example.org/a.jpg', alt: 'The "harbour" at dawn', width: 1200, height: 800, caption: 'Dawn', credit: 'Ana Reyes' },
    });
    assert.equal(out.blocks[0]!.type, 'image');
    const html = out.blocks[0]!.html;
    assert.match(html, /^<figure class="body-image"><img /);
    assert.match(html, /src="https:\/\/cdn\.example\.org\/a\.jpg"/);
    assert.match(html, /alt="The &quot;harbour&quot; at dawn"/);
    assert.match(html, /width="1200" height="800"/);
    assert.match(html, /loading="lazy"/);
    assert.match(html, /<figcaption>Dawn <span class="credit">Ana Reyes<\/span><\/figcaption>/);
    // Without a usable size no width/height is invented, and no caption gives no figcaption.
    const bare = htmlOf({ type: 'image', attrs: { src: '/media/x.jpg', width: -3, height: 'tall' } });
    assert.doesNotMatch(bare, /width=|height=|figcaption/);
    assert.match(bare, /src="\/media\/x\.jpg"/);
  });

  test('empty paragraphs (editor noise) produce no block; text is escaped', () => {
    const out = render(para(), para({ type: 'hardBreak' }), para(text('1 < 2 & "quotes"')));
    assert.deepEqual(out.blocks, [{ type: 'paragraph', html: '<p>1 &lt; 2 &amp; "quotes"</p>' }]);
  });

  test('unknown node types, and unknown inline nodes, are dropped rather than passed through', () => {
    const out = render(
      para(text('kept')),
      { type: 'rawHtml', attrs: { html: '<b>raw</b>' }, content: [text('hidden')] },
      { type: 'codeBlock', content: [text('also hidden')] },
      para(text('a '), { type: 'mention', attrs: { id: 'x' }, text: 'ghost' }, text('b')),
    );
    assert.deepEqual(out.blocks.map((b) => b.html), ['<p>kept</p>', '<p>a b</p>']);
    assert.doesNotMatch(out.text, /hidden|ghost/);
  });

  test('docFromParagraphs builds paragraphs and skips empty ones', () => {
    const out = renderBody(docFromParagraphs(['One.', '', 'Two.']));
    assert.deepEqual(out.blocks.map((b) => b.html), ['<p>One.</p>', '<p>Two.</p>']);
  });
});

describe('embeds become link cards (no third-party script or request)', () => {
  const cases: [string, string, string, string][] = [
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'Watch on YouTube', 'youtube.com'],
    ['https://youtu.be/dQw4w9WgXcQ', 'youtube', 'Watch on YouTube', 'youtu.be'],
    ['https://x.com/someone/status/123', 'x', 'View the post on X', 'x.com'],
    ['https://twitter.com/someone/status/123', 'x', 'View the post on X', 'twitter.com'],
    ['https://www.instagram.com/p/abc/', 'instagram', 'View the post on Instagram', 'instagram.com'],
    ['https://www.facebook.com/page/posts/1', 'facebook', 'View the post on Facebook', 'facebook.com'],
    ['https://bsky.app/profile/someone.bsky.social/post/3k', 'bluesky', 'View the post on Bluesky', 'bsky.app'],
    ['https://example.org/story', 'link', 'Open the link', 'example.org'],
  ];
  for (const [url, provider, label, host] of cases) {
    test(`${provider}: ${url}`, () => {
      const out = render({ type: 'embed', attrs: { url } });
      assert.equal(out.blocks.length, 1);
      assert.equal(out.blocks[0]!.type, 'embed');
      const html = out.blocks[0]!.html;
      assert.equal(
        html,
        `<figure class="embed embed-${provider}" data-embed="${provider}"><a href="${new URL(url).toString()}" rel="noopener">${label}</a><figcaption>${host}</figcaption></figure>`,
      );
      assert.doesNotMatch(html, /<iframe|<script/);
    });
  }

  test('a YouTube link yields its video id; a look-alike host does not count as YouTube', () => {
    assert.equal(describeEmbed('https://www.youtube.com/watch?v=dQw4w9WgXcQ')?.videoId, 'dQw4w9WgXcQ');
    assert.equal(describeEmbed('https://youtu.be/dQw4w9WgXcQ')?.videoId, 'dQw4w9WgXcQ');
    assert.equal(describeEmbed('https://notyoutube.com/watch?v=dQw4w9WgXcQ')?.provider, 'link');
    assert.equal(describeEmbed('https://x.com.evil.example/status/1')?.provider, 'link');
  });

  test('non-http(s) and malformed embed URLs are dropped entirely', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.org/file', 'not a url', '', 'vbscript:msgbox(1)']) {
      const out = render(para(text('before')), { type: 'embed', attrs: { url } }, para(text('after')));
      assert.deepEqual(out.blocks.map((b) => b.type), ['paragraph', 'paragraph'], url);
    }
    assert.equal(render({ type: 'embed' }).blocks.length, 0);
  });
});

describe('XSS vectors never survive', () => {
  const badHrefs = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    '  javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/x',
  ];

  test('document path: dangerous link hrefs are dropped and the text is kept', () => {
    for (const href of badHrefs) {
      const html = htmlOf(para(text('click me', link(href))));
      assertHarmless(html, href);
      assert.match(html, /click me/, href);
      assert.doesNotMatch(html, /evil|alert|msgbox|base64/i, href);
    }
  });

  test('document path: a quote in an href cannot break out of the attribute', () => {
    const html = htmlOf(para(text('x', link('https://example.org/" onmouseover="alert(1)'))));
    assertHarmless(html, 'quote breakout');
    assert.match(html, /href="https:\/\/example\.org\/&quot; onmouseover=&quot;alert\(1\)"/);
  });

  test('document path: dangerous image sources drop the image; attributes cannot be injected', () => {
    for (const src of [...badHrefs, 'mailto:x@example.org', 'x.jpg']) {
      assert.equal(render({ type: 'image', attrs: { src } }).blocks.length, 0, src);
    }
    const html = htmlOf({ type: 'image', attrs: { src: 'https://e.org/a.jpg', alt: '" onerror="alert(1)', caption: '<img src=x onerror=alert(1)>', credit: '<script>x</script>' } });
    assertHarmless(html, 'image attrs');
    assert.match(html, /alt="&quot; onerror=&quot;alert\(1\)"/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('document path: markup in text, attributions and unknown attrs is inert text', () => {
    const html = htmlOf(
      para(text('<script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>')),
      { type: 'heading', attrs: { level: '2 onclick=alert(1)' }, content: [text('<iframe src="javascript:alert(1)">')] },
      { type: 'pullQuote', attrs: { attribution: '<a href="javascript:alert(1)">x</a>' }, content: [text('q')] },
      { type: 'orderedList', attrs: { start: '2" onclick="alert(1)' }, content: [{ type: 'listItem', content: [para(text('i'))] }] },
      { type: 'paragraph', attrs: { style: 'background:url(javascript:alert(1))', onclick: 'alert(1)' }, content: [text('styled')] },
    );
    assertHarmless(html, 'text');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<p>styled<\/p>/);
  });

  const htmlVectors: [string, string, RegExp?][] = [
    ['script tag', '<p>Hello</p><script>alert(1)</script><p>World</p>', /Hello[\s\S]*World/],
    ['script inside a paragraph', '<p>Hi<script>document.cookie</script> there</p>', /Hi there/],
    ['javascript: link', '<p><a href="javascript:alert(1)">click</a></p>', /click/],
    ['entity-encoded javascript: link', '<p><a href="&#106;avascript:alert(1)">click</a></p>', /click/],
    ['whitespace-obfuscated javascript: link', '<p><a href="jav&#x09;ascript:alert(1)">click</a></p>', /click/],
    ['data: link', '<p><a href="data:text/html,<script>alert(1)</script>">click</a></p>', /click/],
    ['protocol-relative link', '<p><a href="//evil.example/">click</a></p>', /click/],
    ['event handler attribute', '<p onclick="alert(1)" onmouseover="alert(2)">text</p>', /text/],
    ['img onerror', '<img src="x" onerror="alert(1)"><p>after</p>', /after/],
    ['img onerror with a real src', '<img src="https://e.org/a.jpg" onerror="alert(1)">'],
    ['img javascript: src', '<img src="javascript:alert(1)"><p>after</p>', /after/],
    ['img data: src', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"><p>after</p>', /after/],
    ['svg with onload', '<svg onload="alert(1)"><circle r="1"/></svg><p>after</p>', /after/],
    ['svg with script', '<svg><script>alert(1)</script></svg><p>after</p>', /after/],
    ['svg with a javascript: link', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
    ['style attribute', '<p style="background:url(javascript:alert(1))">styled</p>', /styled/],
    ['style tag', '<style>body{background:url(javascript:alert(1))}</style><p>after</p>', /after/],
    ['iframe', '<iframe src="https://evil.example/"></iframe><p>after</p>', /after/],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['object and embed', '<object data="evil.swf"></object><embed src="evil.swf"><p>after</p>', /after/],
    ['form and input', '<form action="https://evil.example"><input name="password"><button>Go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>after</p>', /after/],
    ['base href', '<base href="https://evil.example/"><p><a href="/x">x</a></p>'],
    ['math/mglyph confusion', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    ['unclosed tag trick', '<p>safe</p><img src=x onerror=alert(1)//'],
    ['nested comment trick', '<!--<img src="--><img src=x onerror=alert(1)//">'],
    ['figure with onclick', '<figure onclick="alert(1)"><img src="https://e.org/a.jpg"></figure>'],
    ['a with target and onclick', '<p><a href="https://e.org" target="_blank" onclick="alert(1)">ok</a></p>', /ok/],
  ];

  for (const [label, input, keep] of htmlVectors) {
    test(`HTML path: ${label}`, () => {
      const out = fromHtml(input);
      const html = blocksToHtml(out.blocks);
      assertHarmless(html, label);
      assert.doesNotMatch(html, /alert|evil|cookie|onerror|\.swf/i, `${label}: ${html}`);
      if (keep) assert.match(out.text + ' ' + html, keep, `${label}: the harmless text should survive (${html})`);
      // The intermediate document is itself safe to render again (what gets stored).
      assertHarmless(blocksToHtml(renderBody(JSON.parse(JSON.stringify(htmlToDoc(input))) as BodyDoc).blocks), `${label} (re-render)`);
    });
  }

  test('sanitizeBodyHtml, the allowlist every block passes, strips what the renderers never produce', () => {
    const html = sanitizeBodyHtml(
      '<p class="x" style="color:red" onclick="alert(1)">t</p><a href="javascript:alert(1)">a</a><img src="data:image/png;base64,AAAA" onerror="x"><script>bad()</script>',
    );
    assertHarmless(html, 'sanitize', true); // the raw sanitizer drops the src; the renderers drop such images entirely
    assert.doesNotMatch(html, /bad\(\)/);
  });
});

describe('HTML input (imports, API clients) maps onto the document', () => {
  test('paragraphs, headings, lists, quotes, rules, images and inline marks', () => {
    const out = fromHtml(
      '<h1>Big</h1><p>Some <b>bold</b>, <i>italic</i> and <a href="https://e.org/x">a link</a>.<br>Next line</p>' +
        '<ul><li>one</li><li>two<ol start="4"><li>nested</li></ol></li></ul>' +
        '<blockquote><p>Quoted.</p></blockquote><hr><img src="https://e.org/p.jpg" alt="A pier" width="800" height="600">' +
        '<div><p>Inside a div</p>loose text</div>',
    );
    assert.deepEqual(out.blocks.map((b) => b.type), ['heading', 'paragraph', 'list', 'quote', 'rule', 'image', 'paragraph', 'paragraph']);
    const [h, p, list, quote, , image, div1, div2] = out.blocks.map((b) => b.html);
    assert.equal(h, '<h2>Big</h2>');
    assert.equal(p, '<p>Some <strong>bold</strong>, <em>italic</em> and <a href="https://e.org/x" rel="noopener">a link</a>.<br />Next line</p>');
    assert.equal(list, '<ul><li>one</li><li>two<ol start="4"><li>nested</li></ol></li></ul>');
    assert.equal(quote, '<blockquote><p>Quoted.</p></blockquote>');
    assert.match(image!, /<img src="https:\/\/e\.org\/p\.jpg" alt="A pier" width="800" height="600"/);
    assert.equal(div1, '<p>Inside a div</p>');
    assert.equal(div2, '<p>loose text</p>');
  });

  test('whitespace is collapsed and empty paragraphs disappear', () => {
    const out = fromHtml('<p>\n   Lots   of\n\n space  </p><p>   </p><p></p>');
    assert.deepEqual(out.blocks.map((b) => b.html), ['<p>Lots of space</p>']);
  });
});

describe('word count and reading time', () => {
  test('counts words across every kind of block, not markup or punctuation', () => {
    const out = render(
      para(text('One two three.')),
      { type: 'heading', attrs: { level: 2 }, content: [text('Four five')] },
      { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('six'))] }, { type: 'listItem', content: [para(text('seven — eight'))] }] },
      { type: 'blockquote', content: [para(text('nine'))] },
      { type: 'pullQuote', content: [text('ten')] },
      { type: 'horizontalRule' },
      { type: 'embed', attrs: { url: 'https://x.com/a/status/1' } },
    );
    assert.equal(out.wordCount, 10);
  });

  test('a word split by formatting marks is one word; a line break separates words', () => {
    const out = render(
      para(text('un'), text('believ', [{ type: 'bold' }]), text('able story')),
      para(text('end'), { type: 'hardBreak' }, text('start')),
    );
    assert.equal(out.wordCount, 4);
  });

  test('words in different paragraphs are never glued together', () => {
    assert.equal(render(para(text('alpha')), para(text('beta'))).wordCount, 2);
  });

  test('an empty document has no blocks and no words; reading time is at least a minute', () => {
    const out = renderBody(doc());
    assert.deepEqual(out.blocks, []);
    assert.equal(out.wordCount, 0);
    assert.equal(readingMinutes(0), 1);
    assert.equal(readingMinutes(230 * 4), 4);
    assert.equal(readingMinutes(230 * 4 + 100), 4);
  });

  test('the HTML path counts the same words', () => {
    assert.equal(fromHtml('<p>One <strong>two</strong> three</p><ul><li>four</li></ul>').wordCount, 4);
  });
});

describe('document validation', () => {
  const invalid = (input: unknown): Invalid => {
    try {
      validateDoc(input);
    } catch (error) {
      assert.ok(error instanceof Invalid, `expected Invalid, got ${String(error)}`);
      return error;
    }
    assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
  };

  test('a valid document passes unchanged', () => {
    const input = doc(para(text('Hi', [{ type: 'bold' }])));
    assert.deepEqual(validateDoc(input), input);
  });

  test('not a document at all', () => {
    for (const input of [null, 'text', 42, [], {}, { type: 'paragraph', content: [] }, { type: 'doc' }]) {
      const error = invalid(input);
      assert.equal(error.fields.length, 1);
      assert.match(error.fields[0]!.path, /^\/body/, JSON.stringify(input));
    }
  });

  test('the field path points at the bad node', () => {
    assert.equal(invalid({ type: 'doc', content: [para(text('ok')), { text: 'no type' }] }).fields[0]!.path, '/body/content/1/type');
    assert.equal(invalid({ type: 'doc', content: [para({ type: 'text', text: 5 as unknown as string })] }).fields[0]!.path, '/body/content/0/content/0/text');
    assert.equal(invalid({ type: 'doc', content: 'nope' }).fields[0]!.path, '/body/content');
  });

  test('unknown marks and oversized text are rejected', () => {
    const badMark = invalid(doc(para({ type: 'text', text: 'x', marks: [{ type: 'script' } as never] })));
    assert.match(badMark.fields[0]!.path, /^\/body\/content\/0\/content\/0\/marks/);
    const huge = invalid(doc(para(text('a'.repeat(100_001)))));
    assert.equal(huge.fields[0]!.path, '/body/content/0/content/0/text');
  });
});

describe('the stored document is cleaned of unsafe addresses', () => {
  test('images and embeds with script or data addresses are dropped; such links lose the link, keep the text', () => {
    const doc = validateDoc({
      type: 'doc',
      content: [
        { type: 'image', attrs: { src: 'javascript:alert(1)', alt: 'x' } },
        { type: 'image', attrs: { src: 'data:image/png;base64,AAAA', alt: 'x' } },
        { type: 'image', attrs: { src: '//evil.example/x.png', alt: 'x' } },
        { type: 'image', attrs: { src: '/media/2026/11/a.jpg', alt: 'kept' } },
        { type: 'embed', attrs: { url: 'javascript:alert(1)' } },
        { type: 'embed', attrs: { url: 'https://youtu.be/abcdefghijk' } },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'bad', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
            { type: 'text', text: ' good', marks: [{ type: 'link', attrs: { href: 'https://example.org/' } }] },
          ],
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: { href: 'data:text/html,x' } }] }] }] }] },
      ],
    });
    assert.deepEqual(
      doc.content.map((n) => n.type),
      ['image', 'embed', 'paragraph', 'bulletList'],
    );
    assert.equal(doc.content[0]!.attrs!.alt, 'kept');
    const para = doc.content[2]!.content!;
    assert.deepEqual(para[0]!.marks, [{ type: 'bold' }], 'the bad link mark is gone, bold stays');
    assert.equal(para[0]!.text, 'bad');
    assert.deepEqual(para[1]!.marks, [{ type: 'link', attrs: { href: 'https://example.org/' } }]);
    assert.equal(JSON.stringify(doc.content[3]).includes('data:'), false);
  });
});
