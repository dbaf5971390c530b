/**
 * Creating or editing a reader prompt: kind and placement, the copy of each
 * A/B variant with its share of readers, targeting, caps, dates, priority, and
 * a preview of the reader HTML (in a sandboxed frame). The server's refusals
 * sit next to their fields (`/variants/0/buttonUrl`, `/caps/perDay` ...).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api';
import { Checkbox, SelectField, TextArea, TextField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useSubmit } from '../forms/useSubmit';
import { useApi, useTitle } from '../hooks';
import { KINDS, PLACEMENTS, type Prompt, type PromptVariant } from '../prompts/types';
import '../manage/manage.css';

type Draft = Omit<Prompt, 'id' | 'slug'> & { slug: string };

const EMPTY: Draft = {
  slug: '',
  name: '',
  kind: 'donation',
  placement: 'inline',
  afterParagraph: 3,
  status: 'active',
  priority: 0,
  startsAt: null,
  endsAt: null,
  targeting: { sections: [], tags: [], labels: [], allowSponsored: false, donor: 'any', subscriber: 'any', readsMin: null, readsMax: null },
  caps: { perDay: null, perWeek: null, total: null, dismissDays: 7 },
  variants: [{ key: 'a', weight: 100, heading: '', body: '', buttonText: '' }],
  newsletter: '',
};

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
const count = (text: string) => (text.trim() === '' ? null : Number(text));
const localInput = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');
const fromLocal = (value: string) => (value ? new Date(value).toISOString() : null);

function body(d: Draft) {
  return {
    name: d.name,
    ...(d.slug ? { slug: d.slug } : {}),
    kind: d.kind,
    placement: d.placement,
    afterParagraph: d.afterParagraph,
    status: d.status,
    priority: d.priority,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    targeting: d.targeting,
    caps: d.caps,
    variants: d.variants.map((v) => ({ ...v, buttonUrl: d.kind === 'custom' ? (v.buttonUrl ?? '') : undefined })),
    newsletter: d.newsletter,
  };
}

export default function PromptEditor() {
  const { id } = useParams();
  const existing = useApi<Prompt>(id ? `/prompts/${id}` : null);
  useTitle(id ? 'Edit prompt' : 'New prompt');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [preview, setPreview] = useState('');
  const submit = useSubmit();
  const previewing = useSubmit<HTMLDivElement>();
  const navigate = useNavigate();

  useEffect(() => {
    if (existing.data) setDraft({ ...existing.data });
  }, [existing.data]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const target = <K extends keyof Draft['targeting']>(key: K, value: Draft['targeting'][K]) => setDraft((d) => ({ ...d, targeting: { ...d.targeting, [key]: value } }));
  const cap = <K extends keyof Draft['caps']>(key: K, value: Draft['caps'][K]) => setDraft((d) => ({ ...d, caps: { ...d.caps, [key]: value } }));
  const variant = (i: number, patch: Partial<PromptVariant>) => setDraft((d) => ({ ...d, variants: d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) }));
  const err = (path: string) => submit.error?.fields.find((f) => f.path === path || f.path.startsWith(`${path}/`))?.message;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    await submit.run(async () => {
      const saved = id ? await api.patch<Prompt>(`/prompts/${id}`, body(draft)) : await api.post<Prompt>('/prompts', body(draft));
      navigate('/prompts', { state: { saved: saved.name } });
    });
  };

  const showPreview = async () => {
    await previewing.run(async () => {
      const result = await api.post<{ html: string }>('/prompts/preview', body(draft));
      setPreview(`<!doctype html><html><head><base href="${location.origin}/"><link rel="stylesheet" href="/assets/site.css"></head><body><main>${result.html}</main></body></html>`);
    });
  };

  const remove = async () => {
    if (!id || !window.confirm(`Delete the prompt ${draft.name}? Its counts go with it.`)) return;
    await submit.run(async () => {
      await api.delete(`/prompts/${id}`);
      navigate('/prompts');
    });
  };

  if (id && !existing.data) return existing.error ? <ErrorMessage error={existing.error} /> : <Loading what="Loading the prompt" />;
  const total = draft.variants.reduce((sum, v) => sum + (Number(v.weight) || 0), 0) || 1;

  return (
    <div className="manage">
      <h1>{id ? `Edit ${existing.data?.name ?? 'prompt'}` : 'New prompt'}</h1>
      <form ref={submit.ref} onSubmit={onSubmit} noValidate aria-label={id ? 'Edit prompt' : 'New prompt'}>
        <ErrorMessage error={submit.error} />
        <div className="form-grid">
          <TextField label="Name" required maxLength={120} value={draft.name} onChange={(e) => set('name', e.target.value)} error={err('/name')} />
          <TextField label="Slug" hint="Used in donation links (campaign=…); empty: made from the name." maxLength={80} value={draft.slug} onChange={(e) => set('slug', e.target.value)} error={err('/slug')} />
          <SelectField label="Kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as Draft['kind'])} error={err('/kind')}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <SelectField label="Placement" value={draft.placement} onChange={(e) => set('placement', e.target.value as Draft['placement'])} error={err('/placement')}>
            {PLACEMENTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          {draft.placement === 'inline' ? (
            <TextField label="After paragraph" type="number" min={1} max={100} value={draft.afterParagraph} onChange={(e) => set('afterParagraph', Number(e.target.value))} error={err('/afterParagraph')} />
          ) : null}
          {draft.kind === 'newsletter' ? (
            <TextField label="Newsletter slug" hint="Empty: the first public newsletter." value={draft.newsletter} onChange={(e) => set('newsletter', e.target.value)} error={err('/newsletter')} />
          ) : null}
          <SelectField label="Status" value={draft.status} onChange={(e) => set('status', e.target.value as Draft['status'])} error={err('/status')}>
            <option value="active">Active</option>
            <option value="paused">Paused</option>
          </SelectField>
          <TextField label="Priority" hint="Higher wins when several prompts of a kind match." type="number" min={-1000} max={1000} value={draft.priority} onChange={(e) => set('priority', Number(e.target.value))} error={err('/priority')} />
          <TextField label="Starts" type="datetime-local" value={localInput(draft.startsAt)} onChange={(e) => set('startsAt', fromLocal(e.target.value))} error={err('/startsAt')} />
          <TextField label="Ends" type="datetime-local" value={localInput(draft.endsAt)} onChange={(e) => set('endsAt', fromLocal(e.target.value))} error={err('/endsAt')} />
        </div>

        {draft.variants.map((v, i) => (
          <fieldset key={i}>
            <legend>
              Variant {v.key} ({Math.round(((Number(v.weight) || 0) / total) * 100)}% of readers)
            </legend>
            <div className="form-grid">
              <TextField label={`Variant ${i + 1} key`} maxLength={20} value={v.key} onChange={(e) => variant(i, { key: e.target.value })} error={err(`/variants/${i}/key`)} />
              <TextField label={`Variant ${i + 1} share`} type="number" min={0} max={100} value={v.weight} onChange={(e) => variant(i, { weight: Number(e.target.value) })} error={err(`/variants/${i}/weight`)} />
              <TextField label={`Variant ${i + 1} heading`} maxLength={120} value={v.heading} onChange={(e) => variant(i, { heading: e.target.value })} error={err(`/variants/${i}/heading`)} />
              <TextField label={`Variant ${i + 1} button text`} maxLength={60} value={v.buttonText} onChange={(e) => variant(i, { buttonText: e.target.value })} error={err(`/variants/${i}/buttonText`)} />
              {draft.kind === 'custom' ? (
                <TextField label={`Variant ${i + 1} button link`} hint="A path on this site (/about) or an https:// address." value={v.buttonUrl ?? ''} onChange={(e) => variant(i, { buttonUrl: e.target.value })} error={err(`/variants/${i}/buttonUrl`)} />
              ) : null}
            </div>
            <TextArea label={`Variant ${i + 1} text`} hint="Paragraphs and links as HTML (<p>, <strong>, <a>); anything else is removed." rows={3} value={v.body} onChange={(e) => variant(i, { body: e.target.value })} error={err(`/variants/${i}/body`)} />
            {draft.variants.length > 1 ? (
              <button type="button" onClick={() => set('variants', draft.variants.filter((_, j) => j !== i))}>
                Remove variant {v.key}
              </button>
            ) : null}
          </fieldset>
        ))}
        {draft.variants.length < 4 ? (
          <button
            type="button"
            onClick={() => set('variants', [...draft.variants, { ...draft.variants[0]!, key: 'abcd'.split('').find((k) => !draft.variants.some((v) => v.key === k)) ?? 'e', weight: 50 }])}
          >
            Add a variant
          </button>
        ) : null}
        {err('/variants') && !draft.variants.some((_, i) => err(`/variants/${i}`)) ? <p className="field-error">{err('/variants')}</p> : null}

        <fieldset>
          <legend>Who sees it</legend>
          <div className="form-grid">
            <TextField label="Sections" hint="Section slugs, separated by commas; empty: all." value={draft.targeting.sections.join(', ')} onChange={(e) => target('sections', list(e.target.value))} error={err('/targeting/sections')} />
            <TextField label="Tags" hint="Tag slugs, separated by commas; empty: all." value={draft.targeting.tags.join(', ')} onChange={(e) => target('tags', list(e.target.value))} error={err('/targeting/tags')} />
            <TextField label="Labels" hint="news, analysis, opinion, review, fact-check; empty: all." value={draft.targeting.labels.join(', ')} onChange={(e) => target('labels', list(e.target.value))} error={err('/targeting/labels')} />
            <SelectField label="Donors" value={draft.targeting.donor} onChange={(e) => target('donor', e.target.value as Draft['targeting']['donor'])}>
              <option value="any">Everyone</option>
              <option value="non-donor">Readers who have not given</option>
              <option value="donor">Donors</option>
              <option value="former-donor">Former donors</option>
            </SelectField>
            <SelectField label="Newsletter subscribers" value={draft.targeting.subscriber} onChange={(e) => target('subscriber', e.target.value as Draft['targeting']['subscriber'])}>
              <option value="any">Everyone</option>
              <option value="non-subscriber">Not subscribed</option>
              <option value="subscriber">Subscribers</option>
            </SelectField>
            <TextField label="Articles read in 30 days, at least" type="number" min={0} value={draft.targeting.readsMin ?? ''} onChange={(e) => target('readsMin', count(e.target.value))} error={err('/targeting/readsMin')} />
            <TextField label="Articles read in 30 days, at most" type="number" min={0} value={draft.targeting.readsMax ?? ''} onChange={(e) => target('readsMax', count(e.target.value))} error={err('/targeting/readsMax')} />
          </div>
          <Checkbox label="Also on sponsored content" checked={draft.targeting.allowSponsored} onChange={(e) => target('allowSponsored', e.target.checked)} />
        </fieldset>

        <fieldset>
          <legend>How often</legend>
          <div className="form-grid">
            <TextField label="Views per day" hint="Empty: no limit." type="number" min={0} value={draft.caps.perDay ?? ''} onChange={(e) => cap('perDay', count(e.target.value))} error={err('/caps/perDay')} />
            <TextField label="Views per week" type="number" min={0} value={draft.caps.perWeek ?? ''} onChange={(e) => cap('perWeek', count(e.target.value))} error={err('/caps/perWeek')} />
            <TextField label="Views in all" type="number" min={0} value={draft.caps.total ?? ''} onChange={(e) => cap('total', count(e.target.value))} error={err('/caps/total')} />
            <TextField label="Days away after Not now" type="number" min={0} max={365} value={draft.caps.dismissDays} onChange={(e) => cap('dismissDays', Number(e.target.value))} error={err('/caps/dismissDays')} />
          </div>
        </fieldset>

        <div className="actions">
          <button type="submit" className="primary" disabled={submit.busy}>
            {id ? 'Save prompt' : 'Create prompt'}
          </button>
          <button type="button" onClick={showPreview}>
            Preview
          </button>
          {id ? (
            <button type="button" className="danger" onClick={remove}>
              Delete prompt
            </button>
          ) : null}
        </div>
      </form>
      <div ref={previewing.ref}>
        <ErrorMessage error={previewing.error} />
      </div>
      {preview ? <iframe title="Preview of the prompt as readers see it" className="prompt-preview" sandbox="allow-same-origin" srcDoc={preview} style={{ width: '100%', minHeight: '24rem', border: '1px solid #ccc' }} /> : null}
    </div>
  );
}
