/**
 * The `broadsheet` command line: start | serve | worker | migrate | seed-demo.
 * `npm start` runs `start`: HTTP and the job worker in one process on SQLite,
 * with a demo newsroom when the database is empty.
 */
import { Command, Option } from 'commander';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createApp, createLogger, type App } from './app.js';
import { openDatabase } from './db/connection.js';
import { migrateToLatest } from './db/migrations/index.js';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`broadsheet: invalid configuration: ${error.message}`);
      console.error('See the Configuration section of README.md for every variable.');
      process.exit(2);
    }
    throw error;
  }
}

/** Stops cleanly on SIGTERM/SIGINT: in-flight requests and jobs finish, then the database closes. */
function stopOnSignals(app: App): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      app.log.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 25 s: exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function run(mode: 'start' | 'serve' | 'worker'): Promise<void> {
  const started = performance.now();
  const config = configOrExit();
  const app = await createApp(config);
  stopOnSignals(app);
  if (mode === 'start' && config.seedDemo) {
    const { seedDemoIfEmpty } = await import('./demo/seed.js');
    const seeded = await seedDemoIfEmpty(app);
    if (seeded) app.log.info({ articles: seeded.articles }, 'the database was empty: created the demo newsroom');
  }
  const address = await app.start({ worker: mode !== 'serve', http: mode !== 'worker' });
  const ms = Math.round(performance.now() - started);
  if (address) {
    // First run: no staff account and no default password; a one-time link creates the owner.
    const setupUrl = await app.accounts.service.setupLink();
    if (setupUrl) {
      app.log.warn(
        { setupUrl },
        'no staff account yet: open the setup link (valid 24 hours) to create the owner account, or run `npx broadsheet user create --role owner --email you@example.org --name "Your Name"`',
      );
    }
    app.log.info({ address, database: app.db.dialect, ms }, `Broadsheet is ready on ${config.publicUrl}`);
    if (process.stdout.isTTY) console.log(`\n  Broadsheet is ready: ${config.publicUrl}  (admin: ${config.publicUrl}/admin)\n`);
    if (setupUrl && process.stdout.isTTY) {
      console.log(`  No staff account yet. Create the owner account in the browser (this link works once, for 24 hours):\n  ${setupUrl}\n`);
      console.log('  or from the shell: npx broadsheet user create --role owner --email you@example.org --name "Your Name"\n');
    }
  } else {
    app.log.info({ database: app.db.dialect, ms }, 'worker is running');
  }
}

const program = new Command();
program
  .name('broadsheet')
  .description('Broadsheet: a self-hosted publishing platform for independent newsrooms.\nConfiguration comes from environment variables (see README.md).')
  .showHelpAfterError();

program
  .command('start')
  .description('run the website and the job worker in one process; creates a demo newsroom in an empty database (SEED_DEMO=false to skip)')
  .action(() => run('start'));

program
  .command('serve')
  .description('run the website and APIs only (no background jobs); run `broadsheet worker` beside it')
  .action(() => run('serve'));

program
  .command('worker')
  .description('run background jobs only (scheduled publishing and later newsletters, alerts ...)')
  .action(() => run('worker'));

program
  .command('migrate')
  .description('bring the database schema up to date, then exit')
  .action(async () => {
    const config = configOrExit();
    const log = createLogger(config);
    const db = await openDatabase(config.database);
    try {
      const { applied } = await migrateToLatest(db);
      log.info({ applied, database: db.dialect }, applied.length ? 'migrations applied' : 'schema already up to date');
    } finally {
      await db.close();
    }
  });

program
  .command('seed-demo')
  .description('fill the database with the demo newsroom (articles, authors, sections, images)')
  .addOption(new Option('--force', 'add the demo content even when the database already has articles'))
  .action(async (options: { force?: boolean }) => {
    const config = configOrExit();
    const app = await createApp(config);
    try {
      const { seedDemo, seedDemoIfEmpty } = await import('./demo/seed.js');
      const result = options.force ? await seedDemo(app) : await seedDemoIfEmpty(app);
      if (result) app.log.info({ articles: result.articles }, 'demo newsroom created');
      else app.log.info('the database already has articles: nothing done (use --force to add the demo anyway)');
    } finally {
      await app.stop();
    }
  });

program
  .command('reindex')
  .description('rebuild the site search index (with a progress bar); safe while the site is serving')
  .action(async () => {
    const config = configOrExit();
    const app = await createApp(config);
    try {
      const { reindexWithProgress } = await import('./related/reindex.js');
      const report = await reindexWithProgress({ search: app.search.repository, settings: app.settings });
      app.log.info(report, 'search index rebuilt');
      if (process.stdout.isTTY) console.log(`  Search index rebuilt: ${report.articles} articles in ${(report.ms / 1000).toFixed(1)} s.`);
    } finally {
      await app.stop();
    }
  });

/** An app for a command whose standard output is its result: the log goes to standard error. */
async function appForCommand(): Promise<App> {
  const config = configOrExit();
  const logger = pino({ level: config.logLevel, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
  return createApp(config, { logger });
}

const collect = (value: string, previous: string[]) => [...previous, value];
const subscribers = program.command('subscribers').description('newsletter readers: import and export CSV files');
subscribers
  .command('import <file>')
  .description('import readers from a CSV file (with a progress bar), subscribed to the chosen newsletters; prints the summary and the invalid lines')
  .option('--newsletter <slug>', 'a newsletter to subscribe them to (repeat for several)', collect, [])
  .option('--email-column <column>', 'the column with the addresses: its header or its number (1 for the first); found by itself otherwise')
  .option('--name-column <column>', 'the column with the names ("First name+Last name" joins two; "none" for no names)')
  .option('--header', 'the first row names the columns (guessed otherwise)')
  .option('--no-header', 'the first row is a reader, not column names')
  .option('--delimiter <char>', 'the cell delimiter: , ; | or tab (guessed from the first line otherwise)')
  .option('--consent', 'required: you confirm that everyone in the file agreed to receive these newsletters')
  .option('--pending', 'readers become pending and each gets the confirmation email (a running worker sends them), instead of being subscribed at once')
  .action(async (file: string, options: { newsletter: string[]; emailColumn?: string; nameColumn?: string; header?: boolean; delimiter?: string; consent?: boolean; pending?: boolean }) => {
    const app = await appForCommand();
    try {
      const { importCommand } = await import('./newsletter/import-cli.js');
      process.exitCode = await importCommand({ imports: app.newsletters.imports, jobs: app.jobs, clock: app.clock }, file, options, { out: process.stdout, err: process.stderr });
    } finally {
      await app.stop();
    }
  });
subscribers
  .command('export')
  .description('write the readers as CSV to standard output (email, name, and status, subscribed at and source per newsletter)')
  .option('--newsletter <slug>', 'only this newsletter\'s readers')
  .addOption(new Option('--status <status>', 'only readers with this status').choices(['pending', 'subscribed', 'unsubscribed', 'bounced', 'complained']))
  .action(async (options: { newsletter?: string; status?: 'pending' | 'subscribed' | 'unsubscribed' | 'bounced' | 'complained' }) => {
    const app = await appForCommand();
    try {
      const { exportCommand } = await import('./newsletter/export-cli.js');
      process.exitCode = await exportCommand(app.newsletters.exporter, options, { out: process.stdout, err: process.stderr }, app.clock.now());
    } finally {
      await app.stop();
    }
  });

const user = program.command('user').description('manage staff accounts');
user
  .command('create')
  .description('create a staff account; the password is asked for, read from stdin, or generated (never a default)')
  .requiredOption('--email <email>', 'sign-in email address')
  .requiredOption('--name <name>', 'name shown in the newsroom')
  .addOption(new Option('--role <role>', 'role').choices(['owner', 'admin', 'editor', 'author', 'contributor']).makeOptionMandatory())
  .option('--password-stdin', 'read the password from the first line of standard input')
  .option('--generate-password', 'generate a strong password and print it once')
  .action(async (options: { email: string; name: string; role: string; passwordStdin?: boolean; generatePassword?: boolean }) => {
    const { userCreate } = await import('./accounts/cli.js');
    process.exitCode = await userCreate(configOrExit(), options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error('broadsheet:', error instanceof Error ? error.message : error);
  process.exit(1);
});
