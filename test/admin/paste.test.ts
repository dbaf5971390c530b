/**
 * Cleaning of HTML pasted into the article body editor (admin/src/editor/body/paste.ts):
 * Word's and Google Docs' clipboard HTML comes out as plain structure with real
 * bold and italic kept, and nothing the schema would turn into noise.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPastedHtml } from '../../admin/src/editor/body/paste.js';

const WORD = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta charset="utf-8"><style><!-- p.MsoNormal { mso-style-parent:""; margin:0cm; } --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=EN-GB style='tab-interval:36.0pt'>
<!--StartFragment-->
<h1 style='mso-margin-top-alt:auto'>Council <span style='mso-bidi-font-weight:normal'>votes</span></h1>
<p class=MsoNormal style='mso-margin-top-alt:auto;mso-margin-bottom-alt:auto'>The council met on <b style='mso-bidi-font-weight:normal'>Tuesday</b> and <i style='mso-bidi-font-style:normal'>agreed</i> the budget.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>First point<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]>Second point<o:p></o:p></p>
<p class=MsoNormal><span style='font-weight:bold;mso-bidi-font-weight:normal'>Styled bold</span> and <span style="font-style:italic">styled italic</span>.</p>
<!--EndFragment-->
</body></html>`;

const DOCS = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-6b1c1e2a-7fff-3e4b-9b2a-0c1d2e3f4a5b"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;vertical-align:baseline;white-space:pre-wrap;">Plain words, </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;">bold words</span><span style="font-size:11pt;font-weight:400;font-style:italic;">, italic words</span><span style="font-weight:400;"> and </span><a href="https://example.com/report" style="text-decoration:none;"><span style="font-size:11pt;color:#1155cc;font-weight:400;text-decoration:underline;">a link</span></a></p><br><p dir="ltr" style="line-height:1.38;"><span style="font-size:11pt;font-weight:400;"></span></p><ul style="margin-top:0;margin-bottom:0;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;" role="presentation"><span style="font-size:11pt;font-weight:400;">A list item</span></p></li></ul></b><br class="Apple-interchange-newline">`;

describe('cleanPastedHtml', () => {
  test('Word: no Office markup, real lists, bold and italic kept, empty paragraphs gone', () => {
    const html = cleanPastedHtml(WORD);
    assert.doesNotMatch(html, /mso-/i);
    assert.doesNotMatch(html, /<o:p|<\/o:p|<w:|<xml|<!--|<!\[|<style|class=|style=/i);
    assert.doesNotMatch(html, /<p>\s*(&nbsp;)?\s*<\/p>/, 'the empty paragraph is removed');
    assert.match(html, /<h2>Council votes<\/h2>/, 'h1 becomes h2; the unstyled span is dropped');
    assert.match(html, /<p>The council met on <b>Tuesday<\/b> and <i>agreed<\/i> the budget\.<\/p>/);
    assert.match(html, /<ul><li><p>First point<\/p><\/li>\s*<li><p>Second point<\/p><\/li><\/ul>/);
    assert.doesNotMatch(html, /·/, 'the bullet glyph Word writes as text is gone');
    assert.match(html, /<strong>Styled bold<\/strong> and <em>styled italic<\/em>/);
  });

  test('Word: numbered list paragraphs become an ordered list', () => {
    const html = cleanPastedHtml(
      `<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span><![endif]>One</p>` +
        `<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span style='mso-list:Ignore'>2.<span>&nbsp;</span></span><![endif]>Two</p>` +
        `<p class=MsoNormal>After</p>`,
    );
    assert.equal(html, '<ol><li><p>One</p></li><li><p>Two</p></li></ol><p>After</p>');
  });

  test('Google Docs: the bogus bold wrapper is unwrapped, real bold and italic kept', () => {
    const html = cleanPastedHtml(DOCS);
    assert.doesNotMatch(html, /<b\b|docs-internal-guid|style=|dir=|<meta/i);
    assert.equal(
      html,
      '<p>Plain words, <strong>bold words</strong><em>, italic words</em> and <a href="https://example.com/report">a link</a></p>' +
        '<ul><li><p>A list item</p></li></ul>',
    );
  });

  test('bold and italic on one span, nested spans, stray closing tags', () => {
    assert.equal(
      cleanPastedHtml('<p><span style="font-weight:bold;font-style:italic">both <span style="color:red">still</span></span> plain</span></p>'),
      '<p><strong><em>both still</em></strong> plain</p>',
    );
  });

  test('keeps what the editor reads: images, links, embeds and pull quotes copied inside the admin', () => {
    const html =
      '<figure class="body-image"><img src="/media/a.jpg" alt="A cat" width="800" height="600" style="x"><figcaption>Cat <span class="credit">Photo: Ann</span></figcaption></figure>' +
      '<div class="embed-card" data-embed-url="https://youtu.be/abcdefgh"><span>YouTube embed</span></div>';
    assert.equal(
      cleanPastedHtml(html),
      '<figure class="body-image"><img src="/media/a.jpg" alt="A cat" width="800" height="600"><figcaption>Cat <span class="credit">Photo: Ann</span></figcaption></figure>' +
        '<div data-embed-url="https://youtu.be/abcdefgh">YouTube embed</div>',
    );
  });
});
