/**
 * First run, on SQLite and PostgreSQL: no account and no default password
 * exist; the real program (`broadsheet start`) prints a one-time setup link
 * once, which creates the owner; `broadsheet user create` works from the shell
 * with a password from stdin or a generated one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertPostgresReachable, DIALECTS, dropTestStorage, startTestApp, testEnv, type TestApp } from '../support/apps.js';
import { call, signIn, tokenOf } from './support.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI to completion. */
function runCli(env: Record<string, string>, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Starts `broadsheet start`, returns its address and everything it logged up to "ready", then stops it. */
async function startProgram(env: Record<string, string>, whileRunning: (address: string, log: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}\n${err}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"address":"(http:\/\/[^"]+)"/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'));
        }
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}:\n${out}\n${err}`)));
    });
    await whileRunning(address, out);
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `clean exit (stderr: ${err})`);
  }
  return out;
}

const setupLines = (log: string) => log.split('\n').filter((line) => line.includes('"setupUrl"'));

for (const dialect of DIALECTS) {
  describe(`first run on ${dialect}`, () => {
    before(async () => {
      if (dialect === 'postgres') await assertPostgresReachable();
    });

    describe('in process', () => {
      let t: TestApp;
      before(async () => {
        t = await startTestApp(dialect);
      });
      after(() => t?.close());

      test('a new installation has no account at all, so no default password can work', async () => {
        assert.equal(await t.app.accounts.users.countUsers(), 0);
        assert.deepEqual((await call(t, 'GET', '/api/admin/setup')).json, { required: true });
        for (const [email, password] of [['admin', 'admin'], ['admin@news.test', 'password'], ['owner@localhost', 'broadsheet'], ['root', '']]) {
          const res = await call(t, 'POST', '/api/admin/session', { body: { email, password } });
          assert.ok(res.status === 401 || res.status === 400, `${email}/${password}: ${res.status}`);
        }
        assert.equal((await call(t, 'GET', '/api/admin/users')).status, 401);
      });

      test('the setup link creates the owner once; after that there is no setup', async () => {
        const link = (await t.app.accounts.service.setupLink())!;
        assert.match(link, /^http:\/\/news\.test\/admin\/setup#token=[A-Za-z0-9_-]{43}$/);
        const bad = await call(t, 'POST', '/api/admin/setup', { body: { token: 'x'.repeat(43), email: 'olive@news.test', name: 'Olive', password: 'the owners passphrase' } });
        assert.equal(bad.status, 400, 'a made-up token does nothing');
        const weak = await call(t, 'POST', '/api/admin/setup', { body: { token: tokenOf(link), email: 'olive@news.test', name: 'Olive', password: 'password' } });
        assert.equal(weak.status, 400);
        const res = await call(t, 'POST', '/api/admin/setup', { body: { token: tokenOf(link), email: 'Olive@News.test', name: 'Olive Owner', password: 'the owners passphrase' } });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.json.user.role, 'owner');
        assert.equal(res.json.user.email, 'olive@news.test');
        assert.ok(res.setCookie, 'the new owner is signed in');
        assert.equal((await call(t, 'GET', '/api/admin/users', { cookie: res.setCookie })).status, 200);

        const again = await call(t, 'POST', '/api/admin/setup', { body: { token: tokenOf(link), email: 'mallory@news.test', name: 'M', password: 'a passphrase of mine' } });
        assert.ok(again.status === 400 || again.status === 409, `the link is spent (${again.status})`);
        assert.deepEqual((await call(t, 'GET', '/api/admin/setup')).json, { required: false });
        assert.equal(await t.app.accounts.service.setupLink(), undefined, 'no new link once an account exists');
      });
    });

    test('two setups racing with two links make exactly one owner', async () => {
      const t = await startTestApp(dialect);
      try {
        const [a, b] = [tokenOf((await t.app.accounts.service.setupLink())!), tokenOf((await t.app.accounts.service.setupLink())!)];
        const results = await Promise.all([
          call(t, 'POST', '/api/admin/setup', { body: { token: a, email: 'first@news.test', name: 'First', password: 'first owners passphrase' } }),
          call(t, 'POST', '/api/admin/setup', { body: { token: b, email: 'second@news.test', name: 'Second', password: 'second owners passphrase' } }),
        ]);
        const statuses = results.map((r) => r.status).sort();
        // The loser finds an owner (409) or its link retired by the winner's setup (400): never a second owner, never a 500.
        assert.equal(statuses[0], 201, results.map((r) => r.text).join('\n'));
        assert.ok(statuses[1] === 400 || statuses[1] === 409, results.map((r) => r.text).join('\n'));
        assert.equal(await t.app.accounts.users.countUsers(), 1);
      } finally {
        await t.close();
      }
    });

    describe('the real program', () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-setup-'));
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const env = testEnv(dialect, dataDir, schema, { LOG_LEVEL: 'info' });
      after(() => dropTestStorage(dialect, dataDir, schema));

      test('`broadsheet start` with no account prints the setup link once; the link creates the owner', async () => {
        const log = await startProgram(env, async (address, out) => {
          const lines = setupLines(out);
          assert.equal(lines.length, 1, `one setup line:\n${out}`);
          const entry = JSON.parse(lines[0]!) as { setupUrl: string; level: number; msg: string };
          assert.match(entry.msg, /no staff account yet/);
          assert.match(entry.setupUrl, /^http:\/\/news\.test\/admin\/setup#token=/);
          // Requests do not print more links.
          assert.equal((await call(address, 'GET', '/api/admin/setup')).json.required, true);
          const res = await call(address, 'POST', '/api/admin/setup', {
            body: { token: tokenOf(entry.setupUrl), email: 'olive@news.test', name: 'Olive Owner', password: 'the owners passphrase' },
          });
          assert.equal(res.status, 201, res.text);
          await signIn(address, 'olive@news.test', 'the owners passphrase');
        });
        assert.equal(setupLines(log).length, 1, 'printed once');
        const again = await startProgram(env, async () => undefined);
        assert.equal(setupLines(again).length, 0, 'an installation with an owner prints no link');
      });

      test('`broadsheet user create` reads the password from stdin, or generates and prints one', async () => {
        const created = await runCli(env, ['user', 'create', '--role', 'editor', '--email', 'Ed@News.test', '--name', 'Ed Itor', '--password-stdin'], 'editors own passphrase\n');
        assert.equal(created.code, 0, created.stderr);
        assert.match(created.stdout, /Created editor Ed Itor <ed@news\.test>/);
        assert.doesNotMatch(created.stdout + created.stderr, /editors own passphrase/, 'the password is not echoed');

        const generated = await runCli(env, ['user', 'create', '--role', 'author', '--email', 'au@news.test', '--name', 'Au Thor', '--generate-password']);
        assert.equal(generated.code, 0, generated.stderr);
        const password = /Password \(shown once, store it now\): (\S+)/.exec(generated.stdout)?.[1];
        assert.ok(password && password.length >= 24, generated.stdout);

        const owner = await runCli(env, ['user', 'create', '--role', 'owner', '--email', 'o2@news.test', '--name', 'Second Owner', '--generate-password']);
        assert.equal(owner.code, 1);
        assert.match(owner.stderr, /olive@news\.test is already the owner/);
        if (dialect === 'sqlite') {
          // Refused before the database is touched: once is enough.
          const weak = await runCli(env, ['user', 'create', '--role', 'author', '--email', 'weak@news.test', '--name', 'Weak', '--password-stdin'], 'short\n');
          assert.equal(weak.code, 1);
          assert.match(weak.stderr, /at least 12 characters/);
          const noTty = await runCli(env, ['user', 'create', '--role', 'author', '--email', 'tty@news.test', '--name', 'No Tty']);
          assert.equal(noTty.code, 2, 'no terminal to prompt on, and no password option');
          assert.match(noTty.stderr, /--password-stdin|--generate-password/);
        }
        const dup = await runCli(env, ['user', 'create', '--role', 'author', '--email', 'ed@news.test', '--name', 'Ed Again', '--generate-password']);
        assert.equal(dup.code, 1);
        assert.match(dup.stderr, /already an account/);

        await startProgram(env, async (address) => {
          const ed = await signIn(address, 'ed@news.test', 'editors own passphrase');
          assert.equal(ed.user.role, 'editor');
          const au = await signIn(address, 'au@news.test', password!);
          assert.equal(au.user.role, 'author');
        });
      });

      test('on an empty installation, `user create --role owner` makes the owner and no setup link is printed', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cli-'));
        const s2 = `t_${randomBytes(6).toString('hex')}`;
        const env2 = testEnv(dialect, dir, s2, { LOG_LEVEL: 'info' });
        try {
          const res = await runCli(env2, ['user', 'create', '--role', 'owner', '--email', 'cli@news.test', '--name', 'Cli Owner', '--password-stdin'], 'owner from the shell\n');
          assert.equal(res.code, 0, res.stderr);
          const log = await startProgram(env2, async (address) => {
            assert.equal((await signIn(address, 'cli@news.test', 'owner from the shell')).user.role, 'owner');
          });
          assert.equal(setupLines(log).length, 0);
        } finally {
          await dropTestStorage(dialect, dir, s2);
        }
      });
    });
  });
}
