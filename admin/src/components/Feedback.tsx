/** Messages for a whole form or screen: errors are alerts, confirmations are polite status updates. */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError } from '../api';

export function ErrorMessage({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (!error && !children) return null;
  const message = children ?? (error instanceof Error ? error.message : String(error));
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {fields.length > 1 ? (
        <ul>
          {fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Always rendered (empty when quiet) so screen readers announce changes to it. */
export function StatusMessage({ children }: { children?: ReactNode }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {children}
    </p>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

/** A native modal <dialog>: focus stays inside, Escape closes it, focus returns to the opener. */
export function Dialog({
  open,
  title,
  onClose,
  children,
  dismissable = true,
}: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  /** false: Escape does not close it (the user must act, e.g. sign in again). */
  dismissable?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        if (!dismissable) event.preventDefault();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onCancel}>
      <div>{message}</div>
      <div className="actions">
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
