/**
 * Where keyboard focus goes after a save: to the first field the server refused
 * (or the error summary when no field is named), or back to a control that
 * stays on screen. Runs after React has painted the change.
 */

export function afterPaint(work: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(work));
}

/** Focuses the first invalid field inside `container`, else its error summary. */
export function focusFirstError(container: HTMLElement | null): void {
  if (!container) return;
  const field = container.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (field) {
    field.focus();
    return;
  }
  const summary = container.querySelector<HTMLElement>('.notice-error');
  if (summary) {
    summary.tabIndex = -1;
    summary.focus();
  }
}

/** Focuses the element with this id once it is on screen (after a row closes its editor, say). */
export function focusById(id: string): void {
  afterPaint(() => document.getElementById(id)?.focus());
}
