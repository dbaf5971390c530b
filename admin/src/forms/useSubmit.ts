/**
 * One form's saving state: busy while the call runs, the server's error kept
 * for the fields and the summary, and focus moved to the first error so
 * keyboard and screen-reader users land on what needs fixing.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { ApiError } from '../api';
import { toApiError } from './errors';
import { focusFirstError } from './focus';

export interface Submit<T extends HTMLElement> {
  ref: RefObject<T | null>;
  busy: boolean;
  error: ApiError | undefined;
  /** Runs `work`; true when it succeeded, false when it threw (the error is then shown and focused). */
  run(work: () => Promise<unknown>): Promise<boolean>;
  clear(): void;
}

export function useSubmit<T extends HTMLElement = HTMLFormElement>(): Submit<T> {
  const ref = useRef<T>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  // Bumped on every failure, so the same error twice still moves focus.
  const [failures, setFailures] = useState(0);

  useEffect(() => {
    if (failures > 0) focusFirstError(ref.current);
  }, [failures]);

  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setError(toApiError(e));
      setFailures((n) => n + 1);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const clear = useCallback(() => setError(undefined), []);
  return { ref, busy, error, run, clear };
}
