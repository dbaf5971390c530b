/**
 * Creating or editing a newsletter: name and address, who it comes from, when
 * it goes out, how it looks, and whether readers are offered it. The server's
 * refusals show next to their fields (nested ones too: `/schedule/time`,
 * `/template/accentColor`), said plainly.
 */
import { useId, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Checkbox, SelectField, TextArea, TextField } from '../components/Field';
import { ErrorMessage } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { useSite } from '../site';
import { WEEKDAYS, type Newsletter, type Weekday } from '../types';
import { DAY_NAMES } from './labels';
import { createBody, formValues, patchBody, plainNewsletterMessage, type NewsletterFormValues } from './newsletterForm';

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export function NewsletterForm({
  newsletter,
  onSaved,
  onCancel,
  onUnchanged,
}: {
  /** Absent: a new one. */
  newsletter?: Newsletter;
  onSaved(saved: Newsletter): void;
  onCancel(): void;
  /** Saving an edit that changed nothing. */
  onUnchanged(): void;
}) {
  const [values, setValues] = useState<NewsletterFormValues>(() => formValues(newsletter));
  const submit = useSubmit();
  const { timeZone } = useSite();
  const set = <K extends keyof NewsletterFormValues>(key: K, value: NewsletterFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  /** The refusal for `path` or anything under it (`/schedule/days/0`), said plainly; `exact`: that path only. */
  const err = (path: string, exact = false) => {
    const found = submit.error?.fields.find((f) => f.path === path || (!exact && f.path.startsWith(`${path}/`)));
    return found ? plainNewsletterMessage(found.path, found.message) : undefined;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (newsletter) {
      const body = patchBody(values, newsletter);
      if (Object.keys(body).length === 0) {
        submit.clear();
        onUnchanged();
        return;
      }
      await submit.run(async () => onSaved(await api.patch<Newsletter>(`/newsletters/${newsletter.id}`, body)));
    } else {
      await submit.run(async () => onSaved(await api.post<Newsletter>('/newsletters', createBody(values))));
    }
  };

  const colour = values.accentColor.trim();
  return (
    <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label={newsletter ? `Edit ${newsletter.name}` : 'New newsletter'}>
      <ErrorMessage error={submit.error} />
      <div className="form-grid">
        <TextField label="Name" required maxLength={80} value={values.name} onChange={(e) => set('name', e.target.value)} error={err('/name')} />
        <TextField
          label="Slug"
          hint={
            newsletter
              ? 'Names the newsletter in sign-up forms and in its emails’ List-Id. Lowercase letters, digits and hyphens.'
              : 'Lowercase letters, digits and hyphens; leave empty to make one from the name.'
          }
          maxLength={80}
          autoCapitalize="off"
          spellCheck={false}
          value={values.slug}
          onChange={(e) => set('slug', e.target.value)}
          error={err('/slug')}
        />
      </div>
      <TextArea
        label="Description"
        hint="Shown to readers on the sign-up page and in the forms."
        maxLength={500}
        rows={2}
        value={values.description}
        onChange={(e) => set('description', e.target.value)}
        error={err('/description')}
      />
      <div className="form-grid">
        <SelectField label="Visibility" value={values.visibility} onChange={(e) => set('visibility', e.target.value as 'public' | 'hidden')} error={err('/visibility')}>
          <option value="public">Public: offered on the site’s sign-up forms</option>
          <option value="hidden">Hidden: not offered to readers</option>
        </SelectField>
        <TextField
          label="Position"
          hint="Order on the sign-up page: lower numbers first."
          type="number"
          inputMode="numeric"
          min={0}
          max={10000}
          step={1}
          value={values.position}
          onChange={(e) => set('position', e.target.value)}
          error={err('/position')}
        />
      </div>

      <fieldset>
        <legend>Sender</legend>
        <div className="form-grid">
          <TextField
            label="Sender name"
            hint={newsletter ? undefined : 'Leave empty to use the newsletter’s name.'}
            maxLength={80}
            value={values.senderName}
            onChange={(e) => set('senderName', e.target.value)}
            error={err('/senderName')}
          />
          <TextField
            label="Sender address"
            hint={newsletter ? undefined : 'Leave empty to use the site’s mail address.'}
            type="email"
            maxLength={254}
            autoComplete="off"
            value={values.senderEmail}
            onChange={(e) => set('senderEmail', e.target.value)}
            error={err('/senderEmail')}
          />
          <TextField
            label="Reply-to address"
            hint="Optional: where readers’ replies go."
            type="email"
            maxLength={254}
            autoComplete="off"
            value={values.replyTo}
            onChange={(e) => set('replyTo', e.target.value)}
            error={err('/replyTo')}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Schedule</legend>
        <Checkbox
          label="Send on a schedule"
          hint="Off: the newsletter is sent by hand."
          checked={values.scheduled}
          onChange={(e) => set('scheduled', e.target.checked)}
        />
        {values.scheduled ? (
          <>
            <DaysField days={values.days} onChange={(days) => set('days', days)} error={err('/schedule/days') ?? err('/schedule', true)} />
            <TextField
              className="field-time"
              label="Time"
              hint={`In the site’s time zone (${timeZone}).`}
              type="time"
              value={values.time}
              onChange={(e) => set('time', e.target.value)}
              error={err('/schedule/time')}
            />
            <SendModeField value={values.sendMode} onChange={(mode) => set('sendMode', mode)} error={err('/sendMode')} />
          </>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Email template</legend>
        <div className="form-grid">
          <TextField
            label="Logo address"
            hint="Optional: a path on this site (/media/logo.png) or a full https:// address."
            maxLength={500}
            autoCapitalize="off"
            spellCheck={false}
            value={values.logoUrl}
            onChange={(e) => set('logoUrl', e.target.value)}
            error={err('/template/logoUrl')}
          />
          <div className="colour-field">
            <TextField
              label="Accent colour"
              hint="Optional: # and six hex digits, like #1d4ed8."
              maxLength={7}
              autoCapitalize="off"
              spellCheck={false}
              value={values.accentColor}
              onChange={(e) => set('accentColor', e.target.value)}
              error={err('/template/accentColor')}
            />
            {HEX_COLOUR.test(colour) ? <span className="swatch" aria-hidden="true" style={{ backgroundColor: colour }} /> : null}
          </div>
        </div>
        <TextArea
          label="Introduction"
          hint="A short note at the top of every issue."
          maxLength={2000}
          rows={3}
          value={values.intro}
          onChange={(e) => set('intro', e.target.value)}
          error={err('/template/intro')}
        />
      </fieldset>

      <div className="actions">
        <button type="submit" className="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : newsletter ? 'Save newsletter' : 'Create newsletter'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** How a scheduled newsletter goes out: two radio buttons, the choice's consequence said in each. */
function SendModeField({ value, onChange, error }: { value: 'manual' | 'automatic'; onChange(mode: 'manual' | 'automatic'): void; error?: string }) {
  const id = useId();
  const errorId = `${id}-error`;
  const option = (mode: 'manual' | 'automatic', label: string, hint: string) => (
    <li>
      <label>
        <input
          type="radio"
          name={`${id}-mode`}
          value={mode}
          checked={value === mode}
          aria-describedby={[`${id}-${mode}-hint`, error ? errorId : ''].filter(Boolean).join(' ')}
          onChange={() => onChange(mode)}
        />{' '}
        {label}
      </label>
      <p className="hint" id={`${id}-${mode}-hint`}>
        {hint}
      </p>
    </li>
  );
  return (
    <fieldset className="send-mode" aria-describedby={error ? errorId : undefined}>
      <legend>Sending</legend>
      <ul>
        {option('manual', 'Reviewed by an editor', 'The schedule is shown to readers; an editor composes and sends each issue.')}
        {option('automatic', 'Automatic', 'Each issue goes out at the scheduled time with the suggested stories and subject, unreviewed. Nothing is sent when there are no new stories.')}
      </ul>
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The days of a schedule: a group of checkboxes with one error for the group, tied to each box. */
function DaysField({ days, onChange, error }: { days: Weekday[]; onChange(days: Weekday[]): void; error?: string }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="days" aria-describedby={error ? errorId : undefined}>
      <legend>Days</legend>
      <ul>
        {WEEKDAYS.map((day) => (
          <li key={day}>
            <label>
              <input
                type="checkbox"
                checked={days.includes(day)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(e) => onChange(e.target.checked ? [...days, day] : days.filter((d) => d !== day))}
              />{' '}
              {DAY_NAMES[day]}
            </label>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
