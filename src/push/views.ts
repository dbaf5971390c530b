/** Reader-facing HTML of push alerts: the /alerts page (our own words; escaped by default). */
import { html, type Html } from '../shared/html.js';
import type { TopicChoice } from './topics.js';
import { BREAKING_TOPIC } from './topics.js';

export function alertsMain(siteName: string, publicKey: string, topics: readonly TopicChoice[]): Html {
  return html`<section class="push-alerts-page">
  <h1>Breaking news alerts</h1>
  <p>Get a short notification on this device when ${siteName} publishes news you asked for. Choose what matters to you; you can change it or stop at any time on this page.</p>
  <p>Your browser asks for permission only after you press the button below. We keep no name or email address for alerts, only the address your browser gives us to deliver them.</p>
  <form class="push-alerts" data-push-alerts data-key="${publicKey}" hidden>
    <fieldset>
      <legend>Alert me about</legend>
      ${topics.map(
        (t) => html`<p><label><input type="checkbox" name="topics" value="${t.topic}"${t.topic === BREAKING_TOPIC ? html` checked` : ''}> ${t.label}</label></p>`,
      )}
    </fieldset>
    <p class="push-alerts-status" role="status" aria-live="polite" data-push-status></p>
    <p class="push-alerts-actions">
      <button type="button" data-push-action="subscribe">Get breaking news alerts</button>
      <button type="button" data-push-action="update" hidden>Save my choices</button>
      <button type="button" data-push-action="stop" hidden>Stop alerts on this device</button>
    </p>
  </form>
  <p class="push-alerts-unsupported" data-push-unsupported>Alerts need JavaScript and a browser that can show notifications from websites. You can still follow the news on our front page and in our newsletters.</p>
</section>`;
}
