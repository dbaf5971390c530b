/**
 * Sign-in limits over real HTTP on SQLite and PostgreSQL: five wrong passwords
 * lock an account for 15 minutes with a clear message; one address trying many
 * accounts is stopped; unknown addresses get exactly the same answers as wrong
 * passwords; the counters live in the database, so two nodes share them.
 * TRUST_PROXY lets each test speak from its own client address (X-Forwarded-For).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { accountKey } from '../../src/accounts/rate-limit.js';
import { call, createStaff, type CallResult } from './support.js';

const MINUTE = 60_000;
let addressCounter = 0;
const newAddress = () => `203.0.113.${++addressCounter}`;

function signInFrom(t: TestApp, address: string, email: string, password: string): Promise<CallResult> {
  return call(t, 'POST', '/api/admin/session', { body: { email, password }, headers: { 'x-forwarded-for': address } });
}

for (const dialect of DIALECTS) {
  describe(`sign-in limits on ${dialect}`, () => {
    let t: TestApp;
    let second: TestApp;

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { env: { TRUST_PROXY: 'true' } });
      const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
      second = await startTestApp(dialect, { env: { TRUST_PROXY: 'true' }, clock: t.clock, reuse: { dataDir: t.config.dataDir, schema } });
    });
    after(async () => {
      await second?.close();
      await t?.close();
    });

    test('five wrong passwords lock the account for 15 minutes, with a clear message, even for the right password', async () => {
      const user = await createStaff(t, 'editor');
      const from = newAddress();
      for (let i = 1; i <= 4; i++) {
        const res = await signInFrom(t, from, user.email, `wrong password ${i}`);
        assert.equal(res.status, 401, `attempt ${i}`);
        assert.equal(res.json.error.message, 'Wrong email or password');
      }
      const fifth = await signInFrom(t, from, user.email, 'wrong password 5');
      assert.equal(fifth.status, 429);
      assert.equal(fifth.json.error.code, 'too_many_attempts');
      assert.equal(fifth.json.error.message, 'Too many attempts; try again in 15 minutes');
      assert.equal(fifth.headers.get('retry-after'), '900');

      // Locked: the right password from another address does not get in either.
      const right = await signInFrom(t, newAddress(), user.email, user.password);
      assert.equal(right.status, 429);
      assert.equal(right.setCookie, undefined);
      t.clock.advance(5 * MINUTE);
      const later = await signInFrom(t, from, user.email, user.password);
      assert.equal(later.status, 429);
      assert.equal(later.json.error.message, 'Too many attempts; try again in 10 minutes');
      t.clock.advance(10 * MINUTE + 1000);
      const open = await signInFrom(t, from, user.email, user.password);
      assert.equal(open.status, 200, 'the lock ends after 15 minutes');
    });

    test('a successful sign-in clears the count; failures spread over more than the window do not lock', async () => {
      const user = await createStaff(t, 'author');
      const from = newAddress();
      for (let i = 0; i < 4; i++) assert.equal((await signInFrom(t, from, user.email, 'nope nope nope')).status, 401);
      assert.equal((await signInFrom(t, from, user.email, user.password)).status, 200);
      for (let i = 0; i < 4; i++) assert.equal((await signInFrom(t, from, user.email, 'nope nope nope')).status, 401, 'counting starts over');
      t.clock.advance(16 * MINUTE);
      assert.equal((await signInFrom(t, from, user.email, 'nope nope nope')).status, 401, 'a new window: 1 failure, not 5');
    });

    test('an unknown email gets exactly the answers a wrong password gets, lock-out included', async () => {
      const user = await createStaff(t, 'contributor');
      const known: CallResult[] = [];
      const unknown: CallResult[] = [];
      for (let i = 0; i < 6; i++) {
        known.push(await signInFrom(t, newAddress(), user.email, 'wrong password'));
        unknown.push(await signInFrom(t, newAddress(), 'nobody-here@news.test', 'wrong password'));
      }
      const shape = (r: CallResult) => [r.status, r.json.error.code, r.json.error.message, r.headers.get('retry-after')];
      assert.deepEqual(known.map(shape), unknown.map(shape));
      assert.deepEqual(
        known.map((r) => r.status),
        [401, 401, 401, 401, 429, 429],
      );
      t.clock.advance(15 * MINUTE + 1000);
    });

    test('one address failing against many accounts is stopped after 20 failures; other addresses are not', async () => {
      const user = await createStaff(t, 'editor');
      const from = newAddress();
      for (let i = 1; i <= 19; i++) {
        const res = await signInFrom(t, from, `sprayed-${i}@news.test`, 'Summer2026!');
        assert.equal(res.status, 401, `failure ${i}`);
      }
      const twentieth = await signInFrom(t, from, 'sprayed-20@news.test', 'Summer2026!');
      assert.equal(twentieth.status, 429);
      assert.equal(twentieth.json.error.message, 'Too many attempts; try again in 15 minutes');
      const blocked = await signInFrom(t, from, user.email, user.password);
      assert.equal(blocked.status, 429, 'that address can no longer sign in to any account');
      assert.equal((await signInFrom(t, newAddress(), user.email, user.password)).status, 200, 'the account itself is not locked');
      // IPv6: the whole /64 counts as one address.
      const v6 = (n: number) => `2001:db8:1:2::${n.toString(16)}`;
      for (let i = 1; i <= 20; i++) await signInFrom(t, v6(i), `v6-${i}@news.test`, 'Summer2026!');
      assert.equal((await signInFrom(t, v6(99), user.email, user.password)).status, 429);
      assert.equal((await signInFrom(t, '2001:db8:1:3::1', user.email, user.password)).status, 200, 'another /64 is another address');
      t.clock.advance(15 * MINUTE + 1000);
    });

    test('the counters live in the database: failures on two nodes add up', async () => {
      const user = await createStaff(t, 'admin');
      const from = newAddress();
      for (let i = 0; i < 3; i++) assert.equal((await signInFrom(t, from, user.email, 'bad guess')).status, 401);
      assert.equal((await signInFrom(second, from, user.email, 'bad guess')).status, 401);
      const fifth = await signInFrom(second, from, user.email, 'bad guess');
      assert.equal(fifth.status, 429, 'the fifth failure overall locks, whichever node saw the others');
      assert.equal((await signInFrom(t, newAddress(), user.email, user.password)).status, 429, 'locked on the first node too');
      const rows = await t.app.db.kysely.selectFrom('login_attempts').select('key').execute();
      assert.ok(rows.every((r) => !r.key.includes('@')), 'email addresses are not stored in the counters');
    });

    test('concurrent failures are all counted (atomic increments, across nodes)', async () => {
      const user = await createStaff(t, 'author');
      const from = newAddress();
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => signInFrom(i % 2 ? t : second, from, user.email, `parallel ${i}`)));
      assert.ok(results.every((r) => r.status === 401 || r.status === 429), results.map((r) => r.status).join());
      const row = await t.app.db.kysely.selectFrom('login_attempts').selectAll().where('key', '=', accountKey(user.email).key).executeTakeFirstOrThrow();
      assert.equal(row.failures, 5, 'no failure was lost');
      assert.ok(row.locked_until);
      assert.equal((await signInFrom(t, newAddress(), user.email, user.password)).status, 429);
    });
  });
}
