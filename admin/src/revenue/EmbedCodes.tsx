/**
 * The embeddable donate form's copy-paste codes (GET /api/admin/donations/setup → embed;
 * docs/revenue.md, "The embeddable donate form"): the <iframe> for partner sites, and a
 * script-free plain form for pages that cannot have frames. Read-only text areas, so the
 * code can be selected by hand when the browser refuses the clipboard.
 */
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../hooks';
import type { DonationsSetup } from './revenue';

function CodeBox({ label, hint, code }: { label: string; hint: string; code: string }) {
  const id = useId();
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('Copied.');
    } catch {
      setCopied('The browser did not allow copying: select the code and copy it by hand.');
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <textarea id={id} readOnly rows={code.split('\n').length + 1} value={code} aria-describedby={`${id}-hint`} onFocus={(e) => e.currentTarget.select()} className="code" />
      <button type="button" onClick={() => void copy()}>
        Copy {label.toLowerCase()}
      </button>{' '}
      <span role="status">{copied}</span>
    </div>
  );
}

export function EmbedCodes() {
  const setup = useApi<DonationsSetup>('/donations/setup');
  if (!setup.data?.ready) return null;
  const { embed } = setup.data;
  return (
    <details className="embed-codes">
      <summary>Put the donate form on other sites</summary>
      <p>
        Partner sites can show the donate form in a frame. Readers choose there, and the payment page opens in the whole window. Sites allowed to show it:{' '}
        {embed.allowedOrigins.length ? embed.allowedOrigins.join(', ') : 'none yet, only this site'} (<Link to="/settings">Settings → Donations</Link>). Change{' '}
        <code>utm_source</code> to name each partner, so their gifts can be told apart.
      </p>
      <CodeBox label="Frame code" hint="Paste into the partner page's HTML. No script needed." code={embed.iframe} />
      <CodeBox label="Form code" hint="For pages that cannot show frames (and for sites not in the list): a plain form, no script, that opens the donate page in a new tab." code={embed.form} />
    </details>
  );
}
