/**
 * A CSV of 1,000,000 rows, on SQLite and PostgreSQL, through the path the
 * command line takes (`broadsheet subscribers import` reads files up to
 * 256 MB; the browser upload stops at 20 MB with a 413, tested in
 * import-export.test.ts): every valid row becomes a subscribed reader, and
 * the report names the bad lines by their line numbers in the file, however
 * deep in it they are.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';

const ROWS = 1_000_000;
/** Data lines (1-based, the header is line 1) that hold a bad address or repeat an earlier one. */
const BAD_LINES = new Set([2, 500_001, ROWS + 1]);
const DUPLICATE_LINES = new Set([4, 777_777]);

/** A Windows-style export: UTF-8 BOM, CRLF, a header, two columns. */
function millionRowCsv(): Buffer {
  const lines = ['\uFEFFEmail;Name'];
  for (let line = 2; line <= ROWS + 1; line++) {
    if (BAD_LINES.has(line)) lines.push(`not-an-address-${line};Nobody`);
    else if (DUPLICATE_LINES.has(line)) lines.push(`READER${line - 1}@example.org;Again`);
    else lines.push(`reader${line}@example.org;Reader ${line}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

for (const dialect of DIALECTS) {
  describe(`a 1,000,000-row subscriber import on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect, { listen: false });
    });
    after(async () => t?.close());

    test('every valid row is imported once; bad lines are reported by their line numbers', async () => {
      const newsletter = await t.app.newsletters.newsletters.create({ name: 'The Big List' });
      const data = millionRowCsv();
      assert.ok(data.length > 20 * 1024 * 1024, 'larger than the browser upload limit');
      const created = await t.app.newsletters.imports.create({
        filename: 'everyone.csv',
        data,
        newsletters: [newsletter.slug],
        mapping: {},
        consent: true,
        importer: { userId: null, label: 'command line (test)' },
      });
      let progressCalls = 0;
      const result = await t.app.newsletters.imports.run(created.id, { onProgress: () => void progressCalls++ });
      assert.ok(result);
      assert.equal(result.status, 'done', result.error ?? '');
      assert.equal(result.totalRows, ROWS);
      assert.equal(result.created, ROWS - BAD_LINES.size - DUPLICATE_LINES.size);
      assert.equal(result.invalid, BAD_LINES.size);
      assert.equal(result.duplicates, DUPLICATE_LINES.size);
      assert.deepEqual(result.invalidRows.map((r) => r.line), [...BAD_LINES]);
      assert.ok(progressCalls >= 10, `progress was reported along the way (${progressCalls} times)`);

      const count = await t.app.db.kysely
        .selectFrom('newsletter_subscriptions')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('newsletter_id', '=', newsletter.id)
        .where('status', '=', 'subscribed')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), ROWS - BAD_LINES.size - DUPLICATE_LINES.size);
      const last = await t.app.newsletters.subscribersRepo.byKey(`reader${ROWS}@example.org`);
      assert.equal(last?.name, `Reader ${ROWS}`);
      const firstOfDuplicate = await t.app.newsletters.subscribersRepo.byKey('reader777776@example.org');
      assert.equal(firstOfDuplicate?.name, 'Reader 777776', 'the first row of a repeated address wins');
    });
  });
}
