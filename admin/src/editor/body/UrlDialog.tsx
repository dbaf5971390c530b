/**
 * A dialog that asks for one address: the link and embed dialogs differ only in
 * wording, in how they read the address and in an extra button or preview, so
 * the checking, the error next to the field and the buttons live here once.
 */
import { useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { Dialog } from '../../components/Feedback';
import { TextField } from '../../components/Field';

export interface UrlDialogProps {
  open: boolean;
  title: string;
  /** The current address ('' when adding). */
  initial: string;
  label: string;
  hint: string;
  /** The address to apply, or null when the text is not one this dialog accepts. */
  parse(value: string): string | null;
  /** Said next to the field when `parse` refuses the text. */
  invalid: string;
  submitLabel: string;
  /** How the field hints at an address (a real `type="url"` or only the keyboard). */
  input: Pick<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode'>;
  /** Announced under the field as the text changes (what the address will become). */
  preview?(value: string): string;
  /** Buttons between the submit button and Cancel. */
  extraActions?: ReactNode;
  onApply(url: string): void;
  onClose(): void;
}

export function UrlDialog(props: UrlDialogProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      {/* Mounted only while open, so every opening starts from `initial` with no old error. */}
      {props.open ? <UrlForm {...props} /> : null}
    </Dialog>
  );
}

function UrlForm({ initial, label, hint, parse, invalid, submitLabel, input, preview, extraActions, onApply, onClose }: UrlDialogProps) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string>();
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const url = parse(value);
        if (!url) {
          setError(invalid);
          return;
        }
        onApply(url);
      }}
    >
      <TextField
        label={label}
        hint={hint}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(undefined);
        }}
        error={error}
        autoFocus
        {...input}
        autoComplete="off"
        spellCheck={false}
      />
      {preview ? (
        <p className="status" role="status">
          {preview(value)}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
        {extraActions}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
