/** Site settings: name, language and time zone, logo, social accounts, app links, policy pages, breaking news. */
import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../api';
import { SelectField, TextArea, TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { NoAccess } from '../manage/NoAccess';
import { plainSettingsMessage, settingsChanges } from '../manage/settingsDiff';
import { StatusArea, useStatus } from '../manage/Status';
import { useSubmit } from '../forms/useSubmit';
import { useSession } from '../session';
import { loadSite } from '../site';
import type { SiteSettings } from '../types';
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

function SettingsForm({ saved, onSaved }: { saved: SiteSettings; onSaved(settings: SiteSettings): void }) {
  const [form, setForm] = useState<SiteSettings>(saved);
  const [hoursText, setHoursText] = useState(String(saved.breakingDefaultHours));
  const submit = useSubmit();
  const status = useStatus();
  const zones = useMemo(() => timeZones(saved.timeZone), [saved.timeZone]);

  const set = <K extends keyof SiteSettings>(key: K, value: SiteSettings[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setIn = <G extends 'social' | 'appLinks' | 'policies'>(group: G, key: keyof SiteSettings[G], value: string) =>
    setForm((f) => ({ ...f, [group]: { ...f[group], [key]: value } }));
  const err = (path: string) => {
    const message = submit.error?.field(path);
    return message ? plainSettingsMessage(path, message) : undefined;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const hours = Number(hoursText);
    // A half-typed number is sent as it is, so the server's range check speaks for it.
    const next = { ...form, breakingDefaultHours: Number.isInteger(hours) && hoursText.trim() !== '' ? hours : (hoursText as unknown as number) };
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

      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}
