/** Breaking-news flag (with when it ends) and the top-story rank: the front page's business, so editors only (homepage.rank). */
import { Checkbox, TextField } from '../components/Field';
import { formatDateTime, fromZonedInput, toZonedInput } from '../format';
import type { ArticleFields } from '../types';

type HomeFields = Pick<ArticleFields, 'breaking' | 'breakingUntil' | 'topRank'>;

interface Props {
  value: HomeFields;
  onChange(patch: Partial<HomeFields>): void;
  canRank: boolean;
  disabled?: boolean;
  timeZone: string;
  error(path: string): string | undefined;
}

export function Homepage({ value, onChange, canRank, disabled, timeZone, error }: Props) {
  if (!canRank) {
    return (
      <section className="panel homepage" aria-labelledby="homepage-heading">
        <h2 id="homepage-heading">Home page</h2>
        <p>
          {value.breaking ? `Breaking news${value.breakingUntil ? ` until ${formatDateTime(value.breakingUntil, timeZone)}` : ''}.` : 'Not breaking news.'}{' '}
          {value.topRank ? `Top story number ${value.topRank}.` : 'Not a top story.'}
        </p>
        <p className="hint">Editors decide these.</p>
      </section>
    );
  }
  return (
    <section className="panel homepage" aria-labelledby="homepage-heading">
      <h2 id="homepage-heading">Home page</h2>
      <Checkbox label="Breaking news" checked={value.breaking} disabled={disabled} onChange={(e) => onChange({ breaking: e.target.checked })} />
      {value.breaking ? (
        <TextField
          label={`Breaking until (${timeZone})`}
          hint="Empty: until someone turns it off."
          type="datetime-local"
          value={toZonedInput(value.breakingUntil, timeZone)}
          disabled={disabled}
          error={error('/breakingUntil')}
          onChange={(e) => onChange({ breakingUntil: e.target.value ? fromZonedInput(e.target.value, timeZone) : null })}
        />
      ) : null}
      <TextField
        label="Top-story rank"
        hint="1 is the lead story; empty: not a top story."
        type="number"
        min={1}
        max={100}
        inputMode="numeric"
        value={value.topRank ?? ''}
        disabled={disabled}
        error={error('/topRank')}
        onChange={(e) => {
          const n = e.target.valueAsNumber;
          onChange({ topRank: Number.isInteger(n) && n >= 1 ? Math.min(n, 100) : null });
        }}
      />
    </section>
  );
}
