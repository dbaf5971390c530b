/** Highlighted headlines and snippets of search results (src/related/search-snippets.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlighter, MARK_END, MARK_START } from '../../src/related/search-snippets.js';
import { parseQuery } from '../../src/related/search-query.js';

/** Marks as brackets, to read the assertions. */
const show = (text: string) => text.replaceAll(MARK_START, '[').replaceAll(MARK_END, ']');

test('marks every form of a stemmed word, folding case and accents', () => {
  const h = highlighter(parseQuery('election cafés '), 'en');
  assert.equal(show(h.mark('Elections: the Café owners elected to vote')), '[Elections]: the [Café] owners [elected] to vote');
});

test('the last word also matches as a prefix, unless the reader finished it', () => {
  assert.equal(show(highlighter(parseQuery('ferry tim'), 'en').mark('Ferry timetable changes')), '[Ferry] [timetable] changes');
  assert.equal(show(highlighter(parseQuery('ferry tim '), 'en').mark('Ferry timetable changes')), '[Ferry] timetable changes');
});

test('words of a phrase are marked; other languages are matched without English stemming', () => {
  assert.equal(show(highlighter(parseQuery('"harbour master"'), 'en').mark('The harbour master spoke')), 'The [harbour] [master] spoke');
  assert.equal(show(highlighter(parseQuery('elections '), 'fr').mark('elections et election')), '[elections] et election');
});

test('the snippet is the passage with the most query words, with ellipses where text was cut', () => {
  const filler = (n: number, word = 'lorem') => Array.from({ length: n }, () => word).join(' ');
  const body = `${filler(60)} council ${filler(60)} council budget vote ${filler(60)}`;
  const snippet = show(highlighter(parseQuery('council budget '), 'en').snippet(['', body]));
  assert.match(snippet, /^….*\[council\] \[budget\] vote.*…$/);
  assert.equal(snippet.match(/\[/g)?.length, 2, 'the window around both words, not the first lone one');
  assert.ok(snippet.split(' ').length <= 34);
});

test('the dek comes first; a story found only by its byline shows the byline; no match gives no snippet', () => {
  const h = highlighter(parseQuery('nakamura '), 'en');
  assert.equal(show(h.snippet(['A dek', 'A body', 'Ana Nakamura, Ben Ortiz', 'Harbour'])), 'Ana [Nakamura], Ben Ortiz');
  assert.equal(h.snippet(['A dek', 'A body']), '');
  assert.equal(show(highlighter(parseQuery('short '), 'en').snippet(['A short dek.'])), 'A [short] dek.');
});
