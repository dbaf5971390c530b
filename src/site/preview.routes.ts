/**
 * `/preview/<token>`: the private preview of an article in any state, rendered
 * by the same function as the live page (src/newsroom/preview-links.ts says who
 * may see it). Never cached, never indexed, never leaks its address in Referer.
 */
import type { FastifyInstance } from 'fastify';
import { NotFound } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';
import type { PreviewLinks } from '../newsroom/preview-links.js';
import type { SiteService } from './site.service.js';
import type { SiteRoutes } from './site.routes.js';
import { articlePath } from './format.js';

export interface PreviewRouteDeps {
  previews: PreviewLinks;
  site: SiteService;
  render: SiteRoutes['renderArticlePage'];
}

const STATUS_TEXT: Record<string, string> = {
  draft: 'This is a preview of a draft. Readers cannot see it.',
  scheduled: 'This is a preview of a scheduled article. Readers cannot see it yet.',
  published: 'This is a preview of the saved version of a published article.',
  unpublished: 'This is a preview of an unpublished article. Readers cannot see it.',
};

export function registerPreviewRoute(app: FastifyInstance, deps: PreviewRouteDeps): void {
  app.get('/preview/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const articleId = await deps.previews.resolve(token);
    const article = articleId === undefined ? undefined : await deps.site.previewArticle(articleId);
    if (!article) throw new NotFound('This preview link is not valid any more: open a new one from the editor');
    const page = await deps.render(article, articlePath(article.card));
    const notice = `<p class="preview-notice" role="note">${escapeHtml(STATUS_TEXT[article.status] ?? STATUS_TEXT.draft!)}</p>`;
    const body = page.body.replace('<main id="main" tabindex="-1">', (main) => `${main}\n${notice}`);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex, nofollow')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  });
}
