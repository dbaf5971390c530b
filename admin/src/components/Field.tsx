/**
 * Labelled form controls. Each error sits next to its field, is tied to it with
 * aria-describedby and aria-invalid, and is read out by screen readers.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Common {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
}

/** The `aria-describedby` value for a control with this hint and error (undefined when it has neither). */
export function describedBy(hintId: string, errorId: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
}

/** The hint and the error under a control; the combobox shows them too. */
export function FieldMessages({ hintId, errorId, hint, error }: { hintId: string; errorId: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

/**
 * One labelled control: the label, hint and error around it, and the id and ARIA
 * that tie them together. The control's own props may name its id.
 */
function Labelled({ label, error, hint, className, givenId, control }: Common & { className?: string; givenId?: string; control(aria: ControlAria): ReactNode }) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(`${id}-hint`, `${id}-error`, hint, error) })}
      <FieldMessages hintId={`${id}-hint`} errorId={`${id}-error`} hint={hint} error={error} />
    </div>
  );
}

interface ControlAria {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function TextField({ label, error, hint, className, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return <Labelled label={label} error={error} hint={hint} className={className} givenId={input.id} control={(aria) => <input {...input} {...aria} />} />;
}

export function TextArea({ label, error, hint, className, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Labelled label={label} error={error} hint={hint} className={className} givenId={input.id} control={(aria) => <textarea {...input} {...aria} />} />;
}

export function SelectField({ label, error, hint, className, children, ...select }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      className={className}
      givenId={select.id}
      control={(aria) => (
        <select {...select} {...aria}>
          {children}
        </select>
      )}
    />
  );
}

export function Checkbox({ label, hint, ...input }: { label: ReactNode; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field field-check">
      <input type="checkbox" id={id} {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
