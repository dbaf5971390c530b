/** Error pages that help: what happened and where to go next. */
import { html, type Html } from '../../shared/html.js';
import type { ArticleCard } from '../../newsroom/articles.repository.js';
import { storyList, type ViewContext } from './components.js';

const TITLES: Record<number, string> = {
  400: 'That request did not make sense to us',
  404: 'We could not find that page',
  410: 'This story has been removed',
  413: 'That was too much to send at once',
};

export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Something went wrong on our side' : 'That did not work');
}

export function errorMain(status: number, message: string, latest: ArticleCard[], ctx: ViewContext): Html {
  const explanation =
    status === 404
      ? 'The link may be mistyped, or the page may have moved.'
      : status === 410
        ? 'The newsroom has withdrawn this story. If you think that is a mistake, please contact us.'
        : message;
  return html`<section class="error-page">
  <p class="kicker">Error ${status}</p>
  <h1>${errorTitle(status)}</h1>
  <p>${explanation}</p>
  <ul class="error-links"><li><a href="/">Go to the home page</a></li><li><a href="/archive">Browse the archive</a></li></ul>
</section>
${latest.length ? html`<section aria-labelledby="latest-heading"><h2 id="latest-heading" class="section-heading">Latest stories</h2>${storyList(latest, ctx, { image: false })}</section>` : ''}`;
}
