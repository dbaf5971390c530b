/**
 * What a notification carries to the reader's service worker. Push services
 * accept about 4 KB of encrypted payload; we keep the JSON under 3 KB by
 * shortening the body (never the title, link or alert id, which are short by
 * their limits), cutting on a character boundary and adding an ellipsis.
 */
export const MAX_PAYLOAD_BYTES = 3000;

export interface AlertPayload {
  /** The alert's id: the service worker reports a click with it. */
  id: number;
  title: string;
  body: string;
  /** Absolute URL the notification opens. */
  url: string;
  /** Notifications with the same tag replace each other on the device. */
  tag: string;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

export function buildPayload(alert: AlertPayload, maxBytes = MAX_PAYLOAD_BYTES): string {
  if (bytes(alert) <= maxBytes) return JSON.stringify(alert);
  const chars = Array.from(alert.body); // code points: never half an emoji
  let low = 0;
  let high = chars.length;
  // The longest prefix (plus an ellipsis) that fits: JSON escaping makes the size per character uneven.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytes({ ...alert, body: chars.slice(0, mid).join('').trimEnd() + '…' }) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  const body = low > 0 ? chars.slice(0, low).join('').trimEnd() + '…' : '';
  const payload = JSON.stringify({ ...alert, body });
  if (Buffer.byteLength(payload) > maxBytes) throw new Error('the alert is too large to send even without its body');
  return payload;
}
