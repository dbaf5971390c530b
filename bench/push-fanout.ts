/**
 * Breaking-news push fan-out benchmark (issue 7; docs/PERFORMANCE.md, "Push
 * fan-out"): one alert to 100,000 subscriptions, delivered to a local push
 * service on this machine, end to end, on SQLite and on PostgreSQL.
 *
 * For each database:
 *  1. a fresh database (SQLite file; PostgreSQL schema in database `test`) with
 *     100,000 subscriptions to "breaking", each with its own P-256 key pair and
 *     auth secret as a browser makes them (inserted in bulk by a child process,
 *     not through the reader route), on the push service's endpoints;
 *  2. the push service's own limit, measured just before: a minimal sender
 *     (one keep-alive HTTPS agent, as many requests in flight as the product
 *     keeps, one body encrypted once, no database, no encryption per request);
 *  3. the alert created as an editor's "send now" is, and its `push.alert` job
 *     drained as the worker runs it (`runner.drain()`): the recipient snapshot,
 *     claimed batches, one aes128gcm encryption (an ECDH per message) and one
 *     HTTPS request each through `web-push`, the per-delivery record;
 *  4. deliveries per second (from the alert's creation to the last record), the
 *     ratio to the service's limit, and this process's peak resident memory
 *     (sampled every 100 ms). The push service (bench/push-sink.ts) is a child
 *     process: it verifies the VAPID token, decrypts every 100th payload with
 *     that subscription's keys, and counts; every subscription must get exactly
 *     one push and the alert must count them all as sent.
 *
 *   node dist/bench/push-fanout.js [--subscriptions=100000] [--baseline=20000]
 *        [--only=sqlite|postgres] [--report=file.json]
 */
import { createECDH, randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import webpush from 'web-push';
import type { App } from '../src/app.js';
import { BENCH_DIALECTS, benchApp, freshDatabase, type BenchDatabase, loadAverage, machineLine, round, rssMb, rssSampler, type BenchDialect } from './newsletter-support.js';
import type { SampleKey, SinkCount } from './push-sink.js';
import { cpuSeconds } from './child-servers.js';

export interface FanoutOptions {
  subscriptions: number;
  baselineRequests: number;
  dialects: readonly BenchDialect[];
  log?: (line: string) => void;
}

export interface FanoutFigures {
  dialect: BenchDialect;
  database: string;
  subscriptions: number;
  seedSeconds: number;
  seconds: number;
  deliveriesPerSecond: number;
  serviceLimitPerSecond: number;
  ratio: number;
  decryptedSample: number;
  payloadBytes: number;
  /** TLS connections the sender opened to the push service during the send. */
  connections: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  senderCpuSeconds: number;
  serviceCpuSeconds: number;
  loadAverage: string;
}

export interface FanoutReport {
  machine: string;
  runs: FanoutFigures[];
  targets: { perSecond: number; rssMb: number };
}

/** Every n-th subscription's payload is decrypted by the push service. */
const SAMPLE_EVERY = 100;
/** As many requests in flight as src/push/delivery.service.ts keeps (PARALLEL_REQUESTS). */
const IN_FLIGHT = 64;

/** The push service child process. */
class PushSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
    readonly caFile: string,
  ) {}

  static async start(): Promise<PushSink> {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'push-sink.js');
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = await new Promise<{ port: number; caFile: string }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the push service exited with ${code}`)));
      child.on('message', (message: { type?: string; port?: number; caFile?: string }) => {
        if (message.type === 'ready') resolve({ port: message.port!, caFile: message.caFile! });
      });
    });
    return new PushSink(child, `https://127.0.0.1:${ready.port}`, ready.caFile);
  }

  private ask<T>(request: object, answer: string): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (message: { type?: string }) => {
        if (message.type !== answer) return;
        this.child.off('message', onMessage);
        resolve(message as T);
      };
      this.child.on('message', onMessage);
      this.child.send(request);
    });
  }

  count(): Promise<SinkCount> {
    return this.ask<SinkCount>({ type: 'count' }, 'count');
  }

  async sample(keys: SampleKey[]): Promise<void> {
    await this.ask({ type: 'sample', keys }, 'sampled');
  }

  cpuSeconds(): number {
    return cpuSeconds(this.child.pid!);
  }

  stop(): void {
    this.child.disconnect();
  }
}

/** `count` subscriptions to "breaking" on the push service, each with its own keys; returns the sampled ones' private keys. */
async function seedSubscriptions(app: App, origin: string, count: number): Promise<SampleKey[]> {
  const db = app.db.kysely;
  const at = new Date().toISOString();
  const sample: SampleKey[] = [];
  const chunk = 1000;
  for (let from = 1; from <= count; from += chunk) {
    const rows = [];
    for (let n = from; n < Math.min(from + chunk, count + 1); n++) {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys().toString('base64url');
      const auth = randomBytes(16).toString('base64url');
      if (n % SAMPLE_EVERY === 0) sample.push({ id: n, privateKey: ecdh.getPrivateKey().toString('base64url'), publicKey, auth });
      rows.push({ endpoint: `${origin}/push/${n}`, p256dh: publicKey, auth, status: 'active' as const, failures: 0, created_at: at, updated_at: at });
    }
    await db.insertInto('push_subscriptions').values(rows).execute();
  }
  await db
    .insertInto('push_subscription_topics')
    .columns(['subscription_id', 'topic'])
    .expression((eb) => eb.selectFrom('push_subscriptions').select(['id', eb.val('breaking').as('topic')]))
    .execute();
  return sample;
}

/** Runs this script with --seed in a child process on the same database; returns the sampled subscriptions' keys. */
async function seedInChild(database: BenchDatabase, env: Record<string, string>, origin: string, count: number): Promise<SampleKey[]> {
  const out = path.join(database.dataDir, 'sample-keys.json');
  const child = fork(fileURLToPath(import.meta.url), [`--seed=${count}`, `--origin=${origin}`, `--out=${out}`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_SEED_ENV: JSON.stringify({ ...database.env, ...env }), BENCH_SEED_DATA_DIR: database.dataDir },
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seeding the subscriptions failed (exit ${code})`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as SampleKey[];
}

/** The --seed side: the app on the parent's database, `count` subscriptions, the sample's keys written to `out`. */
async function seedMain(count: number, origin: string, out: string): Promise<void> {
  const env = JSON.parse(process.env.BENCH_SEED_ENV ?? '{}') as Record<string, string>;
  const database: BenchDatabase = { dialect: env.DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite', dataDir: process.env.BENCH_SEED_DATA_DIR!, env, label: '', drop: async () => undefined };
  const app = await benchApp(database, env);
  try {
    fs.writeFileSync(out, JSON.stringify(await seedSubscriptions(app, origin, count)));
  } finally {
    await app.stop();
  }
}

/** The push service's limit: one pre-encrypted request sent `requests` times, `IN_FLIGHT` at once, over one keep-alive agent. */
async function serviceLimit(sink: PushSink, vapid: { publicKey: string; privateKey: string }, requests: number): Promise<number> {
  const ecdh = createECDH('prime256v1');
  const subscription = { endpoint: `${sink.origin}/push/1`, keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
  const details = webpush.generateRequestDetails(subscription, JSON.stringify({ title: 'Limit', body: 'x'.repeat(120), url: 'https://news.example.org/' }), {
    TTL: 3600,
    contentEncoding: 'aes128gcm',
    vapidDetails: { subject: 'mailto:bench@news.example.org', publicKey: vapid.publicKey, privateKey: vapid.privateKey },
  });
  const agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: fs.readFileSync(sink.caFile, 'utf8') });
  const body = details.body as Buffer;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = https.request(details.endpoint, { method: 'POST', headers: details.headers as Record<string, string>, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`the push service answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < requests) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return requests / seconds;
}

async function runOne(dialect: BenchDialect, sink: PushSink, options: FanoutOptions): Promise<FanoutFigures> {
  const log = options.log ?? (() => undefined);
  const database = freshDatabase(dialect, 'push-fanout');
  const env = { PUSH_ALLOW_LOCAL_ENDPOINTS: 'true', PUSH_TEST_CA_FILE: sink.caFile };
  // The subscriptions are made in a child process: readers subscribe over weeks through the site, and
  // 100,000 key pairs made here would stay in this process's memory, which is what is measured.
  const seedStarted = performance.now();
  const sample = await seedInChild(database, env, sink.origin, options.subscriptions);
  await sink.sample(sample);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const app = await benchApp(database, env);
  try {
    log(`  ${dialect}: ${options.subscriptions.toLocaleString('en')} subscriptions in ${seedSeconds.toFixed(1)} s (${sample.length} payloads to decrypt)`);

    const limit = await serviceLimit(sink, app.push.keys, options.baselineRequests);
    log(`  ${dialect}: push service limit ${Math.round(limit).toLocaleString('en')} req/s (minimal sender, ${IN_FLIGHT} in flight, one body encrypted once, ${options.baselineRequests.toLocaleString('en')} requests)`);

    global.gc?.();
    const before = await sink.count();
    const rssBeforeMb = rssMb();
    const serviceCpuBefore = sink.cpuSeconds();
    const cpuBefore = process.cpuUsage();
    const sampler = rssSampler(100);
    const started = performance.now();
    const { alert } = await app.push.alerts.create(
      { title: 'Storm warning for the coast tonight', body: 'The weather service raised its warning to red for the whole coast from 8 pm. What to do, road closures and shelters.', url: 'https://news.example.org/local/storm-warning', topic: 'breaking', urgency: 'high', ttlMinutes: 240 },
      null,
    );
    let lastLog = performance.now();
    const progress = setInterval(async () => {
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      log(`    … ${((await sink.count()).accepted - before.accepted).toLocaleString('en')} delivered, RSS ${Math.round(rssMb())} MB`);
    }, 1000);
    await app.runner.drain();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);
    const rssPeakMb = sampler.stop();
    const cpu = process.cpuUsage(cpuBefore);
    const serviceCpuSeconds = sink.cpuSeconds() - serviceCpuBefore;
    const view = await app.push.alerts.get(alert.id);
    const after = await sink.count();
    const accepted = after.accepted - before.accepted;
    const decrypted = after.decrypted - before.decrypted;
    if (view.status !== 'sent' || view.counts.sent !== options.subscriptions || accepted !== options.subscriptions || after.refused !== before.refused || decrypted !== sample.length) {
      throw new Error(
        `${dialect}: the alert is ${view.status} with ${JSON.stringify(view.counts)}; the push service accepted ${accepted} of ${options.subscriptions}, ` +
          `refused ${after.refused - before.refused} (${after.reasons.join('; ')}), decrypted ${decrypted} of ${sample.length}`,
      );
    }
    const perSecond = options.subscriptions / seconds;
    const figures: FanoutFigures = {
      dialect,
      database: database.label,
      subscriptions: options.subscriptions,
      seedSeconds: round(seedSeconds, 1),
      seconds: round(seconds, 1),
      deliveriesPerSecond: round(perSecond),
      serviceLimitPerSecond: round(limit),
      ratio: round(perSecond / limit, 2),
      decryptedSample: decrypted,
      payloadBytes: Math.round((after.bytes - before.bytes) / Math.max(1, accepted)),
      connections: after.connections - before.connections,
      rssBeforeMb: round(rssBeforeMb),
      rssPeakMb: round(rssPeakMb),
      senderCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      serviceCpuSeconds: round(serviceCpuSeconds, 1),
      loadAverage: loadAverage(),
    };
    log(
      `  ${dialect}: ${accepted.toLocaleString('en')} pushes in ${figures.seconds} s = ${figures.deliveriesPerSecond.toLocaleString('en')}/s, ${figures.ratio} of the service's limit; ` +
        `${figures.payloadBytes} bytes each over ${figures.connections} TLS connections; RSS ${figures.rssBeforeMb} -> peak ${figures.rssPeakMb} MB; CPU: sender ${figures.senderCpuSeconds} s, push service ${figures.serviceCpuSeconds} s; load ${figures.loadAverage}`,
    );
    return figures;
  } finally {
    await app.stop();
    await database.drop();
  }
}

export async function runFanoutBench(options: FanoutOptions): Promise<FanoutReport> {
  const sink = await PushSink.start();
  try {
    const runs: FanoutFigures[] = [];
    for (const dialect of options.dialects) runs.push(await runOne(dialect, sink, options));
    return { machine: machineLine(), runs, targets: { perSecond: 1000, rssMb: 300 } };
  } finally {
    sink.stop();
  }
}

export function fanoutTargets(report: FanoutReport): { what: string; goal: string; measured: string; pass: boolean }[] {
  return report.runs.flatMap((r) => [
    { what: `Push fan-out, ${r.dialect}: deliveries per second`, goal: `>= ${report.targets.perSecond}`, measured: `${r.deliveriesPerSecond.toLocaleString('en')} (service limit ${r.serviceLimitPerSecond.toLocaleString('en')}/s)`, pass: r.deliveriesPerSecond >= report.targets.perSecond },
    { what: `Push fan-out, ${r.dialect}: peak RSS`, goal: `<= ${report.targets.rssMb} MB`, measured: `${r.rssPeakMb} MB`, pass: r.rssPeakMb <= report.targets.rssMb },
  ]);
}

function parseArgs(argv: string[]): FanoutOptions & { report?: string } {
  const args = new Map(
    argv.map((a, i) => {
      const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
      if (!m) throw new Error(`unknown argument ${argv[i]}`);
      return [m[1]!, m[2] ?? 'true'] as const;
    }),
  );
  const num = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const only = args.get('only');
  return {
    subscriptions: num('subscriptions') ?? 100_000,
    baselineRequests: num('baseline') ?? 20_000,
    dialects: only ? (only.split(',') as BenchDialect[]) : BENCH_DIALECTS,
    log: (line) => console.log(line),
    report: args.get('report'),
  };
}

const seedArg = process.argv.find((a) => a.startsWith('--seed='));
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && seedArg) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '';
  seedMain(Number(seedArg.slice('--seed='.length)), arg('origin'), arg('out')).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`Push fan-out benchmark: ${machineLine()}; load average ${loadAverage()}`);
  const options = parseArgs(process.argv.slice(2));
  runFanoutBench(options)
    .then((report) => {
      // bench/run.ts runs this in a child process (so its memory is this part's alone) and reads the figures here.
      if (options.report) fs.writeFileSync(options.report, JSON.stringify(report));
      for (const t of fanoutTargets(report)) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${t.measured} (goal ${t.goal})`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
