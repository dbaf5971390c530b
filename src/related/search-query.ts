/**
 * Reader search text -> a structured query, in TypeScript. What the reader
 * typed never reaches SQL as syntax: it is cut into words (runs of letters,
 * digits and combining marks: what both databases' tokenizers keep) and
 * quoted phrases; everything else (operators, `*`, `:`, parentheses, NEAR,
 * control characters, emoji) is a separator. The FTS5 expression and the
 * PostgreSQL tsquery text are then built from those words alone, each word
 * quoted, and passed as bound parameters.
 */

/** Longer input is cut here: no one types more, and it bounds the work. */
export const MAX_QUERY_CHARS = 200;
/** Terms (words or phrases) kept; the rest are ignored. */
export const MAX_TERMS = 12;
/** Words kept in one phrase. */
const MAX_PHRASE_WORDS = 8;
/** The last word is also matched as a prefix when it has at least this many characters (shorter ones match half the dictionary). */
const MIN_PREFIX_CHARS = 3;

export interface SearchTerm {
  /** One word, or the words of a phrase in order. */
  words: string[];
  /** Typed in quotes (or joined by punctuation, like "covid-19"): the words must be adjacent. */
  phrase: boolean;
}

export interface ParsedQuery {
  terms: SearchTerm[];
  /** The last term is a single word typed without quotes: match it as a prefix too. */
  prefixLast: boolean;
  /** The cleaned text, to show back to the reader. */
  text: string;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// C0/C1 controls, format characters (zero-width joiners, bidi controls), surrogates, private use (our highlight sentinels).
const UNWANTED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu;

/** Words of a piece of text as the tokenizers see them, lower-cased. */
function words(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

// Printable ASCII, tab and newline: nothing to normalise or remove (most indexed text is mostly this; the
// Unicode-class pass below is a large share of a full reindex).
const PLAIN = /^[\x20-\x7e\t\n]*$/;

/** Removes control, format and private-use characters; collapses spaces. Used for indexed text too. */
export function cleanText(text: string): string {
  if (PLAIN.test(text)) return text.replace(/[\t\n]/g, ' ');
  return text.normalize('NFC').replace(UNWANTED, ' ');
}

export function parseQuery(input: unknown): ParsedQuery {
  const source = typeof input === 'string' ? input : '';
  const text = cleanText(source.slice(0, MAX_QUERY_CHARS * 2)).replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
  const terms: SearchTerm[] = [];
  let prefixLast = false;
  const push = (found: string[], phrase: boolean) => {
    if (!found.length || terms.length >= MAX_TERMS) return false;
    if (found.length === 1) terms.push({ words: found, phrase: false });
    else terms.push({ words: found.slice(0, MAX_PHRASE_WORDS), phrase: true });
    return true;
  };
  // Quoted phrases; an unbalanced quote is ignored (its words count as plain words).
  const parts = text.split('"');
  const balanced = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    const quoted = balanced && i % 2 === 1;
    if (quoted) {
      prefixLast = false;
      push(words(part), true);
      return;
    }
    for (const chunk of part.split(' ')) {
      const found = words(chunk);
      // "covid-19", "o'brien", "3.5": one chunk, several words: they belong together.
      if (push(found, found.length > 1)) prefixLast = found.length === 1;
    }
  });
  const last = terms.at(-1);
  // A trailing space means the reader finished the word.
  if (!last || last.phrase || /\s$/.test(source.slice(0, MAX_QUERY_CHARS)) || last.words[0]!.length < MIN_PREFIX_CHARS) prefixLast = false;
  return { terms, prefixLast, text };
}

/** The FTS5 MATCH expression: every word in double quotes (no operator can be spelled), terms ANDed. */
export function ftsExpression(query: ParsedQuery): string {
  return query.terms
    .map((term, i) => {
      const quoted = `"${term.words.join(' ')}"`;
      return i === query.terms.length - 1 && query.prefixLast ? `(${quoted} OR ${quoted}*)` : quoted;
    })
    .join(' AND ');
}

/**
 * The `to_tsquery` text: each word in single quotes (words hold only letters,
 * digits and marks, so no quote or backslash can occur), phrases joined with
 * `<->`, terms with `&`, the last word also as a `:*` prefix.
 */
export function tsqueryText(query: ParsedQuery): string {
  return query.terms
    .map((term, i) => {
      const quoted = term.words.map((w) => `'${w}'`);
      if (term.phrase) return `(${quoted.join(' <-> ')})`;
      return i === query.terms.length - 1 && query.prefixLast ? `(${quoted[0]} | ${quoted[0]}:*)` : quoted[0]!;
    })
    .join(' & ');
}

/** Every word of the query (for highlighting where the database cannot). */
export function queryWords(query: ParsedQuery): string[] {
  return query.terms.flatMap((t) => t.words);
}
