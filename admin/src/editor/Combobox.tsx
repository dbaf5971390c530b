/**
 * A text box with a list of suggestions (WAI-ARIA combobox with listbox popup):
 * type to filter, Up/Down to move, Enter to pick (or to create what was typed,
 * when `onCreate` is given), Escape to close. Used for bylines and tags.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { describedBy, FieldMessages } from '../components/Field';

export interface Option {
  id: number;
  label: string;
  hint?: string;
}

interface Props {
  label: string;
  options: Option[];
  onPick(option: Option): void;
  /** Enter on text that matches no option creates it. */
  onCreate?(text: string): Promise<void>;
  createLabel?(text: string): string;
  hint?: string;
  error?: string;
  disabled?: boolean;
  placeholder?: string;
}

const MAX_SHOWN = 8;

export function Combobox({ label, options, onPick, onCreate, createLabel, hint, error, disabled, placeholder }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);

  const matches = useMemo(() => {
    const q = text.trim().toLowerCase();
    const found = q ? options.filter((o) => o.label.toLowerCase().includes(q)) : options;
    return found.slice(0, MAX_SHOWN);
  }, [options, text]);
  const exact = matches.some((o) => o.label.toLowerCase() === text.trim().toLowerCase());
  const canCreate = Boolean(onCreate && text.trim() && !exact);
  // The "create" choice is the last item of the list.
  const count = matches.length + (canCreate ? 1 : 0);
  const shown = open && count > 0;

  const pick = (option: Option) => {
    onPick(option);
    setText('');
    setActive(-1);
    setOpen(false);
  };

  const create = async () => {
    if (!onCreate || busy) return;
    setBusy(true);
    try {
      await onCreate(text.trim());
      setText('');
      setOpen(false);
      setActive(-1);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (count ? (a + 1) % count : -1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (count ? (a <= 0 ? count - 1 : a - 1) : -1));
    } else if (event.key === 'Enter') {
      // Enter never submits a surrounding form from here.
      event.preventDefault();
      if (active >= 0 && active < matches.length) pick(matches[active]!);
      else if (canCreate && (active === matches.length || active < 0)) void create();
      else if (active < 0 && matches.length === 1) pick(matches[0]!);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
        setActive(-1);
      } else if (text) setText('');
    }
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;
  return (
    <div className="field combobox">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, error)}
        value={text}
        disabled={disabled || busy}
        placeholder={placeholder}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} className="combobox-list" hidden={!shown}>
        {matches.map((option, i) => (
          <li
            key={option.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the input keeps focus (blur would close the list first).
            onMouseDown={(e) => {
              e.preventDefault();
              pick(option);
            }}
          >
            {option.label}
            {option.hint ? <span className="hint"> {option.hint}</span> : null}
          </li>
        ))}
        {canCreate ? (
          <li
            id={optionId(matches.length)}
            role="option"
            aria-selected={active === matches.length}
            className="combobox-create"
            onMouseDown={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            {createLabel ? createLabel(text.trim()) : `Create “${text.trim()}”`}
          </li>
        ) : null}
      </ul>
      <FieldMessages hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}
