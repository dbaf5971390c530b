/**
 * Subscriber CSV import and export, on SQLite and PostgreSQL over a real
 * listening server: an uploaded file with a BOM, CRLF, quotes, a line break
 * inside a cell, a bad address, duplicates and an unsubscribed reader gives
 * exact counts and line numbers; an import resumes after a crash (a second
 * app on the same database) without importing anyone twice; no import
 * without the importer's consent assertion; the export round-trips and
 * neutralises formula cells; contributors are refused; the command line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { assertPostgresReachable, DIALECTS, startTestApp, type TestApp } from '../support/apps.js';
import { call, createStaff, signIn, type Signed } from '../accounts/support.js';
import { nextIp } from './support.js';
import { IMPORT_JOB, importJobKey } from '../../src/newsletter/import.service.js';
import { importCommand } from '../../src/newsletter/import-cli.js';
import { exportCommand } from '../../src/newsletter/export-cli.js';

const CRLF = '\r\n';

/** The main test file, line by line (the numbers are what an editor sees). */
const MAIN_CSV = [
  'Email,Name,Notes', // 1 header
  'ann@example.org,"Lee, Ann",first', // 2 created (a comma inside quotes)
  '"bob@example.org","Bob ""the pen"" Stone",', // 3 created (doubled quotes)
  'not-an-address,Nobody,', // 4 invalid
  'ANN@Example.org,Ann again,second', // 5 duplicate of line 2 in another case
  'Carol@EXAMPLE.org,Carol Jones,', // 6 updated: carol@example.org reads another newsletter
  'dave@example.org,Dave,', // 7 skipped: unsubscribed from Top Stories
  '"erin@example.org","Erin', // 8 created, the name goes on to line 9
  'Evans",two lines', // 9
  ',,', // 10 blank: ignored
  'fay@example.org,Fay,', // 11 unchanged: already subscribed
  'frank@example,Frank,', // 12 invalid: no top-level domain
  `'=gina@example.org,=HYPERLINK("http://evil.test"),`, // 13 created: the export's neutraliser is dropped
].join(CRLF);

for (const dialect of DIALECTS) {
  describe(`subscriber import and export on ${dialect}`, () => {
    let t: TestApp;
    let editor: Signed;
    let top: { id: number; slug: string };
    let breaking: { id: number; slug: string };

    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
      t = await startTestApp(dialect);
      const staff = await createStaff(t, 'editor');
      editor = await signIn(t, staff.email, staff.password);
      top = (await api('POST', '/newsletters', { name: 'Top Stories' })).json;
      breaking = (await api('POST', '/newsletters', { name: 'Breaking News' })).json;
    });
    after(async () => {
      await t?.close();
    });

    const api = (method: string, p: string, body?: unknown, who: Signed = editor) => call(t, method, `/api/admin${p}`, { body, cookie: who.cookie, csrf: who.csrf });

    async function upload(fields: [string, string][], file: Buffer | string | undefined, filename = 'readers.csv', who: Signed | null = editor) {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      if (file !== undefined) form.append('file', new Blob([new Uint8Array(typeof file === 'string' ? Buffer.from(file) : file)]), filename);
      const headers: Record<string, string> = who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {};
      const response = await fetch(`${t.url}/api/admin/subscribers/imports`, { method: 'POST', headers, body: form });
      const text = await response.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text, location: response.headers.get('location') };
    }

    /** A reader who signed up (and confirmed) through the reader pages' service. */
    async function reader(email: string, name: string, slugs: string[], options: { unsubscribeFrom?: number } = {}) {
      const service = t.app.newsletters.subscribers;
      await service.signup({ email, name, newsletters: slugs, source: 'page:/newsletters', ip: nextIp(), honeypot: '' });
      const row = (await t.app.newsletters.subscribersRepo.byKey(email.toLowerCase()))!;
      await service.confirm(row, t.clock.now().getTime(), '192.0.2.1');
      if (options.unsubscribeFrom) await service.unsubscribe(row, options.unsubscribeFrom, 'one-click', '192.0.2.1');
      return row;
    }

    const readerByKey = (key: string) => t.app.newsletters.subscribersRepo.byKey(key);
    const subscriptionsOf = async (key: string) => {
      const r = await readerByKey(key);
      return r ? (await t.app.newsletters.subscribersRepo.subscriptions(r.id)).map((s) => ({ newsletter: s.newsletter_id, status: s.status, source: s.source })) : [];
    };
    const count = async (table: 'newsletter_subscribers' | 'newsletter_subscriptions' | 'newsletter_consents') =>
      Number((await t.app.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

    test('an upload with a BOM, CRLF, quotes, a bad address, duplicates and an unsubscribed reader: exact counts and line numbers', async () => {
      await reader('carol@example.org', '', [breaking.slug]);
      await reader('dave@example.org', 'Dave', [top.slug], { unsubscribeFrom: top.id });
      await reader('fay@example.org', 'Fay', [top.slug]);
      const readersBefore = await count('newsletter_subscribers');

      const res = await upload([['newsletters', top.slug], ['consent', 'yes']], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MAIN_CSV)]));
      assert.equal(res.status, 202, res.text);
      assert.equal(res.location, `/api/admin/subscribers/imports/${res.json.id}`);
      assert.equal(res.json.status, 'queued');
      assert.deepEqual(res.json.emailColumn, { number: 1, header: 'Email' });
      assert.deepEqual(res.json.nameColumns, [{ number: 2, header: 'Name' }]);
      assert.equal(res.json.encoding, 'utf-8');

      await t.app.runner.drain();
      const done = await api('GET', `/subscribers/imports/${res.json.id}`);
      assert.equal(done.status, 200, done.text);
      const r = done.json;
      assert.equal(r.status, 'done', r.error);
      assert.deepEqual(
        { total: r.totalRows, processed: r.processedRows, created: r.created, updated: r.updated, unchanged: r.unchanged, duplicates: r.duplicates, skipped: r.skipped, invalid: r.invalid },
        { total: 10, processed: 10, created: 4, updated: 1, unchanged: 1, duplicates: 1, skipped: 1, invalid: 2 },
      );
      assert.deepEqual(r.invalidRows, [
        { line: 4, reason: '"not-an-address" is not an email address we can send to' },
        { line: 12, reason: '"frank@example" is not an email address we can send to' },
      ]);
      assert.deepEqual(r.skippedRows, [{ line: 7, reason: 'unsubscribed from Top Stories before: not subscribed again' }]);
      assert.ok(r.finishedAt);

      // What the readers now look like.
      assert.equal(await count('newsletter_subscribers'), readersBefore + 4, 'one reader per address: no duplicate for ANN@Example.org');
      assert.equal((await readerByKey('ann@example.org'))!.name, 'Lee, Ann', 'the first row of an address wins');
      assert.equal((await readerByKey('bob@example.org'))!.name, 'Bob "the pen" Stone');
      assert.equal((await readerByKey('erin@example.org'))!.name, 'Erin Evans', 'a line break inside a name becomes a space');
      assert.equal((await readerByKey('=gina@example.org'))!.name, '=HYPERLINK("http://evil.test")');
      assert.deepEqual(await subscriptionsOf('ann@example.org'), [{ newsletter: top.id, status: 'subscribed', source: 'import' }]);
      assert.equal((await readerByKey('carol@example.org'))!.name, 'Carol Jones', 'a known reader without a name gets the one in the file');
      assert.deepEqual(
        (await subscriptionsOf('carol@example.org')).sort((a, b) => a.newsletter - b.newsletter),
        [
          { newsletter: top.id, status: 'subscribed', source: 'import' },
          { newsletter: breaking.id, status: 'subscribed', source: 'page:/newsletters' },
        ].sort((a, b) => a.newsletter - b.newsletter),
      );
      assert.deepEqual(await subscriptionsOf('dave@example.org'), [{ newsletter: top.id, status: 'unsubscribed', source: 'page:/newsletters' }], 'an unsubscribed reader is not resubscribed');
      assert.equal((await readerByKey('fay@example.org'))!.name, 'Fay');

      // Consent records name the import, the file and the importer.
      const ann = await api('GET', `/subscribers/${(await readerByKey('ann@example.org'))!.id}`);
      assert.equal(ann.json.consents.length, 1);
      assert.equal(ann.json.consents[0].action, 'confirmed');
      assert.equal(ann.json.consents[0].newsletterName, 'Top Stories');
      assert.equal(ann.json.consents[0].source, `import:readers.csv by Editor Person <${editor.user.email}> (import ${r.id})`);
      const dave = await api('GET', `/subscribers/${(await readerByKey('dave@example.org'))!.id}`);
      assert.ok(!dave.json.consents.some((c: { source: string }) => c.source.startsWith('import')), 'nothing was recorded for the skipped reader');

      // The uploaded file is not kept once the import is over.
      const stored = await t.app.db.kysely.selectFrom('newsletter_import_files').select('content').where('import_id', '=', r.id).executeTakeFirst();
      assert.equal(stored, undefined);
      const list = await api('GET', '/subscribers/imports');
      assert.equal(list.json.items[0].id, r.id);
    });

    test('an import resumes after a crash without importing anyone twice', async () => {
      const rows = ['email,name'];
      for (let i = 1; i <= 25; i++) rows.push(`resume${i}@example.org,Reader ${i}`);
      rows.splice(12, 0, 'broken-address,Nobody'); // line 13
      rows.splice(21, 0, 'RESUME3@example.org,Again'); // line 22: a duplicate of a row imported before the crash
      const created = await t.app.newsletters.imports.create({
        filename: 'resume.csv',
        data: Buffer.from(rows.join('\n') + '\n'),
        newsletters: [breaking.slug],
        mapping: {},
        consent: true,
        importer: { userId: editor.user.id, label: 'test' },
      });
      const before = { readers: await count('newsletter_subscribers'), subscriptions: await count('newsletter_subscriptions'), consents: await count('newsletter_consents') };

      // A worker takes the job, imports one batch of 10 rows and dies (its lease is left behind).
      const claimed = await t.app.jobs.claim('worker-that-dies', [IMPORT_JOB], 60_000);
      assert.equal(claimed?.unique_key, importJobKey(created.id));
      await t.app.newsletters.imports.run(created.id, { batchSize: 10, maxBatches: 1 });
      const midway = (await api('GET', `/subscribers/imports/${created.id}`)).json;
      assert.equal(midway.status, 'running');
      assert.equal(midway.totalRows, 27);
      assert.equal(midway.processedRows, 10);
      assert.equal(midway.created, 10);
      assert.equal(await count('newsletter_subscribers'), before.readers + 10);

      // Another process on the same database picks the job up once the lease runs out, and finishes.
      const schema = t.config.database.kind === 'postgres' ? t.config.database.schema : undefined;
      const other = await startTestApp(dialect, { clock: t.clock, listen: false, reuse: { dataDir: t.config.dataDir, schema } });
      try {
        t.clock.advance(61_000);
        assert.ok((await other.app.runner.drain()) >= 1);
        const r = await other.app.newsletters.imports.get(created.id);
        assert.equal(r.status, 'done');
        assert.deepEqual(
          { processed: r.processedRows, created: r.created, duplicates: r.duplicates, invalid: r.invalid, skipped: r.skipped, updated: r.updated, unchanged: r.unchanged },
          { processed: 27, created: 25, duplicates: 1, invalid: 1, skipped: 0, updated: 0, unchanged: 0 },
        );
        assert.deepEqual(r.invalidRows, [{ line: 13, reason: '"broken-address" is not an email address we can send to' }]);
      } finally {
        await other.close();
      }
      assert.equal(await count('newsletter_subscribers'), before.readers + 25, 'every reader once');
      assert.equal(await count('newsletter_subscriptions'), before.subscriptions + 25);
      assert.equal(await count('newsletter_consents'), before.consents + 25, 'one consent record each');
      // Running it again (a duplicate delivery of the job) changes nothing.
      await t.app.newsletters.imports.run(created.id);
      assert.equal(await count('newsletter_consents'), before.consents + 25);
    });

    test('a file that stops being CSV past its first rows fails whole, naming the line, and imports nobody', async () => {
      const rows = ['email'];
      for (let i = 1; i <= 60; i++) rows.push(`broken${i}@example.org`);
      rows.push('"never-closed@example.org', 'last@example.org');
      const res = await upload([['newsletters', top.slug], ['consent', 'yes']], rows.join('\n'));
      assert.equal(res.status, 202, res.text);
      await t.app.runner.drain();
      const r = (await api('GET', `/subscribers/imports/${res.json.id}`)).json;
      assert.equal(r.status, 'failed');
      assert.match(r.error, /line 62: a quoted cell that starts here is never closed/);
      assert.equal(r.created, 0);
      assert.equal(await readerByKey('broken1@example.org'), undefined);
    });

    test('a spreadsheet\'s "Unicode text": UTF-16 with a BOM, tab-separated, first and last name joined', async () => {
      const text = ['First name\tLast name\tE-mail address', 'Jürgen\tWeiß\tjurgen@example.org', 'Ιωάννα\tΠαππά\tioanna@example.org', ''].join('\r\n');
      const res = await upload([['newsletters', breaking.slug], ['consent', 'yes']], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'unicode.txt');
      assert.equal(res.status, 202, res.text);
      assert.equal(res.json.encoding, 'utf-16le');
      assert.equal(res.json.delimiter, '\t');
      assert.deepEqual(res.json.emailColumn, { number: 3, header: 'E-mail address' });
      assert.deepEqual(res.json.nameColumns, [{ number: 1, header: 'First name' }, { number: 2, header: 'Last name' }]);
      await t.app.runner.drain();
      const r = (await api('GET', `/subscribers/imports/${res.json.id}`)).json;
      assert.deepEqual({ status: r.status, created: r.created, invalid: r.invalid }, { status: 'done', created: 2, invalid: 0 });
      assert.equal((await readerByKey('jurgen@example.org'))!.name, 'Jürgen Weiß');
      assert.equal((await readerByKey('ioanna@example.org'))!.name, 'Ιωάννα Παππά');
    });

    test('no import without the consent assertion; other bad requests are clear 400s', async () => {
      const before = (await api('GET', '/subscribers/imports')).json.items.length;
      for (const fields of [[['newsletters', top.slug]], [['newsletters', top.slug], ['consent', 'no']]] as [string, string][][]) {
        const res = await upload(fields, 'email\nzed@example.org\n');
        assert.equal(res.status, 400, res.text);
        assert.equal(res.json.error.fields[0].path, '/consent');
        assert.match(res.json.error.message, /agreed to receive/);
      }
      const cases: [[string, string][], Buffer | string | undefined, string][] = [
        [[['consent', 'yes']], 'email\nzed@example.org\n', '/newsletters'],
        [[['newsletters', 'no-such-letter'], ['consent', 'yes']], 'email\nzed@example.org\n', '/newsletters'],
        [[['newsletters', top.slug], ['consent', 'yes']], undefined, '/file'],
        [[['newsletters', top.slug], ['consent', 'yes']], '', '/file'],
        [[['newsletters', top.slug], ['consent', 'yes']], Buffer.from('PK\x03\x04 a workbook', 'latin1'), '/file'],
        [[['newsletters', top.slug], ['consent', 'yes'], ['emailColumn', 'Mail address']], 'email,name\nzed@example.org,Zed\n', '/emailColumn'],
        [[['newsletters', top.slug], ['consent', 'yes'], ['emailColumn', '7']], 'email,name\nzed@example.org,Zed\n', '/emailColumn'],
        [[['newsletters', top.slug], ['consent', 'yes']], 'name,city\nZed,Paris\n', '/emailColumn'],
        [[['newsletters', top.slug], ['consent', 'yes'], ['delimiter', 'x']], 'email\nzed@example.org\n', '/delimiter'],
        [[['newsletters', top.slug], ['consent', 'yes'], ['surprise', '1']], 'email\nzed@example.org\n', '/surprise'],
      ];
      for (const [fields, file, field] of cases) {
        const res = await upload(fields, file);
        assert.equal(res.status, 400, `${JSON.stringify(fields)}: ${res.text}`);
        assert.equal(res.json.error.fields[0].path, field, res.text);
      }
      const huge = await upload([['newsletters', top.slug], ['consent', 'yes']], 'email\n' + 'someone@example.org\n'.repeat(1_100_000));
      assert.equal(huge.status, 413, huge.text.slice(0, 500));
      assert.match(huge.json.error.message, /larger than the 20 MB import limit/);
      assert.equal((await api('GET', '/subscribers/imports')).json.items.length, before, 'nothing was stored');
      assert.equal(await readerByKey('zed@example.org'), undefined);
      assert.equal((await api('GET', '/subscribers/imports/999999')).status, 404);
    });

    test('export: streamed CSV that neutralises formula cells and imports back as it was', async () => {
      const res = await fetch(`${t.url}/api/admin/subscribers/export.csv?newsletter=${top.slug}&status=subscribed`, { headers: { cookie: editor.cookie } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="subscribers-top-stories-subscribed-${t.clock.now().toISOString().slice(0, 10)}.csv"`);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark for spreadsheet programs');
      const text = bytes.subarray(3).toString('utf8');
      assert.ok(text.includes('\r\n'));
      const rows = parse(text, { relax_column_count: false }) as string[][];
      assert.deepEqual(rows[0], ['email', 'name', 'status', 'subscribed at', 'source']);
      const byEmail = new Map(rows.slice(1).map((r) => [r[0], r]));
      assert.deepEqual([...byEmail.keys()].sort(), ['ann@example.org', 'bob@example.org', 'carol@example.org', 'erin@example.org', 'fay@example.org', `'=gina@example.org`].sort());
      assert.equal(byEmail.get(`'=gina@example.org`)![1], `'=HYPERLINK("http://evil.test")`, 'formula cells start with an apostrophe');
      assert.equal(byEmail.get('ann@example.org')![1], 'Lee, Ann');
      assert.equal(byEmail.get('ann@example.org')![2], 'subscribed');
      assert.equal(byEmail.get('ann@example.org')![4], 'import');
      assert.equal(byEmail.get('fay@example.org')![4], 'page:/newsletters');
      assert.ok(!rows.some((r) => r.some((cell) => /^[=+\-@\t\r]/.test(cell))), 'no cell starts a formula');

      // Round trip: the file imports into another newsletter as the same readers.
      const weekly = (await api('POST', '/newsletters', { name: 'The Weekly' })).json;
      const again = await upload([['newsletters', weekly.slug], ['consent', 'yes']], bytes, 'export.csv');
      assert.equal(again.status, 202, again.text);
      await t.app.runner.drain();
      const r = (await api('GET', `/subscribers/imports/${again.json.id}`)).json;
      assert.deepEqual({ created: r.created, updated: r.updated, invalid: r.invalid, duplicates: r.duplicates, skipped: r.skipped }, { created: 0, updated: 6, invalid: 0, duplicates: 0, skipped: 0 });
      const inWeekly = await api('GET', `/subscribers?newsletterId=${weekly.id}&status=subscribed`);
      assert.deepEqual(inWeekly.json.items.map((i: { email: string }) => i.email).sort(), ['ann@example.org', 'bob@example.org', 'carol@example.org', 'erin@example.org', 'fay@example.org', '=gina@example.org'].sort());

      // Every newsletter: a status, date and source column each.
      const all = await fetch(`${t.url}/api/admin/subscribers/export.csv`, { headers: { cookie: editor.cookie } });
      const header = (parse((await all.text()).replace(/^\uFEFF/, ''), { to: 1 }) as string[][])[0];
      // In the newsroom's order (position, then name).
      assert.deepEqual(header, ['email', 'name', ...['breaking-news', 'the-weekly', 'top-stories'].flatMap((slug) => [`status (${slug})`, `subscribed at (${slug})`, `source (${slug})`])]);

      assert.equal((await api('GET', '/subscribers/export.csv?newsletter=nope')).status, 404);
      assert.equal((await api('GET', '/subscribers/export.csv?status=happy')).status, 400);
    });

    test('permission: contributors and authors are refused, signed-out requests too', async () => {
      for (const role of ['contributor', 'author'] as const) {
        const staff = await createStaff(t, role);
        const who = await signIn(t, staff.email, staff.password);
        const res = await upload([['newsletters', top.slug], ['consent', 'yes']], 'email\nsneaky@example.org\n', 'x.csv', who);
        assert.equal(res.status, 403, res.text);
        assert.equal((await api('GET', '/subscribers/export.csv', undefined, who)).status, 403);
        assert.equal((await api('GET', '/subscribers/imports', undefined, who)).status, 403);
        assert.equal((await api('GET', '/subscribers/imports/1', undefined, who)).status, 403);
      }
      assert.equal((await upload([['newsletters', top.slug], ['consent', 'yes']], 'email\nsneaky@example.org\n', 'x.csv', null)).status, 401);
      assert.equal((await call(t, 'GET', '/api/admin/subscribers/export.csv')).status, 401);
      assert.equal(await readerByKey('sneaky@example.org'), undefined);
    });

    test('command line: import with a summary of invalid lines, export to standard output', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cli-'));
      try {
        // Semicolons, no header row, Windows-1252 (as older spreadsheet programs save), columns chosen by number,
        // an address as mail programs export it.
        const file = path.join(dir, 'list.csv');
        fs.writeFileSync(file, Buffer.from(['Zoë Müller;zoe@example.org', 'Nobody;nobody at example.org', 'Åsa Öberg;asa@example.org', 'Hal;Hal Ober <hal@example.org>', ''].join('\r\n'), 'latin1'));
        const io = { out: new Collect(), err: new Collect() };
        const deps = { imports: t.app.newsletters.imports, jobs: t.app.jobs, clock: t.app.clock };

        assert.equal(await importCommand(deps, file, { newsletter: [breaking.slug] }, io), 2, 'refused without --consent');
        assert.match(io.err.text, /--consent is required/);

        const code = await importCommand(deps, file, { newsletter: [breaking.slug], emailColumn: '2', nameColumn: '1', header: false, consent: true }, io);
        assert.equal(code, 0, io.err.text);
        assert.match(io.err.text, /Importing list\.csv \(windows-1252, email from column 2, name from 1\) into Breaking News/);
        assert.match(io.out.text, /list\.csv: 4 of 4 rows/);
        assert.match(io.out.text, /created 3, updated 0, already subscribed 0, duplicates in the file 0, skipped 0, invalid 1/);
        assert.match(io.out.text, /Invalid rows:\n {2}line 2: "nobody at example\.org" is not an email address we can send to/);
        assert.equal((await readerByKey('zoe@example.org'))!.name, 'Zoë Müller');
        assert.deepEqual(await subscriptionsOf('asa@example.org'), [{ newsletter: breaking.id, status: 'subscribed', source: 'import' }]);
        assert.equal((await readerByKey('hal@example.org'))!.name, 'Hal');
        const imports = await t.app.newsletters.imports.recent(1);
        const job = await t.app.db.kysely.selectFrom('jobs').selectAll().where('unique_key', '=', importJobKey(imports[0]!.id)).executeTakeFirst();
        assert.equal(job, undefined, 'the safety-net job is cancelled once the command has finished');

        const out = new Collect();
        assert.equal(await exportCommand(t.app.newsletters.exporter, { newsletter: breaking.slug }, { out, err: io.err }, t.clock.now()), 0);
        const rows = parse(out.text.replace(/^\uFEFF/, '')) as string[][];
        assert.deepEqual(rows[0], ['email', 'name', 'status', 'subscribed at', 'source']);
        assert.ok(rows.some((r) => r[0] === 'zoe@example.org' && r[1] === 'Zoë Müller' && r[2] === 'subscribed'));
        assert.equal(await exportCommand(t.app.newsletters.exporter, { newsletter: 'nope' }, { out, err: io.err }, t.clock.now()), 2);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** A writable stream that keeps what is written to it. */
class Collect extends PassThrough {
  text = '';
  constructor() {
    super();
    this.on('data', (chunk: Buffer) => (this.text += chunk.toString('utf8')));
  }
}
