/**
 * The editor's save queue, with no React in it. It owns the working copy of an
 * article's fields and the copy the server last confirmed (`base`, with its
 * `version`), and keeps them in step:
 *
 * - every edit is written synchronously to localStorage before anything is sent,
 *   so a crash, a closed tab or a lost connection never loses typed words;
 * - edits are saved (PATCH with the changed fields and `version`) 2 s after typing
 *   stops and at most every 10 s while it goes on; a new article is created (POST)
 *   by the first save that has a headline;
 * - one request at a time; network failures and 5xx are retried with backoff
 *   (2 s, 4 s, 8 s … 30 s) or at once when `resume()` is called (online again);
 * - a 401 waits for `resume()` (after signing in again); a 409 stops everything
 *   until the user decides (`overwrite` or `reset`); a 400 waits for the next edit;
 * - published articles are not autosaved: changes go live only when the user
 *   saves or updates (they are still kept on this device until then).
 */
import { ApiError } from '../api';
import type { Article, ArticleFields } from '../types';
import { changedFields, emptyFields, FIELD_KEYS, pickFields, sameValue } from './fields';

export type SaveState =
  | { kind: 'clean' }
  | { kind: 'pending' } // changes waiting for the timer
  | { kind: 'saving' }
  | { kind: 'needs-headline' } // a new article cannot be created without one
  | { kind: 'manual' } // published: changes wait for an explicit save
  | { kind: 'retrying'; error: ApiError; retryAt: number }
  | { kind: 'session' } // signed out: waiting for the user to sign in again
  | { kind: 'conflict'; error: ApiError }
  | { kind: 'invalid'; error: ApiError }
  | { kind: 'failed'; error: ApiError };

export interface SaveExtras {
  markUpdated?: boolean;
  note?: string;
}

export interface Transport {
  create(fields: Partial<ArticleFields>): Promise<Article>;
  patch(id: number, body: Partial<ArticleFields> & SaveExtras & { version: number }, keepalive: boolean): Promise<Article>;
}

/** What localStorage holds for an article: the unsaved fields and the version they were made from. */
export interface LocalCopy {
  baseVersion: number | null;
  fields: Partial<ArticleFields>;
  at: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Snapshot {
  id: number | null;
  working: ArticleFields;
  /** The latest article the server answered (status, dates, corrections); null before creation. */
  server: Article | null;
  state: SaveState;
  /** Changes every time the working copy is replaced from outside (restore, "take their version"). */
  resetCount: number;
  dirty: boolean;
  savedAt: number | null;
}

export interface AutosaverOptions {
  server: Article | null;
  /** Local changes to start from (restored from this device). */
  restored?: LocalCopy | null;
  transport: Transport;
  storage: KeyValueStore;
  /** localStorage key for an article id (null: a new article). */
  storageKey(id: number | null): string;
  onCreated?(article: Article): void;
  debounceMs?: number;
  maxWaitMs?: number;
}

const STOPPED = new Set<SaveState['kind']>(['conflict', 'session', 'retrying']);

export class Autosaver {
  private id: number | null;
  private server: Article | null;
  private base: ArticleFields;
  private version: number;
  private working: ArticleFields;
  private state: SaveState = { kind: 'clean' };
  private resetCount = 0;
  private savedAt: number | null = null;
  private snapshot: Snapshot;
  private listeners = new Set<() => void>();
  private inFlight: Promise<void> | null = null;
  private actions = 0; // workflow actions running: saves wait for them
  private debounceTimer: ReturnType<typeof setTimeout> | undefined;
  private maxTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private active = true;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: AutosaverOptions) {
    this.debounceMs = options.debounceMs ?? 2000;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.server = options.server;
    this.id = options.server?.id ?? null;
    this.base = options.server ? pickFields(options.server) : emptyFields();
    this.version = options.server?.version ?? 0;
    this.working = { ...this.base, ...(options.restored?.fields ?? {}) };
    // Changes made from an older version are sent with that version: if someone saved since, the server
    // answers 409 and the user chooses, instead of the restored text silently overwriting theirs.
    if (options.restored?.baseVersion != null) this.version = Math.max(1, Math.min(this.version, options.restored.baseVersion));
    this.snapshot = this.makeSnapshot();
    if (this.changes()) this.setState(this.idleState());
  }

  // --- reading -----------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  hasUnsaved(): boolean {
    return this.changes() !== null;
  }

  get currentVersion(): number {
    return this.version;
  }

  // --- editing -----------------------------------------------------------------------

  edit(patch: Partial<ArticleFields>): void {
    this.working = { ...this.working, ...patch };
    this.writeLocal();
    if (this.changes() === null) {
      if (this.state.kind !== 'saving' && !STOPPED.has(this.state.kind)) this.setState({ kind: 'clean' });
      else this.emit();
      return;
    }
    if (!STOPPED.has(this.state.kind) && this.state.kind !== 'saving') this.setState(this.idleState());
    else this.emit();
    this.schedule();
  }

  /** Saves now and keeps saving until clean or stuck; true when everything is saved. */
  async saveNow(extras?: SaveExtras): Promise<boolean> {
    this.clearTimer('retryTimer');
    for (let round = 0; round < 5; round++) {
      if (this.inFlight) await this.inFlight;
      const forced = extras !== undefined && round === 0;
      if (!forced && this.changes() === null) {
        if (!STOPPED.has(this.state.kind)) this.setState({ kind: 'clean' });
        return this.state.kind === 'clean';
      }
      if (this.state.kind === 'conflict' || this.state.kind === 'session') return false;
      await this.save({ keepalive: false, extras, force: forced });
      const kind = this.state.kind;
      if (kind !== 'clean' && kind !== 'pending' && kind !== 'manual') return false;
    }
    return this.changes() === null;
  }

  /** The page is going away (hidden, unloading, unmounting): send what is pending, if we may. */
  flush(): void {
    this.clearTimer('debounceTimer');
    this.clearTimer('maxTimer');
    if (this.inFlight || this.actions || this.id === null) return; // a new article stays on this device: a lost POST answer would duplicate it
    if (STOPPED.has(this.state.kind) || this.isManual() || this.changes() === null) return;
    void this.save({ keepalive: true });
  }

  /** Online again, or signed in again: retry at once. */
  resume(): void {
    if (this.state.kind === 'retrying' || this.state.kind === 'session' || this.state.kind === 'failed') {
      this.clearTimer('retryTimer');
      this.setState(this.idleState());
      if (!this.isManual()) void this.save({ keepalive: false });
    }
  }

  /**
   * The screen closed (false) or opened again (true, also React's StrictMode re-mount): an inactive
   * saver finishes a request in flight but starts no timer and no retry, so a later editor of the
   * same article never races it.
   */
  setActive(active: boolean): void {
    this.active = active;
    if (!active) this.stop();
  }

  /** Stops the timers (a workflow action runs; the page unmounts). */
  stop(): void {
    this.clearTimer('debounceTimer');
    this.clearTimer('maxTimer');
    this.clearTimer('retryTimer');
  }

  // --- workflow and conflicts ----------------------------------------------------------

  /**
   * Runs a workflow action (publish, submit, restore …) with no save in flight and none
   * starting meanwhile; `run` gets the current version and answers the server's article (or
   * null when it has nothing newer). Its answer becomes the new base only if it is exactly
   * one save after ours; otherwise someone else saved too, and the next save will say so.
   */
  async act(run: (version: number) => Promise<Article | null>, options: { reset?: boolean } = {}): Promise<Article | null> {
    if (this.inFlight) await this.inFlight;
    this.actions++;
    this.stop();
    const before = this.version;
    try {
      const article = await run(before);
      if (article) {
        const previous = this.server;
        this.server = article;
        if (options.reset) this.replace(article);
        else if (article.version === before + 1 || article.version === before) this.rebase(article, {}, previous);
      }
      return article;
    } catch (error) {
      if (error instanceof ApiError && isVersionConflict(error)) this.setState({ kind: 'conflict', error });
      throw error;
    } finally {
      this.actions--;
      if (this.changes()) {
        if (!STOPPED.has(this.state.kind)) this.setState(this.idleState());
        this.schedule();
      } else if (!STOPPED.has(this.state.kind)) this.setState({ kind: 'clean' });
      this.emit();
    }
  }

  /**
   * "Keep my version": the user chose to overwrite. The fields they changed are saved over the
   * server's current copy; fields they did not touch take the other person's values (nothing of
   * theirs is lost that the user did not change).
   */
  async overwrite(current: Article): Promise<boolean> {
    const mine = this.changes() ?? {};
    const theirs = pickFields(current);
    this.server = current;
    this.base = theirs;
    this.version = current.version;
    const bodyChanges = !('body' in mine) && !sameValue(this.working.body, theirs.body);
    this.working = { ...theirs, ...mine };
    if (bodyChanges) this.resetCount++; // the body editor shows their text
    this.writeLocal();
    this.setState(this.idleState());
    return this.saveNow();
  }

  /** "Take their version" (or a restored revision): the server's copy replaces the working copy. */
  reset(article: Article): void {
    this.stop();
    this.server = article;
    this.replace(article);
  }

  // --- internals -------------------------------------------------------------------

  private replace(article: Article): void {
    this.base = pickFields(article);
    this.version = article.version;
    this.working = pickFields(article);
    this.resetCount++;
    this.failures = 0;
    this.writeLocal();
    this.setState({ kind: 'clean' });
  }

  private isManual(): boolean {
    return this.server?.status === 'published';
  }

  private idleState(): SaveState {
    if (this.id === null && !this.working.headline.trim()) return { kind: 'needs-headline' };
    return this.isManual() ? { kind: 'manual' } : { kind: 'pending' };
  }

  private changes(): Partial<ArticleFields> | null {
    return changedFields(this.working, this.base);
  }

  private schedule(): void {
    if (!this.active || this.isManual() || STOPPED.has(this.state.kind) || this.actions) return;
    this.clearTimer('debounceTimer');
    this.debounceTimer = setTimeout(() => void this.save({ keepalive: false }), this.debounceMs);
    this.maxTimer ??= setTimeout(() => void this.save({ keepalive: false }), this.maxWaitMs);
  }

  private save(opts: { keepalive: boolean; extras?: SaveExtras; force?: boolean }): Promise<void> {
    this.clearTimer('debounceTimer');
    this.clearTimer('maxTimer');
    if (this.inFlight) return this.inFlight;
    if (this.actions) return Promise.resolve();
    const changes = this.changes();
    if (!changes && !opts.force) {
      if (!STOPPED.has(this.state.kind)) this.setState({ kind: 'clean' });
      return Promise.resolve();
    }
    if (this.id === null && !this.working.headline.trim()) {
      this.setState({ kind: 'needs-headline' });
      return Promise.resolve();
    }
    const sent = changes ?? {};
    const sentWorking = this.working;
    this.setState({ kind: 'saving' });
    const creating = this.id === null;
    const request = creating
      ? this.options.transport.create(sent)
      : this.options.transport.patch(this.id!, { ...sent, ...opts.extras, version: this.version }, opts.keepalive);
    this.inFlight = request.then(
      (article) => this.saved(article, sent, sentWorking, creating),
      (error: unknown) => this.failed(error),
    );
    return this.inFlight;
  }

  private saved(article: Article, sent: Partial<ArticleFields>, sentWorking: ArticleFields, created: boolean): void {
    this.inFlight = null;
    this.failures = 0;
    this.savedAt = Date.now();
    const previous = this.server;
    this.server = article;
    if (created) {
      this.id = article.id;
      this.options.storage.removeItem(this.options.storageKey(null));
      // Fields the create left to the server (the slug): adopt its values unless the user changed them meanwhile.
      const adopted: Record<string, unknown> = {};
      for (const key of FIELD_KEYS) {
        if (!(key in sent) && sameValue(this.working[key], sentWorking[key])) adopted[key] = article[key];
      }
      this.working = { ...this.working, ...(adopted as Partial<ArticleFields>) };
    }
    this.rebase(article, sent, previous);
    this.writeLocal();
    if (created) this.options.onCreated?.(article);
    if (this.changes()) {
      this.setState(this.idleState());
      this.schedule();
    } else this.setState({ kind: 'clean' });
  }

  /**
   * The server's answer becomes the comparison base. Fields we sent keep the value we sent
   * (the server trims text; comparing against its trimmed copy would save again forever);
   * fields it changed on its own are taken from it.
   */
  private rebase(article: Article, sent: Partial<ArticleFields>, previous: Article | null): void {
    const next = { ...this.base } as Record<string, unknown>;
    const fromServer = pickFields(article) as unknown as Record<string, unknown>;
    for (const key of FIELD_KEYS) {
      if (key in sent) next[key] = (sent as Record<string, unknown>)[key];
      else if (!previous || !sameValue(fromServer[key], (previous as unknown as Record<string, unknown>)[key])) next[key] = fromServer[key];
    }
    this.base = next as unknown as ArticleFields;
    this.version = article.version;
  }

  private failed(error: unknown): void {
    this.inFlight = null;
    const e = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
    if (e.isNetwork || e.status >= 500) {
      this.failures++;
      const delay = Math.min(2000 * 2 ** (this.failures - 1), 30_000);
      this.clearTimer('retryTimer');
      if (this.active) this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.state.kind === 'retrying') {
          this.setState(this.idleState());
          void this.save({ keepalive: false });
        }
      }, delay);
      this.setState({ kind: 'retrying', error: e, retryAt: Date.now() + delay });
    } else if (e.status === 401) {
      this.setState({ kind: 'session' });
    } else if (isVersionConflict(e)) {
      this.setState({ kind: 'conflict', error: e });
    } else if (e.status === 400) {
      this.setState({ kind: 'invalid', error: e });
    } else {
      this.setState({ kind: 'failed', error: e });
    }
  }

  private writeLocal(): void {
    const key = this.options.storageKey(this.id);
    const changes = this.changes();
    try {
      if (!changes) this.options.storage.removeItem(key);
      else {
        const copy: LocalCopy = { baseVersion: this.id === null ? null : this.version, fields: changes, at: new Date().toISOString() };
        this.options.storage.setItem(key, JSON.stringify(copy));
      }
    } catch {
      // Storage full or disabled (private mode): saving to the server still works; nothing else to do.
    }
  }

  private clearTimer(name: 'debounceTimer' | 'maxTimer' | 'retryTimer'): void {
    if (this[name] !== undefined) clearTimeout(this[name]);
    this[name] = undefined;
  }

  private setState(state: SaveState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private makeSnapshot(): Snapshot {
    return {
      id: this.id,
      working: this.working,
      server: this.server,
      state: this.state,
      resetCount: this.resetCount,
      dirty: this.changes() !== null,
      savedAt: this.savedAt,
    };
  }
}

/** A stale-version 409 (someone saved meanwhile), as opposed to other conflicts ("already published"). */
export function isVersionConflict(error: ApiError): boolean {
  return error.status === 409 && typeof error.details.currentVersion === 'number';
}

/** The unsaved changes this device holds for an article, if any. */
export function readLocalCopy(storage: KeyValueStore, key: string): LocalCopy | null {
  try {
    const text = storage.getItem(key);
    if (!text) return null;
    const copy = JSON.parse(text) as LocalCopy;
    return copy && typeof copy.fields === 'object' ? copy : null;
  } catch {
    return null;
  }
}
