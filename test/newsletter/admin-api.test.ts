/**
 * The Admin API for newsletters and subscribers, on SQLite and PostgreSQL over
 * a real listening server: CRUD with validation errors, the permission
 * (editors and up; authors and contributors refused), subscriber search with
 * status counts, one reader's record, deletion of a reader with all their data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';

for (const dialect of DIALECTS) {
  describe(`newsletters Admin API on ${dialect}`, () => {
    let t: TestApp;
    let editor: Signed;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { env: { MAIL_FROM: 'The Test Gazette <newsroom@news.test>' } });
      const staff = await createStaff(t, 'editor');
      editor = await signIn(t, staff.email, staff.password);
    });
    after(async () => {
      await t?.close();
    });

    const api = (method: string, path: string, body?: unknown, who: Signed = editor) => call(t, method, `/api/admin${path}`, { body, cookie: who.cookie, csrf: who.csrf });

    test('create, read, list, change and delete a newsletter', async () => {
      const created = await api('POST', '/newsletters', {
        name: 'Morning Briefing',
        description: 'What matters today.',
        schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '06:30' },
        template: { accentColor: '#aa3300', intro: 'Good morning.' },
      });
      assert.equal(created.status, 201, created.text);
      const n = created.json;
      assert.equal(n.slug, 'morning-briefing');
      assert.equal(n.senderName, 'Morning Briefing');
      assert.equal(n.senderEmail, 'newsroom@news.test', 'MAIL_FROM is the default sender');
      assert.equal(n.visibility, 'public');
      assert.deepEqual(n.schedule, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '06:30' });
      assert.deepEqual(n.counts, { pending: 0, subscribed: 0, unsubscribed: 0, bounced: 0, complained: 0 });

      const changed = await api('PATCH', `/newsletters/${n.id}`, { senderName: 'The Gazette', replyTo: 'Desk@Example.ORG', visibility: 'hidden', template: { intro: 'Hello.' }, schedule: null });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json.senderName, 'The Gazette');
      assert.equal(changed.json.replyTo, 'Desk@example.org');
      assert.equal(changed.json.visibility, 'hidden');
      assert.equal(changed.json.schedule, null);
      assert.deepEqual(changed.json.template, { accentColor: '#aa3300', intro: 'Hello.' }, 'template options are merged');

      assert.equal((await api('GET', `/newsletters/${n.id}`)).json.name, 'Morning Briefing');
      const list = await api('GET', '/newsletters');
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.items.map((i: { slug: string }) => i.slug), ['morning-briefing']);

      assert.equal((await api('DELETE', `/newsletters/${n.id}`)).status, 204);
      assert.equal((await api('GET', `/newsletters/${n.id}`)).status, 404);
      assert.equal((await api('PATCH', `/newsletters/${n.id}`, { name: 'Again' })).status, 404);
      assert.equal((await api('DELETE', `/newsletters/${n.id}`)).status, 404);
    });

    test('validation: clear 400s naming the field', async () => {
      const cases: [unknown, string][] = [
        [{}, '/name'],
        [{ name: 'X', colour: 'red' }, '/colour'],
        [{ name: 'X', schedule: { days: ['mon'], time: '25:00' } }, '/schedule/time'],
        [{ name: 'X', schedule: { days: ['someday'], time: '06:00' } }, '/schedule/days/0'],
        [{ name: 'X', senderName: 'Desk\r\nBcc: victim@example.org' }, '/senderName'],
        [{ name: 'X', senderEmail: 'not an address' }, '/senderEmail'],
        [{ name: 'X', replyTo: 'x@' }, '/replyTo'],
        [{ name: 'X', template: { accentColor: 'red' } }, '/template/accentColor'],
        [{ name: 'X', template: { logoUrl: 'javascript:alert(1)' } }, '/template/logoUrl'],
        [{ name: 'X', visibility: 'secret' }, '/visibility'],
        [{ name: 'X', slug: 'Not A Slug!' }, '/slug'],
      ];
      for (const [body, path] of cases) {
        const res = await api('POST', '/newsletters', body);
        assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
        assert.equal(res.json.error.code, 'invalid');
        assert.ok(res.json.error.fields.some((f: { path: string }) => `/${f.path.replace(/^\//, '')}`.startsWith(path)), `${JSON.stringify(body)} names ${path}: ${res.text}`);
      }
      assert.equal((await api('POST', '/newsletters', { name: 'Daily', slug: 'daily' })).status, 201);
      const taken = await api('POST', '/newsletters', { name: 'Another daily', slug: 'daily' });
      assert.equal(taken.status, 400);
      assert.deepEqual(taken.json.error.fields, [{ path: '/slug', message: 'already taken' }]);
      assert.equal((await api('GET', '/newsletters/abc')).status, 400);
      assert.equal((await api('GET', '/subscribers?status=happy')).status, 400);
      assert.equal((await api('GET', '/subscribers?pageSize=1000')).status, 400);
      assert.equal((await api('GET', '/newsletters')).json.items.length, 1, 'nothing invalid was stored');
    });

    test('permission: editors and up; authors and contributors refused, signed-out readers too', async () => {
      for (const role of ['contributor', 'author'] as const) {
        const staff = await createStaff(t, role);
        const who = await signIn(t, staff.email, staff.password);
        for (const [method, path, body] of [['GET', '/newsletters'], ['POST', '/newsletters', { name: 'Sneaky' }], ['GET', '/subscribers'], ['DELETE', '/subscribers/1']] as const) {
          const res = await api(method, path, body, who);
          assert.equal(res.status, 403, `${role} ${method} ${path}`);
          assert.equal(res.json.error.code, 'forbidden');
        }
      }
      assert.equal((await call(t, 'GET', '/api/admin/newsletters')).status, 401);
      const admin = await createStaff(t, 'admin');
      assert.equal((await api('GET', '/subscribers', undefined, await signIn(t, admin.email, admin.password))).status, 200);
      assert.ok(!(await api('GET', '/newsletters')).json.items.some((n: { name: string }) => n.name === 'Sneaky'));
    });

    test('subscribers: search with counts, one reader, and deleting a reader removes all their data', async () => {
      const a = (await api('POST', '/newsletters', { name: 'Alpha Letter' })).json;
      const b = (await api('POST', '/newsletters', { name: 'Beta Letter' })).json;
      const service = t.app.newsletters.subscribers;
      const signup = (email: string, name: string, slugs: string[]) => service.signup({ email, name, newsletters: slugs, source: 'page:/newsletters', ip: '192.0.2.1', honeypot: '' });
      await signup('Ann.Archer@Example.org', 'Ann Archer', [a.slug, b.slug]);
      await signup('bob@example.org', 'Bob Baker', [a.slug]);
      await signup('cy_100%@example.org', 'Cy', [b.slug]);
      const ann = (await t.app.newsletters.subscribersRepo.byKey('ann.archer@example.org'))!;
      await service.confirm(ann, t.clock.now().getTime(), '192.0.2.1');
      await service.unsubscribe(ann, b.id, 'one-click', '192.0.2.1');

      const all = await api('GET', '/subscribers');
      assert.equal(all.status, 200);
      assert.equal(all.json.total, 3);
      assert.deepEqual(all.json.counts, { pending: 2, subscribed: 1, unsubscribed: 1, bounced: 0, complained: 0 });
      assert.deepEqual(all.json.items.map((i: { email: string }) => i.email), ['cy_100%@example.org', 'bob@example.org', 'Ann.Archer@example.org']);

      const inA = await api('GET', `/subscribers?newsletterId=${a.id}`);
      assert.deepEqual(inA.json.counts, { pending: 1, subscribed: 1, unsubscribed: 0, bounced: 0, complained: 0 });
      const subscribedToA = await api('GET', `/subscribers?newsletterId=${a.id}&status=subscribed`);
      assert.deepEqual(subscribedToA.json.items.map((i: { email: string }) => i.email), ['Ann.Archer@example.org']);
      assert.deepEqual((await api('GET', '/subscribers?q=ARCHER')).json.items.map((i: { name: string }) => i.name), ['Ann Archer']);
      assert.deepEqual((await api('GET', '/subscribers?q=baker')).json.items.map((i: { email: string }) => i.email), ['bob@example.org']);
      assert.deepEqual((await api('GET', `/subscribers?q=${encodeURIComponent('_100%')}`)).json.items.map((i: { email: string }) => i.email), ['cy_100%@example.org'], '% and _ are literal');
      assert.equal((await api('GET', '/subscribers?q=%25')).json.total, 1);
      const paged = await api('GET', '/subscribers?pageSize=2&page=2');
      assert.deepEqual([paged.json.total, paged.json.items.length], [3, 1]);
      assert.equal((await api('GET', '/subscribers?newsletterId=99999')).status, 404);

      const detail = await api('GET', `/subscribers/${ann.id}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.json.email, 'Ann.Archer@example.org');
      assert.deepEqual(
        detail.json.subscriptions.map((s: { newsletterName: string; status: string }) => [s.newsletterName, s.status]),
        [['Alpha Letter', 'subscribed'], ['Beta Letter', 'unsubscribed']],
      );
      assert.deepEqual(
        detail.json.consents.map((c: { newsletterName: string; action: string; source: string }) => [c.newsletterName, c.action, c.source]),
        [
          ['Alpha Letter', 'requested', 'page:/newsletters'],
          ['Beta Letter', 'requested', 'page:/newsletters'],
          ['Alpha Letter', 'confirmed', 'email-link'],
          ['Beta Letter', 'confirmed', 'email-link'],
          ['Beta Letter', 'withdrawn', 'one-click'],
        ],
      );

      // A newsletter with readers is hidden, not deleted.
      const refused = await api('DELETE', `/newsletters/${a.id}`);
      assert.equal(refused.status, 409);
      assert.match(refused.json.error.message, /hide it instead/);

      assert.equal((await api('DELETE', `/subscribers/${ann.id}`)).status, 204);
      const k = t.app.db.kysely;
      assert.equal(await k.selectFrom('newsletter_subscribers').selectAll().where('id', '=', ann.id).executeTakeFirst(), undefined);
      assert.equal((await k.selectFrom('newsletter_subscriptions').selectAll().where('subscriber_id', '=', ann.id).execute()).length, 0);
      assert.equal((await k.selectFrom('newsletter_consents').selectAll().where('subscriber_id', '=', ann.id).execute()).length, 0);
      assert.equal((await k.selectFrom('jobs').selectAll().where('unique_key', '=', `newsletter-confirm:${ann.id}`).execute()).length, 0, 'no confirmation email left to send');
      assert.equal((await api('GET', `/subscribers/${ann.id}`)).status, 404);
      assert.equal((await api('DELETE', `/subscribers/${ann.id}`)).status, 404);
      assert.equal((await api('GET', '/subscribers')).json.total, 2, 'the others are untouched');
    });
  });
}
