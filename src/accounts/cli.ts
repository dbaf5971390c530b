/**
 * `broadsheet user create --role R --email E --name N`: creates a staff account
 * from the server's shell (the way in when the setup link is lost, or for
 * scripted installs). The password is typed at a prompt (hidden, twice), read
 * from standard input with --password-stdin, or generated and printed once
 * with --generate-password. There is never a default password.
 */
import type { Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrations/index.js';
import { createLogger } from '../app.js';
import { AppError, Invalid } from '../shared/errors.js';
import { systemClock } from '../shared/clock.js';
import { createAccounts } from './module.js';
import { generatePassword } from './passwords.js';
import { isRole, ROLES } from './permissions.js';

export interface UserCreateOptions {
  email: string;
  name: string;
  role: string;
  passwordStdin?: boolean;
  generatePassword?: boolean;
}

/** Reads standard input to its end and returns the first line (the password). */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Asks for a password on the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function choosePassword(options: UserCreateOptions): Promise<{ password: string; generated: boolean }> {
  if (options.passwordStdin && options.generatePassword) throw new Error('use either --password-stdin or --generate-password, not both');
  if (options.generatePassword) return { password: generatePassword(), generated: true };
  if (options.passwordStdin) return { password: await readStdinLine(), generated: false };
  if (!process.stdin.isTTY) {
    throw new Error('no terminal to ask for a password: pipe it in with --password-stdin, or use --generate-password');
  }
  const first = await promptHidden('Password (at least 12 characters): ');
  const second = await promptHidden('Same password again: ');
  if (first !== second) throw new Error('the two passwords differ; nothing was created');
  return { password: first, generated: false };
}

/** Runs the command; returns the process exit code. */
export async function userCreate(config: Config, options: UserCreateOptions): Promise<number> {
  if (!isRole(options.role)) {
    console.error(`broadsheet: --role must be one of ${ROLES.join(', ')}`);
    return 2;
  }
  let chosen: { password: string; generated: boolean };
  try {
    chosen = await choosePassword(options);
  } catch (error) {
    console.error(`broadsheet: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const log = createLogger({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const accounts = createAccounts({ config, kysely: db.kysely, clock: systemClock, log, siteName: () => 'Broadsheet' });
    const user = await accounts.service.createUser({ email: options.email, name: options.name, role: options.role, password: chosen.password });
    console.log(`Created ${user.role} ${user.name} <${user.email}>. Sign in at ${config.publicUrl}/admin`);
    if (chosen.generated) console.log(`Password (shown once, store it now): ${chosen.password}`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const extra = error instanceof Invalid ? error.fields.filter((f) => f.message !== error.message) : [];
      const fields = extra.length ? `: ${extra.map((f) => `${f.path.replace(/^\//, '')} ${f.message}`).join('; ')}` : '';
      console.error(`broadsheet: ${error.message}${fields}`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}
