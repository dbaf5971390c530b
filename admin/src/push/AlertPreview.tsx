/**
 * How the alert will look in a notification: the site's name, the title and
 * the first lines of the text (phones cut long text; the full text is sent).
 * A sketch, not any one system's exact look.
 */
export function AlertPreview({ siteName, title, body, link }: { siteName: string; title: string; body: string; link: string }) {
  return (
    <figure className="push-preview">
      <figcaption className="hint">Preview</figcaption>
      <div className="push-preview-card" role="img" aria-label={`Notification from ${siteName}: ${title || 'no title yet'}. ${body}`}>
        <p className="push-preview-site">{siteName}</p>
        <p className="push-preview-title">{title || 'Your alert’s title'}</p>
        {body ? <p className="push-preview-body">{body}</p> : null}
      </div>
      <p className="hint">Opens {link}</p>
    </figure>
  );
}
