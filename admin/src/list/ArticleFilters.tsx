/**
 * Filters above the article list: headline search (debounced, so the list does
 * not reload on every key), section, author, label, "Mine" and "Awaiting review".
 */
import { useEffect, useState } from 'react';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { useDebounced, useLatest } from '../hooks';
import { LABELS, type Author, type Label, type Section } from '../types';
import type { ArticleQuery } from './articleQuery';
import { LABEL_NAMES } from './labels';

export function ArticleFilters({
  current,
  sections,
  authors,
  onChange,
}: {
  current: ArticleQuery;
  sections: Section[];
  authors: Author[];
  /** `replace`: typing in the search box should not add a history entry per word. */
  onChange(changes: Partial<ArticleQuery>, options?: { replace?: boolean }): void;
}) {
  const [text, setText] = useState(current.q);
  const debounced = useDebounced(text, 300);
  const latest = useLatest({ q: current.q, onChange });

  // Typing settled: put the search in the address (only when it differs, so Back is not undone).
  useEffect(() => {
    if (debounced.trim() !== latest.current.q.trim()) latest.current.onChange({ q: debounced }, { replace: true });
  }, [debounced, latest]);

  // The address changed under us (Back, a tab link, "Clear filters"): show its search.
  useEffect(() => {
    setText((shown) => (shown.trim() === current.q.trim() ? shown : current.q));
  }, [current.q]);

  const filtered = Boolean(current.q || current.sectionId || current.authorId || current.label || current.mine || current.review);

  return (
    <div className="filters" role="search" aria-label="Filter articles">
      <TextField
        className="field-search"
        label="Search headlines"
        type="search"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter searches now instead of waiting for the pause.
          if (e.key === 'Enter') onChange({ q: text }, { replace: true });
        }}
      />
      <SelectField label="Section" value={current.sectionId} onChange={(e) => onChange({ sectionId: e.target.value })}>
        <option value="">All sections</option>
        {sections.map((s) => (
          <option key={s.id} value={String(s.id)}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Author" value={current.authorId} onChange={(e) => onChange({ authorId: e.target.value })}>
        <option value="">All authors</option>
        {authors.map((a) => (
          <option key={a.id} value={String(a.id)}>
            {a.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Label" value={current.label} onChange={(e) => onChange({ label: e.target.value as Label | '' })}>
        <option value="">All labels</option>
        {LABELS.map((l) => (
          <option key={l} value={l}>
            {LABEL_NAMES[l]}
          </option>
        ))}
      </SelectField>
      <Checkbox label="Mine" checked={current.mine} onChange={(e) => onChange({ mine: e.target.checked })} />
      <Checkbox label="Awaiting review" checked={current.review} onChange={(e) => onChange({ review: e.target.checked })} />
      {filtered ? (
        <button
          type="button"
          className="link clear-filters"
          onClick={() => {
            setText('');
            onChange({ q: '', sectionId: '', authorId: '', label: '', mine: false, review: false });
          }}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
