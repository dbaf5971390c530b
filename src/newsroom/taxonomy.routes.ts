/**
 * Admin API for sections, tags and author profiles (bylines). Every signed-in
 * staff member may list them (writers pick a section, tags and bylines for
 * their drafts); creating and changing them is for editors and up
 * (`section.manage`, `tag.manage`, `byline.manage`). HTTP only.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthorRow, SectionRow, TagRow } from '../db/schema.js';
import { ADMIN_PREFIX, type AdminGuard } from '../accounts/guard.js';
import { NotFound } from '../shared/errors.js';
import type { TaxonomyService } from './taxonomy.service.js';
import type { TaxonomyRepository } from './taxonomy.repository.js';

export interface TaxonomyRoutesDeps {
  taxonomy: TaxonomyService;
  taxonomyRepo: TaxonomyRepository;
  guard: AdminGuard;
}

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const Slug = Type.String({ minLength: 1, maxLength: 200 });

const Section = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String(), description: Type.String(), position: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });
const SectionCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 80 }), slug: Type.Optional(Slug), description: Type.Optional(Type.String({ maxLength: 500 })), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })) },
  { additionalProperties: false },
);
const SectionPatch = Type.Partial(SectionCreate, { additionalProperties: false });

const Tag = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String(), description: Type.String(), createdAt: Type.String(), updatedAt: Type.String() });
const TagCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 80 }), slug: Type.Optional(Slug), description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const TagPatch = Type.Partial(TagCreate, { additionalProperties: false });

const Author = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  title: Type.String(),
  bio: Type.String(),
  expertise: Type.Array(Type.String()),
  social: Type.Record(Type.String(), Type.String()),
  email: Type.Union([Type.String(), Type.Null()]),
  avatarMediaId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const AuthorCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    slug: Type.Optional(Slug),
    title: Type.Optional(Type.String({ maxLength: 120 })),
    bio: Type.Optional(Type.String({ maxLength: 2000 })),
    expertise: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
    social: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 300 }))),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
    avatarMediaId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const AuthorPatch = Type.Partial(Type.Omit(AuthorCreate, ['slug']), { additionalProperties: false });

const sectionJson = (s: SectionRow) => ({ id: s.id, slug: s.slug, name: s.name, description: s.description, position: s.position, createdAt: s.created_at, updatedAt: s.updated_at });
const tagJson = (t: TagRow) => ({ id: t.id, slug: t.slug, name: t.name, description: t.description, createdAt: t.created_at, updatedAt: t.updated_at });
const authorJson = (a: AuthorRow) => ({
  id: a.id,
  slug: a.slug,
  name: a.name,
  title: a.title,
  bio: a.bio,
  expertise: JSON.parse(a.expertise) as string[],
  social: JSON.parse(a.social) as Record<string, string>,
  email: a.email,
  avatarMediaId: a.avatar_media_id,
  createdAt: a.created_at,
  updatedAt: a.updated_at,
});

export function registerTaxonomyRoutes(app: FastifyInstance, deps: TaxonomyRoutesDeps): void {
  const { taxonomy, taxonomyRepo, guard } = deps;
  const base = ADMIN_PREFIX;

  // --- sections ------------------------------------------------------------------------
  app.get(`${base}/sections`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags: ['sections'], response: { 200: Type.Object({ items: Type.Array(Section) }) } },
    handler: async () => ({ items: (await taxonomyRepo.sections()).map(sectionJson) }),
  });
  app.post(`${base}/sections`, {
    preHandler: guard.requireStaff('section.manage'),
    schema: { tags: ['sections'], body: SectionCreate, response: { 201: Section } },
    handler: async (request, reply) => reply.code(201).send(sectionJson(await taxonomy.createSection(request.body as Static<typeof SectionCreate>))),
  });
  app.patch(`${base}/sections/:id`, {
    preHandler: guard.requireStaff('section.manage'),
    schema: { tags: ['sections'], params: IdParams, body: SectionPatch, response: { 200: Section } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      return sectionJson(await taxonomy.updateSection(id, request.body as Static<typeof SectionPatch>));
    },
  });

  // --- tags ----------------------------------------------------------------------------
  app.get(`${base}/tags`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags: ['tags'], response: { 200: Type.Object({ items: Type.Array(Tag) }) } },
    handler: async () => ({ items: (await taxonomyRepo.tags()).map(tagJson) }),
  });
  app.post(`${base}/tags`, {
    preHandler: guard.requireStaff('tag.manage'),
    schema: { tags: ['tags'], summary: 'Create a tag (returns the existing one if the slug is taken)', body: TagCreate, response: { 201: Tag } },
    handler: async (request, reply) => reply.code(201).send(tagJson(await taxonomy.createTag(request.body as Static<typeof TagCreate>))),
  });
  app.patch(`${base}/tags/:id`, {
    preHandler: guard.requireStaff('tag.manage'),
    schema: { tags: ['tags'], params: IdParams, body: TagPatch, response: { 200: Tag } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const find = async () => (await taxonomyRepo.tags()).find((t) => t.id === id);
      if (!(await find())) throw new NotFound('No such tag');
      await taxonomy.updateTag(id, request.body as Static<typeof TagPatch>);
      return tagJson((await find())!);
    },
  });

  // --- authors (bylines) ---------------------------------------------------------------
  app.get(`${base}/authors`, {
    preHandler: guard.requireStaff('article.view'),
    schema: { tags: ['authors'], response: { 200: Type.Object({ items: Type.Array(Author) }) } },
    handler: async () => ({ items: (await taxonomyRepo.authors()).map(authorJson) }),
  });
  app.post(`${base}/authors`, {
    preHandler: guard.requireStaff('byline.manage'),
    schema: { tags: ['authors'], body: AuthorCreate, response: { 201: Author } },
    handler: async (request, reply) => reply.code(201).send(authorJson(await taxonomy.createAuthor(request.body as Static<typeof AuthorCreate>))),
  });
  app.patch(`${base}/authors/:id`, {
    preHandler: guard.requireStaff('byline.manage'),
    schema: { tags: ['authors'], params: IdParams, body: AuthorPatch, response: { 200: Author } },
    handler: async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const find = async () => (await taxonomyRepo.authorsByIds([id]))[0];
      if (!(await find())) throw new NotFound('No such author');
      await taxonomy.updateAuthor(id, request.body as Static<typeof AuthorPatch>);
      return authorJson((await find())!);
    },
  });
}
