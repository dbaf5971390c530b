/**
 * Site settings on SQLite and PostgreSQL: defaults, validated partial updates,
 * persistence across restarts, and reloading when another node announces a change.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestClock, assertPostgresReachable, startTestApp, type TestApp } from '../support/apps.js';
import { DEFAULT_SETTINGS, SettingsStore, validTimeZone } from '../../src/newsroom/settings.js';
import { Invalid } from '../../src/shared/errors.js';
import type { App } from '../../src/app.js';

async function invalidPaths(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Invalid, `expected Invalid, got ${String(error)}`);
    return error.fields.map((f) => f.path);
  }
  assert.fail('expected Invalid, but it succeeded');
}

test('time zones are checked against the IANA database', () => {
  assert.equal(validTimeZone('Europe/Lisbon'), true);
  assert.equal(validTimeZone('UTC'), true);
  assert.equal(validTimeZone('Mars/Olympus_Mons'), false);
  assert.equal(validTimeZone(''), false);
});

for (const dialect of DIALECTS) {
  describe(dialect, () => {
    let t: TestApp;
    let app: App;
    const now = '2030-01-01T00:00:00.000Z';

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { clock: new TestClock(new Date(now)), listen: false });
      app = t.app;
    });
    after(async () => {
      await t?.close();
    });

    test('a new site starts with the defaults', () => {
      assert.deepEqual(app.settings.get(), DEFAULT_SETTINGS);
    });

    test('a partial update merges nested groups and is stored for the next start', async () => {
      const revision = app.settings.revision;
      await app.settings.update({ name: 'The Harbour Gazette', social: { x: 'https://x.com/gazette' } }, now);
      await app.settings.update({ social: { bluesky: 'https://bsky.app/profile/gazette' }, timeZone: 'Europe/Lisbon' }, now);
      const current = app.settings.get();
      assert.equal(current.name, 'The Harbour Gazette');
      assert.equal(current.tagline, DEFAULT_SETTINGS.tagline);
      assert.equal(current.social.x, 'https://x.com/gazette', 'the first nested change survives the second');
      assert.equal(current.social.bluesky, 'https://bsky.app/profile/gazette');
      assert.equal(current.timeZone, 'Europe/Lisbon');
      assert.ok(app.settings.revision > revision);

      const fresh = new SettingsStore(app.db.kysely);
      assert.deepEqual(await fresh.load(), current);
    });

    test('invalid values are Invalid with the field path and change nothing', async () => {
      const before = app.settings.get();
      assert.deepEqual(await invalidPaths(app.settings.update({ name: '' }, now)), ['/name']);
      assert.deepEqual(await invalidPaths(app.settings.update({ language: 'English' }, now)), ['/language']);
      assert.deepEqual(await invalidPaths(app.settings.update({ timeZone: 'Mars/Olympus_Mons' }, now)), ['/timeZone']);
      assert.deepEqual(await invalidPaths(app.settings.update({ breakingDefaultHours: 0 }, now)), ['/breakingDefaultHours']);
      assert.deepEqual(await invalidPaths(app.settings.update({ social: { x: 'javascript:alert(1)' } }, now)), ['/social/x']);
      assert.deepEqual(await invalidPaths(app.settings.update({ policies: { ethics: 'javascript:alert(1)' } }, now)), ['/policies/ethics']);
      await assert.rejects(app.settings.update(null, now), Invalid);
      await assert.rejects(app.settings.update('name', now), Invalid);
      assert.deepEqual(app.settings.get(), before);
      assert.deepEqual(await new SettingsStore(app.db.kysely).load(), before);
    });

    test('unknown settings are rejected rather than silently ignored', async () => {
      const before = app.settings.get();
      assert.deepEqual(await invalidPaths(app.settings.update({ tagLine: 'typo in the key' }, now)), ['/tagLine']);
      assert.deepEqual(await invalidPaths(app.settings.update({ social: { myspace: 'https://myspace.com/x' } }, now)), ['/social/myspace']);
      assert.deepEqual(await invalidPaths(app.settings.update({ social: 'https://x.com/gazette' }, now)), ['/social']);
      assert.deepEqual(app.settings.get(), before);
      assert.ok(!('tagLine' in (await new SettingsStore(app.db.kysely).load())));
    });

    test('another node’s change is picked up when the settings tag is announced', async () => {
      const other = new SettingsStore(app.db.kysely);
      await other.load();
      await other.update({ tagline: 'Changed on another node' }, now);
      assert.notEqual(app.settings.get().tagline, 'Changed on another node');
      await app.invalidator.invalidate(['settings']);
      assert.equal(app.settings.get().tagline, 'Changed on another node');
    });
  });
}
