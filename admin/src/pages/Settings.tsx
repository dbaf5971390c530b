/** Site settings: name, language and time zone, logo, social accounts, app links, policy pages, breaking news, related stories, newsletters, donations. */
import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Checkbox, SelectField, TextArea, TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { NoAccess } from '../manage/NoAccess';
import { NUMBER_RANGES, plainSettingsMessage, settingsChanges } from '../manage/settingsDiff';
import { StatusArea, useStatus } from '../manage/Status';
import { useSubmit } from '../forms/useSubmit';
import { useSession } from '../session';
import { loadSite } from '../site';
import type { DonationSettings, NewsletterSettings, RelatedSettings, SiteSettings } from '../types';
import '../manage/manage.css';

export default function Settings() {
  const { can } = useSession();
  if (!can('settings.manage')) return <NoAccess title="Settings" />;
  return <SettingsScreen />;
}

function SettingsScreen() {
  useTitle('Settings');
  const loaded = useApi<SiteSettings>('/settings');
  return (
    <div className="manage">
      <h1>Settings</h1>
      {loaded.error ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.loading && !loaded.data ? <Loading what="Loading settings" /> : null}
      {loaded.data ? <SettingsForm saved={loaded.data} onSaved={loaded.setData} /> : null}
    </div>
  );
}

const SOCIAL: { key: keyof SiteSettings['social']; label: string }[] = [
  { key: 'x', label: 'X' },
  { key: 'facebook', label: 'Facebook' },
  { key: 'instagram', label: 'Instagram' },
  { key: 'bluesky', label: 'Bluesky' },
  { key: 'mastodon', label: 'Mastodon' },
  { key: 'youtube', label: 'YouTube' },
];

const POLICIES: { key: keyof SiteSettings['policies']; label: string; example: string }[] = [
  { key: 'corrections', label: 'Corrections policy', example: '/corrections' },
  { key: 'ethics', label: 'Ethics policy', example: '/ethics' },
  { key: 'ownership', label: 'Ownership and funding', example: '/ownership' },
  { key: 'about', label: 'About us', example: '/about' },
];

function timeZones(current: string): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  // Some browsers leave UTC (or an older alias the site may use) out of the list.
  return [...new Set([current, 'UTC', ...supported])].sort();
}

/** The related-story settings typed as numbers, kept as text while they are edited. */
type RelatedNumber = 'inlineCount' | 'minParagraphs' | 'moreCount' | 'recencyHalfLifeDays' | 'maxAgeDays';
type RelatedText = Record<RelatedNumber | 'afterParagraphs', string>;
const RELATED_NUMBERS: RelatedNumber[] = ['inlineCount', 'minParagraphs', 'moreCount', 'recencyHalfLifeDays', 'maxAgeDays'];

function relatedText(r: RelatedSettings): RelatedText {
  return {
    inlineCount: String(r.inlineCount),
    minParagraphs: String(r.minParagraphs),
    moreCount: String(r.moreCount),
    recencyHalfLifeDays: String(r.recencyHalfLifeDays),
    maxAgeDays: String(r.maxAgeDays),
    afterParagraphs: r.afterParagraphs.join(', '),
  };
}

/** A typed whole number, or the text as it is (so the server's range check speaks for a half-typed one). */
function wholeOrText(text: string): number {
  const n = Number(text);
  return Number.isInteger(n) && text.trim() !== '' ? n : (text as unknown as number);
}

/** "3, 7" (commas or spaces) -> [3, 7]; undefined when anything but whole numbers was typed. Ranges are the server's to check. */
function parseParagraphList(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.every((part) => /^\d{1,6}$/.test(part)) ? parts.map(Number) : undefined;
}

const PARAGRAPHS_PATH = '/related/afterParagraphs';

/** The donation settings typed as numbers, kept as text while they are edited. */
type DonationText = Record<'amountsOnce' | 'amountsMonthly' | 'amountsYearly' | 'minimum' | 'maximum' | 'feePercent' | 'feeFixed', string>;
const AMOUNT_LISTS = ['amountsOnce', 'amountsMonthly', 'amountsYearly'] as const;

function donationText(d: DonationSettings): DonationText {
  return {
    amountsOnce: d.amountsOnce.join(', '),
    amountsMonthly: d.amountsMonthly.join(', '),
    amountsYearly: d.amountsYearly.join(', '),
    minimum: String(d.minimum),
    maximum: String(d.maximum),
    feePercent: String(d.feePercent),
    feeFixed: String(d.feeFixed),
  };
}

/** A typed number (decimals allowed), or the text as it is for the server's check to speak for. */
function numberOrText(text: string): number {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : (text as unknown as number);
}

/** Bounds for a number input, from the server's ranges. */
const bounds = (path: string) => ({ type: 'number', inputMode: 'numeric' as const, step: 1, min: NUMBER_RANGES[path]?.min, max: NUMBER_RANGES[path]?.max, className: 'narrow' });

function SettingsForm({ saved, onSaved }: { saved: SiteSettings; onSaved(settings: SiteSettings): void }) {
  const [form, setForm] = useState<SiteSettings>(saved);
  const [hoursText, setHoursText] = useState(String(saved.breakingDefaultHours));
  const [softBounceText, setSoftBounceText] = useState(String(saved.newsletters.softBounceLimit));
  const [relatedTexts, setRelatedTexts] = useState<RelatedText>(() => relatedText(saved.related));
  const [donationTexts, setDonationTexts] = useState<DonationText>(() => donationText(saved.donations));
  const [embedOriginsText, setEmbedOriginsText] = useState(saved.donations.embedOrigins.join('\n'));
  const setDonations = <K extends keyof DonationSettings>(key: K, value: DonationSettings[K]) => setForm((f) => ({ ...f, donations: { ...f.donations, [key]: value } }));
  const setDonationTextOf = (key: keyof DonationText, value: string) => setDonationTexts((t) => ({ ...t, [key]: value }));
  const submit = useSubmit();
  const status = useStatus();
  const zones = useMemo(() => timeZones(saved.timeZone), [saved.timeZone]);

  const set = <K extends keyof SiteSettings>(key: K, value: SiteSettings[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setIn = <G extends 'social' | 'appLinks' | 'webApp' | 'policies'>(group: G, key: keyof SiteSettings[G], value: string) =>
    setForm((f) => ({ ...f, [group]: { ...f[group], [key]: value } }));
  const setRelated = <K extends keyof RelatedSettings>(key: K, value: RelatedSettings[K]) => setForm((f) => ({ ...f, related: { ...f.related, [key]: value } }));
  const setNewsletters = <K extends keyof NewsletterSettings>(key: K, value: NewsletterSettings[K]) => setForm((f) => ({ ...f, newsletters: { ...f.newsletters, [key]: value } }));
  const setRelatedTextOf = (key: keyof RelatedText, value: string) => setRelatedTexts((t) => ({ ...t, [key]: value }));
  const err = (path: string) => {
    const message = submit.error?.field(path);
    return message ? plainSettingsMessage(path, message) : undefined;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const positions = parseParagraphList(relatedTexts.afterParagraphs);
    if (!positions) {
      // Said next to the field like a server error, and focused the same way.
      await submit.run(async () => {
        throw new ApiError(400, 'invalid', 'Some settings are not valid', [{ path: PARAGRAPHS_PATH, message: 'Enter paragraph numbers separated by commas, like 3, 7' }]);
      });
      status.show('', false);
      return;
    }
    const related: RelatedSettings = { ...form.related, afterParagraphs: positions };
    for (const key of RELATED_NUMBERS) related[key] = wholeOrText(relatedTexts[key]);
    const newsletters: NewsletterSettings = { ...form.newsletters, softBounceLimit: wholeOrText(softBounceText) };
    const donations: DonationSettings = { ...form.donations, currency: form.donations.currency.trim().toUpperCase() };
    for (const key of AMOUNT_LISTS) {
      const list = parseParagraphList(donationTexts[key]);
      donations[key] = list ?? (donationTexts[key] as unknown as number[]);
    }
    donations.minimum = wholeOrText(donationTexts.minimum);
    donations.maximum = wholeOrText(donationTexts.maximum);
    donations.feePercent = numberOrText(donationTexts.feePercent);
    donations.feeFixed = numberOrText(donationTexts.feeFixed);
    // One site per line; a trailing slash is what a browser's address bar shows, not part of the origin.
    donations.embedOrigins = embedOriginsText
      .split(/\s+/)
      .map((o) => o.trim().replace(/\/$/, '').toLowerCase())
      .filter(Boolean);
    const next = { ...form, breakingDefaultHours: wholeOrText(hoursText), related, newsletters, donations };
    const changes = settingsChanges(saved, next);
    if (Object.keys(changes).length === 0) {
      submit.clear();
      status.show('Nothing to save: no setting has changed.');
      return;
    }
    let result: SiteSettings | undefined;
    const ok = await submit.run(async () => {
      result = await api.patch<SiteSettings>('/settings', changes);
    });
    if (ok && result) {
      onSaved(result);
      setForm(result);
      setHoursText(String(result.breakingDefaultHours));
      setSoftBounceText(String(result.newsletters.softBounceLimit));
      setRelatedTexts(relatedText(result.related));
      setDonationTexts(donationText(result.donations));
      setEmbedOriginsText(result.donations.embedOrigins.join('\n'));
      void loadSite(true).catch(() => undefined);
      status.show('Settings saved. Every page of the site now shows them.');
    } else status.show('', false);
  };

  return (
    <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label="Site settings">
      <StatusArea status={status} />
      <ErrorMessage error={submit.error ? `${submit.error.message}${submit.error.fields[0] ? `: ${plainSettingsMessage(submit.error.fields[0].path, submit.error.fields[0].message)}` : ''}` : undefined} />
      <fieldset>
        <legend>The site</legend>
        <div className="form-grid">
          <TextField label="Name" required maxLength={120} value={form.name} onChange={(e) => set('name', e.target.value)} error={err('/name')} />
          <TextField label="Tagline" maxLength={240} value={form.tagline} onChange={(e) => set('tagline', e.target.value)} error={err('/tagline')} />
        </div>
        <TextArea
          label="Description"
          hint="Used by search engines and link previews for the home page."
          maxLength={500}
          rows={2}
          value={form.description}
          onChange={(e) => set('description', e.target.value)}
          error={err('/description')}
        />
        <div className="form-grid">
          <TextField
            label="Language"
            hint="A language code: en, en-GB, fr, es-MX."
            maxLength={35}
            autoCapitalize="off"
            spellCheck={false}
            value={form.language}
            onChange={(e) => set('language', e.target.value)}
            error={err('/language')}
          />
          <SelectField label="Time zone" hint="Dates on the site and in this admin use it." value={form.timeZone} onChange={(e) => set('timeZone', e.target.value)} error={err('/timeZone')}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField
          label="Logo"
          hint="A path on this site (/media/logo.png) or a full https:// address. Empty: the name is shown as text."
          maxLength={200}
          value={form.logoUrl}
          onChange={(e) => set('logoUrl', e.target.value)}
          error={err('/logoUrl')}
        />
      </fieldset>

      <fieldset>
        <legend>Social accounts</legend>
        <p className="hint">Full addresses of the newsroom’s own accounts, linked from every page. Leave empty to hide one.</p>
        <div className="form-grid">
          {SOCIAL.map(({ key, label }) => (
            <TextField
              key={key}
              label={label}
              type="url"
              inputMode="url"
              placeholder="https://"
              maxLength={500}
              value={form.social[key]}
              onChange={(e) => setIn('social', key, e.target.value)}
              error={err(`/social/${key}`)}
            />
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Apps</legend>
        <div className="form-grid">
          <TextField label="iOS app (App Store address)" type="url" placeholder="https://" maxLength={500} value={form.appLinks.ios} onChange={(e) => setIn('appLinks', 'ios', e.target.value)} error={err('/appLinks/ios')} />
          <TextField
            label="Android app (Google Play address)"
            type="url"
            placeholder="https://"
            maxLength={500}
            value={form.appLinks.android}
            onChange={(e) => setIn('appLinks', 'android', e.target.value)}
            error={err('/appLinks/android')}
          />
        </div>
        <p className="hint">
          Readers can also install this site as an app from their browser. Its icons are made from the logo; with no store apps above, app prompts offer this
          installation instead.
        </p>
        <div className="form-grid">
          <TextField
            label="Short name under the app icon"
            hint="About 12 characters show. Empty: taken from the site name."
            maxLength={30}
            value={form.webApp.shortName}
            onChange={(e) => setIn('webApp', 'shortName', e.target.value)}
            error={err('/webApp/shortName')}
          />
          <TextField label="App toolbar colour" type="color" value={form.webApp.themeColor} onChange={(e) => setIn('webApp', 'themeColor', e.target.value)} error={err('/webApp/themeColor')} />
          <TextField
            label="App background colour"
            hint="The splash screen and behind the icons."
            type="color"
            value={form.webApp.backgroundColor}
            onChange={(e) => setIn('webApp', 'backgroundColor', e.target.value)}
            error={err('/webApp/backgroundColor')}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Policy pages</legend>
        <p className="hint">Where readers find the newsroom’s standards: a path on this site or a full address. Linked from every page and from article metadata.</p>
        <div className="form-grid">
          {POLICIES.map(({ key, label, example }) => (
            <TextField
              key={key}
              label={label}
              placeholder={example}
              maxLength={200}
              value={form.policies[key]}
              onChange={(e) => setIn('policies', key, e.target.value)}
              error={err(`/policies/${key}`)}
            />
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Breaking news</legend>
        <TextField
          label="Breaking banner lasts (hours)"
          hint="How long a story stays marked as breaking when the editor sets no end time. 1 to 168 (a week)."
          type="number"
          inputMode="numeric"
          min={1}
          max={168}
          step={1}
          className="narrow"
          value={hoursText}
          onChange={(e) => setHoursText(e.target.value)}
          error={err('/breakingDefaultHours')}
        />
      </fieldset>

      <fieldset>
        <legend>Related stories</legend>
        <p className="hint">
          Stories from the archive linked from each article: “READ:” links between paragraphs and a list of more stories from its section at the end. Editors can change
          an article’s picks, or turn its links off, in the article editor.
        </p>
        <div className="form-grid">
          <TextField
            label="Inline links per article"
            hint="0 to 5. 0: no links between paragraphs."
            {...bounds('/related/inlineCount')}
            value={relatedTexts.inlineCount}
            onChange={(e) => setRelatedTextOf('inlineCount', e.target.value)}
            error={err('/related/inlineCount')}
          />
          <TextField
            label="After paragraphs"
            hint="Paragraph numbers, separated by commas: 3, 7. A link moves down past lists, quotes and embeds; one that finds no room is left out."
            // No numeric keyboard: some have no comma.
            autoComplete="off"
            className="narrow"
            value={relatedTexts.afterParagraphs}
            onChange={(e) => setRelatedTextOf('afterParagraphs', e.target.value)}
            error={err(PARAGRAPHS_PATH)}
          />
          <TextField
            label="Minimum paragraphs"
            hint="Articles with fewer paragraphs get no inline links."
            {...bounds('/related/minParagraphs')}
            value={relatedTexts.minParagraphs}
            onChange={(e) => setRelatedTextOf('minParagraphs', e.target.value)}
            error={err('/related/minParagraphs')}
          />
          <TextField
            label="Label"
            hint="Shown before each linked headline."
            required
            maxLength={40}
            className="narrow"
            value={form.related.label}
            onChange={(e) => setRelated('label', e.target.value)}
            error={err('/related/label')}
          />
        </div>
        <Checkbox label="“More from” list at the end of articles" hint="More stories from the article’s section." checked={form.related.moreFromSection} onChange={(e) => setRelated('moreFromSection', e.target.checked)} />
        <TextField
          label="Stories in the “More from” list"
          hint="1 to 10."
          {...bounds('/related/moreCount')}
          value={relatedTexts.moreCount}
          onChange={(e) => setRelatedTextOf('moreCount', e.target.value)}
          error={err('/related/moreCount')}
        />
        <div className="form-grid">
          <TextField
            label="Recency half-life (days)"
            hint="Two stories this many days apart count as half as related as two from the same day. Applies as links are recomputed."
            {...bounds('/related/recencyHalfLifeDays')}
            value={relatedTexts.recencyHalfLifeDays}
            onChange={(e) => setRelatedTextOf('recencyHalfLifeDays', e.target.value)}
            error={err('/related/recencyHalfLifeDays')}
          />
          <TextField
            label="Maximum age (days)"
            hint="Stories published further apart are never linked. Applies as links are recomputed."
            {...bounds('/related/maxAgeDays')}
            value={relatedTexts.maxAgeDays}
            onChange={(e) => setRelatedTextOf('maxAgeDays', e.target.value)}
            error={err('/related/maxAgeDays')}
          />
        </div>
        <Checkbox
          label="Sponsored stories may be linked"
          hint="Editors can always pin one by hand."
          checked={form.related.allowSponsored}
          onChange={(e) => setRelated('allowSponsored', e.target.checked)}
        />
        <Checkbox
          label="Show the links in feeds"
          hint="RSS, Atom and JSON feed entries carry the same links as the article page."
          checked={form.related.inFeeds}
          onChange={(e) => setRelated('inFeeds', e.target.checked)}
        />
      </fieldset>

      <fieldset>
        <legend>Newsletters</legend>
        <p className="hint">
          Open and click counts are totals per newsletter send: nobody, staff included, can see who opened or clicked. A change applies to sends started after saving.
        </p>
        <Checkbox
          label="Count opens"
          hint="A one-pixel image in each email counts its openings. Rough: some mail apps load images for the reader (adding opens), others block them (hiding opens)."
          checked={form.newsletters.trackOpens}
          onChange={(e) => setNewsletters('trackOpens', e.target.checked)}
        />
        <Checkbox
          label="Count clicks"
          hint="Links in the email pass through this site, which counts clicks per link. Mail security scanners that open every link add clicks nobody made."
          checked={form.newsletters.trackClicks}
          onChange={(e) => setNewsletters('trackClicks', e.target.checked)}
        />
        <Checkbox
          label="Keep readers’ IP addresses in consent records"
          hint="Off: a consent record says when and from which page, not from which address."
          checked={form.newsletters.recordConsentIp}
          onChange={(e) => setNewsletters('recordConsentIp', e.target.checked)}
        />
        <TextField
          label="Soft bounces before an address is suppressed"
          hint="Temporary delivery failures in a row (a full mailbox, a server down) reported by the mail service. 1 to 20."
          {...bounds('/newsletters/softBounceLimit')}
          value={softBounceText}
          onChange={(e) => setSoftBounceText(e.target.value)}
          error={err('/newsletters/softBounceLimit')}
        />
      </fieldset>

      <fieldset>
        <legend>Donations</legend>
        <p className="hint">
          Taking gifts needs the Stripe keys (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, see docs/revenue.md). Amounts are whole units of the currency.
        </p>
        <TextField
          label="Currency"
          hint="Three-letter code, such as USD, EUR or GBP. Every gift is in this currency."
          className="narrow"
          maxLength={3}
          value={form.donations.currency}
          onChange={(e) => setDonations('currency', e.target.value)}
          error={err('/donations/currency')}
        />
        <TextField label="Suggested one-time amounts" hint="Three amounts, separated by commas, like 9, 20, 90." value={donationTexts.amountsOnce} onChange={(e) => setDonationTextOf('amountsOnce', e.target.value)} error={err('/donations/amountsOnce')} />
        <TextField label="Suggested monthly amounts" hint="Three amounts, like 7, 15, 30." value={donationTexts.amountsMonthly} onChange={(e) => setDonationTextOf('amountsMonthly', e.target.value)} error={err('/donations/amountsMonthly')} />
        <TextField label="Suggested yearly amounts" hint="Three amounts, like 84, 180, 360." value={donationTexts.amountsYearly} onChange={(e) => setDonationTextOf('amountsYearly', e.target.value)} error={err('/donations/amountsYearly')} />
        <div className="form-grid">
          <TextField label="Smallest gift" {...bounds('/donations/minimum')} value={donationTexts.minimum} onChange={(e) => setDonationTextOf('minimum', e.target.value)} error={err('/donations/minimum')} />
          <TextField label="Largest gift" {...bounds('/donations/maximum')} value={donationTexts.maximum} onChange={(e) => setDonationTextOf('maximum', e.target.value)} error={err('/donations/maximum')} />
        </div>
        <Checkbox
          label="Offer to cover the card fees"
          hint="The donor may add the processor's fee, so the newsroom receives the whole gift: total = (gift + fixed fee) ÷ (1 − percentage)."
          checked={form.donations.coverFees}
          onChange={(e) => setDonations('coverFees', e.target.checked)}
        />
        <div className="form-grid">
          <TextField label="Card fee: percentage" hint="Like 2.9" inputMode="decimal" className="narrow" value={donationTexts.feePercent} onChange={(e) => setDonationTextOf('feePercent', e.target.value)} error={err('/donations/feePercent')} />
          <TextField label="Card fee: fixed amount" hint="Like 0.30" inputMode="decimal" className="narrow" value={donationTexts.feeFixed} onChange={(e) => setDonationTextOf('feeFixed', e.target.value)} error={err('/donations/feeFixed')} />
        </div>
        <TextField label="Organization’s legal name" hint="Named on receipts; empty: the site’s name." maxLength={200} value={form.donations.legalName} onChange={(e) => setDonations('legalName', e.target.value)} error={err('/donations/legalName')} />
        <TextArea label="Organization’s address" hint="As printed on receipts, one line per line." maxLength={500} rows={3} value={form.donations.address} onChange={(e) => setDonations('address', e.target.value)} error={err('/donations/address')} />
        <TextField label="Tax id or charity number" maxLength={100} value={form.donations.taxId} onChange={(e) => setDonations('taxId', e.target.value)} error={err('/donations/taxId')} />
        <TextArea label="Note on receipts" hint="For example: No goods or services were provided in exchange for this gift." maxLength={1000} rows={3} value={form.donations.receiptNote} onChange={(e) => setDonations('receiptNote', e.target.value)} error={err('/donations/receiptNote')} />
        <TextArea
          label="Sites that may show the donate form in a frame"
          hint="One address per line, like https://partner.example (https://*.partner.example for all its subdomains). Empty: only this site. The codes to paste are on the Donations screen."
          rows={3}
          value={embedOriginsText}
          onChange={(e) => setEmbedOriginsText(e.target.value)}
          error={err('/donations/embedOrigins')}
        />
      </fieldset>

      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
