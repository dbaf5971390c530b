/** Adding, changing or removing a link on the selected text. */
import { useState } from 'react';
import { Dialog } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { normalizeLinkInput } from './links';

export function LinkDialog({
  open,
  initial,
  onApply,
  onRemove,
  onClose,
}: {
  open: boolean;
  /** The current link's address ('' for a new link). */
  initial: string;
  onApply(href: string): void;
  onRemove(): void;
  onClose(): void;
}) {
  return (
    <Dialog open={open} title={initial ? 'Edit link' : 'Add a link'} onClose={onClose}>
      {open ? <LinkForm initial={initial} onApply={onApply} onRemove={onRemove} onClose={onClose} /> : null}
    </Dialog>
  );
}

function LinkForm({ initial, onApply, onRemove, onClose }: { initial: string; onApply(href: string): void; onRemove(): void; onClose(): void }) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string>();
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const href = normalizeLinkInput(value);
        if (!href) {
          setError('This is not an address we can link to: use a web address (https://…), an email address or a page on this site (/…)');
          return;
        }
        onApply(href);
      }}
    >
      <TextField
        label="Link address"
        hint="A web address, an email address, or a page on this site starting with /"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(undefined);
        }}
        error={error}
        autoFocus
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
      />
      <div className="actions">
        <button type="submit" className="primary">
          {initial ? 'Update link' : 'Add link'}
        </button>
        {initial ? (
          <button type="button" onClick={onRemove}>
            Remove link
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
