/**
 * The rules of staff accounts: first-run setup, signing in and out, password
 * reset, invitations, roles and deactivation, ownership transfer, and optional
 * two-factor sign-in. No HTTP here (see accounts.routes.ts) and no SQL (see
 * users.repository.ts).
 */
import '../shared/formats.js';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Logger } from 'pino';
import type { AuthTokenKind, AuthTokenRow, SessionRow, StaffRole, UserRow } from '../db/schema.js';
import type { Mailer } from '../email/mailer.js';
import type { Clock } from '../shared/clock.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../shared/errors.js';
import { invitationEmail, resetEmail } from './emails.js';
import { TooManyAttempts, Unauthenticated } from './errors.js';
import { hashPassword, needsRehash, passwordProblem, PASSWORD_MAX, prepareDummyHash, verifyNothing, verifyPassword } from './passwords.js';
import { canInvite, canManageStaff, type Role } from './permissions.js';
import { accountKey, addressKey, AttemptLimiter, resetKey, type LimitKey } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import { hashToken, looksLikeToken, newToken } from './tokens.js';
import { matchTotp, newTotpSecret, totpUri } from './totp.js';
import type { UsersRepository } from './users.repository.js';
import { isLostRace, isUniqueViolation } from '../db/errors.js';

// --- input schemas (shared with the routes) -----------------------------------

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
/** Sign-in and reset requests take whatever was typed: any string is a (possibly unknown) address. */
const TypedEmail = Type.String({ minLength: 1, maxLength: 320 });
/** Length is checked by the password policy with a clear message; this only bounds the work. */
const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX * 4 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Token = Type.String({ minLength: 1, maxLength: 200 });
const InvitableRole = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('author'), Type.Literal('contributor')]);
export const RoleSchema = Type.Union([Type.Literal('owner'), InvitableRole]);

export const SignInInput = Type.Object(
  { email: TypedEmail, password: Password, totp: Type.Optional(Type.String({ maxLength: 12 })) },
  { additionalProperties: false },
);
export const SetupInput = Type.Object({ token: Token, email: Email, name: Name, password: Password }, { additionalProperties: false });
export const ResetRequestInput = Type.Object({ email: TypedEmail }, { additionalProperties: false });
export const ResetCompleteInput = Type.Object({ token: Token, password: Password }, { additionalProperties: false });
export const InviteInput = Type.Object({ email: Email, name: Name, role: InvitableRole }, { additionalProperties: false });
export const AcceptInput = Type.Object({ token: Token, password: Password, name: Type.Optional(Name) }, { additionalProperties: false });
export const UserPatchInput = Type.Object(
  {
    name: Type.Optional(Name),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
    /** `false` turns off someone's two-step sign-in (they lost their phone); only they can turn it on. */
    twoFactor: Type.Optional(Type.Literal(false)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const TransferInput = Type.Object({ userId: Type.Integer({ minimum: 1 }), password: Password }, { additionalProperties: false });
export const ChangePasswordInput = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
export const TotpConfirmInput = Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false });
export const PasswordOnlyInput = Type.Object({ password: Password }, { additionalProperties: false });
export const CreateUserInput = Type.Object({ email: Email, name: Name, role: RoleSchema, password: Password }, { additionalProperties: false });

function validator<T extends TSchema>(schema: T, what: string): (input: unknown) => Static<T> {
  const compiled = TypeCompiler.Compile(schema);
  return (input) => {
    if (compiled.Check(input)) return input as Static<T>;
    const fields: { path: string; message: string }[] = [];
    for (const e of compiled.Errors(input)) {
      const path = e.path || '/';
      if (!fields.some((f) => f.path === path)) fields.push({ path, message: e.message });
      if (fields.length === 20) break;
    }
    throw new Invalid(`The ${what} has invalid fields`, fields);
  };
}

const check = {
  signIn: validator(SignInInput, 'sign-in'),
  setup: validator(SetupInput, 'setup'),
  resetRequest: validator(ResetRequestInput, 'request'),
  resetComplete: validator(ResetCompleteInput, 'request'),
  invite: validator(InviteInput, 'invitation'),
  accept: validator(AcceptInput, 'request'),
  userPatch: validator(UserPatchInput, 'change'),
  transfer: validator(TransferInput, 'request'),
  changePassword: validator(ChangePasswordInput, 'request'),
  totpConfirm: validator(TotpConfirmInput, 'request'),
  passwordOnly: validator(PasswordOnlyInput, 'request'),
  createUser: validator(CreateUserInput, 'user'),
};

// --- what the service hands out ---------------------------------------------

export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  twoFactor: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export function publicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    active: row.active === 1,
    twoFactor: row.totp_enabled === 1,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

export interface PublicInvitation {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export interface SignedIn {
  user: UserRow;
  session: SessionRow;
  /** The cookie's value: shown to nobody else, stored nowhere. */
  token: string;
}

export interface Client {
  ip: string;
  userAgent: string;
}

/** Our side failed to hand an email to the mail server. */
export class EmailFailed extends AppError {
  readonly status = 502;
  readonly code = 'email_failed';
}

export const TOKEN_LIFETIME: Record<AuthTokenKind, number> = {
  setup: 24 * 3_600_000,
  reset: 3_600_000,
  invite: 7 * 24 * 3_600_000,
};

/** Where the admin app takes each link (the token travels in the fragment, which never reaches a server log). */
const LINK_PATHS: Record<AuthTokenKind, string> = {
  setup: '/admin/setup',
  reset: '/admin/reset-password',
  invite: '/admin/accept-invitation',
};

export interface AccountsServiceDeps {
  users: UsersRepository;
  sessions: Sessions;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  publicUrl: string;
  /** The newsroom's name, for emails and authenticator apps. */
  siteName: () => string;
}

const INVALID_CREDENTIALS = 'Wrong email or password';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}


export class AccountsService {
  private readonly limiter: AttemptLimiter;
  /** Emails being sent in the background (password resets), awaited on shutdown. */
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly deps: AccountsServiceDeps) {
    this.limiter = new AttemptLimiter(deps.users, deps.clock);
    prepareDummyHash();
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  link(kind: AuthTokenKind, token: string): string {
    return `${this.deps.publicUrl}${LINK_PATHS[kind]}#token=${token}`;
  }

  // --- first run -------------------------------------------------------------

  async hasUsers(): Promise<boolean> {
    return (await this.deps.users.countUsers()) > 0;
  }

  /**
   * With no staff account yet, creates a one-time setup link (valid 24 hours,
   * usable once, and only while there is still no account) and returns it;
   * otherwise undefined. Called at start-up, which prints it.
   */
  async setupLink(): Promise<string | undefined> {
    if (await this.hasUsers()) return undefined;
    const token = await this.issueToken('setup', {});
    return this.link('setup', token);
  }

  async completeSetup(input: unknown, client: Client): Promise<SignedIn> {
    const data = check.setup(input);
    const email = normalizeEmail(data.email);
    this.assertPassword(data.password, { email, name: data.name });
    const found = await this.findUsableToken('setup', data.token);
    if (await this.hasUsers()) throw new Conflict('Broadsheet is already set up: sign in instead');
    const passwordHash = await hashPassword(data.password);
    const now = this.now().toISOString();
    const userId = await this.deps.users
      .transaction(async (trx) => {
        if ((await this.deps.users.countUsers(trx)) > 0) throw new Conflict('Broadsheet is already set up: sign in instead');
        if (!(await this.deps.users.useToken(found.id, now, trx))) throw this.badToken();
        const id = await this.deps.users.insertUser(this.newUserRow(email, data.name.trim(), 'owner', passwordHash, now), trx);
        await this.deps.users.retireTokens('setup', {}, now, trx);
        return id;
      })
      .catch((error: unknown) => {
        // Two first-run setups at once: on PostgreSQL each retires the other's link, which can deadlock; one wins.
        if (isLostRace(error)) throw new Conflict('Broadsheet is already set up: sign in instead');
        throw error;
      });
    this.deps.log.info({ userId }, 'first-run setup: owner account created');
    return this.startSession(userId, client);
  }

  /** `broadsheet user create`: the operator, with shell access, creates an account directly. */
  async createUser(input: unknown): Promise<UserRow> {
    const data = check.createUser(input);
    const email = normalizeEmail(data.email);
    this.assertPassword(data.password, { email, name: data.name });
    if (await this.deps.users.findUserByEmail(email)) throw new Conflict(`There is already an account for ${email}`);
    if (data.role === 'owner') {
      const owner = await this.deps.users.findOwner();
      if (owner) throw new Conflict(`${owner.email} is already the owner; the owner can transfer ownership from the admin`);
    }
    const now = this.now().toISOString();
    const passwordHash = await hashPassword(data.password);
    let id: number;
    try {
      id = await this.deps.users.insertUser(this.newUserRow(email, data.name.trim(), data.role, passwordHash, now));
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`There is already an account for ${email}, or already an owner`);
      throw error;
    }
    if (data.role === 'owner') await this.deps.users.retireTokens('setup', {}, now);
    return (await this.deps.users.findUserById(id))!;
  }

  // --- signing in and out ------------------------------------------------------

  async signIn(input: unknown, client: Client): Promise<SignedIn> {
    const data = check.signIn(input);
    const email = normalizeEmail(data.email);
    const keys: LimitKey[] = [accountKey(email), addressKey(client.ip)];
    await this.limiter.check(keys);
    const user = await this.deps.users.findUserByEmail(email);
    // Unknown, deactivated or password-less accounts cost the same time and get the same answer.
    const ok = user && user.active === 1 && user.password_hash ? await verifyPassword(user.password_hash, data.password) : await verifyNothing(data.password);
    if (!ok || !user) return this.failSignIn(keys, INVALID_CREDENTIALS, 'invalid_credentials');
    if (user.totp_enabled === 1 && user.totp_secret) {
      if (!data.totp) throw new Unauthenticated('Enter the 6-digit code from your authenticator app', 'totp_required');
      const step = matchTotp(user.totp_secret, data.totp, this.now());
      if (step === undefined || !(await this.deps.users.useTotpStep(user.id, step))) {
        return this.failSignIn(keys, 'That code is not right (or was already used); wait for the next one', 'invalid_totp');
      }
    }
    await this.limiter.clear(keys[0]!);
    if (needsRehash(user.password_hash!)) {
      await this.deps.users.updateUser(user.id, { password_hash: await hashPassword(data.password) });
    }
    return this.startSession(user.id, client);
  }

  private async failSignIn(keys: LimitKey[], message: string, code: string): Promise<never> {
    const waitMs = await this.limiter.fail(keys);
    if (waitMs > 0) throw new TooManyAttempts(Math.ceil(waitMs / 1000));
    throw new Unauthenticated(message, code);
  }

  private async startSession(userId: number, client: Client): Promise<SignedIn> {
    // Every way in (password, first-run setup, accepting an invitation) counts as signing in.
    await this.deps.users.updateUser(userId, { last_sign_in_at: this.now().toISOString() });
    const { token, session } = await this.deps.sessions.create(userId, client);
    // Now and then, sweep away sessions that ended without a sign-out and attempt counters long expired.
    if (session.id % 20 === 0) {
      await this.deps.sessions.prune();
      await this.limiter.prune();
    }
    const user = (await this.deps.users.findUserById(userId))!;
    return { user, session, token };
  }

  async signOut(sessionId: number): Promise<void> {
    await this.deps.sessions.revoke(sessionId);
  }

  /** Ends every session of the user, on every device and node. */
  async signOutEverywhere(userId: number): Promise<number> {
    return this.deps.sessions.revokeAll(userId);
  }

  /** Re-checks the password for a sensitive action, counting failures like sign-in does. */
  private async confirmPassword(user: UserRow, password: string, client: Client, field = '/password'): Promise<void> {
    const keys: LimitKey[] = [accountKey(user.email), addressKey(client.ip)];
    await this.limiter.check(keys);
    if (user.password_hash && (await verifyPassword(user.password_hash, password))) return;
    const waitMs = await this.limiter.fail(keys);
    if (waitMs > 0) throw new TooManyAttempts(Math.ceil(waitMs / 1000));
    throw new Invalid('Your password is not right', [{ path: field, message: 'Wrong password' }]);
  }

  async changePassword(user: UserRow, sessionId: number, input: unknown, client: Client): Promise<void> {
    const data = check.changePassword(input);
    await this.confirmPassword(user, data.currentPassword, client, '/currentPassword');
    this.assertPassword(data.newPassword, { email: user.email, name: user.name }, '/newPassword');
    const now = this.now().toISOString();
    await this.deps.users.updateUser(user.id, { password_hash: await hashPassword(data.newPassword), password_changed_at: now, updated_at: now });
    // Anyone who knew the old password is signed out; this device stays signed in.
    await this.deps.sessions.revokeAll(user.id, sessionId);
  }

  // --- password reset -------------------------------------------------------------

  /**
   * Sends a reset link when the address belongs to an active account. The
   * caller answers the same way whatever happens here (and does not wait for
   * the email), so nobody learns which addresses have accounts.
   */
  async requestPasswordReset(input: unknown, client: Client): Promise<void> {
    const data = check.resetRequest(input);
    const email = normalizeEmail(data.email);
    if (!(await this.limiter.take(resetKey(email)))) return;
    if (!(await this.limiter.take({ key: `reset-${addressKey(client.ip).key}`, policy: { maxFailures: 20, windowMs: 3_600_000, lockMs: 3_600_000 } }))) return;
    const user = await this.deps.users.findUserByEmail(email);
    if (!user || user.active !== 1) return;
    const token = await this.issueToken('reset', { userId: user.id });
    this.inBackground(this.deps.mailer.send(resetEmail(user.email, this.deps.siteName(), this.link('reset', token))), { userId: user.id });
  }

  async completePasswordReset(input: unknown): Promise<void> {
    const data = check.resetComplete(input);
    const found = await this.findUsableToken('reset', data.token);
    const user = found.user_id === null ? undefined : await this.deps.users.findUserById(found.user_id);
    if (!user || user.active !== 1) throw this.badToken();
    this.assertPassword(data.password, { email: user.email, name: user.name });
    const passwordHash = await hashPassword(data.password);
    const now = this.now().toISOString();
    await this.deps.users.transaction(async (trx) => {
      if (!(await this.deps.users.useToken(found.id, now, trx))) throw this.badToken();
      await this.deps.users.updateUser(user.id, { password_hash: passwordHash, password_changed_at: now, updated_at: now }, trx);
      await this.deps.users.retireTokens('reset', { userId: user.id }, now, trx);
      await this.deps.users.deleteSessionsOfUser(user.id, undefined, trx);
    });
    // The owner of the mailbox proved who they are: a lock-out from someone else's guessing ends.
    await this.limiter.clear(accountKey(user.email));
    this.deps.log.info({ userId: user.id }, 'password reset: new password set, every session ended');
  }

  // --- invitations -------------------------------------------------------------------

  async invite(actor: UserRow, input: unknown): Promise<PublicInvitation> {
    const data = check.invite(input);
    if (!canInvite(actor.role, data.role)) throw new Forbidden('You cannot invite staff with that role');
    const email = normalizeEmail(data.email);
    if (await this.deps.users.findUserByEmail(email)) throw new Conflict(`There is already an account for ${email}`);
    const now = this.now().toISOString();
    await this.deps.users.retireTokens('invite', { email }, now);
    const token = await this.issueToken('invite', { email, name: data.name.trim(), role: data.role, createdBy: actor.id });
    const row = (await this.deps.users.findToken('invite', hashToken(token)))!;
    try {
      await this.deps.mailer.send(invitationEmail(email, this.deps.siteName(), actor.name, data.role, this.link('invite', token)));
    } catch (error) {
      await this.deps.users.retireTokens('invite', { email }, now);
      this.deps.log.error({ err: error, to: email }, 'invitation email failed');
      throw new EmailFailed('The invitation could not be emailed: the mail server refused it. Check SMTP_URL and try again.');
    }
    return this.publicInvitation(row);
  }

  async invitations(): Promise<PublicInvitation[]> {
    const rows = await this.deps.users.pendingInvitations(this.now().toISOString());
    return rows.map((r) => this.publicInvitation(r));
  }

  async revokeInvitation(id: number): Promise<void> {
    const row = await this.deps.users.findTokenById(id);
    if (!row || row.kind !== 'invite' || row.used_at !== null) throw new NotFound('No such invitation');
    await this.deps.users.useToken(id, this.now().toISOString());
  }

  async acceptInvitation(input: unknown, client: Client): Promise<SignedIn> {
    const data = check.accept(input);
    const found = await this.findUsableToken('invite', data.token);
    const email = found.email!;
    const name = (data.name ?? found.name ?? '').trim() || email;
    this.assertPassword(data.password, { email, name });
    if (await this.deps.users.findUserByEmail(email)) throw new Conflict(`There is already an account for ${email}: sign in instead`);
    const passwordHash = await hashPassword(data.password);
    const now = this.now().toISOString();
    const role: StaffRole = found.role === 'owner' || !found.role ? 'contributor' : found.role;
    const userId = await this.deps.users
      .transaction(async (trx) => {
        if (!(await this.deps.users.useToken(found.id, now, trx))) throw this.badToken();
        return this.deps.users.insertUser(this.newUserRow(email, name, role, passwordHash, now), trx);
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new Conflict(`There is already an account for ${email}: sign in instead`);
        throw error;
      });
    this.deps.log.info({ userId, role, invitedBy: found.created_by }, 'invitation accepted');
    return this.startSession(userId, client);
  }

  // --- staff management --------------------------------------------------------------

  async listUsers(): Promise<PublicUser[]> {
    return (await this.deps.users.listUsers()).map(publicUser);
  }

  async updateUser(actor: UserRow, id: number, input: unknown): Promise<PublicUser> {
    const data = check.userPatch(input);
    const target = await this.deps.users.findUserById(id);
    if (!target) throw new NotFound('No such user');
    const roleChange = data.role !== undefined && data.role !== target.role ? data.role : undefined;
    const deactivate = data.active === false && target.active === 1;
    if (!canManageStaff(actor, target, { role: roleChange, deactivate })) {
      if (target.role === 'owner' || roleChange === 'owner') throw new Forbidden('The owner changes only by ownership transfer');
      if (actor.id === target.id) throw new Forbidden('You cannot change your own role or deactivate yourself');
      throw new Forbidden();
    }
    if (data.twoFactor === false && actor.id === target.id) throw new Forbidden('Turn off your own two-step sign-in from your account, with your password');
    const now = this.now().toISOString();
    await this.deps.users.updateUser(id, {
      ...(data.name !== undefined ? { name: data.name.trim() } : {}),
      ...(roleChange ? { role: roleChange } : {}),
      ...(data.active !== undefined ? { active: data.active ? 1 : 0 } : {}),
      ...(data.twoFactor === false ? { totp_enabled: 0, totp_secret: null, totp_last_step: null } : {}),
      updated_at: now,
    });
    if (deactivate) {
      await this.deps.sessions.revokeAll(id);
      await this.deps.users.retireTokens('reset', { userId: id }, now);
    }
    if (roleChange || deactivate || data.twoFactor === false) {
      this.deps.log.info({ actorId: actor.id, userId: id, role: roleChange, deactivated: deactivate, twoFactorOff: data.twoFactor === false }, 'staff account changed');
    }
    return publicUser((await this.deps.users.findUserById(id))!);
  }

  /** The owner hands the newsroom to another active user and becomes an admin. */
  async transferOwnership(actor: UserRow, input: unknown, client: Client): Promise<PublicUser> {
    const data = check.transfer(input);
    if (actor.role !== 'owner') throw new Forbidden('Only the owner can transfer ownership');
    await this.confirmPassword(actor, data.password, client);
    const target = await this.deps.users.findUserById(data.userId);
    if (!target || target.active !== 1) throw new Invalid('Choose an active staff member', [{ path: '/userId', message: 'No such active user' }]);
    if (target.id === actor.id) throw new Invalid('You are already the owner', [{ path: '/userId', message: 'That is you' }]);
    const now = this.now().toISOString();
    await this.deps.users.transaction(async (trx) => {
      // Demote first: the database allows one owner at a time.
      await this.deps.users.updateUser(actor.id, { role: 'admin', updated_at: now }, trx);
      await this.deps.users.updateUser(target.id, { role: 'owner', updated_at: now }, trx);
    });
    this.deps.log.info({ from: actor.id, to: target.id }, 'ownership transferred');
    return publicUser((await this.deps.users.findUserById(target.id))!);
  }

  // --- two-factor sign-in (TOTP) -------------------------------------------------

  /** Starts enrolment: a new secret to put in an authenticator app; enabled once a code is confirmed. */
  async beginTotp(user: UserRow): Promise<{ secret: string; uri: string }> {
    if (user.totp_enabled === 1) throw new Conflict('Two-step sign-in is already on; turn it off first to change the app');
    const secret = newTotpSecret();
    await this.deps.users.updateUser(user.id, { totp_secret: secret, totp_last_step: null, updated_at: this.now().toISOString() });
    return { secret, uri: totpUri(secret, this.deps.siteName(), user.email) };
  }

  async confirmTotp(user: UserRow, input: unknown): Promise<void> {
    const data = check.totpConfirm(input);
    const fresh = (await this.deps.users.findUserById(user.id))!;
    if (fresh.totp_enabled === 1) throw new Conflict('Two-step sign-in is already on');
    if (!fresh.totp_secret) throw new Conflict('Start two-step sign-in first');
    const step = matchTotp(fresh.totp_secret, data.code, this.now());
    if (step === undefined) throw new Invalid('That code is not right', [{ path: '/code', message: 'Enter the 6-digit code your app shows now' }]);
    await this.deps.users.updateUser(user.id, { totp_enabled: 1, totp_last_step: step, updated_at: this.now().toISOString() });
  }

  async disableTotp(user: UserRow, input: unknown, client: Client): Promise<void> {
    const data = check.passwordOnly(input);
    await this.confirmPassword(user, data.password, client);
    await this.deps.users.updateUser(user.id, { totp_enabled: 0, totp_secret: null, totp_last_step: null, updated_at: this.now().toISOString() });
  }

  // --- helpers -------------------------------------------------------------------

  private newUserRow(email: string, name: string, role: StaffRole, passwordHash: string, now: string) {
    return {
      email,
      name,
      role,
      password_hash: passwordHash,
      active: 1,
      totp_enabled: 0,
      password_changed_at: now,
      created_at: now,
      updated_at: now,
    };
  }

  private assertPassword(password: string, context: { email?: string; name?: string }, path = '/password'): void {
    const problem = passwordProblem(password, context);
    if (problem) throw new Invalid(problem, [{ path, message: problem }]);
  }

  private async issueToken(
    kind: AuthTokenKind,
    data: { userId?: number; email?: string; name?: string; role?: StaffRole; createdBy?: number },
  ): Promise<string> {
    const now = this.now();
    const token = newToken();
    if (kind === 'reset' && data.userId !== undefined) await this.deps.users.retireTokens('reset', { userId: data.userId }, now.toISOString());
    await this.deps.users.insertToken({
      token_hash: hashToken(token),
      kind,
      user_id: data.userId ?? null,
      email: data.email ?? null,
      name: data.name ?? null,
      role: data.role ?? null,
      created_by: data.createdBy ?? null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME[kind]).toISOString(),
    });
    // Spent tokens are kept a week (for support questions), then dropped.
    await this.deps.users.deleteSpentTokens(new Date(now.getTime() - 7 * 24 * 3_600_000).toISOString());
    return token;
  }

  private badToken(): Invalid {
    return new Invalid('This link has expired or was already used; ask for a new one', [{ path: '/token', message: 'expired or already used' }]);
  }

  private async findUsableToken(kind: AuthTokenKind, token: string): Promise<AuthTokenRow> {
    if (!looksLikeToken(token)) throw this.badToken();
    const row = await this.deps.users.findToken(kind, hashToken(token));
    if (!row || row.used_at !== null || Date.parse(row.expires_at) <= this.now().getTime()) throw this.badToken();
    return row;
  }

  private publicInvitation(row: AuthTokenRow): PublicInvitation {
    return { id: row.id, email: row.email ?? '', name: row.name ?? '', role: row.role ?? 'contributor', createdAt: row.created_at, expiresAt: row.expires_at };
  }

  private inBackground(work: Promise<void>, context: Record<string, unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.deps.log.error({ err: error, ...context }, 'account email failed'))
      .finally(() => this.sending.delete(tracked));
    this.sending.add(tracked);
  }

  /** Waits for emails still being sent (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.sending.size) await Promise.all([...this.sending]);
  }
}
