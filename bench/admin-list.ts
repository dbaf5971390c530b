/**
 * The Admin API article list on the bench newsroom: how long the first page
 * takes, unfiltered and with a few filters, signed in as an editor.
 *
 * The editor is created in the bench database through the accounts service
 * (the same path as `broadsheet user create`) the first time, and reused
 * afterwards. Requests are sequential (one at a time, keep-alive), so each
 * time is one request's server time plus a localhost round trip; the server's
 * CPU per request comes from /proc, as in the rest of the bench.
 */
import http from 'node:http';
import os from 'node:os';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { createLogger } from '../src/app.js';
import { createAccounts } from '../src/accounts/module.js';
import { systemClock } from '../src/shared/clock.js';

export const BENCH_EDITOR = { email: 'bench-editor@example.com', name: 'Bench Editor', password: 'bench editor passphrase, not for production' };

export interface AdminListMeasurement {
  name: string;
  path: string;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  /** Server CPU per request, µs (from /proc). */
  cpuUsPerRequest: number;
  /** Total number of matching articles the list reported. */
  total: number;
}

/** Creates the bench editor if the database does not have it yet; returns a section id for the filters. */
export async function prepareAdminBench(databaseUrl: string): Promise<{ sectionId: number | undefined }> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: os.tmpdir(), LOG_LEVEL: 'warn' });
  const db = await openDatabase(config.database);
  try {
    const existing = await db.kysely.selectFrom('users').select('id').where('email', '=', BENCH_EDITOR.email).executeTakeFirst();
    if (!existing) {
      const accounts = createAccounts({ config, kysely: db.kysely, clock: systemClock, log: createLogger(config), siteName: () => 'Broadsheet' });
      await accounts.service.createUser({ ...BENCH_EDITOR, role: 'editor' });
    }
    // The biggest section: the filter that matches the most rows.
    const section = await db.kysely
      .selectFrom('articles')
      .select(['section_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('section_id', 'is not', null)
      .groupBy('section_id')
      .orderBy('n', 'desc')
      .executeTakeFirst();
    return { sectionId: section?.section_id ?? undefined };
  } finally {
    await db.close();
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(agent: http.Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Signs the bench editor in on a running server and times `requests`
 * sequential GETs of each list (after `warmup` untimed ones).
 */
export async function measureAdminList(options: {
  port: number;
  sectionId: number | undefined;
  requests: number;
  warmup: number;
  cpuSeconds: () => number;
}): Promise<AdminListMeasurement[]> {
  const { port } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const origin = `http://localhost:${port}`; // PUBLIC_URL's origin when it is not set
  try {
    const signIn = await request(agent, port, 'POST', '/api/admin/session', { 'content-type': 'application/json', origin }, JSON.stringify({ email: BENCH_EDITOR.email, password: BENCH_EDITOR.password }));
    if (signIn.status !== 200) throw new Error(`admin bench: sign-in answered ${signIn.status}: ${signIn.body.slice(0, 300)}`);
    const setCookie = signIn.headers['set-cookie']?.[0];
    if (!setCookie) throw new Error('admin bench: sign-in set no cookie');
    const headers = { cookie: setCookie.split(';')[0]!, origin, accept: 'application/json' };

    const lists: { name: string; path: string }[] = [
      { name: 'Admin list, first page', path: '/api/admin/articles' },
      { name: 'Admin list, status=published', path: '/api/admin/articles?status=published' },
      ...(options.sectionId !== undefined ? [{ name: 'Admin list, section filter', path: `/api/admin/articles?sectionId=${options.sectionId}` }] : []),
      { name: 'Admin list, sort=published', path: '/api/admin/articles?sort=published' },
      { name: 'Admin list, search q=council', path: '/api/admin/articles?q=council' },
    ];
    const results: AdminListMeasurement[] = [];
    for (const list of lists) {
      let total = NaN;
      const get = async () => {
        const res = await request(agent, port, 'GET', list.path, headers);
        if (res.status !== 200) throw new Error(`admin bench: GET ${list.path} answered ${res.status}: ${res.body.slice(0, 300)}`);
        return res;
      };
      for (let i = 0; i < options.warmup; i++) total = (JSON.parse((await get()).body) as { total: number }).total;
      const times: number[] = [];
      const cpuBefore = options.cpuSeconds();
      for (let i = 0; i < options.requests; i++) {
        const started = performance.now();
        await get();
        times.push(performance.now() - started);
      }
      const cpu = options.cpuSeconds() - cpuBefore;
      times.sort((a, b) => a - b);
      results.push({
        name: list.name,
        path: list.path,
        requests: times.length,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        max: times.at(-1)!,
        cpuUsPerRequest: (cpu / times.length) * 1e6,
        total,
      });
    }
    return results;
  } finally {
    agent.destroy();
  }
}
