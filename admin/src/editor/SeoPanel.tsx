/**
 * Search and social overrides, with previews of how the article will look as a
 * search result (title ~60 and description ~160 characters, as search engines
 * cut them) and as a shared link card. Empty overrides fall back to the
 * headline, standfirst and featured image.
 */
import { TextArea, TextField } from '../components/Field';
import type { ArticleFields } from '../types';

type SeoFields = Pick<ArticleFields, 'seoTitle' | 'seoDescription' | 'socialTitle' | 'socialDescription' | 'socialImageUrl' | 'canonicalUrl'>;

interface Props {
  value: SeoFields;
  headline: string;
  dek: string;
  url: string;
  siteName: string;
  imageUrl: string;
  onChange(patch: Partial<SeoFields>): void;
  disabled?: boolean;
  error(path: string): string | undefined;
  open: boolean;
  onToggle(open: boolean): void;
}

export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function counter(text: string, limit: number): string {
  return `${text.length} characters; search engines show about ${limit}.`;
}

export function SeoPanel({ value, headline, dek, url, siteName, imageUrl, onChange, disabled, error, open, onToggle }: Props) {
  const searchTitle = value.seoTitle || headline || 'Headline';
  const searchDescription = value.seoDescription || dek;
  const socialTitle = value.socialTitle || value.seoTitle || headline || 'Headline';
  const socialDescription = value.socialDescription || value.seoDescription || dek;
  const socialImage = value.socialImageUrl || imageUrl;
  let host = url;
  let crumbs = '';
  try {
    const parsed = new URL(url);
    host = parsed.host;
    crumbs = parsed.pathname.split('/').filter(Boolean).join(' › ');
  } catch {
    // a relative or unfinished address: show it as it is
  }
  return (
    <details className="panel seo" open={open} onToggle={(e) => onToggle((e.target as HTMLDetailsElement).open)}>
      <summary>Search and social</summary>
      <h3 className="preview-heading">Search result preview</h3>
      <div className="search-preview" aria-label="Search result preview">
        <p className="search-site">
          {siteName} <span className="search-url">{host}{crumbs ? ` › ${crumbs}` : ''}</span>
        </p>
        <p className="search-title">{truncate(searchTitle, 60)}</p>
        <p className="search-description">{searchDescription ? truncate(searchDescription, 160) : <em>No description: search engines will pick text from the article.</em>}</p>
      </div>
      <TextField label="SEO title" hint={counter(value.seoTitle, 60) + ' Empty: the headline.'} value={value.seoTitle} maxLength={300} disabled={disabled} error={error('/seoTitle')} onChange={(e) => onChange({ seoTitle: e.target.value })} />
      <TextArea
        label="SEO description"
        hint={counter(value.seoDescription, 160) + ' Empty: the standfirst.'}
        value={value.seoDescription}
        maxLength={500}
        rows={3}
        disabled={disabled}
        error={error('/seoDescription')}
        onChange={(e) => onChange({ seoDescription: e.target.value })}
      />
      <h3 className="preview-heading">Social card preview</h3>
      <div className="social-card" aria-label="Social card preview">
        {socialImage ? <img src={socialImage} alt="" className="social-image" /> : <div className="social-image social-noimage">No image</div>}
        <div className="social-text">
          <p className="social-domain">{host.toUpperCase()}</p>
          <p className="social-title">{truncate(socialTitle, 90)}</p>
          {socialDescription ? <p className="social-description">{truncate(socialDescription, 200)}</p> : null}
        </div>
      </div>
      <TextField label="Social title" hint="Empty: the SEO title or headline." value={value.socialTitle} maxLength={300} disabled={disabled} error={error('/socialTitle')} onChange={(e) => onChange({ socialTitle: e.target.value })} />
      <TextArea
        label="Social description"
        hint="Empty: the SEO description or standfirst."
        value={value.socialDescription}
        maxLength={500}
        rows={3}
        disabled={disabled}
        error={error('/socialDescription')}
        onChange={(e) => onChange({ socialDescription: e.target.value })}
      />
      <TextField
        label="Social image URL"
        hint="Empty: the featured image."
        type="url"
        value={value.socialImageUrl}
        maxLength={1000}
        disabled={disabled}
        error={error('/socialImageUrl')}
        onChange={(e) => onChange({ socialImageUrl: e.target.value })}
      />
      <TextField
        label="Canonical URL"
        hint="Only when this article first appeared elsewhere: the original's address."
        type="url"
        value={value.canonicalUrl}
        maxLength={1000}
        disabled={disabled}
        error={error('/canonicalUrl')}
        onChange={(e) => onChange({ canonicalUrl: e.target.value })}
      />
    </details>
  );
}
