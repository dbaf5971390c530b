/** Asking for the address of a post or video to embed. */
import { useState } from 'react';
import { Dialog } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { describeEmbed, PROVIDER_NAMES } from './links';

export function EmbedDialog({ open, initial, onApply, onClose }: { open: boolean; initial: string; onApply(url: string): void; onClose(): void }) {
  return (
    <Dialog open={open} title={initial ? 'Change the embed' : 'Embed a post or video'} onClose={onClose}>
      {open ? <EmbedForm initial={initial} onApply={onApply} onClose={onClose} /> : null}
    </Dialog>
  );
}

function EmbedForm({ initial, onApply, onClose }: { initial: string; onApply(url: string): void; onClose(): void }) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string>();
  const info = value.trim() ? describeEmbed(value) : null;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const found = describeEmbed(value);
        if (!found) {
          setError('Paste the full address of the post or video, starting with https://');
          return;
        }
        onApply(found.url);
      }}
    >
      <TextField
        label="Address of the post or video"
        hint="YouTube, X, Instagram, Facebook or Bluesky; any other address shows as a link card. Readers see a link: nothing loads from the other site until they follow it."
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(undefined);
        }}
        error={error}
        autoFocus
        type="url"
        autoComplete="off"
        spellCheck={false}
      />
      <p className="status" role="status">
        {info ? (info.provider === 'link' ? `A link card for ${info.host}` : `${PROVIDER_NAMES[info.provider]} embed`) : ''}
      </p>
      <div className="actions">
        <button type="submit" className="primary">
          {initial ? 'Change' : 'Embed'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
