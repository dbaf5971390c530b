/**
 * Subscriber CSV import benchmark (issue 5; docs/PERFORMANCE.md, "Newsletters"):
 * a 100,000-row CSV (address and name, a header row, a few duplicates and bad
 * addresses as real lists have) imported into one newsletter through the
 * import service, from the upload (`create`: decoding, column detection,
 * storing the file, queueing the job) to done (the job drained as the worker
 * runs it: the counting pass, batches of 2,000 with their progress), on a
 * fresh SQLite file and a fresh PostgreSQL schema. Time and this process's
 * peak resident memory (sampled every 100 ms).
 *
 *   node dist/bench/newsletter-import.js [--rows=100000] [--only=sqlite|postgres] [--report=file.json]
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BENCH_DIALECTS, benchApp, freshDatabase, loadAverage, machineLine, round, rssMb, rssSampler, type BenchDialect } from './newsletter-support.js';

export interface ImportBenchOptions {
  rows: number;
  dialects: readonly BenchDialect[];
  log?: (line: string) => void;
}

export interface ImportFigures {
  dialect: BenchDialect;
  database: string;
  rows: number;
  fileMb: number;
  /** `create`: read, map and store the file, queue the job. */
  uploadMs: number;
  seconds: number;
  rowsPerSecond: number;
  created: number;
  duplicates: number;
  invalid: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  loadAverage: string;
}

export interface ImportBenchReport {
  machine: string;
  runs: ImportFigures[];
  targets: { seconds: number };
}

/** The file: every 500th row repeats an earlier address in another case, every 1,000th is not an address. */
export function benchCsv(rows: number): { csv: Buffer; duplicates: number; invalid: number } {
  const lines = ['Email,Name'];
  let duplicates = 0;
  let invalid = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % 1000 === 0) {
      lines.push(`not an address ${i},Nobody`);
      invalid++;
    } else if (i % 500 === 0) {
      lines.push(`READER${i - 1}@Example.NET,Again`);
      duplicates++;
    } else lines.push(`reader${i}@example.net,"Reader ${i}, Esq."`);
  }
  return { csv: Buffer.from(lines.join('\r\n') + '\r\n'), duplicates, invalid };
}

async function runOne(dialect: BenchDialect, options: ImportBenchOptions): Promise<ImportFigures> {
  const log = options.log ?? (() => undefined);
  const database = freshDatabase(dialect, 'newsletter-import');
  const app = await benchApp(database);
  try {
    const newsletter = await app.newsletters.newsletters.create({ name: 'Morning Briefing' });
    const { csv, duplicates, invalid } = benchCsv(options.rows);
    global.gc?.();
    const rssBeforeMb = rssMb();
    const sampler = rssSampler(100);
    const started = performance.now();
    const created = await app.newsletters.imports.create({
      filename: 'readers.csv',
      data: csv,
      newsletters: [newsletter.slug],
      mapping: {},
      consent: true,
      importer: { userId: null, label: 'bench' },
    });
    const uploadMs = performance.now() - started;
    await app.runner.drain();
    const seconds = (performance.now() - started) / 1000;
    const rssPeakMb = sampler.stop();
    const done = await app.newsletters.imports.get(created.id);
    const expected = options.rows - duplicates - invalid;
    if (done.status !== 'done' || done.created !== expected || done.duplicates !== duplicates || done.invalid !== invalid) {
      throw new Error(`${dialect}: the import is ${done.status} (${done.error ?? ''}) with created ${done.created} of ${expected}, duplicates ${done.duplicates}, invalid ${done.invalid}`);
    }
    const figures: ImportFigures = {
      dialect,
      database: database.label,
      rows: options.rows,
      fileMb: round(csv.length / 1024 / 1024, 1),
      uploadMs: round(uploadMs),
      seconds: round(seconds, 1),
      rowsPerSecond: round(options.rows / seconds),
      created: done.created,
      duplicates: done.duplicates,
      invalid: done.invalid,
      rssBeforeMb: round(rssBeforeMb),
      rssPeakMb: round(rssPeakMb),
      loadAverage: loadAverage(),
    };
    log(
      `  ${dialect}: ${options.rows.toLocaleString('en')} rows (${figures.fileMb} MB) in ${figures.seconds} s (upload ${figures.uploadMs} ms) = ${figures.rowsPerSecond.toLocaleString('en')} rows/s; ` +
        `created ${done.created.toLocaleString('en')}, duplicates ${done.duplicates}, invalid ${done.invalid}; RSS ${figures.rssBeforeMb} -> peak ${figures.rssPeakMb} MB; load ${figures.loadAverage}`,
    );
    return figures;
  } finally {
    await app.stop();
    await database.drop();
  }
}

export async function runImportBench(options: ImportBenchOptions): Promise<ImportBenchReport> {
  const runs: ImportFigures[] = [];
  for (const dialect of options.dialects) runs.push(await runOne(dialect, options));
  return { machine: machineLine(), runs, targets: { seconds: 10 } };
}

export function importTargets(report: ImportBenchReport): { what: string; goal: string; measured: string; pass: boolean }[] {
  return report.runs.map((r) => ({
    what: `Subscriber import, ${r.dialect}: ${r.rows.toLocaleString('en')} rows, upload to done`,
    goal: `<= ${report.targets.seconds} s`,
    measured: `${r.seconds} s (peak RSS ${r.rssPeakMb} MB)`,
    pass: r.seconds <= report.targets.seconds,
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = new Map(process.argv.slice(2).map((a) => {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    return [m[1]!, m[2] ?? 'true'] as const;
  }));
  const only = args.get('only');
  console.log(`Subscriber import benchmark: ${machineLine()}; load average ${loadAverage()}`);
  runImportBench({ rows: Number(args.get('rows') ?? 100_000), dialects: only ? (only.split(',') as BenchDialect[]) : BENCH_DIALECTS, log: (l) => console.log(l) })
    .then((report) => {
      // bench/run.ts runs this in a child process (so its memory is this part's alone) and reads the figures here.
      if (args.get('report')) fs.writeFileSync(args.get('report')!, JSON.stringify(report));
      for (const t of importTargets(report)) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${t.measured} (goal ${t.goal})`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
