/** Small newsroom fixtures built through the real services. */
import type { App } from '../../src/app.js';
import { docFromParagraphs, type BodyDoc } from '../../src/newsroom/body.js';

export interface Newsroom {
  sections: { local: number; world: number };
  authors: { ana: number; ben: number };
  tags: { housing: number; harbour: number };
}

export async function makeNewsroom(app: App): Promise<Newsroom> {
  const local = await app.taxonomy.createSection({ name: 'Local', description: 'News from around town' });
  const world = await app.taxonomy.createSection({ name: 'World', position: 1 });
  const ana = await app.taxonomy.createAuthor({ name: 'Ana Reyes', title: 'City reporter', bio: 'Ana covers city hall.', social: { x: 'https://x.com/anareyes' } });
  const ben = await app.taxonomy.createAuthor({ name: 'Ben Okafor', title: 'Data editor' });
  const housing = await app.taxonomy.createTag({ name: 'Housing' });
  const harbour = await app.taxonomy.createTag({ name: 'Harbour' });
  return { sections: { local: local.id, world: world.id }, authors: { ana: ana.id, ben: ben.id }, tags: { housing: housing.id, harbour: harbour.id } };
}

export function paragraphs(n: number, prefix = 'Paragraph'): BodyDoc {
  return docFromParagraphs(Array.from({ length: n }, (_, i) => `${prefix} ${i + 1} of the story, with enough words to read.`));
}

export async function publishedArticle(
  app: App,
  room: Newsroom,
  fields: Record<string, unknown> = {},
): Promise<{ id: number; slug: string; path: string }> {
  const created = await app.articles.create(
    {
      headline: 'Council approves harbour budget',
      dek: 'The vote was 5-2 after a long night.',
      body: paragraphs(5),
      sectionId: room.sections.local,
      authorIds: [room.authors.ana],
      tagIds: [room.tags.harbour],
      ...fields,
    },
    { actor: 'test' },
  );
  const published = await app.articles.publish(created.id, { actor: 'test' });
  const section = published.section_id === room.sections.world ? 'world' : published.section_id === room.sections.local ? 'local' : 'article';
  return { id: published.id, slug: published.slug, path: `/${section}/${published.slug}` };
}
