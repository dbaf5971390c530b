/** The article's tags: pick from the list as you type; Enter creates a new tag (for those who may manage tags). */
import { useState } from 'react';
import { api } from '../api';
import { ErrorMessage } from '../components/Feedback';
import type { Tag } from '../types';
import { Combobox } from './Combobox';

interface Props {
  tags: Tag[];
  value: number[];
  onChange(ids: number[]): void;
  /** May create tags (tag.manage). */
  canCreate: boolean;
  onCreated(tag: Tag): void;
  disabled?: boolean;
  error?: string;
}

export function Tags({ tags, value, onChange, canCreate, onCreated, disabled, error }: Props) {
  const [createError, setCreateError] = useState<unknown>();
  const byId = new Map(tags.map((t) => [t.id, t]));
  const name = (id: number) => byId.get(id)?.name ?? `Tag ${id}`;

  const create = async (text: string) => {
    setCreateError(undefined);
    try {
      // The server answers the existing tag when one with the same slug exists.
      const tag = await api.post<Tag>('/tags', { name: text });
      onCreated(tag);
      if (!value.includes(tag.id)) onChange([...value, tag.id]);
    } catch (e) {
      setCreateError(e);
    }
  };

  return (
    <fieldset className="tags">
      <legend>Tags</legend>
      {value.length ? (
        <ul className="chips">
          {value.map((id) => (
            <li key={id} className="chip">
              {name(id)}
              <button type="button" className="chip-remove" disabled={disabled} onClick={() => onChange(value.filter((x) => x !== id))} aria-label={`Remove tag ${name(id)}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No tags yet.</p>
      )}
      <Combobox
        label="Add a tag"
        options={tags.filter((t) => !value.includes(t.id)).map((t) => ({ id: t.id, label: t.name }))}
        onPick={(option) => onChange([...value, option.id])}
        onCreate={canCreate ? create : undefined}
        createLabel={(text) => `Create tag “${text}”`}
        hint={canCreate ? 'Type to find a tag; Enter creates it if it does not exist.' : 'Type to find a tag.'}
        disabled={disabled}
        error={error}
      />
      <ErrorMessage error={createError} />
    </fieldset>
  );
}
