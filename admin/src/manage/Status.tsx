/**
 * A screen's confirmation line ("Saved."): a polite live region that can also
 * take focus, so after a form closes or saves, focus lands on the outcome
 * instead of falling back to the page.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { StatusMessage } from '../components/Feedback';

export interface StatusState {
  message: string;
  /** Shows `text`; `focus` (default true) moves keyboard focus to it. */
  show(text: string, focus?: boolean): void;
  ref: RefObject<HTMLDivElement | null>;
}

export function useStatus(): StatusState {
  const ref = useRef<HTMLDivElement>(null);
  const [message, setMessage] = useState('');
  const [focusRequests, setFocusRequests] = useState(0);
  useEffect(() => {
    if (focusRequests > 0) ref.current?.focus();
  }, [focusRequests]);
  const show = useCallback((text: string, focus = true) => {
    setMessage(text);
    if (focus) setFocusRequests((n) => n + 1);
  }, []);
  return { message, show, ref };
}

export function StatusArea({ status }: { status: StatusState }) {
  return (
    <div ref={status.ref} tabIndex={-1} className="status-area">
      <StatusMessage>{status.message}</StatusMessage>
    </div>
  );
}
