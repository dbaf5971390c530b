/** Builds the accounts capability from the configuration: repository, sessions, mailer, service. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { createMailer, type Mailer } from '../email/mailer.js';
import type { Clock } from '../shared/clock.js';
import { AccountsService } from './accounts.service.js';
import { Sessions } from './sessions.js';
import { UsersRepository } from './users.repository.js';

export interface Accounts {
  users: UsersRepository;
  sessions: Sessions;
  mailer: Mailer;
  service: AccountsService;
}

export function createAccounts(deps: { config: Config; kysely: Kysely<Database>; clock: Clock; log: Logger; siteName: () => string }): Accounts {
  const { config, kysely, clock } = deps;
  const log = deps.log.child({ component: 'accounts' });
  const users = new UsersRepository(kysely);
  const sessions = new Sessions(users, clock, {
    idleMs: config.sessions.idleMs,
    maxMs: config.sessions.maxMs,
    secure: config.publicUrl.startsWith('https:'),
  });
  const mailer = createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, dataDir: config.dataDir, log: deps.log.child({ component: 'email' }) });
  const service = new AccountsService({ users, sessions, mailer, clock, log, publicUrl: config.publicUrl, siteName: deps.siteName });
  return { users, sessions, mailer, service };
}
