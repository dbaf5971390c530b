/** Above the subscriber list: address-or-name search (debounced), the newsletter, and clearing both. */
import { useEffect, useState } from 'react';
import { SelectField, TextField } from '../components/Field';
import { useDebounced, useLatest } from '../hooks';
import type { Newsletter } from '../types';
import type { SubscriberQuery } from './subscriberQuery';

export function SubscriberFilters({
  current,
  newsletters,
  onChange,
}: {
  current: SubscriberQuery;
  newsletters: Newsletter[];
  /** `replace`: typing in the search box should not add a history entry per word. */
  onChange(changes: Partial<SubscriberQuery>, options?: { replace?: boolean }): void;
}) {
  const [text, setText] = useState(current.q);
  const debounced = useDebounced(text, 300);
  const latest = useLatest({ q: current.q, onChange });

  // Typing settled: put the search in the address (only when it differs, so Back is not undone).
  useEffect(() => {
    if (debounced.trim() !== latest.current.q.trim()) latest.current.onChange({ q: debounced }, { replace: true });
  }, [debounced, latest]);

  // The address changed under us (Back, "Clear filters"): show its search.
  useEffect(() => {
    setText((shown) => (shown.trim() === current.q.trim() ? shown : current.q));
  }, [current.q]);

  // A newsletter named in the address but not (or no longer) in the list still shows as chosen.
  const known = newsletters.some((n) => String(n.id) === current.newsletterId);
  return (
    <div className="filters" role="search" aria-label="Find subscribers">
      <TextField
        className="field-search"
        label="Search by address or name"
        type="search"
        value={text}
        maxLength={200}
        autoCapitalize="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter searches now instead of waiting for the pause.
          if (e.key === 'Enter') onChange({ q: text }, { replace: true });
        }}
      />
      <SelectField label="Newsletter" value={current.newsletterId} onChange={(e) => onChange({ newsletterId: e.target.value })}>
        <option value="">All newsletters</option>
        {newsletters.map((n) => (
          <option key={n.id} value={String(n.id)}>
            {n.name}
          </option>
        ))}
        {current.newsletterId && !known ? <option value={current.newsletterId}>Newsletter {current.newsletterId}</option> : null}
      </SelectField>
      {current.q || current.newsletterId || current.status ? (
        <button
          type="button"
          className="link clear-filters"
          onClick={() => {
            setText('');
            onChange({ q: '', newsletterId: '', status: '' });
          }}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
