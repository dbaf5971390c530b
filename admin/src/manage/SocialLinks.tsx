/**
 * An author's profile links as rows of network + address (x, bluesky,
 * website…). Rows are edited freely and turned into the `{ network: url }`
 * object the API stores; empty rows are dropped.
 */
import { useId, useRef } from 'react';
import { ApiError } from '../api';
import { TextField } from '../components/Field';
import { focusById } from '../forms/focus';

export interface LinkRow {
  row: number;
  network: string;
  url: string;
}

const SUGGESTED = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram', 'threads', 'linkedin', 'youtube', 'tiktok', 'website'];

export function rowsFromSocial(social: Record<string, string>): LinkRow[] {
  return Object.entries(social).map(([network, url], row) => ({ row, network, url }));
}

/** The API's object, or a 400-style error naming a network listed twice (the server would keep only one). */
export function socialFromRows(rows: LinkRow[]): Record<string, string> | ApiError {
  const out: Record<string, string> = {};
  for (const { network, url } of rows) {
    const key = network.trim().toLowerCase();
    if (!key && !url.trim()) continue;
    if (key in out) return new ApiError(400, 'invalid', 'Each network can have only one link', [{ path: `/social/${key}`, message: `${key} is listed twice` }]);
    out[key] = url.trim();
  }
  return out;
}

export function SocialLinks({ rows, onChange, error }: { rows: LinkRow[]; onChange(rows: LinkRow[]): void; error?: ApiError }) {
  const listId = useId();
  const baseId = useId();
  const next = useRef(rows.reduce((max, r) => Math.max(max, r.row + 1), 0));

  const update = (row: number, patch: Partial<LinkRow>) => onChange(rows.map((r) => (r.row === row ? { ...r, ...patch } : r)));
  const add = () => {
    const row = next.current++;
    onChange([...rows, { row, network: '', url: '' }]);
    focusById(`${baseId}-network-${row}`);
  };
  const remove = (index: number) => {
    const remaining = rows.filter((_, i) => i !== index);
    onChange(remaining);
    // Focus the row that took its place, or the previous one, or the Add button.
    const neighbour = remaining[index] ?? remaining[index - 1];
    focusById(neighbour ? `${baseId}-network-${neighbour.row}` : `${baseId}-add`);
  };

  /** The server names the row by its network; "unknown network name" belongs to the network field, the rest to the address. */
  const errorFor = (network: string, part: 'network' | 'url') => {
    const message = error?.field(`/social/${network.trim().toLowerCase()}`);
    if (!message) return undefined;
    const aboutName = /network|twice/.test(message);
    return (part === 'network') === aboutName ? message : undefined;
  };

  return (
    <fieldset>
      <legend>Profile links</legend>
      <p className="hint">A network name in lowercase letters (like x, bluesky or website) and a full https:// address.</p>
      <datalist id={listId}>
        {SUGGESTED.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {rows.map((r, index) => (
        <div className="kv-row" key={r.row}>
          <TextField
            id={`${baseId}-network-${r.row}`}
            label={
              <>
                Network<span className="visually-hidden"> for link {index + 1}</span>
              </>
            }
            list={listId}
            autoCapitalize="off"
            spellCheck={false}
            value={r.network}
            onChange={(e) => update(r.row, { network: e.target.value })}
            error={errorFor(r.network, 'network')}
          />
          <TextField
            label={
              <>
                Address<span className="visually-hidden"> for link {index + 1}</span>
              </>
            }
            type="url"
            inputMode="url"
            placeholder="https://"
            value={r.url}
            onChange={(e) => update(r.row, { url: e.target.value })}
            error={errorFor(r.network, 'url')}
          />
          <button type="button" onClick={() => remove(index)} aria-label={`Remove link ${index + 1}${r.network ? ` (${r.network})` : ''}`}>
            Remove
          </button>
        </div>
      ))}
      <div className="actions" style={{ marginTop: 0, marginBottom: '0.75rem' }}>
        <button type="button" id={`${baseId}-add`} onClick={add}>
          Add a link
        </button>
      </div>
    </fieldset>
  );
}
