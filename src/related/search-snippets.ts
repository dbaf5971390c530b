/**
 * Highlighted headlines and snippets for search results, built here from the
 * stored document text rather than by the database (SQLite's snippet(),
 * PostgreSQL's ts_headline). ts_headline re-parses each result's whole body
 * (~1 ms per 6 KB story, 20-35 ms a page at 100,000 articles); here the page's
 * twenty texts are scanned once with a regular expression, on both databases
 * alike. Matching follows the index's rules closely enough for marking words:
 * case and diacritics folded, words stemmed for English sites, the last word
 * also as a prefix when the query asks for it. The index decides what matches;
 * this only decides which words to mark and which passage to show.
 */
import { analyzerFor } from './text.js';
import type { ParsedQuery } from './search-query.js';

/** Marks a highlighted term's start and end (private-use characters: stripped from indexed text). */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

/** Words in a snippet (about two lines on a results page). */
const SNIPPET_WORDS = 32;
/** Bodies are scanned this far for a passage; a word first used later than this is rare and still matched by the index. */
const SCAN_CHARS = 30_000;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export interface Highlighter {
  /** The whole text with every matched word marked. */
  mark(text: string): string;
  /** The best passage of the first text that has a match (most distinct query words, earliest first), marked; '' when none matches. */
  snippet(texts: readonly string[]): string;
}

const ASCII_WORD = /^[A-Za-z0-9]+$/;
const fold = (word: string) => (ASCII_WORD.test(word) ? word.toLowerCase() : word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());

export function highlighter(query: ParsedQuery, language: string): Highlighter {
  const analyzer = analyzerFor(language);
  const key = (word: string) => analyzer.stem(fold(word));
  const wanted = new Map<string, number>(); // key -> query word index (for counting distinct matches)
  let index = 0;
  for (const term of query.terms) for (const word of term.words) if (!wanted.has(key(word))) wanted.set(key(word), index++);
  const lastTerm = query.terms.at(-1);
  const prefix = query.prefixLast && lastTerm ? fold(lastTerm.words[0]!) : undefined;
  const prefixIndex = prefix !== undefined ? wanted.get(key(prefix)) : undefined;

  // A page's twenty texts share most of their words: each distinct word is folded and stemmed once.
  const seen = new Map<string, number>();
  /** Which query word this text word matches, or -1. */
  const matchOf = (word: string): number => {
    let found = seen.get(word);
    if (found === undefined) {
      const folded = fold(word);
      found = wanted.get(analyzer.stem(folded)) ?? (prefix !== undefined && prefixIndex !== undefined && folded.startsWith(prefix) ? prefixIndex : -1);
      seen.set(word, found);
    }
    return found;
  };

  const mark = (text: string): string => text.replace(WORD, (word) => (matchOf(word) >= 0 ? `${MARK_START}${word}${MARK_END}` : word));

  const passage = (text: string): string | undefined => {
    const scanned = text.length > SCAN_CHARS ? text.slice(0, SCAN_CHARS) : text;
    const words: { start: number; end: number; match: number }[] = [];
    const hits: number[] = [];
    let best = { from: 0, score: 0 };
    let evaluated = 0; // hits whose window was scored
    const windowFrom = (hit: number) => Math.max(0, hit - 4);
    const score = (from: number) => {
      const distinct = new Set<number>();
      for (let i = from; i < Math.min(words.length, from + SNIPPET_WORDS); i++) if (words[i]!.match >= 0) distinct.add(words[i]!.match);
      return distinct.size;
    };
    // Words are read only as far as needed: the first window with every query word ends the scan.
    for (const m of scanned.matchAll(WORD)) {
      const match = matchOf(m[0]);
      words.push({ start: m.index, end: m.index + m[0].length, match });
      if (match >= 0) hits.push(words.length - 1);
      while (evaluated < hits.length && words.length >= windowFrom(hits[evaluated]!) + SNIPPET_WORDS) {
        const from = windowFrom(hits[evaluated++]!);
        const got = score(from);
        if (got > best.score) best = { from, score: got };
      }
      if (best.score === wanted.size) break;
    }
    if (!hits.length) return undefined;
    // Windows that run past the end of the text: shifted back so they still hold SNIPPET_WORDS words.
    for (; evaluated < hits.length && best.score < wanted.size; evaluated++) {
      const from = Math.max(0, Math.min(windowFrom(hits[evaluated]!), words.length - SNIPPET_WORDS));
      const got = score(from);
      if (got > best.score) best = { from, score: got };
    }
    const to = Math.min(words.length, best.from + SNIPPET_WORDS) - 1;
    const start = best.from === 0 ? 0 : words[best.from]!.start;
    const atEnd = to === words.length - 1 && scanned.length === text.length && !/[\p{L}\p{N}\p{M}]/u.test(text.slice(words[to]!.end));
    const end = atEnd ? text.length : words[to]!.end;
    const body = mark(text.slice(start, end)).trim();
    return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
  };

  const snippet = (texts: readonly string[]): string => {
    for (const text of texts) {
      const found = text ? passage(text) : undefined;
      if (found) return found;
    }
    return '';
  };

  return { mark, snippet };
}
