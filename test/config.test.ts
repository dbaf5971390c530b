/**
 * Configuration from the environment: zero-setup defaults, and a bad value
 * stops start-up with a message naming the variable (never a stack trace).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('defaults', () => {
  test('an empty environment gives a working laptop setup', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.deepEqual(config.database, { kind: 'sqlite', file: path.join(path.resolve('./data'), 'broadsheet.db') });
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.pageCache, { enabled: true, maxBytes: 64 * 1024 * 1024 });
    assert.deepEqual(config.contentApiCache, { enabled: true, maxBytes: 32 * 1024 * 1024, maxAgeMs: 60_000 });
    assert.equal(config.seedDemo, true);
    assert.equal(config.trustProxy, false);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.deepEqual(config.media, { maxBytes: 20 * 1024 * 1024 });
    assert.deepEqual(config.jobs, { pollMs: 1000, concurrency: 2 });
  });

  test('empty strings count as unset', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: '', DATABASE_URL: '', PAGE_CACHE: '', LOG_LEVEL: '', REDIS_URL: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.database.kind, 'sqlite');
    assert.equal(config.pageCache.enabled, true);
  });

  test('the default public URL follows PORT', () => {
    assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
  });

  test('good values are parsed', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://news.example.org/',
      DATA_DIR: '/var/lib/broadsheet',
      DATABASE_URL: 'postgres://news:secret@db.internal:5432/news?schema=paper_one',
      REDIS_URL: 'redis://cache:6379',
      LOG_LEVEL: 'warn',
      PAGE_CACHE: 'off',
      PAGE_CACHE_MB: '256',
      CONTENT_API_CACHE: '0',
      CONTENT_API_CACHE_MB: '8',
      CONTENT_API_CACHE_SECONDS: '15',
      SEED_DEMO: 'no',
      TRUST_PROXY: 'TRUE',
      BODY_LIMIT_KB: '2048',
      MEDIA_MAX_MB: '50',
      JOBS_POLL_MS: '250',
      JOBS_CONCURRENCY: '8',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'https://news.example.org', 'no trailing slash');
    assert.equal(config.dataDir, '/var/lib/broadsheet');
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://news:secret@db.internal:5432/news', schema: 'paper_one' });
    assert.equal(config.redisUrl, 'redis://cache:6379');
    assert.equal(config.logLevel, 'warn');
    assert.deepEqual(config.pageCache, { enabled: false, maxBytes: 256 * 1024 * 1024 });
    assert.deepEqual(config.contentApiCache, { enabled: false, maxBytes: 8 * 1024 * 1024, maxAgeMs: 15_000 });
    assert.equal(config.seedDemo, false);
    assert.equal(config.trustProxy, true);
    assert.equal(config.bodyLimitBytes, 2048 * 1024);
    assert.deepEqual(config.media, { maxBytes: 50 * 1024 * 1024 });
    assert.deepEqual(config.jobs, { pollMs: 250, concurrency: 8 });
  });

  test('a public URL may carry a path (a site under a sub-folder)', () => {
    assert.equal(loadConfig({ PUBLIC_URL: 'https://example.org/news/' }).publicUrl, 'https://example.org/news');
  });

  test('postgresql:// URLs and sqlite: file URLs', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgresql://localhost/news' }).database, { kind: 'postgres', url: 'postgresql://localhost/news', schema: undefined });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:./tmp/x.db' }).database, { kind: 'sqlite', file: path.resolve('./tmp/x.db') });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:///srv/news.db' }).database, { kind: 'sqlite', file: '/srv/news.db' });
  });
});

describe('bad values name the variable', () => {
  const cases: [string, string][] = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', '0x50'],
    ['PUBLIC_URL', 'ftp://x'],
    ['PUBLIC_URL', 'notaurl'],
    ['PUBLIC_URL', 'javascript:alert(1)'],
    ['PUBLIC_URL', 'https://example.org/?utm=1'],
    ['PUBLIC_URL', 'https://example.org/#top'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'sqlite:'],
    ['DATABASE_URL', 'postgres://localhost/news?schema=Bad-Name'],
    ['DATABASE_URL', 'postgres://localhost/news?schema=x;drop'],
    ['PAGE_CACHE', 'maybe'],
    ['PAGE_CACHE_MB', '0'],
    ['CONTENT_API_CACHE', 'sometimes'],
    ['CONTENT_API_CACHE_MB', '0'],
    ['CONTENT_API_CACHE_SECONDS', '0'],
    ['CONTENT_API_CACHE_SECONDS', '3601'],
    ['SEED_DEMO', 'sometimes'],
    ['TRUST_PROXY', '2'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO '],
    ['REDIS_URL', 'http://cache:6379'],
    ['HOST', 'my host; rm -rf'],
    ['BODY_LIMIT_KB', '0'],
    ['MEDIA_MAX_MB', '0'],
    ['MEDIA_MAX_MB', '20MB'],
    ['JOBS_POLL_MS', '10'],
    ['JOBS_CONCURRENCY', '1000'],
  ];
  for (const [variable, value] of cases) {
    test(`${variable}=${value}`, () => {
      const error = configError({ [variable]: value });
      assert.equal(error.variable, variable);
      assert.equal(error.got, value);
      assert.ok(error.message.startsWith(`${variable} must be `), error.message);
      assert.ok(error.expected.length > 5, 'says what it expects');
    });
  }

  test('the message says what is expected and what was given', () => {
    const error = configError({ PORT: '70000' });
    assert.equal(error.message, 'PORT must be a whole number from 0 to 65535 (got "70000")');
    assert.match(configError({ PUBLIC_URL: 'ftp://x' }).message, /^PUBLIC_URL must be an absolute http\(s\) URL/);
    assert.match(configError({ LOG_LEVEL: 'loud' }).message, /one of fatal, error, warn, info, debug, trace, silent/);
  });

  test('a password in a rejected URL is not repeated in the message (it ends up in logs)', () => {
    const envs: Record<string, string>[] = [
      { DATABASE_URL: 'mysql://root:hunter2@db/news' },
      { DATABASE_URL: 'postgres://news:hunter2@db/news?schema=Bad' },
      { REDIS_URL: 'http://default:hunter2@cache:6379' },
    ];
    for (const env of envs) {
      const error = configError(env);
      assert.equal(error.variable, Object.keys(env)[0]);
      assert.doesNotMatch(error.message, /hunter2/, error.message);
      assert.doesNotMatch(error.got, /hunter2/);
      assert.match(error.message, /\/\/\*\*\*@(db|cache)/, 'the rest of the URL is still shown');
    }
  });
});

describe('DKIM keys', () => {
  const pem = (type: 'rsa' | 'ed25519' | 'ec') =>
    (type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
        : generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    ).privateKey;
  const env = (key: string) => ({ DKIM_DOMAIN: 'news.example.org', DKIM_SELECTOR: 'bs', DKIM_PRIVATE_KEY: key.replace(/\n/g, '\\n') });

  test('an RSA or an Ed25519 key is accepted (line breaks written as \\n)', () => {
    for (const type of ['rsa', 'ed25519'] as const) {
      const key = pem(type);
      assert.deepEqual(loadConfig(env(key)).newsletterMail.dkim, { domainName: 'news.example.org', keySelector: 'bs', privateKey: key });
    }
  });

  test('a key DKIM cannot sign with, or one that does not parse, stops start-up without showing the key', () => {
    const ec = configError(env(pem('ec')));
    assert.equal(ec.variable, 'DKIM_PRIVATE_KEY');
    assert.match(ec.message, /an RSA or Ed25519 private key/);
    const broken = pem('rsa').replace(/[A-Za-z]{20}/, 'x'.repeat(20));
    const error = configError(env(broken));
    assert.match(error.message, /can be read/);
    assert.doesNotMatch(error.message, /MII/, 'no part of the key in the message');
  });
});

describe('the command line', () => {
  function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: path.join(root, 'data-never-created'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the CLI did not exit: ${stderr}`));
      }, 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  test('serve with PORT=abc exits with status 2 and a message naming PORT, no stack trace', async () => {
    const { code, stderr, stdout } = await runCli(['serve'], { PORT: 'abc' });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /invalid configuration: PORT must be a whole number from 0 to 65535 \(got "abc"\)/);
    assert.match(stderr, /README/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.equal(stdout, '');
  });

  for (const [command, variable, value] of [
    ['worker', 'DATABASE_URL', 'mysql://x'],
    ['migrate', 'LOG_LEVEL', 'loud'],
    ['start', 'PUBLIC_URL', 'notaurl'],
  ] as const) {
    test(`${command} with ${variable}=${value} exits with status 2 naming ${variable}`, async () => {
      const { code, stderr } = await runCli([command], { [variable]: value });
      assert.equal(code, 2, stderr);
      assert.match(stderr, new RegExp(`invalid configuration: ${variable} must be`));
      assert.doesNotMatch(stderr, /\n\s+at /);
    });
  }
});
