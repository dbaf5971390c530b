/** Dated corrections, clarifications and updates shown to readers under a published article. */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/Feedback';
import { SelectField, TextArea } from '../components/Field';
import { formatDateTime } from '../format';
import { useSubmit } from '../forms/useSubmit';
import type { Correction } from '../types';

const KINDS: { value: Correction['kind']; label: string }[] = [
  { value: 'correction', label: 'Correction' },
  { value: 'clarification', label: 'Clarification' },
  { value: 'update', label: 'Update' },
];

interface Props {
  items: Correction[];
  timeZone: string;
  /** correction.manage, on a published article */
  canAdd: boolean;
  onAdd(kind: Correction['kind'], text: string): Promise<void>;
}

export function Corrections({ items, timeZone, canAdd, onAdd }: Props) {
  const [kind, setKind] = useState<Correction['kind']>('correction');
  const [text, setText] = useState('');
  const { busy, error, run } = useSubmit();
  const [done, setDone] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    void run(async () => {
      await onAdd(kind, text.trim());
      setText('');
      setDone('Added. Readers see it under the article.');
    });
  };

  if (!items.length && !canAdd) return null;
  const fieldError = (path: string) => error?.field(path);
  return (
    <section className="panel corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">Corrections</h2>
      {items.length ? (
        <ul className="correction-list">
          {items.map((c) => (
            <li key={c.id}>
              <strong>{KINDS.find((k) => k.value === c.kind)?.label ?? c.kind}</strong>, {formatDateTime(c.createdAt, timeZone)}: {c.text}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">None.</p>
      )}
      {canAdd ? (
        <form onSubmit={(e) => void submit(e)}>
          <SelectField label="Kind" value={kind} error={fieldError('/kind')} onChange={(e) => setKind(e.target.value as Correction['kind'])}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </SelectField>
          <TextArea label="What was wrong, and what is right" value={text} required maxLength={5000} rows={3} error={fieldError('/text')} onChange={(e) => setText(e.target.value)} />
          {error && !fieldError('/text') && !fieldError('/kind') ? <ErrorMessage error={error} /> : null}
          <div className="actions">
            <button type="submit" disabled={busy || !text.trim()}>
              Add {kind}
            </button>
          </div>
          <p className="status" role="status">
            {done}
          </p>
        </form>
      ) : null}
    </section>
  );
}
