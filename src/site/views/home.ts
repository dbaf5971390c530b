/** The home page: top stories, a block per section, the latest. */
import { html, type Html } from '../../shared/html.js';
import type { ArticleCard, SectionRef } from '../../newsroom/articles.repository.js';
import { storyCard, storyList, type ViewContext } from './components.js';

export interface HomeData {
  top: ArticleCard[];
  sections: { section: SectionRef; cards: ArticleCard[] }[];
  latest: ArticleCard[];
  siteName: string;
}

export function homeMain(data: HomeData, ctx: ViewContext): Html {
  const [lead, ...rest] = data.top;
  return html`<h1 class="visually-hidden">${data.siteName}</h1>
<section class="top-stories" aria-labelledby="top-heading">
  <h2 id="top-heading" class="section-heading">Top stories</h2>
  ${lead ? storyCard(lead, ctx, { lead: true, headingLevel: 3 }) : html`<p>No stories yet.</p>`}
  ${rest.length ? storyList(rest, ctx) : ''}
</section>
<div class="home-grid">
${data.sections.map(
  ({ section, cards }) => html`<section class="section-block" aria-labelledby="sec-${section.slug}">
  <h2 id="sec-${section.slug}" class="section-heading"><a href="/${section.slug}">${section.name}</a></h2>
  ${storyList(cards, ctx, { image: false })}
  <p class="more"><a href="/${section.slug}">More ${section.name}</a></p>
</section>`,
)}
</div>
<section class="latest" aria-labelledby="latest-heading">
  <h2 id="latest-heading" class="section-heading">Latest</h2>
  ${storyList(data.latest, ctx, { image: false })}
  <p class="more"><a href="/archive">All stories by date</a></p>
</section>`;
}
