/**
 * Graceful shutdown of the real program: on SIGTERM it stops accepting
 * connections, lets the request in flight finish, closes the database and exits 0.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, dropTestStorage, testEnv } from '../support/apps.js';

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited early with ${code}:\n${out}`)));
  });
}

for (const dialect of DIALECTS) {
  describe(`graceful shutdown on ${dialect}`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-shutdown-'));
    const schema = `t_${randomBytes(6).toString('hex')}`;
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
    });
    after(() => dropTestStorage(dialect, dataDir, schema));

    test('SIGTERM finishes the request in flight, closes the database and exits 0', async () => {
      const env = { ...process.env, ...testEnv(dialect, dataDir, schema, { LOG_LEVEL: 'info' }) };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const address = (await waitForReady(child)).replace('0.0.0.0', '127.0.0.1');
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      // A request whose body is still arriving when the signal comes.
      const url = new URL('/healthz', address);
      const inFlight = new Promise<number>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.write('{"half":');
        req.on('socket', (socket) =>
          socket.on('connect', () =>
            // Give the server time to read the headers (the machine may be busy), then signal.
            setTimeout(() => {
              child.kill('SIGTERM');
              setTimeout(() => req.end('"done"}'), 300);
            }, 500),
          ),
        );
      });
      const status = await inFlight;
      assert.ok(status >= 200 && status < 500, `the in-flight request was answered (${status}), not cut off`);
      assert.equal(await exited, 0, `exit code 0 (stderr: ${stderr})`);
      await assert.rejects(fetch(`${address}/healthz`), 'no longer accepting connections');
      if (dialect === 'sqlite') {
        assert.ok(fs.existsSync(path.join(dataDir, 'broadsheet.db')));
        assert.ok(!fs.existsSync(path.join(dataDir, 'broadsheet.db-wal')), 'the database was closed cleanly (WAL checkpointed)');
      }
    });
  });
}
