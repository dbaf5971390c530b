/**
 * Name, slug and description: the form for creating or editing a section or a
 * tag. Sends only what changed (an empty slug on create lets the server make
 * one from the name) and shows the server's refusals next to each field.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { TextArea, TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';

export interface NameSlug {
  name: string;
  slug: string;
  description: string;
}

export function NameSlugForm({
  initial,
  submitLabel,
  slugHint,
  onSave,
  onCancel,
  label,
}: {
  /** Absent: a new one. */
  initial?: NameSlug;
  submitLabel: string;
  slugHint: ReactNode;
  /** Receives only the changed fields; throws the server's error. */
  onSave(changes: Partial<NameSlug>): Promise<void>;
  onCancel?(): void;
  /** The form's accessible name ("Edit Politics"). */
  label: string;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [slug, setSlug] = useState(initial?.slug ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const submit = useSubmit();

  const changes = (): Partial<NameSlug> => {
    const out: Partial<NameSlug> = {};
    if (name !== (initial?.name ?? '')) out.name = name;
    const trimmedSlug = slug.trim();
    if (initial ? trimmedSlug !== initial.slug : trimmedSlug !== '') out.slug = trimmedSlug;
    if (description !== (initial?.description ?? '')) out.description = description;
    // A new one always names itself, even if the name field was left empty (the server then says it is required).
    if (!initial) out.name = name;
    return out;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await submit.run(() => onSave(changes()));
    if (ok && !initial) {
      setName('');
      setSlug('');
      setDescription('');
    }
  };

  return (
    <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label={label}>
      <ErrorMessage error={submit.error} />
      <TextField
        label="Name"
        required
        maxLength={80}
        // Opening a row for editing lands in its first field.
        autoFocus={initial !== undefined}
        value={name} onChange={(e) => setName(e.target.value)} error={submit.error?.field('/name')} />
      <TextField
        label="Slug"
        hint={slugHint}
        value={slug}
        maxLength={200}
        autoCapitalize="off"
        spellCheck={false}
        onChange={(e) => setSlug(e.target.value)}
        error={submit.error?.field('/slug')}
      />
      <TextArea
        label="Description"
        maxLength={500}
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={submit.error?.field('/description')}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
