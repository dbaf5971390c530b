/** The article's bylines in reading order: add from the author profiles, remove, move up or down (buttons, so the keyboard can do it). */
import { useEffect, useRef } from 'react';
import type { Author } from '../types';
import { Combobox } from './Combobox';

interface Props {
  authors: Author[];
  value: number[];
  onChange(ids: number[]): void;
  disabled?: boolean;
  error?: string;
}

export function Bylines({ authors, value, onChange, disabled, error }: Props) {
  const byId = new Map(authors.map((a) => [a.id, a]));
  const listRef = useRef<HTMLOListElement>(null);
  const boxRef = useRef<HTMLFieldSetElement>(null);
  // After a move the pressed button's row has moved: keep focus on the same button in its new place.
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (!refocus.current) return;
    const button = listRef.current?.querySelector<HTMLButtonElement>(`[data-focus="${refocus.current}"]`);
    refocus.current = null;
    if (button && !button.disabled) button.focus();
    else (listRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)') ?? boxRef.current?.querySelector<HTMLInputElement>('input'))?.focus();
  }, [value]);

  const move = (index: number, by: -1 | 1, key: string) => {
    const next = [...value];
    const [id] = next.splice(index, 1);
    next.splice(index + by, 0, id!);
    refocus.current = key;
    onChange(next);
  };

  const name = (id: number) => byId.get(id)?.name ?? `Author ${id}`;
  return (
    <fieldset className="bylines" ref={boxRef}>
      <legend>Bylines</legend>
      {value.length === 0 ? <p className="hint">No byline yet.</p> : null}
      <ol ref={listRef} className="byline-list">
        {value.map((id, i) => (
          <li key={id}>
            <span className="byline-name">{name(id)}</span>
            <span className="byline-actions">
              <button type="button" data-focus={`${id}-up`} disabled={disabled || i === 0} onClick={() => move(i, -1, `${id}-up`)} aria-label={`Move ${name(id)} up`}>
                ↑
              </button>
              <button
                type="button"
                data-focus={`${id}-down`}
                disabled={disabled || i === value.length - 1}
                onClick={() => move(i, 1, `${id}-down`)}
                aria-label={`Move ${name(id)} down`}
              >
                ↓
              </button>
              <button
                type="button"
                disabled={disabled}
                onClick={() => {
                  refocus.current = 'none';
                  onChange(value.filter((x) => x !== id));
                }}
                aria-label={`Remove ${name(id)}`}
              >
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      <Combobox
        label="Add a byline"
        options={authors.filter((a) => !value.includes(a.id)).map((a) => ({ id: a.id, label: a.name, hint: a.title }))}
        onPick={(option) => onChange([...value, option.id])}
        disabled={disabled}
        error={error}
        placeholder="Type a name"
      />
    </fieldset>
  );
}
