/**
 * Generates a large newsroom for benchmarks: N published articles (default
 * 50,000) spread over three years, with authors, sections, tags, images,
 * corrections and ~800-word bodies.
 *
 * Sections, tags, authors and settings go through the services (so they are
 * exactly what the admin would create); articles go in bulk with Kysely,
 * 1,000 per transaction, because 50,000 service round-trips (validation,
 * revisions, events) would take minutes. Bodies come from a handful of
 * templates rendered once with `renderBody`; each article gets its own lead
 * paragraph, so no two bodies are identical.
 *
 * On SQLite the result is cached in data/bench/ under a name keyed by N and a
 * hash of everything that shapes the file (migrations, body renderer, demo
 * content, this generator), so repeated bench runs reuse it.
 *
 *   node dist/bench/generate.js [--articles=50000] [--force]
 *   DATABASE_URL=postgres://... node dist/bench/generate.js --articles=50000 --into-env
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/app.js';
import { renderBody, type BodyDoc, type BodyNode, type RenderedBlock } from '../src/newsroom/body.js';
import { slugify } from '../src/newsroom/slug.js';
import { escapeHtml } from '../src/shared/html.js';
import { projectRoot } from '../src/shared/paths.js';
import type { ArticleLabel, NewArticleRow } from '../src/db/schema.js';
import type { MediaVariant } from '../src/newsroom/media.js';
import { demoArticles, demoAuthors, demoSections, demoTags } from '../src/demo/content.js';
import { demoDoc, seedDemoSiteAndPages } from '../src/demo/seed.js';

/** Bump when the generated content changes in a way the hashed files do not show. */
const GENERATOR_VERSION = 3;

export const DEFAULT_ARTICLES = 50_000;
const ARTICLES_PER_TRANSACTION = 1000;
const ROWS_PER_STATEMENT = 200; // 31 columns x 200 rows stays far below SQLite's 32,766 variables
const SPAN_MS = 3 * 365 * 24 * 3_600_000;

export interface GenerateReport {
  articles: number;
  sections: number;
  authors: number;
  tags: number;
  media: number;
  ms: number;
}

// ---------------------------------------------------------------- randomness

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(pick(rng, items));
  return [...chosen];
}

// ---------------------------------------------------------------- text material
// Plain words only (letters, digits, spaces, commas, periods, hyphens): such text
// is identical after escaping and sanitizing, so lead paragraphs can be rendered
// without running the sanitizer 50,000 times (checked on the first articles).

const ACTORS = [
  'Port Alder council', 'Kessick County commissioners', 'The Harbour Authority', 'School board', 'Kessick Transit',
  'Ferry operator', 'State regulators', 'Assembly leaders', 'Fishing cooperative', 'Hospital trustees', 'Library board',
  'Planning commission', 'Police oversight panel', 'Port workers union', 'Chamber of Commerce', 'Parks department',
  'Water utility', 'Housing authority', 'Tenants association', 'Coast Guard station',
];
const VERBS = [
  'approves', 'delays', 'rejects', 'reconsiders', 'unveils', 'cuts', 'expands', 'pauses', 'debates', 'funds',
  'questions', 'backs', 'scraps', 'revives', 'audits', 'defends', 'extends', 'settles', 'reviews', 'signs off on',
];
const OBJECTS = [
  'harbour dredging plan', 'Pier 9 redevelopment', 'ferry timetable', 'school budget', 'rent stabilisation rules',
  'bus fare overhaul', 'seawall repairs', 'library hours', 'fisheries quota deal', 'storm drain upgrade',
  'affordable housing levy', 'night market permit', 'bridge closure', 'teacher contracts', 'cannery site sale',
  'heat emergency plan', 'property tax rate', 'waterfront trail', 'electric ferry order', 'shelter expansion',
  'parking reform', 'police budget', 'clinic opening hours', 'arts grant programme', 'zoning overhaul',
  'bike lane network', 'water rate increase', 'landfill contract', 'youth jobs scheme', 'port security review',
];
const TWISTS = [
  'after a late-night vote', 'as costs climb', 'despite objections from residents', 'amid a funding gap',
  'ahead of the summer season', 'after months of talks', 'following a state audit', 'in a narrow decision',
  'as the deadline nears', 'after a public outcry', '', '', '', '',
];
const PLACES = ['Port Alder', 'Kessick County', 'Gull Island', 'the waterfront', 'Netmakers Row', 'Alder Creek', 'the Sound', 'Harbour Road'];
const WORLD_DATELINES = ['ESTERRA', 'KALDMARK', 'TAVRIN', 'MEROVA', 'HALLOWMERE'];
const FIRST = ['Ada', 'Bram', 'Celia', 'Dov', 'Esme', 'Farid', 'Greta', 'Hal', 'Ines', 'Jonah', 'Kira', 'Luis', 'Mina', 'Nils', 'Orla', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tove', 'Uma', 'Viktor', 'Wren', 'Yara', 'Zeke'];
const LAST = ['Abernethy', 'Brannock', 'Calloway', 'Dunmore', 'Ellison', 'Fairweather', 'Galloway', 'Hartigan', 'Ives', 'Jessop', 'Kinsella', 'Lachance', 'Merriman', 'Nakamura', 'Osei', 'Pemberton', 'Quarles', 'Rasmussen', 'Sorensen', 'Thackeray'];
const BEATS = ['City Hall Reporter', 'Harbour Reporter', 'Education Reporter', 'Courts Reporter', 'Climate Reporter', 'Business Writer', 'Politics Correspondent', 'Culture Critic', 'Data Reporter', 'Columnist', 'Photographer', 'Investigations Editor'];
const TOPICS = ['Seawall', 'Dredging', 'Tourism', 'Health care', 'Policing', 'Water', 'Roads', 'Energy', 'Taxes', 'Tenants', 'Cannery', 'Pier 9', 'Gull Island', 'Youth', 'Seniors', 'Immigration', 'Agriculture', 'Shipping', 'Universities', 'Hospitals', 'Wildfire', 'Flooding', 'Zoning', 'Bikes', 'Festivals', 'Food', 'Sports', 'Science', 'Technology', 'Faith'];
const TOPIC_QUALIFIERS = ['', ' policy', ' funding'];

function headlineFor(rng: Rng): string {
  const r = rng();
  const object = pick(rng, OBJECTS);
  if (r < 0.7) {
    const twist = pick(rng, TWISTS);
    return `${pick(rng, ACTORS)} ${pick(rng, VERBS)} ${object}${twist ? ` ${twist}` : ''}`;
  }
  if (r < 0.8) return `What the ${object} means for ${pick(rng, PLACES)}`;
  if (r < 0.9) return `${pick(rng, PLACES)} residents push back on ${object}`;
  return `Five questions about the ${object}`;
}

function dekFor(rng: Rng, headline: string): string {
  return pick(rng, [
    `Supporters say the change is overdue. Critics warn the cost will fall on the people least able to pay.`,
    `The decision follows months of hearings and a report that found the current arrangement unsustainable.`,
    `Officials promised a final answer by the end of the year, but key details remain unsettled.`,
    `Here is what changes, who it affects and what happens next.`,
    `${headline.split(' ').slice(0, 3).join(' ')} and the questions still waiting for answers.`,
  ]);
}

function leadParagraphFor(rng: Rng, headline: string, place: string): string {
  const figures = `${2 + Math.floor(rng() * 40)} percent`;
  return (
    `${headline} on ${pick(rng, ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])}, a move that ${pick(rng, ['could reshape', 'will test', 'reopens a long debate over', 'has divided opinion in'])} ${place}. ` +
    `Officials said the change affects roughly ${figures} of households, and that a full public hearing is expected within ${2 + Math.floor(rng() * 10)} weeks.`
  );
}

// ---------------------------------------------------------------- body templates

interface BodyTemplate {
  /** The doc's content array as JSON, without the brackets. */
  docInner: string;
  /** The rendered blocks as JSON, without the brackets. */
  blocksInner: string;
  wordCount: number;
}

/** ~800-word bodies made of two or three demo stories each (headings, lists, quotes, embeds as they come). */
function bodyTemplates(count: number): BodyTemplate[] {
  const templates: BodyTemplate[] = [];
  const sources = demoArticles.map((a) => demoDoc(a.body));
  let cursor = 0;
  for (let t = 0; t < count; t++) {
    const content: BodyNode[] = [];
    let words = 0;
    while (words < 780) {
      const doc = sources[cursor++ % sources.length]!;
      content.push(...doc.content);
      words = renderBody({ type: 'doc', content }).wordCount;
    }
    const doc: BodyDoc = { type: 'doc', content };
    const rendered = renderBody(doc);
    templates.push({
      docInner: JSON.stringify(doc.content).slice(1, -1),
      blocksInner: JSON.stringify(rendered.blocks).slice(1, -1),
      wordCount: rendered.wordCount,
    });
  }
  return templates;
}

// ---------------------------------------------------------------- the newsroom

/** Fills an app's (empty) database. */
export async function generateNewsroom(
  app: App,
  options: { articles: number; seed?: number; now?: Date; onProgress?: (done: number, total: number) => void },
): Promise<GenerateReport> {
  const started = performance.now();
  const total = options.articles;
  const rng = mulberry32(options.seed ?? 20_261_129);
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const db = app.db.kysely;

  const existing = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) throw new Error('generateNewsroom needs an empty database (articles already exist)');

  if (app.db.dialect === 'sqlite') {
    // A throwaway file being filled in one go: durability per commit buys nothing here.
    await sql`pragma synchronous = off`.execute(db);
  }

  await seedDemoSiteAndPages(app, nowIso);

  // Taxonomy through the services.
  const sections: { id: number; slug: string }[] = [];
  for (const [position, section] of demoSections.entries()) {
    const row = await app.taxonomy.createSection({ ...section, position });
    sections.push({ id: row.id, slug: row.slug });
  }
  const tagIds: number[] = [];
  for (const tag of demoTags) tagIds.push((await app.taxonomy.createTag(tag)).id);
  for (const topic of TOPICS) {
    for (const qualifier of TOPIC_QUALIFIERS) tagIds.push((await app.taxonomy.createTag({ name: `${topic}${qualifier}` })).id);
  }
  const authorIds: number[] = [];
  for (const author of demoAuthors) {
    authorIds.push((await app.taxonomy.createAuthor({ ...author, social: { ...author.social } as Record<string, string> })).id);
  }
  for (let i = 0; authorIds.length < 40; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    const beat = BEATS[i % BEATS.length]!;
    const row = await app.taxonomy.createAuthor({
      name,
      title: beat,
      bio: `${name} is the Harbour Ledger's ${beat.toLowerCase()}. Before joining the newsroom, ${name.split(' ')[0]} worked at regional papers for a decade and covered ${pick(rng, OBJECTS)} stories across the coast.`,
      expertise: [pick(rng, TOPICS), pick(rng, TOPICS)].filter((v, k, all) => all.indexOf(v) === k),
      social: { x: `https://x.com/${slugify(name).replace(/-/g, '_')}_demo` },
      email: `${slugify(name).replace(/-/g, '.')}@harbourledger.example`,
    });
    authorIds.push(row.id);
  }

  // A few images (rows only: the benchmark never downloads them, pages only link them).
  const images: { id: number; alt: string; caption: string; credit: string }[] = [];
  for (const key of new Set(demoArticles.flatMap((a) => (a.image ? [a.image.key] : [])))) {
    const source = demoArticles.find((a) => a.image?.key === key)!.image!;
    const variants: MediaVariant[] = [640, 1024, 1600].map((width) => ({ width, height: Math.round((width * 9) / 16), key: `bench/${key}-${width}.jpg`, format: 'jpeg' }));
    const largest = variants.at(-1)!;
    const { id } = await db
      .insertInto('media')
      .values({
        storage_key: largest.key,
        mime: 'image/jpeg',
        width: largest.width,
        height: largest.height,
        bytes: 180_000,
        alt: source.alt,
        caption: source.caption,
        credit: source.credit,
        variants: JSON.stringify(variants),
        created_at: nowIso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    images.push({ id, alt: source.alt, caption: source.caption, credit: source.credit });
  }

  const templates = bodyTemplates(8);
  const slugs = new Set<string>();
  const end = now.getTime() - 30 * 60_000;
  const slot = SPAN_MS / total;
  const rankedFrom = total - 20; // the editors' top stories are among the newest
  const ranks = [1, 2, 3, 4, 5];

  const sectionWeights = ['local', 'local', 'local', 'local', 'national', 'national', 'world', 'world', 'politics', 'politics', 'business', 'business', 'opinion', 'culture'];
  const sectionBySlug = new Map(sections.map((s) => [s.slug, s.id]));

  let nextId = 1;
  for (let batchStart = 0; batchStart < total; batchStart += ARTICLES_PER_TRANSACTION) {
    const batchEnd = Math.min(total, batchStart + ARTICLES_PER_TRANSACTION);
    const articles: NewArticleRow[] = [];
    const bylines: { article_id: number; author_id: number; position: number }[] = [];
    const tagRows: { article_id: number; tag_id: number; position: number }[] = [];
    const corrections: { article_id: number; kind: 'correction' | 'clarification' | 'update'; body: string; created_at: string }[] = [];

    for (let i = batchStart; i < batchEnd; i++) {
      const id = nextId++;
      const sectionSlug = pick(rng, sectionWeights);
      const sectionId = sectionBySlug.get(sectionSlug)!;
      const headline = sectionSlug === 'opinion' ? `Opinion: ${headlineFor(rng)}` : headlineFor(rng);
      let slug = slugify(headline);
      if (slugs.has(slug)) {
        let n = 2;
        while (slugs.has(`${slug}-${n}`)) n++;
        slug = `${slug}-${n}`;
      }
      slugs.add(slug);

      const label: ArticleLabel =
        sectionSlug === 'opinion'
          ? 'opinion'
          : sectionSlug === 'culture' && rng() < 0.3
            ? 'review'
            : pick(rng, ['news', 'news', 'news', 'news', 'news', 'news', 'news', 'news', 'analysis', 'fact-check', 'sponsored'] as const);
      const dateline =
        label === 'opinion' ? '' : sectionSlug === 'world' ? pick(rng, WORLD_DATELINES) : sectionSlug === 'national' ? 'HALLOWMERE' : 'PORT ALDER';

      const publishedMs = Math.round(end - SPAN_MS + slot * (i + rng() * 0.9));
      const publishedAt = new Date(publishedMs).toISOString();
      const createdAt = new Date(publishedMs - (1 + rng() * 48) * 3_600_000).toISOString();
      const updatedAt = rng() < 0.15 ? new Date(Math.min(end, publishedMs + (1 + rng() * 72) * 3_600_000)).toISOString() : null;

      const template = pick(rng, templates);
      const lead = leadParagraphFor(rng, headline, pick(rng, PLACES));
      const leadNode = { type: 'paragraph', content: [{ type: 'text', text: lead }] };
      const leadBlock: RenderedBlock = { type: 'paragraph', html: `<p>${escapeHtml(lead)}</p>` };
      if (i < 20) {
        // The shortcut must give exactly what the renderer gives.
        const check = renderBody({ type: 'doc', content: [leadNode] });
        if (JSON.stringify(check.blocks) !== JSON.stringify([leadBlock])) throw new Error(`lead paragraph renders differently: ${lead}`);
      }
      const leadWords = lead.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

      const image = rng() < 0.6 ? pick(rng, images) : undefined;
      const expiredBreaking = publishedMs < end - 2 * 24 * 3_600_000 && rng() < 0.005;
      articles.push({
        id,
        slug,
        headline,
        dek: dekFor(rng, headline),
        body_doc: `{"type":"doc","content":[${JSON.stringify(leadNode)},${template.docInner}]}`,
        body_blocks: `[${JSON.stringify(leadBlock)},${template.blocksInner}]`,
        word_count: leadWords + template.wordCount,
        label,
        dateline,
        status: 'published',
        section_id: sectionId,
        image_id: image?.id ?? null,
        image_alt: image?.alt ?? '',
        image_caption: image?.caption ?? '',
        image_credit: image?.credit ?? '',
        published_at: publishedAt,
        first_published_at: publishedAt,
        updated_at: updatedAt,
        scheduled_at: null,
        top_rank: i >= rankedFrom && ranks.length && (rng() < 0.4 || total - i <= ranks.length) ? ranks.shift()! : null,
        // Stories that were breaking news once keep the flag with an expired time: 0.5 %.
        // None is live, so no page carries a breaking banner (or expires with it).
        breaking: expiredBreaking ? 1 : 0,
        breaking_until: expiredBreaking ? new Date(publishedMs + (6 + rng() * 18) * 3_600_000).toISOString() : null,
        seo_title: '',
        seo_description: '',
        social_title: '',
        social_description: '',
        social_image_url: '',
        canonical_url: '',
        version: 3,
        created_at: createdAt,
        saved_at: updatedAt ?? publishedAt,
      });
      const authors = pickDistinct(rng, authorIds, rng() < 0.8 ? 1 : 2);
      authors.forEach((author_id, position) => bylines.push({ article_id: id, author_id, position }));
      const tags = pickDistinct(rng, tagIds, 2 + Math.floor(rng() * 3));
      tags.forEach((tag_id, position) => tagRows.push({ article_id: id, tag_id, position }));
      if (rng() < 0.01) {
        corrections.push({
          article_id: id,
          kind: pick(rng, ['correction', 'clarification', 'update'] as const),
          body: 'An earlier version of this story misstated the date of the next public hearing. It is on the 14th, not the 4th.',
          created_at: new Date(Math.min(end, publishedMs + 6 * 3_600_000)).toISOString(),
        });
      }
    }

    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < articles.length; k += ROWS_PER_STATEMENT) {
        await trx.insertInto('articles').values(articles.slice(k, k + ROWS_PER_STATEMENT)).execute();
      }
      for (let k = 0; k < bylines.length; k += 1000) await trx.insertInto('article_authors').values(bylines.slice(k, k + 1000)).execute();
      for (let k = 0; k < tagRows.length; k += 1000) await trx.insertInto('article_tags').values(tagRows.slice(k, k + 1000)).execute();
      if (corrections.length) await trx.insertInto('corrections').values(corrections).execute();
    });
    options.onProgress?.(batchEnd, total);
  }

  if (app.db.dialect === 'postgres') {
    // Ids were given explicitly: move the sequence past them.
    await sql`select setval(pg_get_serial_sequence('articles', 'id'), (select max(id) from articles))`.execute(db);
  } else {
    await sql`pragma synchronous = normal`.execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
  }
  return {
    articles: total,
    sections: sections.length,
    authors: authorIds.length,
    tags: tagIds.length,
    media: images.length,
    ms: Math.round(performance.now() - started),
  };
}

// ---------------------------------------------------------------- the SQLite file cache

/** A hash of everything that shapes the generated file. */
export function contentHash(): string {
  const hash = createHash('sha256').update(`generator:${GENERATOR_VERSION}\n`);
  const files = [
    ...fs
      .readdirSync(path.join(projectRoot, 'src/db/migrations'))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => path.join('src/db/migrations', f)),
    'src/db/schema.ts',
    'src/newsroom/body.ts',
    'src/demo/content.ts',
    'bench/generate.ts',
  ];
  for (const file of files) {
    const full = path.join(projectRoot, file);
    hash.update(`${file}\n`);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 12);
}

export const benchDataDir = path.join(projectRoot, 'data', 'bench');

export interface CachedNewsroom {
  file: string;
  generated: boolean;
  report?: GenerateReport;
}

/** The SQLite file for N articles: from the cache, or generated (into a temporary file, then renamed). */
export async function ensureSqliteNewsroom(options: { articles: number; force?: boolean; log?: (line: string) => void }): Promise<CachedNewsroom> {
  const log = options.log ?? (() => undefined);
  const name = `newsroom-${options.articles}-${contentHash()}.db`;
  const file = path.join(benchDataDir, name);
  fs.mkdirSync(benchDataDir, { recursive: true });
  if (fs.existsSync(file) && !options.force) return { file, generated: false };

  // Stale files for the same size (older schema or generator) only take disk space.
  for (const other of fs.readdirSync(benchDataDir)) {
    if (other.startsWith(`newsroom-${options.articles}-`) && other !== name) fs.rmSync(path.join(benchDataDir, other), { force: true });
  }

  const work = fs.mkdtempSync(path.join(benchDataDir, 'tmp-'));
  const tmpFile = path.join(work, 'newsroom.db');
  try {
    const config = loadConfig({
      DATA_DIR: work,
      DATABASE_URL: `sqlite:${tmpFile}`,
      LOG_LEVEL: 'silent',
      PAGE_CACHE: 'false',
      SEED_DEMO: 'false',
    });
    const app = await createApp(config);
    let report: GenerateReport;
    try {
      let lastShown = 0;
      report = await generateNewsroom(app, {
        articles: options.articles,
        onProgress: (done, total) => {
          if (done === total || performance.now() - lastShown > 2000) {
            lastShown = performance.now();
            log(`  generating: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} articles`);
          }
        },
      });
    } finally {
      await app.stop();
    }
    for (const suffix of ['-wal', '-shm']) fs.rmSync(tmpFile + suffix, { force: true });
    fs.renameSync(tmpFile, file);
    return { file, generated: true, report };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- command line

async function main(): Promise<void> {
  const args = new Map(
    process.argv.slice(2).map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k!, v ?? 'true'] as const;
    }),
  );
  const articles = Number(args.get('articles') ?? DEFAULT_ARTICLES);
  if (!Number.isInteger(articles) || articles < 1) throw new Error('--articles must be a positive whole number');
  if (args.has('into-env')) {
    // Into the database named by DATABASE_URL / DATA_DIR (e.g. PostgreSQL), not cached.
    const app = await createApp(loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }));
    try {
      const report = await generateNewsroom(app, { articles, onProgress: (d, t) => d === t && console.log(`generated ${t} articles`) });
      console.log(JSON.stringify(report));
    } finally {
      await app.stop();
    }
    return;
  }
  const started = performance.now();
  const result = await ensureSqliteNewsroom({ articles, force: args.has('force'), log: (l) => console.log(l) });
  const mb = (fs.statSync(result.file).size / 1024 / 1024).toFixed(0);
  console.log(
    `${result.generated ? 'generated' : 'cached'}: ${result.file} (${mb} MB, ${((performance.now() - started) / 1000).toFixed(1)} s)` +
      (result.report ? ` ${JSON.stringify(result.report)}` : ''),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
