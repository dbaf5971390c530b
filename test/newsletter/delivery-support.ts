/** Helpers for the delivery tests: an SMTP server that can refuse chosen recipients, readers written straight to the database. */
import type { TestApp } from '../support/apps.js';
import type { SubscriptionStatus } from '../../src/db/schema.js';
import { newReaderSecret } from '../../src/newsletter/links.js';

export { header, MailServer, type Refusal } from '../support/mail.js';

export const email = (subject: string) => ({
  subject,
  html: '<p>Hello {{name}},</p><p>Today in brief.</p><p><a href="{{preferences_url}}">Your preferences</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
  text: 'Hello {{name}},\n\nToday in brief.\n\nYour preferences: {{preferences_url}}\nUnsubscribe: {{unsubscribe_url}}\n',
});

/** A reader with subscriptions in the given states, written straight to the database. */
export async function addReader(t: TestApp, address: string, name: string, subscriptions: [number, SubscriptionStatus][]): Promise<number> {
  const at = t.clock.now().toISOString();
  const db = t.app.db.kysely;
  const { id } = await db
    .insertInto('newsletter_subscribers')
    .values({ email: address, email_key: address.toLowerCase(), name, secret: newReaderSecret(), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [newsletterId, status] of subscriptions) {
    await db
      .insertInto('newsletter_subscriptions')
      .values({ subscriber_id: id, newsletter_id: newsletterId, status, source: 'test', requested_at: at, confirmed_at: status === 'pending' ? null : at, updated_at: at })
      .execute();
  }
  return id;
}

