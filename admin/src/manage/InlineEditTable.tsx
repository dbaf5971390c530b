/**
 * A table of named things (sections, tags) whose rows open in place for
 * editing. One row is edited at a time; Cancel puts focus back on that row's
 * Edit button, and a save reports on the screen's status line.
 */
import { useState, type ReactNode } from 'react';
import { focusById } from '../forms/focus';
import { NameSlugForm, type NameSlug } from './NameSlugForm';

export interface Named extends NameSlug {
  id: number;
}

export interface ExtraColumn<T> {
  header: string;
  cell(item: T, index: number): ReactNode;
}

export function InlineEditTable<T extends Named>({
  items,
  caption,
  kind,
  slugHint,
  onSave,
  before,
  after,
  empty,
}: {
  items: T[];
  caption: string;
  /** "section", "tag": used in ids and labels. */
  kind: string;
  slugHint: ReactNode;
  /** Saves the changes (throws the server's error, which the row's form shows). */
  onSave(item: T, changes: Partial<NameSlug>): Promise<void>;
  /** Columns before and after name, slug and description. */
  before?: ExtraColumn<T>;
  after?: ExtraColumn<T>;
  empty: ReactNode;
}) {
  const [editing, setEditing] = useState<number | null>(null);
  const columns = 4 + (before ? 1 : 0) + (after ? 1 : 0);
  const editId = (id: number) => `edit-${kind}-${id}`;

  const close = (id: number) => {
    setEditing(null);
    focusById(editId(id));
  };

  if (items.length === 0) return <p>{empty}</p>;
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {before ? <th scope="col">{before.header}</th> : null}
          <th scope="col">Name</th>
          <th scope="col">Slug</th>
          <th scope="col">Description</th>
          {after ? <th scope="col">{after.header}</th> : null}
          <th scope="col">
            <span className="visually-hidden">Edit</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, index) =>
          editing === item.id ? (
            <tr key={item.id}>
              <td colSpan={columns}>
                <NameSlugForm
                  label={`Edit ${item.name}`}
                  initial={item}
                  submitLabel="Save"
                  slugHint={slugHint}
                  onSave={async (changes) => {
                    await onSave(item, changes);
                    // The status line takes focus (onSave shows it); the form goes away.
                    setEditing(null);
                  }}
                  onCancel={() => close(item.id)}
                />
              </td>
            </tr>
          ) : (
            <tr key={item.id}>
              {before ? <td>{before.cell(item, index)}</td> : null}
              <th scope="row">{item.name}</th>
              <td>
                <code>{item.slug}</code>
              </td>
              <td>{item.description}</td>
              {after ? <td>{after.cell(item, index)}</td> : null}
              <td>
                <button type="button" id={editId(item.id)} onClick={() => setEditing(item.id)} aria-label={`Edit ${item.name}`}>
                  Edit
                </button>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
