/**
 * Server-side sessions. The browser holds an opaque random token in an
 * HttpOnly, SameSite=Lax cookie (Secure, with the `__Host-` prefix, when
 * PUBLIC_URL is https); the database holds only its SHA-256, the user, a
 * per-session CSRF token and the times that end it: `idleMs` without a
 * request, or `maxMs` after signing in, whichever comes first. Any node can
 * check any session, and signing out anywhere takes effect everywhere.
 */
import type { Clock } from '../shared/clock.js';
import type { SessionRow, UserRow } from '../db/schema.js';
import type { UsersRepository } from './users.repository.js';
import { hashToken, looksLikeToken, newToken } from './tokens.js';

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  /** Cookies only over https (PUBLIC_URL starts with https:). */
  secure: boolean;
}

export interface ActiveSession {
  session: SessionRow;
  user: UserRow;
}

export interface CookieSpec {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/';
    maxAge?: number;
    expires?: Date;
  };
}

/** How often `last_seen_at` is written: not on every request, which would make every read a write. */
const TOUCH_EVERY_MS = 60_000;

export class Sessions {
  readonly cookieName: string;

  constructor(
    private readonly repo: UsersRepository,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {
    // `__Host-` cookies are only accepted over https, for the exact host, with Path=/.
    this.cookieName = policy.secure ? '__Host-broadsheet_session' : 'broadsheet_session';
  }

  /** Starts a session: a fresh token every time (no fixation); returns the token for the cookie. */
  async create(userId: number, client: { ip: string; userAgent: string }): Promise<{ token: string; session: SessionRow }> {
    const now = this.clock.now();
    const token = newToken();
    const row = {
      token_hash: hashToken(token),
      user_id: userId,
      csrf_token: newToken(),
      ip: client.ip.slice(0, 64),
      user_agent: client.userAgent.slice(0, 300),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.policy.maxMs).toISOString(),
    };
    const id = await this.repo.insertSession(row);
    return { token, session: { id, ...row } };
  }

  /** The live session for a cookie token, or undefined (expired sessions are deleted on sight). */
  async authenticate(token: string | undefined): Promise<ActiveSession | undefined> {
    if (!token || !looksLikeToken(token)) return undefined;
    const found = await this.repo.findSession(hashToken(token));
    if (!found) return undefined;
    const { session, user } = found;
    const now = this.clock.now();
    if (!this.isLive(session, now) || user.active !== 1) {
      await this.repo.deleteSession(session.id);
      return undefined;
    }
    if (now.getTime() - Date.parse(session.last_seen_at) >= TOUCH_EVERY_MS) {
      const lastSeen = now.toISOString();
      await this.repo.touchSession(session.id, lastSeen);
      session.last_seen_at = lastSeen;
    }
    return { session, user };
  }

  isLive(session: SessionRow, now = this.clock.now()): boolean {
    const t = now.getTime();
    return Date.parse(session.expires_at) > t && Date.parse(session.last_seen_at) + this.policy.idleMs > t;
  }

  /** When this session ends if the user does nothing more. */
  endsAt(session: SessionRow): string {
    const idleEnd = Date.parse(session.last_seen_at) + this.policy.idleMs;
    return new Date(Math.min(idleEnd, Date.parse(session.expires_at))).toISOString();
  }

  async revoke(sessionId: number): Promise<void> {
    await this.repo.deleteSession(sessionId);
  }

  /** Signs the user out everywhere (optionally keeping the session making the request). */
  async revokeAll(userId: number, exceptSessionId?: number): Promise<number> {
    return this.repo.deleteSessionsOfUser(userId, exceptSessionId);
  }

  list(userId: number): Promise<SessionRow[]> {
    return this.repo.listSessionsOfUser(userId);
  }

  async prune(): Promise<void> {
    const now = this.clock.now();
    await this.repo.deleteExpiredSessions(now.toISOString(), new Date(now.getTime() - this.policy.idleMs).toISOString());
  }

  cookie(token: string, session: SessionRow): CookieSpec {
    // The cookie lives as long as the session could; the server decides sooner (idle expiry).
    const maxAge = Math.max(0, Math.floor((Date.parse(session.expires_at) - this.clock.now().getTime()) / 1000));
    return { name: this.cookieName, value: token, options: { httpOnly: true, sameSite: 'lax', secure: this.policy.secure, path: '/', maxAge } };
  }

  clearedCookie(): CookieSpec {
    return {
      name: this.cookieName,
      value: '',
      options: { httpOnly: true, sameSite: 'lax', secure: this.policy.secure, path: '/', maxAge: 0, expires: new Date(0) },
    };
  }
}
