/**
 * Prompts must not slow pages (issue 6, "Benchmark"): the same cached article
 * with four active prompts and with none, measured in one run, and the prompt
 * script's download size.
 *
 * Two copies of one demo newsroom (SQLite files), identical except that one
 * holds four active prompts aimed at articles (an inline donation appeal, a
 * newsletter sign-up and an app download at the end, a social follow banner).
 * Each copy is served by its own `node dist/src/main.js serve` with the page
 * cache on; autocannon loads the same article on both, alternating rounds so
 * that a noisy neighbour slows both sides rather than one: first as browsers
 * ask for pages (Accept-Encoding: gzip ..., answered with the page cache's
 * gzipped copy; the target is read on this), then uncompressed, beside a bare
 * node:http server sending the uncompressed bytes. The prompts cost nothing
 * per request once the page is cached: what is left is the page's extra
 * bytes, which is what this measures.
 *
 *   node dist/bench/prompts.js [--duration=S (10)] [--warmup=S (2)] [--connections=N (10)] [--report=file.json]
 *
 * bench/run.ts runs it in a child process as the part `prompts`.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { cpuSeconds, serveBroadsheet, serveRaw, stop, type Child } from './child-servers.js';
import type { CampaignInput } from '../src/prompts/model.js';

export const PROMPT_TARGETS = { ratio: 0.95, scriptGzipBytes: 5 * 1024 } as const;

/** Four prompts that all land on an article page, the heaviest case a newsroom is likely to set up. */
export const BENCH_PROMPTS: CampaignInput[] = [
  {
    name: 'Bench appeal',
    kind: 'donation',
    placement: 'inline',
    afterParagraph: 3,
    priority: 10,
    variants: [
      { key: 'a', weight: 50, heading: 'Reporting like this is paid for by readers', body: '<p>Give once or every month.</p>', buttonText: 'Give now' },
      { key: 'b', weight: 50, heading: 'Help keep this page free', body: '<p>Any amount helps.</p>', buttonText: 'Chip in' },
    ],
  },
  { name: 'Bench sign-up', kind: 'newsletter', placement: 'end', priority: 5, variants: [{ key: 'a', weight: 1, heading: 'Our morning email', body: '<p>Free, every day.</p>', buttonText: 'Subscribe' }] },
  { name: 'Bench app', kind: 'app', placement: 'end', priority: 2, variants: [{ key: 'a', weight: 1, heading: 'Read us in the app', body: '<p>Alerts when news breaks.</p>', buttonText: '' }] },
  { name: 'Bench follow', kind: 'social', placement: 'banner', priority: 1, variants: [{ key: 'a', weight: 1, heading: 'Follow the newsroom', body: '<p>Stories where you already are.</p>', buttonText: '' }] },
];

export interface PromptsSide {
  name: string;
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  serverCpu: number;
  cpuUsPerRequest: number;
  bad: number;
}

export interface PromptsBenchReport {
  article: string;
  promptsOnPage: number;
  bytes: { without: number; with: number };
  /** The same pages gzip -9: what a reader's browser downloads. */
  gzipBytes: { without: number; with: number };
  /** Requested as browsers do (Accept-Encoding: gzip ...): the figure the target is read on. */
  browser: { without: PromptsSide; with: PromptsSide; ratio: number; roundRatios: number[] };
  /** Requested uncompressed (a client that asks for no compression, or a proxy that compresses itself). */
  without: PromptsSide;
  with: PromptsSide;
  ratio: number;
  /** The same two pages' bytes from bench/raw-server.ts: the part of the gap that is the bytes alone. */
  raw: { without: PromptsSide; with: PromptsSide; ratio: number };
  /** The ratio in each round (adjacent in time), to show the spread. */
  roundRatios: number[];
  script: { url: string; bytes: number; gzip: number };
  css: { url: string; bytes: number; gzip: number };
  load: { connections: number; duration: number; rounds: number; loadAverageStart: string; loadAverageEnd: string };
  targets: typeof PROMPT_TARGETS;
}

function get(port: number, urlPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers: { 'accept-encoding': 'identity', accept: 'text/html' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** A demo newsroom in a fresh SQLite file; `prompts`: the bench's four, else none (the demo's own are removed). */
async function prepareNewsroom(dir: string, prompts: boolean): Promise<{ databaseUrl: string; article: string }> {
  const databaseUrl = `sqlite:${path.join(dir, 'newsroom.db')}`;
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dir, SEED_DEMO: 'false', PUBLIC_URL: 'http://localhost:3000' });
  const app = await createApp(config);
  try {
    await seedDemo(app);
    for (const campaign of await app.prompts.campaigns.list()) await app.prompts.campaigns.delete(campaign.id);
    if (prompts) for (const input of BENCH_PROMPTS) await app.prompts.campaigns.create(input);
    // The demo story with the most paragraphs, so the inline appeal has its place.
    const row = await app.db.kysely
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.slug', 's.slug as section', 'a.body_blocks'])
      .where('a.status', '=', 'published')
      .execute();
    const longest = row.sort((a, b) => String(b.body_blocks).length - String(a.body_blocks).length)[0]!;
    return { databaseUrl, article: `/${longest.section}/${longest.slug}` };
  } finally {
    await app.stop();
  }
}

/** What Chromium sends; Broadsheet answers it with the page cache's gzipped copy. */
const BROWSER_ENCODING = 'gzip, deflate, br, zstd';

async function measure(name: string, server: Child, urlPath: string, seconds: number, connections: number, encoding = 'identity'): Promise<PromptsSide> {
  const cpuBefore = cpuSeconds(server.child.pid!);
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${urlPath}`,
    connections,
    duration: seconds,
    timeout: 10,
    headers: { 'accept-encoding': encoding, accept: 'text/html' },
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
  const requests = result.requests.total;
  return {
    name,
    rps: requests / result.duration,
    requests,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpu: cpu / wall,
    cpuUsPerRequest: requests ? (cpu / requests) * 1e6 : NaN,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

function combine(name: string, parts: PromptsSide[]): PromptsSide {
  const requests = parts.reduce((s, p) => s + p.requests, 0);
  const mean = (f: (p: PromptsSide) => number) => parts.reduce((s, p) => s + f(p), 0) / parts.length;
  return {
    name,
    rps: mean((p) => p.rps),
    requests,
    p50: mean((p) => p.p50),
    p99: Math.max(...parts.map((p) => p.p99)),
    serverCpu: mean((p) => p.serverCpu),
    cpuUsPerRequest: parts.reduce((s, p) => s + p.cpuUsPerRequest * p.requests, 0) / requests,
    bad: parts.reduce((s, p) => s + p.bad, 0),
  };
}

async function asset(port: number, page: string, pattern: RegExp): Promise<{ url: string; bytes: number; gzip: number }> {
  const url = pattern.exec(page)?.[1]?.replace(/&amp;/g, '&');
  if (!url) throw new Error(`the article page does not load ${pattern}`);
  const response = await get(port, url);
  if (response.status !== 200) throw new Error(`${url}: status ${response.status}`);
  return { url, bytes: response.body.length, gzip: zlib.gzipSync(response.body, { level: 9 }).length };
}

export async function runPromptsBench(options: { duration: number; warmup: number; connections: number; log: (line: string) => void }): Promise<PromptsBenchReport> {
  const { log } = options;
  const loadAverageStart = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-prompts-'));
  const servers: Child[] = [];
  try {
    const withoutDir = path.join(work, 'without');
    const withDir = path.join(work, 'with');
    fs.mkdirSync(withoutDir);
    fs.mkdirSync(withDir);
    const none = await prepareNewsroom(withoutDir, false);
    const four = await prepareNewsroom(withDir, true);
    if (none.article !== four.article) throw new Error(`the two newsrooms differ: ${none.article} vs ${four.article}`);
    const article = none.article;
    const without = await serveBroadsheet(none.databaseUrl, withoutDir, { PAGE_CACHE: 'true' });
    servers.push(without);
    const withPrompts = await serveBroadsheet(four.databaseUrl, withDir, { PAGE_CACHE: 'true' });
    servers.push(withPrompts);

    const pages: Record<'without' | 'with', string> = { without: '', with: '' };
    const raws: Child[] = [];
    const bytes = { without: 0, with: 0 };
    const gzipBytes = { without: 0, with: 0 };
    for (const [side, server] of [['without', without], ['with', withPrompts]] as const) {
      await get(server.port, article);
      const page = await get(server.port, article);
      if (page.status !== 200 || page.headers['x-cache'] !== 'HIT') throw new Error(`${side}: status ${page.status}, x-cache ${page.headers['x-cache']}`);
      pages[side] = page.body.toString();
      bytes[side] = page.body.length;
      gzipBytes[side] = zlib.gzipSync(page.body, { level: 9 }).length;
      const file = path.join(work, `${side}.html`);
      fs.writeFileSync(file, page.body);
      const raw = await serveRaw(file, String(page.headers['content-type']));
      servers.push(raw);
      raws.push(raw);
    }
    // Distinct campaigns: the no-JavaScript default in full, the others as slots the script fills.
    const campaignsOn = (page: string) => new Set([...page.matchAll(/class="prompt[ -][^"]*" data-prompt="(\d+)"/g)].map((m) => m[1])).size;
    const promptsOnPage = campaignsOn(pages.with);
    if (campaignsOn(pages.without) !== 0) throw new Error('the page without prompts carries prompts');
    if (promptsOnPage !== BENCH_PROMPTS.length) throw new Error(`the page with prompts carries ${promptsOnPage}, not ${BENCH_PROMPTS.length}`);
    log(`  ${article}: ${bytes.without.toLocaleString('en')} bytes without prompts, ${bytes.with.toLocaleString('en')} with ${promptsOnPage} (gzip ${gzipBytes.without.toLocaleString('en')} and ${gzipBytes.with.toLocaleString('en')})`);

    const script = await asset(withPrompts.port, pages.with, /<script[^>]+src="(\/assets\/prompts\.js[^"]*)"/);
    const css = await asset(withPrompts.port, pages.with, /<link[^>]+href="(\/assets\/prompts\.css[^"]*)"/);

    if (options.warmup > 0) {
      await measure('warm-up', without, article, options.warmup, options.connections);
      await measure('warm-up', withPrompts, article, options.warmup, options.connections);
    }
    // Alternate (none, four, four, none, ...) so drift on a shared machine hits both sides alike.
    const rounds = 6;
    const alternate = async (encoding: string) => {
      const noneParts: PromptsSide[] = [];
      const fourParts: PromptsSide[] = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ([without, withPrompts] as const) : ([withPrompts, without] as const);
        for (const server of order) {
          const part = await measure('round', server, article, options.duration / rounds, options.connections, encoding);
          (server === without ? noneParts : fourParts).push(part);
        }
      }
      return { noneParts, fourParts, pairs: noneParts.map((none, i) => fourParts[i]!.rps / none.rps) };
    };
    // As browsers ask (Accept-Encoding: gzip ...: the cached page's gzipped copy), then uncompressed.
    const zipped = await alternate(BROWSER_ENCODING);
    const browserCheck = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: withPrompts.port, path: article, headers: { 'accept-encoding': BROWSER_ENCODING } }, (res) => (res.resume(), resolve(res))).on('error', reject);
    });
    if (browserCheck.headers['content-encoding'] !== 'gzip') throw new Error('the cached page was not sent gzipped to a browser');
    log(`  as browsers ask (gzip), rounds (four prompts / none): ${zipped.pairs.map((r) => r.toFixed(3)).join(', ')}`);
    const { noneParts, fourParts, pairs } = await alternate('identity');
    // Each round's pair, side by side: how much of the gap is the machine's drift.
    log(`  uncompressed, rounds (four prompts / none): ${pairs.map((r) => r.toFixed(3)).join(', ')}`);
    // The control: the same bytes from a bare node:http server, alternating the same way.
    const rawNone: PromptsSide[] = [];
    const rawFour: PromptsSide[] = [];
    for (let r = 0; r < 2; r++) {
      rawNone.push(await measure('raw', raws[0]!, article, options.duration / 4, options.connections));
      rawFour.push(await measure('raw', raws[1]!, article, options.duration / 4, options.connections));
    }
    const rawWithout = combine('Raw node:http, the page without prompts', rawNone);
    const rawWith = combine('Raw node:http, the page with prompts', rawFour);
    log(`  raw node:http, same bytes: ${Math.round(rawWith.rps)} vs ${Math.round(rawWithout.rps)} req/s (${(rawWith.rps / rawWithout.rps).toFixed(3)})`);
    const sideWithout = combine('Article, page cache, no prompts', noneParts);
    const sideWith = combine(`Article, page cache, ${promptsOnPage} active prompts`, fourParts);
    const zippedWithout = combine('Article, page cache, no prompts, gzip (as browsers ask)', zipped.noneParts);
    const zippedWith = combine(`Article, page cache, ${promptsOnPage} active prompts, gzip (as browsers ask)`, zipped.fourParts);
    return {
      article,
      promptsOnPage,
      browser: { without: zippedWithout, with: zippedWith, ratio: zippedWith.rps / zippedWithout.rps, roundRatios: zipped.pairs },
      bytes,
      gzipBytes,
      without: sideWithout,
      with: sideWith,
      ratio: sideWith.rps / sideWithout.rps,
      roundRatios: pairs,
      raw: { without: rawWithout, with: rawWith, ratio: rawWith.rps / rawWithout.rps },
      script,
      css,
      load: { connections: options.connections, duration: options.duration, rounds, loadAverageStart, loadAverageEnd: os.loadavg().map((l) => l.toFixed(2)).join(' ') },
      targets: PROMPT_TARGETS,
    };
  } finally {
    for (const server of servers) await stop(server);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function promptsTargets(report: PromptsBenchReport): { what: string; goal: string; measured: string; pass: boolean }[] {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return [
    {
      what: `Article, cached, as browsers ask (gzip): req/s with ${report.promptsOnPage} prompts vs none`,
      goal: `>= ${report.targets.ratio}`,
      measured: `${fmt(report.browser.ratio, 3)} (${fmt(report.browser.with.rps)} vs ${fmt(report.browser.without.rps)} req/s; CPU per request ${fmt(report.browser.with.cpuUsPerRequest)} vs ${fmt(report.browser.without.cpuUsPerRequest)} µs; uncompressed ${fmt(report.ratio, 3)}, same bytes from raw node:http ${fmt(report.raw.ratio, 3)})`,
      pass: report.browser.ratio >= report.targets.ratio,
    },
    {
      what: 'Prompt script, gzip -9',
      goal: `< ${report.targets.scriptGzipBytes / 1024} KB`,
      measured: `${fmt(report.script.gzip / 1024, 2)} KB (${fmt(report.script.bytes)} bytes plain; styles ${fmt(report.css.gzip / 1024, 2)} KB gzip)`,
      pass: report.script.gzip < report.targets.scriptGzipBytes,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Map(process.argv.slice(2).map((a) => /^--([a-z-]+)=(.*)$/.exec(a)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1]!, m[2]!]));
  const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback);
  runPromptsBench({ duration: num('duration', 10), warmup: num('warmup', 2), connections: num('connections', 10), log: (line) => console.log(line) })
    .then((report) => {
      if (args.get('report')) fs.writeFileSync(args.get('report')!, JSON.stringify(report));
      for (const side of [report.browser.without, report.browser.with, report.without, report.with])
        console.log(`  ${side.name}: ${Math.round(side.rps)} req/s, p50 ${side.p50} ms, p99 ${side.p99} ms, server CPU ${Math.round(side.serverCpu * 100)} %, ${Math.round(side.cpuUsPerRequest)} µs CPU/request${side.bad ? `, ${side.bad} bad` : ''}`);
      for (const t of promptsTargets(report)) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${t.measured} (goal ${t.goal})`);
      console.log(`  load average ${report.load.loadAverageStart} at the start, ${report.load.loadAverageEnd} at the end (${os.availableParallelism()} cores)`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
