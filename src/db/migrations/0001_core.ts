import type { Kysely } from 'kysely';
import type { Dialect } from '../connection.js';
import type { MigrationFactory } from './index.js';
import { createTableWithId } from './helpers.js';

/** Newsroom content, site settings and the durable job queue. */
export const core: MigrationFactory = (dialect: Dialect) => ({
  async up(db: Kysely<any>) {
    const id = (table: string) => createTableWithId(db, dialect, table);

    await id('authors')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('avatar_media_id', 'integer')
      .addColumn('expertise', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('social', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await id('sections')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await id('tags')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await id('media')
      .addColumn('storage_key', 'text', (c) => c.notNull().unique())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await id('articles')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('headline', 'text', (c) => c.notNull())
      .addColumn('dek', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('word_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('label', 'text', (c) => c.notNull().defaultTo('news'))
      .addColumn('dateline', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
      .addColumn('section_id', 'integer', (c) => c.references('sections.id').onDelete('set null'))
      .addColumn('image_id', 'integer', (c) => c.references('media.id').onDelete('set null'))
      .addColumn('image_alt', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('image_caption', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('image_credit', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('published_at', 'text')
      .addColumn('first_published_at', 'text')
      .addColumn('updated_at', 'text')
      .addColumn('scheduled_at', 'text')
      .addColumn('top_rank', 'integer')
      .addColumn('breaking', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('breaking_until', 'text')
      .addColumn('seo_title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('seo_description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('social_title', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('social_description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('social_image_url', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('canonical_url', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('saved_at', 'text', (c) => c.notNull())
      // The long columns come last: SQLite keeps a row's tail on overflow pages, and
      // list queries reading the columns above never have to follow them.
      .addColumn('body_doc', 'text', (c) => c.notNull())
      .addColumn('body_blocks', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at']).execute();
    await db.schema
      .createIndex('articles_section_published')
      .on('articles')
      .columns(['section_id', 'status', 'published_at'])
      .execute();
    await db.schema.createIndex('articles_top_rank').on('articles').columns(['status', 'top_rank']).execute();

    await db.schema
      .createTable('article_authors')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
      .execute();
    await db.schema.createIndex('article_authors_author').on('article_authors').columns(['author_id', 'article_id']).execute();

    await db.schema
      .createTable('article_tags')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
      .execute();
    await db.schema.createIndex('article_tags_tag').on('article_tags').columns(['tag_id', 'article_id']).execute();

    await db.schema
      .createTable('article_redirects')
      .addColumn('old_slug', 'text', (c) => c.primaryKey())
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await id('corrections')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('corrections_article').on('corrections').columns(['article_id', 'created_at']).execute();

    await id('revisions')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('revisions_article').on('revisions').columns(['article_id', 'version']).execute();

    await id('pages')
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body_doc', 'text', (c) => c.notNull())
      .addColumn('body_blocks', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await id('jobs')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
      .addColumn('run_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
      .addColumn('unique_key', 'text', (c) => c.unique())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  },
  async down(db: Kysely<any>) {
    for (const table of [
      'jobs', 'settings', 'pages', 'revisions', 'corrections', 'article_redirects', 'article_tags',
      'article_authors', 'articles', 'media', 'tags', 'sections', 'authors',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
});
