/**
 * SQLite checkpoints happen in a worker thread (src/db/checkpointer.ts): writes land in the write-ahead log and
 * reach the database file without any commit of ours paying for the copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('committed pages reach the database file through the checkpoint thread; commits no longer checkpoint', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-checkpoint-'));
  const file = path.join(dir, 'db.sqlite');
  const db = await openDatabase({ kind: 'sqlite', file });
  try {
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
    assert.equal(autocheckpoint.rows[0]?.wal_autocheckpoint, 10_000, 'a commit checkpoints only as a fallback, past 40 MB of log');
    await sql`create table filler (id integer primary key, text text not null)`.execute(db.kysely);
    const before = fs.statSync(file).size;
    // ~3 MB in 30 commits: under the fallback, so only the thread can copy it into the file.
    for (let i = 0; i < 30; i++) {
      await db.kysely.insertInto('filler' as never).values(Array.from({ length: 25 }, (_, j) => ({ id: i * 25 + j, text: 'x'.repeat(4000) })) as never).execute();
    }
    await waitFor('the checkpoint thread to copy the log into the database file', () => fs.statSync(file).size > before + 2_500_000);
    const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(db.kysely);
    assert.equal(Number(rows.rows[0]?.n), 750);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
