/**
 * The composition being edited, kept in localStorage per newsletter so that a
 * reload (or a crash of the tab) does not lose an editor's work. It carries the
 * Idempotency-Key of this compose session: "Send now" repeated after a lost
 * answer finds the send the first attempt started instead of starting another.
 */
import type { ComposeItem } from './composeTypes';

export interface ComposeDraft {
  items: ComposeItem[];
  intro: string;
  subject: string;
  suggestedSubject: string;
  idempotencyKey: string;
  savedAt: string;
}

const keyFor = (newsletterId: number) => `broadsheet:newsletter-compose:${newsletterId}`;

export function loadDraft(newsletterId: number): ComposeDraft | undefined {
  try {
    const raw = localStorage.getItem(keyFor(newsletterId));
    if (!raw) return undefined;
    const draft = JSON.parse(raw) as Partial<ComposeDraft>;
    // Written by another version of the admin, or edited by hand: start afresh rather than fail.
    if (!Array.isArray(draft.items) || typeof draft.subject !== 'string' || typeof draft.idempotencyKey !== 'string') return undefined;
    return { intro: '', suggestedSubject: '', savedAt: '', ...draft } as ComposeDraft;
  } catch {
    return undefined;
  }
}

export function saveDraft(newsletterId: number, draft: ComposeDraft): void {
  try {
    localStorage.setItem(keyFor(newsletterId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled (private mode): the composition still works, it just does not survive a reload.
  }
}

export function clearDraft(newsletterId: number): void {
  try {
    localStorage.removeItem(keyFor(newsletterId));
  } catch {
    // As above.
  }
}

/** A fresh key per compose session. randomUUID needs a secure context; plain-HTTP intranets get the same from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
