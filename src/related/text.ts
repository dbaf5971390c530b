/**
 * Text -> weighted terms for the related-story engine.
 *
 * - Tokens: runs of letters and digits (Unicode), lower-cased; apostrophes end
 *   a word ("council's" -> "council"). Numbers other than four-digit years are
 *   dropped: "5-2" or "40 percent" say nothing about the topic.
 * - Stop words and stemming for English (Porter); other site languages keep
 *   whole lower-cased words with no stop list (see docs/related.md).
 * - Named people, places and organisations: a capitalised word that does not
 *   start a sentence ("... said Mayor Ines Kinsella of Port Alder") counts more,
 *   and runs of two or more such words also give a phrase term
 *   ("ines_kinsella", "port_alder"), which tells two fires or two elections in
 *   different towns apart far better than their shared vocabulary can.
 * - Fields: the headline counts three times, the dek twice, the body once.
 */
import { porterStem } from './stemmer.js';

/** Common English words with no topical meaning (a compact list: articles, pronouns, auxiliaries, reporting verbs). */
const ENGLISH_STOP = new Set(
  `a about above after again against all almost also although always am among an and another any anyone anything are
around as at away back be became because become been before being below between both but by can cannot could did do
does doing done down during each either else enough even ever every few for from further get gets getting given go
goes going gone got had has have having he her here hers herself him himself his how however i if in into is it its
itself just last least less like made make makes many may me might more most much must my myself near need never new
next no nor not now of off often on once one only or other others our ours ourselves out over own per perhaps put
quite rather really said same say says see seen she should since so some something still such take than that the
their theirs them themselves then there these they thing things this those though through thus to too toward towards
under until up upon us very via was way we well were what when where whether which while who whom whose why will with
within without would yet you your yours yourself yourselves told tell according week weeks year years day days time
times today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr st percent
including include includes several three two four five six seven eight nine ten first second third added asked
people part lot lots around`.split(/\s+/),
);

/** Words that often open a capitalised run without being part of the name. */
const ENTITY_SKIP = new Set(['the', 'a', 'an', 'in', 'on', 'at', 'of', 'for', 'and', 'but', 'by', 'to', 'from', 'with', 'as', 'after', 'before', 'when', 'while', 'if', 'it', 'this', 'that', 'there', 'he', 'she', 'they', 'we', 'i']);

export interface Analyzer {
  language: string;
  stem(word: string): string;
  isStop(word: string): boolean;
}

/** Stemming is the costliest step and a site's vocabulary is small: each word is stemmed once. */
const stemCache = new Map<string, string>();
function cachedPorter(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size > 500_000) stemCache.clear();
    stem = porterStem(word);
    stemCache.set(word, stem);
  }
  return stem;
}

export function analyzerFor(language: string): Analyzer {
  const base = language.toLowerCase().split('-')[0];
  if (base === 'en') return { language: 'en', stem: cachedPorter, isStop: (w) => ENGLISH_STOP.has(w) };
  return { language: base ?? language, stem: (w) => w, isStop: () => false };
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const SENTENCE_MARKS = new Set(['.', '!', '?', ':', ';', '"', '“', '”', '\n']);

/** Does a sentence start at `index`: the first non-space character before it ends one (or there is none)? */
function startsSentence(text: string, index: number, from: number): boolean {
  for (let i = index - 1; i >= from; i--) {
    const c = text[i]!;
    if (c === '\n') return true;
    if (c === ' ' || c === '\t' || c === '\u00a0') continue;
    return SENTENCE_MARKS.has(c);
  }
  return from === 0;
}

interface RawToken {
  /** Lower-cased, apostrophe suffix removed. */
  word: string;
  /** Capitalised and not the first word of a sentence. */
  entity: boolean;
}

function tokens(text: string): RawToken[] {
  const out: RawToken[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const index = match.index ?? 0;
    const sentenceStart = startsSentence(text, index, last);
    last = index + match[0].length;
    const apostrophe = match[0].search(/['’]/);
    const surface = apostrophe > 0 ? match[0].slice(0, apostrophe) : match[0];
    const word = surface.toLowerCase();
    const first = surface[0]!;
    const capital = first !== word[0] && surface.length > 1 && surface !== surface.toUpperCase();
    out.push({ word, entity: capital && !sentenceStart });
  }
  return out;
}

export interface FieldText {
  headline: string;
  dek: string;
  body: string;
}

const FIELD_WEIGHT = { headline: 3, dek: 2, body: 1 } as const;
const ENTITY_BOOST = 2;
const PHRASE_BOOST = 3;
const MAX_BODY_CHARS = 20_000;

function keepWord(word: string, analyzer: Analyzer): boolean {
  if (word.length < 2) return false;
  if (/^\d+$/.test(word)) return /^(1[89]|20)\d\d$/.test(word); // years only
  return !analyzer.isStop(word);
}

/**
 * Raw term frequencies, field- and entity-weighted. Headlines are often in
 * title case, so there every capitalised word would look like a name: entity
 * detection reads the dek and body, and the headline's words get the boost
 * only when they were seen as names there.
 */
export function termFrequencies(fields: FieldText, analyzer: Analyzer): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (term: string, amount: number) => tf.set(term, (tf.get(term) ?? 0) + amount);
  const names = new Set<string>();
  const phrases: string[][] = [];

  for (const field of ['dek', 'body'] as const) {
    const text = field === 'body' ? fields.body.slice(0, MAX_BODY_CHARS) : fields[field];
    let run: string[] = [];
    const flush = () => {
      if (run.length >= 2) phrases.push(run);
      run = [];
    };
    for (const token of tokens(text)) {
      if (token.entity && !ENTITY_SKIP.has(token.word)) {
        run.push(token.word);
        names.add(token.word);
      } else flush();
      if (!keepWord(token.word, analyzer)) continue;
      const stem = analyzer.stem(token.word);
      add(stem, FIELD_WEIGHT[field] * (token.entity ? ENTITY_BOOST : 1));
    }
    flush();
  }
  for (const token of tokens(fields.headline)) {
    if (!keepWord(token.word, analyzer)) continue;
    add(analyzer.stem(token.word), FIELD_WEIGHT.headline * (names.has(token.word) ? ENTITY_BOOST : 1));
  }
  for (const run of phrases) {
    // Phrase terms stand for the name as a whole; a long run ("City Council President Ines Kinsella") also
    // yields its two-word tail, which is usually the person's or place's own name.
    add(run.slice(0, 4).join('_'), PHRASE_BOOST);
    if (run.length > 2) add(run.slice(-2).join('_'), PHRASE_BOOST);
  }
  return tf;
}

/** Sublinear term frequency: the tenth mention of a word says less than the second. */
export function tfWeight(raw: number): number {
  return 1 + Math.log(raw);
}

/**
 * Inverse document frequency as BM25 (Lucene) has it: near zero for a word in
 * every article (boilerplate such as "this story will be updated" then pairs
 * nothing), never negative, finite for df = 0.
 */
export function idf(df: number, docs: number): number {
  return Math.log(1 + (Math.max(docs, df) - df + 0.5) / (df + 0.5));
}

/**
 * Near-duplicate key of a headline: lower-case words, no punctuation or
 * numbers, so "Fire closes Route 9 (updated)" and "Fire closes Route 9" match.
 */
export function headlineKey(headline: string): string {
  return (headline.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => w !== 'updated' && w !== 'update' && w !== 'live').join(' ');
}

/** Plain text of a stored ProseMirror body document (text nodes, blocks separated by new lines). */
export function docText(bodyDocJson: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(bodyDocJson);
  } catch {
    return '';
  }
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; text?: string; content?: unknown[] };
    if (typeof n.text === 'string') parts.push(n.text);
    if (Array.isArray(n.content)) {
      for (const child of n.content) walk(child);
      if (n.type && n.type !== 'text') parts.push('\n');
    }
  };
  walk(doc);
  return parts.join('');
}
