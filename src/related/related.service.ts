/**
 * Related stories: which published articles each article links to, kept up to
 * date by durable jobs and overridden by editors (docs/related.md).
 *
 * - `index(id)` (job RELATED_INDEX_JOB, after a publish or a save): the
 *   article's term vector, its picks, and, when its text changed
 *   substantially, the picks of its closest neighbours (bounded: at most
 *   TUNING.neighbours lists, never the whole site).
 * - `withdraw(id)` (on unpublish, at once): the article leaves every pick list
 *   in one statement; the lists it left are refilled by RELATED_REFILL_JOB.
 * - Pages only read stored picks (`pagePicks`); nothing is ranked on a reader's request.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventBus } from '../shared/events.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Clock } from '../shared/clock.js';
import type { SettingsStore } from '../newsroom/settings.js';
import type { RelatedPickKind } from '../db/schema.js';
import { Invalid, NotFound } from '../shared/errors.js';
import { analyzerFor, docText, headlineKey, termFrequencies } from './text.js';
import { TUNING, blendedScore, cosine, daysBetween, diversePicks, sameStory, vectorFrom, type Ranked, type Vector } from './related.engine.js';
import type { ArticleSource, PickRow, PickView, RelatedRepository } from './related.repository.js';
import { yieldToEventLoop } from '../jobs/runner.js';

export const RELATED_INDEX_JOB = 'related.index';
export const RELATED_REFILL_JOB = 'related.refill';
export const RELATED_REBUILD_JOB = 'related.rebuild';
export const RELATED_BACKFILL_JOB = 'related.backfill';
const BACKFILL_BATCH = 200;

export interface RelatedServiceDeps {
  repo: RelatedRepository;
  settings: SettingsStore;
  events: EventBus;
  jobs: JobQueue;
  clock: Clock;
  log?: Logger;
}

export interface IndexOutcome {
  /** What the job did: nothing changed, the article's own picks, or its neighbours too. */
  result: 'unchanged' | 'withdrawn' | 'picks' | 'neighbours';
  /** Articles whose pick lists changed (their pages were invalidated). */
  changed: number[];
  /** Time spent on the article's own terms and picks, and on its neighbours' lists (for logs and bench/related.ts). */
  ms?: { own: number; neighbours: number };
}

/** One pick as the Admin API and, later, the Content API give it. */
export interface PickJson {
  id: number;
  headline: string;
  slug: string;
  url: string;
  section: { id: number; slug: string; name: string } | null;
  status: string;
  publishedAt: string | null;
  pinned: boolean;
  score: number;
}

export interface ArticlePicks {
  articleId: number;
  inline: boolean;
  picks: PickJson[];
  removed: PickJson[];
}

export interface PicksInput {
  inline?: boolean;
  /** The editor's list in order: pinned entries keep their place; unpinned ones are the engine's to reorder. */
  picks?: { id: number; pinned: boolean }[];
  /** Articles never to pick for this one (replacing a pick = removing it and pinning another). */
  removed?: number[];
}

interface Fingerprint {
  text: string;
  meta: string;
}

export function pickPath(p: { slug: string; section: { slug: string } | null }): string {
  return p.section ? `/${p.section.slug}/${p.slug}` : `/article/${p.slug}`;
}

export class RelatedService {
  private docsCache: { n: number; at: number } | undefined;
  private docsRefresh: Promise<void> | undefined;

  constructor(private readonly deps: RelatedServiceDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private rules() {
    return this.deps.settings.get().related;
  }

  private analyzer() {
    return analyzerFor(this.deps.settings.get().language);
  }

  /** Indexed articles: the N of the idf; a minute old at most (it moves slowly and only shifts weights a little). */
  private async docCount(): Promise<number> {
    const t = Date.now();
    if (!this.docsCache) this.docsCache = { n: await this.deps.repo.countedDocs(), at: t };
    else if (t - this.docsCache.at > 60_000 && !this.docsRefresh) {
      // Counted in the background (a count over every indexed article, ~10-20 ms at 100,000 on PostgreSQL, was the
      // slowest step of the job that paid for it); this job uses the minute-old figure.
      this.docsRefresh = this.deps.repo
        .countedDocs()
        .then((n) => void (this.docsCache = { n, at: Date.now() }))
        .catch((error: unknown) => this.deps.log?.warn({ err: error }, 'counting indexed articles failed'))
        .finally(() => (this.docsRefresh = undefined));
    }
    return this.docsCache.n;
  }

  private visible(a: { status: string; publishedAt: string | null }): boolean {
    return a.status === 'published' && a.publishedAt !== null && a.publishedAt <= this.now();
  }

  private analyse(source: ArticleSource) {
    const fields = { headline: source.headline, dek: source.dek, body: docText(source.bodyDoc) };
    const tf = termFrequencies(fields, this.analyzer());
    const text = createHash('sha256').update(`${fields.headline}\n${fields.dek}\n${fields.body}`).digest('hex').slice(0, 16);
    const meta = createHash('sha256')
      .update(JSON.stringify([source.publishedAt, source.sectionId, source.label, [...source.tagIds].sort((a, b) => a - b)]))
      .digest('hex')
      .slice(0, 16);
    return { tf, fingerprint: { text, meta } satisfies Fingerprint, key: headlineKey(source.headline) };
  }

  // --- events -> jobs ------------------------------------------------------------------------

  /** Wires the engine to the newsroom's events. Work that must survive a crash goes through jobs. */
  listen(): void {
    const { events, jobs } = this.deps;
    const enqueue = (id: number) => jobs.enqueue(RELATED_INDEX_JOB, { articleId: id }, { uniqueKey: `${RELATED_INDEX_JOB}:${id}` });
    events.on('article.published', ({ articleId }) => enqueue(articleId));
    events.on('article.saved', async ({ articleId }) => {
      // Drafts autosave every few seconds and never take part: only published (or deleted) articles need a job.
      const found = await this.deps.repo.existingArticles([articleId]);
      const article = found.get(articleId);
      if (!article || article.status === 'published') await enqueue(articleId);
    });
    events.on('article.unpublished', async ({ articleId }) => {
      await enqueue(articleId); // the durable copy of what withdraw() does now
      await this.withdraw(articleId);
    });
    // Another site language stems words differently: every stored vector is then in the old one's terms.
    let language = this.analyzer().language;
    events.on('content.changed', async ({ change }) => {
      if (!change.tags.includes('settings') || this.analyzer().language === language) return;
      language = this.analyzer().language;
      await jobs.enqueue(RELATED_REBUILD_JOB, {}, { uniqueKey: RELATED_REBUILD_JOB, maxAttempts: 3 });
    });
  }

  private async announce(articleIds: Iterable<number>): Promise<void> {
    const tags = [...new Set(articleIds)].map((id) => `related:${id}`);
    if (tags.length) await this.deps.events.emit('content.changed', { change: { tags } });
  }

  // --- indexing ------------------------------------------------------------------------------

  /** The job: brings one article's terms, picks and (after a substantial change) its neighbours' picks up to date. */
  async index(articleId: number): Promise<IndexOutcome> {
    const { repo } = this.deps;
    const started = performance.now();
    const source = await repo.source(articleId);
    if (!source || !this.visible(source)) {
      const changed = await this.withdraw(articleId);
      return { result: 'withdrawn', changed };
    }
    const { tf, fingerprint, key } = this.analyse(source);
    // Independent reads at once (on PostgreSQL over several pooled connections).
    const [state, previousVectors, df, indexedDocs] = await Promise.all([repo.state(articleId), repo.vectors([articleId]), repo.dfOf([...tf.keys()]), this.docCount()]);
    const stored = state?.textHash ?? '';
    const hash = `${fingerprint.text}:${fingerprint.meta}`;
    const previous = previousVectors.get(articleId);
    if (stored === hash && previous) return { result: 'unchanged', changed: [] };

    const counted = state?.counted ?? false;
    if (!counted) for (const term of tf.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const docs = indexedDocs + (counted ? 0 : 1);
    const vector = vectorFrom(tf, df, docs);
    await repo.transaction(async (trx) => {
      if (!counted) await repo.addDf(trx, new Map([...tf.keys()].map((t) => [t, 1])));
      await repo.replaceTerms(trx, articleId, source.publishedAt!, vector);
      await repo.saveState(trx, articleId, { textHash: hash, headlineKey: key, counted: true, indexedAt: this.now(), meta: source });
    });
    if (!counted && this.docsCache) this.docsCache.n++;

    const metaChanged = !stored.endsWith(`:${fingerprint.meta}`) || (state?.headlineKey ?? '') !== key;
    const substantial = !previous || metaChanged || cosine(previous, vector) < TUNING.substantialEdit;
    const ranked = await this.rank(source, vector, key);
    const changed: number[] = [];
    if (await this.storePicks(articleId, ranked)) changed.push(articleId);
    const own = performance.now();
    if (substantial) changed.push(...(await this.updateNeighbours(source, key, ranked)));
    const ms = { own: own - started, neighbours: performance.now() - own };
    await this.announce(changed);
    this.deps.log?.debug({ articleId, changed: changed.length, ms }, 'related stories updated');
    return { result: substantial ? 'neighbours' : 'picks', changed, ms };
  }

  /** Recomputes one article's picks from the stored index (after a pick of it was withdrawn). */
  async refill(articleId: number): Promise<boolean> {
    const source = await this.deps.repo.source(articleId);
    if (!source || !this.visible(source)) return false;
    const vector = (await this.deps.repo.vectors([articleId])).get(articleId);
    if (!vector) {
      await this.index(articleId);
      return true;
    }
    const state = await this.deps.repo.state(articleId);
    const ranked = await this.rank(source, vector, state?.headlineKey ?? headlineKey(source.headline));
    const changed = await this.storePicks(articleId, ranked);
    if (changed) await this.announce([articleId]);
    return changed;
  }

  /**
   * Takes an article out of the engine: its terms, and every automatic pick of
   * it, in one statement each (pinned picks stay, unseen while it is not
   * published, and come back if it is republished). Returns the lists that lost it.
   */
  async withdraw(articleId: number): Promise<number[]> {
    const { repo, jobs } = this.deps;
    const state = await repo.state(articleId);
    const affected = await repo.transaction(async (trx) => {
      await repo.deleteTerms(trx, articleId);
      await repo.deleteAutoPicks(trx, articleId);
      const lists = await repo.removeAutoPicksOf(trx, articleId);
      if (state) await repo.saveState(trx, articleId, { textHash: null, headlineKey: state.headlineKey, counted: state.counted, indexedAt: null });
      return lists;
    });
    // No announcement: every page that showed it carries its `a:<id>` tag, which the unpublish (or save) of the
    // article itself already emptied. The refills announce the lists they change.
    for (const id of affected) await jobs.enqueue(RELATED_REFILL_JOB, { articleId: id }, { uniqueKey: `${RELATED_REFILL_JOB}:${id}` });
    return affected;
  }

  // --- ranking ----------------------------------------------------------------------------------

  /**
   * Candidates for `source`, best first, with every exclusion applied except
   * between picks (see diversePicks): itself, unpublished and future stories,
   * stories too far apart in time, sponsored content (unless allowed), and
   * near-duplicates of itself.
   */
  async rank(source: ArticleSource, vector: Vector, key: string): Promise<Ranked[]> {
    const { repo } = this.deps;
    const rules = this.rules();
    const publishedAt = source.publishedAt ?? this.now();
    const maxAgeMs = rules.maxAgeDays * 86_400_000;
    const from = new Date(Date.parse(publishedAt) - maxAgeMs).toISOString();
    const untilCap = new Date(Date.parse(publishedAt) + maxAgeMs).toISOString();
    const now = this.now();
    const to = untilCap < now ? untilCap : now;

    // Candidates: the posting lists of the article's strongest terms, summed (a partial dot product).
    const queryTerms = [...vector.entries()].sort((a, b) => b[1] - a[1]).slice(0, TUNING.queryTerms);
    // A term's posting list is read as deep as the term matters: the strongest term to TUNING.perTerm articles,
    // weaker ones in proportion (at least TUNING.minPerTerm). Most of the vector's weight sits in a few terms
    // (names, places), so this reads a third of the rows a flat cut would for the same picks.
    const strongest = queryTerms[0]?.[1] ?? 1;
    const lists = queryTerms.map(([term, weight]) => ({ term, limit: Math.max(TUNING.minPerTerm, Math.round((TUNING.perTerm * weight) / strongest)) }));
    const postings = await repo.postings(lists, from, to);
    const partial = new Map<number, number>();
    for (const p of postings) {
      if (p.articleId === source.id) continue;
      partial.set(p.articleId, (partial.get(p.articleId) ?? 0) + p.weight * (vector.get(p.term) ?? 0));
    }
    const shortlist = [...partial.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TUNING.rescore)
      .map(([id]) => id);
    if (!shortlist.length) return [];

    // Rescoring with full vectors and what the articles are.
    const [vectors, metas] = await Promise.all([repo.vectors(shortlist), repo.candidates(shortlist)]);
    const tags = new Set(source.tagIds);
    const ranked: Ranked[] = [];
    for (const id of shortlist) {
      const meta = metas.get(id);
      const v = vectors.get(id);
      if (!meta || !v || !this.visible(meta)) continue;
      if (meta.label === 'sponsored' && !rules.allowSponsored) continue;
      const similarity = cosine(vector, v);
      if (similarity < TUNING.minSimilarity) continue;
      if (similarity >= TUNING.nearDuplicate || (key && meta.headlineKey === key)) continue; // the same story, updated or re-slugged
      const daysApart = daysBetween(meta.publishedAt!, publishedAt);
      if (Math.abs(daysApart) > rules.maxAgeDays) continue;
      const score = blendedScore({
        similarity,
        daysApart,
        halfLifeDays: rules.recencyHalfLifeDays,
        sharedTags: meta.tagIds.filter((t) => tags.has(t)).length,
        sameSection: meta.sectionId !== null && meta.sectionId === source.sectionId,
      });
      ranked.push({ id, score, similarity, headlineKey: meta.headlineKey, vector: v });
    }
    return ranked.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /**
   * An article's stored list from its ranked candidates and the editor's
   * choices: pinned picks keep their positions, removed ones never come back,
   * the engine fills the other places. Returns whether anything changed.
   */
  private async storePicks(articleId: number, ranked: readonly Ranked[]): Promise<boolean> {
    const { repo } = this.deps;
    const current = (await repo.picksOf([articleId])).get(articleId) ?? [];
    const next = compose(current, ranked);
    if (samePicks(current, next)) return false;
    await repo.transaction((trx) => repo.replacePicks(trx, articleId, next));
    return true;
  }

  /**
   * After a publish or substantial edit: the article joins the lists of its
   * closest neighbours where it beats their weakest automatic pick. Similarity,
   * tags, section and time apart are symmetric, so its score on their lists is
   * the score they have on its own.
   */
  private async updateNeighbours(source: ArticleSource, key: string, ranked: readonly Ranked[]): Promise<number[]> {
    const { repo } = this.deps;
    if (source.label === 'sponsored' && !this.rules().allowSponsored) return [];
    const neighbours = ranked.slice(0, TUNING.neighbours);
    if (!neighbours.length) return [];
    const lists = await repo.picksOf(neighbours.map((n) => n.id));
    const pickedIds = [...new Set([...lists.values()].flat().map((p) => p.pickedId))];
    const keys = await repo.candidates(pickedIds);
    const updates: { id: number; next: Omit<PickRow, 'articleId'>[] }[] = [];
    for (const neighbour of neighbours) {
      const current = lists.get(neighbour.id) ?? [];
      const mine = current.find((p) => p.pickedId === source.id);
      if (mine?.kind === 'removed' || mine?.kind === 'pinned') continue;
      const others = current.filter((p) => p.pickedId !== source.id && p.kind !== 'removed');
      // Never beside a pick that tells the same story.
      if (key && others.some((p) => keys.get(p.pickedId)?.headlineKey === key)) continue;
      const autos = others.filter((p) => p.kind === 'auto').sort((a, b) => b.score - a.score);
      const pinned = others.filter((p) => p.kind === 'pinned');
      let keptAutos = autos;
      if (pinned.length + autos.length >= TUNING.maxPicks) {
        const weakest = autos[autos.length - 1];
        if (!weakest || weakest.score >= neighbour.score) continue;
        keptAutos = autos.slice(0, -1);
      }
      const next = arrange(
        pinned,
        [...keptAutos, { articleId: neighbour.id, pickedId: source.id, kind: 'auto', position: 0, score: neighbour.score }],
        current.filter((p) => p.kind === 'removed'),
      );
      if (samePicks(current, next)) continue;
      updates.push({ id: neighbour.id, next });
    }
    // One transaction for every list: one commit instead of up to TUNING.neighbours.
    if (updates.length) {
      await repo.transaction(async (trx) => {
        for (const u of updates) await repo.replacePicks(trx, u.id, u.next);
      });
    }
    return updates.map((u) => u.id);
  }

  // --- editors --------------------------------------------------------------------------------

  async picksFor(articleId: number): Promise<ArticlePicks> {
    const { repo } = this.deps;
    const exists = (await repo.existingArticles([articleId])).get(articleId);
    if (!exists) throw new NotFound('No such article');
    const [state, views] = await Promise.all([repo.state(articleId), repo.pickViews(articleId, ['auto', 'pinned', 'removed'])]);
    const json = (p: PickView): PickJson => ({
      id: p.id,
      headline: p.headline,
      slug: p.slug,
      url: pickPath(p),
      section: p.section,
      status: p.status,
      publishedAt: p.publishedAt,
      pinned: p.kind === 'pinned',
      score: Math.round(p.score * 1000) / 1000,
    });
    return {
      articleId,
      inline: state?.inlineLinks ?? true,
      picks: views.filter((p) => p.kind !== 'removed').map(json),
      removed: views.filter((p) => p.kind === 'removed').map(json),
    };
  }

  /** The editor's changes: pins and their order, removals, the inline switch. Recomputes the automatic rest. */
  async setPicks(articleId: number, input: PicksInput): Promise<ArticlePicks> {
    const { repo } = this.deps;
    const exists = (await repo.existingArticles([articleId])).get(articleId);
    if (!exists) throw new NotFound('No such article');
    const picks = input.picks ?? [];
    const removed = input.removed ?? [];
    const problems: { path: string; message: string }[] = [];
    const seen = new Set<number>();
    picks.forEach((p, i) => {
      if (p.id === articleId) problems.push({ path: `/picks/${i}/id`, message: 'an article cannot link to itself' });
      if (seen.has(p.id)) problems.push({ path: `/picks/${i}/id`, message: 'listed twice' });
      seen.add(p.id);
    });
    removed.forEach((id, i) => {
      if (seen.has(id)) problems.push({ path: `/removed/${i}`, message: 'both picked and removed' });
    });
    const referenced = await repo.existingArticles([...seen, ...removed]);
    picks.forEach((p, i) => {
      const found = referenced.get(p.id);
      if (!found) problems.push({ path: `/picks/${i}/id`, message: `no article with id ${p.id}` });
      else if (p.pinned && found.status !== 'published') problems.push({ path: `/picks/${i}/id`, message: 'only published articles can be pinned' });
    });
    removed.forEach((id, i) => {
      if (!referenced.has(id)) problems.push({ path: `/removed/${i}`, message: `no article with id ${id}` });
    });
    if (picks.filter((p) => p.pinned).length > TUNING.maxPicks) problems.push({ path: '/picks', message: `at most ${TUNING.maxPicks} pinned picks` });
    if (problems.length) throw new Invalid('The related stories are not valid', problems);

    const current = (await repo.picksOf([articleId])).get(articleId) ?? [];
    const scoreOf = new Map(current.map((p) => [p.pickedId, p.score]));
    const rows: Omit<PickRow, 'articleId'>[] = [];
    if (input.picks !== undefined) {
      picks.forEach((p, position) => {
        if (p.pinned) rows.push({ pickedId: p.id, kind: 'pinned', position, score: scoreOf.get(p.id) ?? 0 });
      });
    } else {
      for (const p of current) if (p.kind === 'pinned') rows.push(p);
    }
    const removedIds = input.removed !== undefined ? removed : current.filter((p) => p.kind === 'removed').map((p) => p.pickedId);
    removedIds.forEach((id, i) => rows.push({ pickedId: id, kind: 'removed', position: -1 - i, score: 0 }));
    await repo.transaction(async (trx) => {
      await repo.replacePicks(trx, articleId, rows);
      if (input.inline !== undefined) await repo.setInline(trx, articleId, input.inline);
    });
    // The automatic rest around the pins: recomputed now (cheap, one article), or when it is published.
    await this.refill(articleId);
    await this.announce([articleId]);
    return this.picksFor(articleId);
  }

  // --- reading -------------------------------------------------------------------------------

  /** What an article's page shows: its inline switch and its visible picks, in order (stored, never computed here). */
  async pagePicks(articleId: number): Promise<{ inline: boolean; picks: PickView[] }> {
    const [state, views] = await Promise.all([this.deps.repo.state(articleId), this.deps.repo.pickViews(articleId, ['auto', 'pinned'])]);
    const allowSponsored = this.rules().allowSponsored;
    return {
      inline: state?.inlineLinks ?? true,
      picks: views.filter((p) => this.visible(p) && (p.kind === 'pinned' || allowSponsored || p.label !== 'sponsored')),
    };
  }

  // --- the whole archive ------------------------------------------------------------------------

  /**
   * Rebuilds the index from every published article (after an upgrade, or to
   * refresh document frequencies), in one go: frequencies first, then vectors.
   * With `picks`, every article's picks are recomputed too (slow on a large
   * archive; the background job does that in small steps instead).
   */
  async rebuild(options: { picks?: boolean; batch?: number; onProgress?: (stage: string, done: number) => void } = {}): Promise<{ articles: number; terms: number }> {
    const docs = await this.rebuildFrequencies(options.onProgress);
    let terms = 0;
    let done = 0;
    for (let after = 0; ; ) {
      const step = await this.rebuildVectors(after, options.batch ?? 2000);
      if (!step.articles) break;
      terms += step.terms;
      done += step.articles;
      after = step.last;
      options.onProgress?.('vectors', done);
    }
    await this.deps.repo.vacuum();
    if (options.picks) {
      for (let after = 0, picked = 0; ; ) {
        const sources = await this.deps.repo.publishedSources(after, 500, this.now());
        if (!sources.length) break;
        for (const s of sources) await this.refill(s.id);
        picked += sources.length;
        after = sources[sources.length - 1]!.id;
        options.onProgress?.('picks', picked);
      }
    }
    return { articles: docs, terms };
  }

  /** Rebuild, first part: clears the index and counts document frequencies over the published archive. */
  private async rebuildFrequencies(onProgress?: (stage: string, done: number) => void): Promise<number> {
    const { repo } = this.deps;
    const now = this.now();
    const analyzer = this.analyzer();
    await repo.clearIndex();
    const df = new Map<string, number>();
    let docs = 0;
    for (let after = 0; ; ) {
      const sources = await repo.publishedSources(after, 1000, now);
      if (!sources.length) break;
      for (const s of sources) {
        for (const term of termFrequencies({ headline: s.headline, dek: s.dek, body: docText(s.bodyDoc) }, analyzer).keys()) df.set(term, (df.get(term) ?? 0) + 1);
      }
      docs += sources.length;
      after = sources[sources.length - 1]!.id;
      onProgress?.('frequencies', docs);
    }
    await repo.transaction((trx) => repo.addDf(trx, df));
    this.docsCache = { n: docs, at: Date.now() };
    return docs;
  }

  /** Rebuild, second part: the vectors of the next `batch` published articles after `after`. */
  private async rebuildVectors(after: number, batch: number): Promise<{ articles: number; terms: number; last: number }> {
    const { repo } = this.deps;
    const now = this.now();
    const sources = await repo.publishedSources(after, batch, now);
    if (!sources.length) return { articles: 0, terms: 0, last: after };
    const tfs = sources.map((s) => this.analyse(s));
    const df = await repo.dfOf([...new Set(tfs.flatMap((a) => [...a.tf.keys()]))]);
    const docs = await this.docCount();
    const rows: { article_id: number; term: string; weight: number; published_at: string }[] = [];
    sources.forEach((s, i) => {
      for (const [term, weight] of vectorFrom(tfs[i]!.tf, df, docs)) rows.push({ article_id: s.id, term, weight, published_at: s.publishedAt! });
    });
    await repo.transaction(async (trx) => {
      await repo.deleteTermsOf(trx, sources.map((s) => s.id));
      await repo.insertTermsBulk(trx, rows);
      await repo.saveStates(
        trx,
        sources.map((s, i) => ({ id: s.id, textHash: `${tfs[i]!.fingerprint.text}:${tfs[i]!.fingerprint.meta}`, headlineKey: tfs[i]!.key, counted: true, indexedAt: now, meta: s })),
      );
    });
    return { articles: sources.length, terms: rows.length, last: sources[sources.length - 1]!.id };
  }

  /**
   * The background rebuild, in steps that each fit well inside a job's lease:
   * frequencies, then vectors 2,000 articles at a time, then picks (backfill).
   */
  async rebuildJob(payload: { stage?: 'frequencies' | 'vectors'; after?: number } = {}): Promise<void> {
    const { jobs } = this.deps;
    if ((payload.stage ?? 'frequencies') === 'frequencies') {
      await this.rebuildFrequencies();
      await jobs.enqueue(RELATED_REBUILD_JOB, { stage: 'vectors', after: 0 }, { uniqueKey: RELATED_REBUILD_JOB, maxAttempts: 3 });
      return;
    }
    const step = await this.rebuildVectors(payload.after ?? 0, 2000);
    if (step.articles) {
      await jobs.enqueue(RELATED_REBUILD_JOB, { stage: 'vectors', after: step.last }, { uniqueKey: RELATED_REBUILD_JOB, maxAttempts: 3 });
      return;
    }
    await this.deps.repo.vacuum();
    await jobs.enqueue(RELATED_BACKFILL_JOB, { after: 0 }, { uniqueKey: RELATED_BACKFILL_JOB });
  }

  /** One step of the backfill: picks for the next published articles after `after`; enqueues the next step. */
  async backfill(after: number): Promise<number> {
    const sources = await this.deps.repo.publishedSources(after, BACKFILL_BATCH, this.now());
    for (const s of sources) {
      await this.refill(s.id);
      await yieldToEventLoop(); // readers' requests between two articles (SQLite work is synchronous)
    }
    const last = sources[sources.length - 1];
    if (last) await this.deps.jobs.enqueue(RELATED_BACKFILL_JOB, { after: last.id }, { uniqueKey: RELATED_BACKFILL_JOB });
    return sources.length;
  }

  /** After an upgrade the index is empty while the archive is not: one durable rebuild job fills it. */
  async scheduleRebuildIfEmpty(): Promise<boolean> {
    if ((await this.deps.repo.countedDocs()) > 0) return false;
    const any = await this.deps.repo.publishedSources(0, 1, this.now());
    if (!any.length) return false;
    await this.deps.jobs.enqueue(RELATED_REBUILD_JOB, {}, { uniqueKey: RELATED_REBUILD_JOB, maxAttempts: 3 });
    return true;
  }
}

/** Pinned picks at their places; the engine's picks, not repeating a story, in the others. */
export function compose(current: readonly PickRow[], ranked: readonly Ranked[]): Omit<PickRow, 'articleId'>[] {
  const pinned = current.filter((p) => p.kind === 'pinned');
  const removed = current.filter((p) => p.kind === 'removed');
  const excluded = new Set([...pinned, ...removed].map((p) => p.pickedId));
  const pinnedAsRanked = pinned.map((p) => ranked.find((r) => r.id === p.pickedId) ?? { id: p.pickedId, score: p.score, similarity: 0, headlineKey: '', vector: undefined });
  const free = Math.max(0, TUNING.maxPicks - pinned.length);
  const autos = diversePicks(
    ranked.filter((r) => !excluded.has(r.id)),
    free,
    pinnedAsRanked,
  );
  return arrange(
    pinned.map((p) => ({ ...p, score: ranked.find((r) => r.id === p.pickedId)?.score ?? p.score })),
    autos.map((r) => ({ articleId: 0, pickedId: r.id, kind: 'auto' as RelatedPickKind, position: 0, score: r.score })),
    removed,
  );
}

/** Positions: pinned picks where the editor put them, automatic ones by score in the gaps; removed ones after (negative). */
function arrange(pinned: readonly PickRow[], autos: readonly PickRow[], removed: readonly PickRow[]): Omit<PickRow, 'articleId'>[] {
  const slots = new Map<number, PickRow>();
  for (const p of [...pinned].sort((a, b) => a.position - b.position)) {
    let position = Math.max(0, p.position);
    while (slots.has(position)) position++;
    slots.set(position, p);
  }
  const queue = [...autos].sort((a, b) => b.score - a.score || a.pickedId - b.pickedId);
  const out: Omit<PickRow, 'articleId'>[] = [];
  for (let position = 0; queue.length > 0 || [...slots.keys()].some((k) => k >= position); position++) {
    const pin = slots.get(position);
    const p = pin ?? queue.shift();
    if (!p) continue;
    out.push({ pickedId: p.pickedId, kind: p.kind, position, score: p.score });
  }
  removed.forEach((p, i) => out.push({ pickedId: p.pickedId, kind: 'removed', position: -1 - i, score: 0 }));
  return out;
}

function samePicks(a: readonly Omit<PickRow, 'articleId'>[], b: readonly Omit<PickRow, 'articleId'>[]): boolean {
  if (a.length !== b.length) return false;
  const key = (p: Omit<PickRow, 'articleId'>) => `${p.pickedId}:${p.kind}:${p.position}:${p.score.toFixed(4)}`;
  const set = new Set(a.map(key));
  return b.every((p) => set.has(key(p)));
}
