/** An email rendered once per send. Per-recipient values are placeholders merged by delivery. */
export interface RenderedEmail { subject: string; html: string; text: string }
/** Placeholders that delivery replaces per recipient (HTML-escaped in html, raw in text). */
export const MERGE_FIELDS = { name: '{{name}}', unsubscribeUrl: '{{unsubscribe_url}}', preferencesUrl: '{{preferences_url}}' } as const;
