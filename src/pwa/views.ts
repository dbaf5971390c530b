/** Reader-facing HTML of the web app: the offline page (our own words; escaped by default). */
import { html, type Html } from '../shared/html.js';

export function offlineMain(siteName: string): Html {
  return html`<section class="offline-page">
  <p class="kicker">Offline</p>
  <h1>You are offline</h1>
  <p>We cannot reach ${siteName} right now, and this page has not been saved on this device.</p>
  <p>The front page and the stories you opened recently are kept for reading without a connection.</p>
  <ul class="error-links"><li><a href="/">Go to the front page</a></li></ul>
  <section class="offline-saved" aria-labelledby="offline-saved-heading" data-offline-saved hidden>
    <h2 id="offline-saved-heading" class="section-heading">Saved on this device</h2>
    <ul></ul>
  </section>
</section>`;
}
