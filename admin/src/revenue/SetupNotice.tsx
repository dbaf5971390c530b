/** Until both Stripe keys are set, the donations screens say how to set them up (docs/revenue.md, "Setting up Stripe"). */
import { useApi } from '../hooks';
import type { DonationsSetup } from './revenue';

export function SetupNotice() {
  const setup = useApi<DonationsSetup>('/donations/setup');
  if (!setup.data || setup.data.ready) return null;
  const { missing, webhookUrl, events } = setup.data;
  return (
    <section className="notice notice-warn" aria-labelledby="donations-setup-heading">
      <h2 id="donations-setup-heading">Donations are not set up yet</h2>
      <p>Readers see “Donations are not set up yet” on the donate page until the server has both Stripe keys. Missing: {missing.join(' and ')}.</p>
      <ol>
        <li>In the Stripe dashboard, Developers → API keys: copy the secret key into STRIPE_SECRET_KEY.</li>
        <li>
          Developers → Webhooks → Add endpoint: <code>{webhookUrl}</code>, with the events {events.join(', ')}. Copy its signing secret into STRIPE_WEBHOOK_SECRET.
        </li>
        <li>Restart Broadsheet, then choose the currency and amounts in Settings → Donations.</li>
      </ol>
    </section>
  );
}
