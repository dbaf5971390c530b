/**
 * Newsletter delivery benchmark (issue 5; docs/PERFORMANCE.md, "Newsletters"):
 * 100,000 subscribed readers, one digest of 10 stories, delivered to a local
 * SMTP sink on this machine, end to end (claim, merge, MIME, DKIM, SMTP, the
 * per-recipient record), on SQLite and on PostgreSQL.
 *
 * For each database:
 *  1. a fresh database (SQLite file; PostgreSQL schema in database `test`),
 *     100,000 readers subscribed in bulk (the import's bulk statements, not the
 *     sign-up path), 10 published stories, the digest rendered by ComposeService;
 *  2. the sink's own limit, measured just before: a minimal sender (the
 *     product's SMTP connections, src/email/smtp-lanes.ts, as many of them;
 *     one pre-built message of the same size, no database, no merge, no DKIM)
 *     keeps as many messages in flight as a batch has;
 *  3. `startSend` (the recipient snapshot) and then the send job drained as the
 *     worker runs it (`runner.drain()`: one batch per run, each run queued by
 *     the one before), with a 2048-bit DKIM key generated for the run and the
 *     rate limit out of the way (NEWSLETTER_RATE_PER_SECOND=10000);
 *  4. messages per second (from startSend to the last record), the ratio to
 *     the sink's limit, and this process's peak resident memory (sampled
 *     every 100 ms). The sink (bench/newsletter-sink.ts) is a child process:
 *     it counts what it accepted, and the count must equal the readers.
 *
 *   node dist/bench/newsletter-send.js [--readers=100000] [--baseline=30000]
 *        [--connections=N] [--batch=N] [--only=sqlite|postgres] [--report=file.json]
 * Without --connections/--batch the product's defaults are used (config.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import { SmtpLanes } from '../src/email/smtp-lanes.js';
import { docFromParagraphs } from '../src/newsroom/body.js';
import { ImportsRepository } from '../src/newsletter/import.repository.js';
import { newReaderSecret } from '../src/newsletter/links.js';
import type { App } from '../src/app.js';
import type { RenderedEmail } from '../src/newsletter/rendered.js';
import { BENCH_DIALECTS, benchApp, freshDatabase, loadAverage, machineLine, round, rssMb, rssSampler, SmtpSink, type BenchDialect } from './newsletter-support.js';

export interface SendBenchOptions {
  readers: number;
  baselineMessages: number;
  /** Override NEWSLETTER_SMTP_CONNECTIONS / NEWSLETTER_BATCH_SIZE (default: the product's defaults). */
  connections?: number;
  batchSize?: number;
  dialects: readonly BenchDialect[];
  log?: (line: string) => void;
}

export interface SendFigures {
  dialect: BenchDialect;
  database: string;
  readers: number;
  connections: number;
  batchSize: number;
  seedSeconds: number;
  /** startSend: the recipient snapshot. */
  startSendMs: number;
  seconds: number;
  messagesPerSecond: number;
  sinkMessagesPerSecond: number;
  ratio: number;
  sinkAccepted: number;
  /** The baseline's pre-built message, and the average message the sink received from the send (merged, list headers, DKIM). */
  messageBytes: number;
  sentMessageBytes: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** CPU seconds of this process and of the sink during the send. */
  senderCpuSeconds: number;
  sinkCpuSeconds: number;
  loadAverage: string;
}

export interface SendBenchReport {
  machine: string;
  runs: SendFigures[];
  targets: { messagesPerSecond: number; ratio: number; rssMb: number };
}

const STORIES = 10;

/** Readers written in bulk, subscribed to the newsletter (what an import of them would leave). */
async function seedReaders(app: App, newsletterId: number, count: number): Promise<void> {
  const repo = new ImportsRepository(app.db.kysely, app.db.dialect);
  const at = new Date().toISOString();
  const chunk = 5000;
  for (let from = 0; from < count; from += chunk) {
    const rows = Array.from({ length: Math.min(chunk, count - from) }, (_, i) => {
      const n = from + i + 1;
      return { email: `reader${n}@inbox${n % 97}.example.net`, email_key: `reader${n}@inbox${n % 97}.example.net`, name: n % 3 ? `Reader ${n}` : '', secret: newReaderSecret() };
    });
    await repo.transaction(async (trx) => {
      const added = await repo.insertReaders(rows, at, trx);
      await repo.insertSubscriptions(added.map((r) => ({ subscriberId: r.id, newsletterId })), at, trx);
    });
  }
}

/** Ten published stories in two sections, and the digest of them rendered once. */
async function composeDigest(app: App, newsletterId: number): Promise<RenderedEmail> {
  const local = await app.taxonomy.createSection({ name: 'Local' });
  const world = await app.taxonomy.createSection({ name: 'World', position: 1 });
  const author = await app.taxonomy.createAuthor({ name: 'Ana Reyes', title: 'City reporter' });
  const ids: number[] = [];
  for (let i = 1; i <= STORIES; i++) {
    const created = await app.articles.create(
      {
        headline: `Council weighs harbour plan, part ${i}: what changes for the waterfront`,
        dek: 'The vote was 5-2 after a long night of public comment on the dredging, the seawall and the ferry timetable.',
        body: docFromParagraphs(Array.from({ length: 6 }, (_, p) => `Paragraph ${p + 1} of story ${i}, with enough words to read like a real one.`)),
        sectionId: i % 2 ? local.id : world.id,
        authorIds: [author.id],
      },
      { actor: 'bench' },
    );
    ids.push((await app.articles.publish(created.id, { actor: 'bench' })).id);
  }
  return app.newsletters.compose.render(newsletterId, { subject: 'Morning Briefing: the harbour plan and nine more stories', itemIds: ids });
}

/**
 * The sink's limit: one pre-built message (no database, no merge, no DKIM),
 * sent through the same SMTP client as the product with the same connections,
 * `window` messages in flight.
 */
async function sinkLimit(port: number, raw: Buffer, messages: number, connections: number, window: number): Promise<{ perSecond: number; seconds: number }> {
  const lanes = new SmtpLanes({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, connections, ratePerSecond: 1_000_000 });
  const envelope = { from: 'news@news.example.org', to: 'reader@inbox.example.net' };
  const transport = { sendMail: (message: { envelope: typeof envelope; raw: Buffer }) => lanes.send(message.envelope, message.raw), close: () => lanes.close() };
  // Warm the connections up.
  await Promise.all(Array.from({ length: connections }, () => transport.sendMail({ envelope, raw })));
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < messages) {
      next++;
      await transport.sendMail({ envelope, raw });
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  const seconds = (performance.now() - started) / 1000;
  await transport.close();
  return { perSecond: messages / seconds, seconds };
}

/** One message as delivery builds it (merged for a sample reader, signed), to size the baseline's message. */
async function sampleMessage(email: RenderedEmail): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await composer.sendMail({ from: 'The Bench Gazette <news@news.example.org>', to: 'reader@inbox.example.net', subject: email.subject, html: email.html, text: email.text });
  return info.message as Buffer;
}

async function runOne(dialect: BenchDialect, sink: SmtpSink, options: SendBenchOptions): Promise<SendFigures> {
  const log = options.log ?? (() => undefined);
  const database = freshDatabase(dialect, 'newsletter-send');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const env: Record<string, string> = {
    NEWSLETTER_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    NEWSLETTER_RATE_PER_SECOND: '10000',
    DKIM_DOMAIN: 'news.example.org',
    DKIM_SELECTOR: 'bench',
    DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(options.connections ? { NEWSLETTER_SMTP_CONNECTIONS: String(options.connections) } : {}),
    ...(options.batchSize ? { NEWSLETTER_BATCH_SIZE: String(options.batchSize) } : {}),
  };
  const app = await benchApp(database, env);
  try {
    const { connections, batchSize } = app.config.newsletterMail;
    const seedStarted = performance.now();
    const newsletter = await app.newsletters.newsletters.create({ name: 'Morning Briefing', senderName: 'The Bench Gazette', senderEmail: 'news@news.example.org' });
    await seedReaders(app, newsletter.id, options.readers);
    const email = await composeDigest(app, newsletter.id);
    await app.runner.drain(); // the stories' own jobs (related stories, search), so they are not timed below
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`  ${dialect}: ${options.readers.toLocaleString('en')} readers and ${STORIES} stories in ${seedSeconds.toFixed(1)} s; the digest is ${Math.round(email.html.length / 1024)} KB of HTML`);

    const sample = await sampleMessage(email);
    const baseline = await sinkLimit(sink.port, sample, options.baselineMessages, connections, batchSize);
    log(`  ${dialect}: sink limit ${Math.round(baseline.perSecond).toLocaleString('en')} msg/s (minimal sender, ${connections} connections, ${batchSize} in flight, ${options.baselineMessages.toLocaleString('en')} messages of ${Math.round(sample.length / 1024)} KB)`);

    global.gc?.();
    const before = await sink.count();
    const acceptedBefore = before.messages;
    const rssBeforeMb = rssMb();
    const sinkCpuBefore = sink.cpuSeconds();
    const cpuBefore = process.cpuUsage();
    const sampler = rssSampler(100);
    const started = performance.now();
    const { sendId } = await app.newsletters.delivery.startSend({ newsletterId: newsletter.id, email });
    const startSendMs = performance.now() - started;
    let lastLog = performance.now();
    const progress = setInterval(async () => {
      if (performance.now() - lastLog < 10_000) return;
      lastLog = performance.now();
      log(`    … ${((await sink.count()).messages - acceptedBefore).toLocaleString('en')} accepted, RSS ${Math.round(rssMb())} MB`);
    }, 1000);
    await app.runner.drain();
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);
    const rssPeakMb = sampler.stop();
    const cpu = process.cpuUsage(cpuBefore);
    const sinkCpuSeconds = sink.cpuSeconds() - sinkCpuBefore;
    const view = await app.newsletters.delivery.view(sendId);
    const after = await sink.count();
    const accepted = after.messages - acceptedBefore;
    if (view.status !== 'done' || view.counts.sent !== options.readers || accepted !== options.readers) {
      throw new Error(`${dialect}: the send is ${view.status} with ${JSON.stringify(view.counts)}; the sink accepted ${accepted} of ${options.readers}`);
    }
    const messagesPerSecond = options.readers / seconds;
    const figures: SendFigures = {
      dialect,
      database: database.label,
      readers: options.readers,
      connections,
      batchSize,
      seedSeconds: round(seedSeconds, 1),
      startSendMs: round(startSendMs),
      seconds: round(seconds, 1),
      messagesPerSecond: round(messagesPerSecond),
      sinkMessagesPerSecond: round(baseline.perSecond),
      ratio: round(messagesPerSecond / baseline.perSecond, 2),
      sinkAccepted: accepted,
      messageBytes: sample.length,
      sentMessageBytes: Math.round((after.bytes - before.bytes) / Math.max(1, accepted)),
      rssBeforeMb: round(rssBeforeMb),
      rssPeakMb: round(rssPeakMb),
      senderCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      sinkCpuSeconds: round(sinkCpuSeconds, 1),
      loadAverage: loadAverage(),
    };
    log(
      `  ${dialect}: ${accepted.toLocaleString('en')} messages in ${figures.seconds} s (startSend ${figures.startSendMs} ms) = ${figures.messagesPerSecond.toLocaleString('en')} msg/s, ` +
        `${figures.ratio} of the sink's limit; RSS ${figures.rssBeforeMb} -> peak ${figures.rssPeakMb} MB; CPU: sender ${figures.senderCpuSeconds} s, sink ${figures.sinkCpuSeconds} s; load ${figures.loadAverage}`,
    );
    return figures;
  } finally {
    await app.stop();
    await database.drop();
  }
}

export async function runSendBench(options: SendBenchOptions): Promise<SendBenchReport> {
  const sink = await SmtpSink.start();
  try {
    const runs: SendFigures[] = [];
    for (const dialect of options.dialects) runs.push(await runOne(dialect, sink, options));
    return { machine: machineLine(), runs, targets: { messagesPerSecond: 1000, ratio: 0.5, rssMb: 300 } };
  } finally {
    sink.stop();
  }
}

export function sendTargets(report: SendBenchReport): { what: string; goal: string; measured: string; pass: boolean }[] {
  return report.runs.flatMap((r) => [
    { what: `Newsletter send, ${r.dialect}: messages per second`, goal: `>= ${report.targets.messagesPerSecond}`, measured: r.messagesPerSecond.toLocaleString('en'), pass: r.messagesPerSecond >= report.targets.messagesPerSecond },
    { what: `Newsletter send, ${r.dialect}: share of the sink's limit`, goal: `>= ${report.targets.ratio}`, measured: `${r.ratio} (sink ${r.sinkMessagesPerSecond.toLocaleString('en')} msg/s)`, pass: r.ratio >= report.targets.ratio },
    { what: `Newsletter send, ${r.dialect}: peak RSS`, goal: `<= ${report.targets.rssMb} MB`, measured: `${r.rssPeakMb} MB`, pass: r.rssPeakMb <= report.targets.rssMb },
  ]);
}

function parseArgs(argv: string[]): SendBenchOptions & { report?: string } {
  const args = new Map(argv.map((a) => /^--([a-z-]+)(?:=(.*))?$/.exec(a)).map((m, i) => {
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    return [m[1]!, m[2] ?? 'true'] as const;
  }));
  const num = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const only = args.get('only');
  return {
    readers: num('readers') ?? 100_000,
    baselineMessages: num('baseline') ?? 30_000,
    connections: num('connections'),
    batchSize: num('batch'),
    dialects: only ? (only.split(',') as BenchDialect[]) : BENCH_DIALECTS,
    log: (line) => console.log(line),
    report: args.get('report'),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`Newsletter send benchmark: ${machineLine()}; load average ${loadAverage()}`);
  const options = parseArgs(process.argv.slice(2));
  runSendBench(options)
    .then((report) => {
      // bench/run.ts runs this in a child process (so its memory is this part's alone) and reads the figures here.
      if (options.report) fs.writeFileSync(options.report, JSON.stringify(report));
      for (const t of sendTargets(report)) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${t.measured} (goal ${t.goal})`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
