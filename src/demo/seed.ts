/**
 * The demo newsroom: what a new user sees on first start. Content goes in
 * through the same services the admin uses (validation, revisions, events);
 * only the publication times are set to the past afterwards, so the demo
 * reads like a living site.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.js';
import type { BodyDoc, BodyNode } from '../newsroom/body.js';
import { renderBody } from '../newsroom/body.js';
import { ArticlesService } from '../newsroom/articles.service.js';
import { TaxonomyRepository } from '../newsroom/taxonomy.repository.js';
import type { MediaVariant } from '../newsroom/media.js';
import { demoArticles, demoAuthors, demoPages, demoSections, demoSite, demoTags, type DemoBlock } from './content.js';
import { renderDemoImage } from './images.js';
import { seedDemoPrompts } from '../prompts/demo.js';

const INLINE = /\*\*(.+?)\*\*|(?<![\p{L}\p{N}])_(.+?)_(?![\p{L}\p{N}])|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/gu;

/** Paragraph text with **bold**, _italic_ and [links](https://...) -> inline nodes. */
export function inlineMarkup(text: string): BodyNode[] {
  const nodes: BodyNode[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index! > last) nodes.push({ type: 'text', text: text.slice(last, match.index) });
    if (match[1] !== undefined) nodes.push({ type: 'text', text: match[1], marks: [{ type: 'bold' }] });
    else if (match[2] !== undefined) nodes.push({ type: 'text', text: match[2], marks: [{ type: 'italic' }] });
    else nodes.push({ type: 'text', text: match[3]!, marks: [{ type: 'link', attrs: { href: match[4]! } }] });
    last = match.index! + match[0].length;
  }
  if (last < text.length) nodes.push({ type: 'text', text: text.slice(last) });
  return nodes;
}

export function demoDoc(blocks: readonly DemoBlock[]): BodyDoc {
  const paragraph = (text: string): BodyNode => ({ type: 'paragraph', content: inlineMarkup(text) });
  return {
    type: 'doc',
    content: blocks.map((block): BodyNode => {
      if (typeof block === 'string') return paragraph(block);
      if ('h2' in block) return { type: 'heading', attrs: { level: 2 }, content: inlineMarkup(block.h2) };
      if ('quote' in block) return { type: 'blockquote', content: [paragraph(block.cite ? `${block.quote} (${block.cite})` : block.quote)] };
      if ('pullQuote' in block) return { type: 'pullQuote', attrs: { attribution: block.attribution ?? '' }, content: inlineMarkup(block.pullQuote) };
      if ('list' in block)
        return {
          type: block.ordered ? 'orderedList' : 'bulletList',
          content: block.list.map((item) => ({ type: 'listItem', content: [paragraph(item)] })),
        };
      return { type: 'embed', attrs: { url: block.embed } };
    }),
  };
}

const IMAGE_WIDTHS = [640, 1024, 1600] as const;

async function demoImages(app: App, keys: Iterable<string>): Promise<Map<string, number>> {
  const taxonomy = new TaxonomyRepository(app.db.kysely);
  const dir = path.join(app.config.dataDir, 'media', 'demo');
  await fs.mkdir(dir, { recursive: true });
  const ids = new Map<string, number>();
  for (const key of keys) {
    const variants: MediaVariant[] = [];
    let bytes = 0;
    for (const width of IMAGE_WIDTHS) {
      const height = Math.round((width * 9) / 16);
      const jpeg = await renderDemoImage(key, width, height);
      const file = `demo/${key}-${width}.jpg`;
      await fs.writeFile(path.join(app.config.dataDir, 'media', file), jpeg);
      variants.push({ width, height, key: file, format: 'jpeg' });
      bytes = jpeg.length;
    }
    const largest = variants.at(-1)!;
    const existing = await app.db.kysely.selectFrom('media').select('id').where('storage_key', '=', largest.key).executeTakeFirst();
    const id =
      existing?.id ??
      (await taxonomy.insertMedia(
        {
          storage_key: largest.key,
          mime: 'image/jpeg',
          width: largest.width,
          height: largest.height,
          bytes,
          alt: '',
          caption: '',
          credit: 'Illustration: The Harbour Ledger',
          variants: JSON.stringify(variants),
        },
        app.clock.now().toISOString(),
      ));
    ids.set(key, id);
  }
  return ids;
}

export async function seedDemoIfEmpty(app: App): Promise<{ articles: number } | undefined> {
  const row = await app.db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(row.n) > 0) return undefined;
  return seedDemo(app);
}

/** The demo outlet's settings and standing pages (about, policies): shared with the benchmark's newsroom. */
export async function seedDemoSiteAndPages(app: App, nowIso: string): Promise<void> {
  await app.settings.update(
    {
      name: demoSite.name,
      tagline: demoSite.tagline,
      description: demoSite.description,
      language: demoSite.language,
      timeZone: demoSite.timeZone,
      social: { ...demoSite.social },
      appLinks: { ...demoSite.appLinks },
      policies: {
        corrections: `/${demoSite.policies.corrections}`,
        ethics: `/${demoSite.policies.ethics}`,
        ownership: `/${demoSite.policies.ownership}`,
        about: demoPages.some((p) => p.slug === 'about') ? '/about' : '',
      },
    },
    nowIso,
  );
  for (const page of demoPages) {
    const doc = demoDoc(page.body);
    const rendered = renderBody(doc);
    await app.db.kysely
      .insertInto('pages')
      .values({ slug: page.slug, title: page.title, body_doc: JSON.stringify(doc), body_blocks: JSON.stringify(rendered.blocks), updated_at: nowIso })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
  }
}

export async function seedDemo(app: App): Promise<{ articles: number }> {
  const now = app.clock.now();
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);

  await seedDemoSiteAndPages(app, now.toISOString());

  const sectionIds = new Map<string, number>();
  for (const [position, section] of demoSections.entries()) {
    const existing = await app.site.section(section.slug);
    const row = existing ?? (await app.taxonomy.createSection({ ...section, position }));
    sectionIds.set(section.slug, row.id);
  }
  const tagIds = new Map<string, number>();
  for (const tag of demoTags) tagIds.set(tag.slug, (await app.taxonomy.createTag(tag)).id);
  const authorIds = new Map<string, number>();
  for (const author of demoAuthors) {
    const existing = await app.site.author(author.slug);
    const row = existing ?? (await app.taxonomy.createAuthor({ ...author, social: { ...author.social } as Record<string, string> }));
    authorIds.set(author.slug, row.id);
  }

  const imageKeys = new Set(demoArticles.flatMap((a) => (a.image ? [a.image.key] : [])));
  const imageIds = await demoImages(app, imageKeys);
  const taxonomyRepo = new TaxonomyRepository(app.db.kysely);

  // Oldest first, so ids follow publication order as they would in a real newsroom.
  const ordered = [...demoArticles].sort((a, b) => b.hoursAgo - a.hoursAgo);
  for (const demo of ordered) {
    const publishedAt = at(demo.hoursAgo);
    // A service whose clock says "then", so revisions and timestamps read naturally.
    const then = new ArticlesService({
      articles: app.articlesRepo,
      taxonomy: taxonomyRepo,
      events: app.events,
      jobs: app.jobs,
      clock: { now: () => publishedAt },
    });
    const actor = demoAuthors.find((a) => a.slug === demo.authors[0])?.name ?? 'Newsroom';
    const existing = await app.articlesRepo.findBySlug(demo.slug);
    if (existing) continue;
    const created = await then.create(
      {
        headline: demo.headline,
        dek: demo.dek,
        slug: demo.slug,
        body: demoDoc(demo.body),
        label: demo.label,
        dateline: demo.dateline ?? '',
        sectionId: sectionIds.get(demo.section) ?? null,
        authorIds: demo.authors.map((slug) => authorIds.get(slug)!).filter(Boolean),
        tagIds: demo.tags.map((slug) => tagIds.get(slug)!).filter(Boolean),
        imageId: demo.image ? (imageIds.get(demo.image.key) ?? null) : null,
        imageAlt: demo.image?.alt ?? '',
        imageCaption: demo.image?.caption ?? '',
        imageCredit: demo.image?.credit ?? '',
        topRank: demo.topRank ?? null,
        breaking: demo.breaking ?? false,
        breakingUntil: demo.breaking ? new Date(now.getTime() + 12 * 3_600_000).toISOString() : null,
      },
      { actor },
    );
    await then.publish(created.id, { actor });
    for (const correction of demo.corrections ?? []) {
      const when = at(correction.hoursAgo);
      const later = new ArticlesService({ articles: app.articlesRepo, taxonomy: taxonomyRepo, events: app.events, jobs: app.jobs, clock: { now: () => when } });
      await later.addCorrection(created.id, correction.kind, correction.text, { actor: 'Standards editor' });
    }
    if (demo.updatedHoursAgo !== undefined) {
      await app.db.kysely.updateTable('articles').set({ updated_at: at(demo.updatedHoursAgo).toISOString() }).where('id', '=', created.id).execute();
    }
  }
  await seedDemoNewsletter(app);
  // After the newsletter: the sign-up prompt subscribes to the first public one.
  await seedDemoPrompts(app.prompts.campaigns);
  await app.invalidator.invalidate(['settings', 'sections', 'list:home', 'list:all', 'list:archive', 'sitemap']);
  app.cache.clear();
  return { articles: ordered.length };
}

/** One public daily newsletter, so the sign-up forms show on a first start (docs/newsletters.md). */
export async function seedDemoNewsletter(app: App): Promise<void> {
  if (await app.newsletters.repo.bySlug('top-stories')) return;
  await app.newsletters.newsletters.create({
    name: 'Top Stories',
    slug: 'top-stories',
    description: 'The handful of stories worth your morning, chosen by our editors and in your inbox every day.',
    senderName: demoSite.name,
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '06:30' },
    template: { intro: 'Good morning. Here is what our newsroom thinks you should know today.' },
    visibility: 'public',
  });
}
