/**
 * The ranking arithmetic of the related-story engine, free of storage: term
 * vectors, similarity, the blended score, and choosing picks that are not
 * near-duplicates of each other. related.service.ts feeds it from the database.
 */
import { idf, tfWeight } from './text.js';

export type Vector = Map<string, number>;

/** Tuning, measured on bench/related-corpus.ts (docs/related.md explains each). */
export const TUNING = {
  /** Terms kept per article. */
  maxTerms: 40,
  /** Query terms whose posting lists are read for candidates. */
  queryTerms: 30,
  /** Articles read for the strongest query term (strongest articles first); weaker terms in proportion to their weight. */
  perTerm: 200,
  /** ... but at least this many. */
  minPerTerm: 30,
  /** Candidates rescored with their full vectors. */
  rescore: 40,
  /** Picks stored per article (inline links plus the "More from" list). */
  maxPicks: 10,
  /** Articles whose picks a publish may change. */
  neighbours: 20,
  /** Cosine at or above which two stories are the same story. */
  nearDuplicate: 0.9,
  /** Below this cosine to the previous version, an edit is substantial. */
  substantialEdit: 0.95,
  /** Text similarity a pick needs at least: tags and section alone never pair two stories. */
  minSimilarity: 0.08,
  /** Share of the text score that depends on recency. */
  recencyShare: 0.3,
  tagBonus: 0.04,
  maxTagBonus: 2,
  sectionBonus: 0.02,
} as const;

/** An article's vector: its top terms by tf-idf, L2-normalised. */
export function vectorFrom(tf: ReadonlyMap<string, number>, df: ReadonlyMap<string, number>, docs: number, maxTerms = TUNING.maxTerms): Vector {
  const weighted: [string, number][] = [];
  for (const [term, raw] of tf) weighted.push([term, tfWeight(raw) * idf(df.get(term) ?? 0, docs)]);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = weighted.slice(0, maxTerms);
  let norm = 0;
  for (const [, w] of top) norm += w * w;
  norm = Math.sqrt(norm) || 1;
  return new Map(top.map(([t, w]) => [t, w / norm]));
}

export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, w] of small) {
    const other = large.get(term);
    if (other !== undefined) sum += w * other;
  }
  return sum;
}

export interface ScoreInputs {
  similarity: number;
  daysApart: number;
  halfLifeDays: number;
  sharedTags: number;
  sameSection: boolean;
}

/** Text similarity, softened by time apart, plus small bonuses for shared tags and section. */
export function blendedScore(i: ScoreInputs): number {
  const decay = Math.pow(0.5, Math.abs(i.daysApart) / i.halfLifeDays);
  const text = i.similarity * (1 - TUNING.recencyShare + TUNING.recencyShare * decay);
  return text + TUNING.tagBonus * Math.min(i.sharedTags, TUNING.maxTagBonus) + (i.sameSection ? TUNING.sectionBonus : 0);
}

export interface Ranked {
  id: number;
  score: number;
  similarity: number;
  headlineKey: string;
  vector: Vector | undefined;
}

/** Two candidates tell the same story: near-identical text, or the same headline. */
export function sameStory(a: { headlineKey: string; vector?: Vector | undefined }, b: { headlineKey: string; vector?: Vector | undefined }): boolean {
  if (a.headlineKey && a.headlineKey === b.headlineKey) return true;
  return a.vector !== undefined && b.vector !== undefined && cosine(a.vector, b.vector) >= TUNING.nearDuplicate;
}

/** The best `count` candidates in order, skipping any that repeat a story already chosen (or given in `taken`). */
export function diversePicks(ranked: readonly Ranked[], count: number, taken: readonly Ranked[] = []): Ranked[] {
  const chosen: Ranked[] = [];
  for (const candidate of ranked) {
    if (chosen.length >= count) break;
    if ([...taken, ...chosen].some((c) => c.id === candidate.id || sameStory(c, candidate))) continue;
    chosen.push(candidate);
  }
  return chosen;
}

export const DAY_MS = 86_400_000;

export function daysBetween(a: string, b: string): number {
  return (Date.parse(a) - Date.parse(b)) / DAY_MS;
}
