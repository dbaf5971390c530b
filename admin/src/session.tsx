/**
 * Who is signed in, what their role may do, and what happens when the session
 * ends under them: the current page stays as it is (with any unsaved work) and
 * a dialog asks for the password again; afterwards every `onSessionRestored`
 * listener (the editor's save queue) runs.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated, setCsrfToken } from './api';
import type { SessionInfo, User } from './types';

export interface SessionState {
  user: User;
  permissions: SessionInfo['permissions'];
  /** May the user do `action`? `own`: the resource is theirs (they created it). */
  can(action: string, own?: boolean): boolean;
  signOut(): Promise<void>;
  /** Re-reads the session (after a profile change). */
  refresh(): Promise<void>;
}

interface Ctx {
  session: SessionInfo | null | undefined;
  expired: boolean;
  accept(info: SessionInfo): void;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Ctx | null>(null);

const restoredListeners = new Set<() => void>();
/** Runs after the user signs in again in the "session ended" dialog. */
export function onSessionRestored(listener: () => void): () => void {
  restoredListeners.add(listener);
  return () => restoredListeners.delete(listener);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const current = useRef<SessionInfo | null | undefined>(undefined);
  current.current = session;

  const refresh = useCallback(async () => {
    try {
      const info = await api.get<SessionInfo>('/session', { signedOut: true });
      setCsrfToken(info.csrfToken);
      setSession(info);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else throw error;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => setSession(null));
    return onUnauthenticated(() => {
      if (current.current) setExpired(true);
    });
  }, [refresh]);

  const accept = useCallback((info: SessionInfo) => {
    const wasExpired = current.current && info.user.id === current.current.user.id;
    setCsrfToken(info.csrfToken);
    if (current.current && info.user.id !== current.current.user.id) {
      // Someone else signed in on this page: nothing of the previous user's screen may stay.
      window.location.assign('/admin/');
      return;
    }
    setSession(info);
    setExpired(false);
    if (wasExpired) for (const listener of restoredListeners) listener();
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/session');
    } finally {
      setSession(null);
      window.location.assign('/admin/');
    }
  }, []);

  const value = useMemo(() => ({ session, expired, accept, signOut, refresh }), [session, expired, accept, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionContext(): Ctx {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSessionContext outside SessionProvider');
  return ctx;
}

export function permits(permissions: SessionInfo['permissions'], action: string, own = false): boolean {
  const level = permissions[action] ?? 'none';
  return level === 'any' || (level === 'own' && own);
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useSession(): SessionState {
  const { session, signOut, refresh } = useSessionContext();
  if (!session) throw new Error('useSession needs a signed-in user');
  return useMemo(
    () => ({
      user: session.user,
      permissions: session.permissions,
      can: (action: string, own = false) => permits(session.permissions, action, own),
      signOut,
      refresh,
    }),
    [session, signOut, refresh],
  );
}
