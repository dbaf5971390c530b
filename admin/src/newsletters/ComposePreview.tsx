/**
 * The email as readers will see it, in a sandboxed iframe (srcdoc) at a
 * desktop or a phone width.
 *
 * Why the styles are moved: a srcdoc document inherits the admin's Content
 * Security Policy (style-src 'self'), which blocks the email's inline styles
 * and its <style> block (and logs a violation for each). So the style
 * attributes are renamed and the <style> text taken out before the frame gets
 * the HTML, and once it has loaded they are applied through the CSSOM, which
 * the policy allows. The frame may run no script (no allow-scripts); allow-same-origin
 * only lets this page reach into it to apply the styles and measure it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

export type PreviewWidth = 'desktop' | 'mobile';
export const PREVIEW_WIDTHS: Record<PreviewWidth, { px: number; label: string }> = {
  desktop: { px: 680, label: 'Desktop (680 px)' },
  mobile: { px: 375, label: 'Mobile (375 px)' },
};

interface Prepared {
  html: string;
  css: string;
}

/**
 * Takes the styles out as text, before any parser sees them: even an inert
 * DOMParser document checks style attributes against the page's policy and
 * logs violations. The email is our own renderer's output, where every text
 * and attribute value is escaped, so ` style="` and `<style` only ever start
 * real attributes and elements.
 */
function prepare(html: string): Prepared {
  const css: string[] = [];
  const withoutSheets = html.replace(/<style\b[^>]*>([\s\S]*?)<\/style>/gi, (_, text: string) => {
    css.push(text);
    return '';
  });
  return { html: withoutSheets.replace(/(<[a-z][^>]*?\s)style=(["'])/gi, '$1data-preview-style=$2'), css: css.join('\n') };
}

function applyStyles(doc: Document, css: string): void {
  for (const el of doc.querySelectorAll<HTMLElement>('[data-preview-style]')) el.style.cssText = el.dataset.previewStyle ?? '';
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (view && css) {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [sheet];
  }
}

export function ComposePreview({ html, width, title }: { html: string; width: PreviewWidth; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const prepared = useMemo(() => prepare(html), [html]);
  const [height, setHeight] = useState(720);

  const measure = () => {
    const doc = frame.current?.contentDocument;
    if (doc?.body) setHeight(Math.max(320, Math.ceil(doc.body.getBoundingClientRect().height) + 24));
  };
  const loaded = () => {
    const doc = frame.current?.contentDocument;
    if (!doc) return;
    applyStyles(doc, prepared.css);
    measure();
  };
  // A new width reflows the email (the phone layout is longer): fit the frame to it again.
  useEffect(measure, [width]);

  return (
    <div className={`preview-frame preview-${width}`}>
      <iframe
        ref={frame}
        title={title}
        sandbox="allow-same-origin"
        srcDoc={prepared.html}
        onLoad={loaded}
        data-width={width}
        style={{ width: PREVIEW_WIDTHS[width].px, height }}
      />
    </div>
  );
}
