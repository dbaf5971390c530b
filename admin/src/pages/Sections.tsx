/** Sections: the site's navigation, in order. Create, edit in place, and move up or down. */
import { api } from '../api';
import { ErrorMessage, Loading } from '../components/Feedback';
import { useApi, useTitle } from '../hooks';
import { focusById } from '../forms/focus';
import { InlineEditTable } from '../manage/InlineEditTable';
import { NameSlugForm } from '../manage/NameSlugForm';
import { NoAccess } from '../manage/NoAccess';
import { StatusArea, useStatus } from '../manage/Status';
import { useSubmit } from '../forms/useSubmit';
import { useSession } from '../session';
import '../manage/manage.css';
import type { Section } from '../types';

const SLUG_HINT = 'The section’s address on the site (/politics). Lowercase letters, digits and hyphens; leave empty to make one from the name.';
const EDIT_SLUG_HINT = 'The section’s address on the site. Changing it changes the address of the section page and of every article in it; links to the old address may stop working.';

export default function Sections() {
  const { can } = useSession();
  if (!can('section.manage')) return <NoAccess title="Sections" />;
  return <SectionsScreen />;
}

function SectionsScreen() {
  useTitle('Sections');
  const list = useApi<{ items: Section[] }>('/sections');
  const status = useStatus();
  const move = useSubmit<HTMLDivElement>();
  const sections = list.data?.items ?? [];

  /** Swaps a section with its neighbour and writes positions 0..n-1 wherever they differ (positions may start out equal). */
  const reorder = async (index: number, delta: -1 | 1) => {
    const target = index + delta;
    const section = sections[index];
    if (!section || target < 0 || target >= sections.length) return;
    const order = [...sections];
    [order[index], order[target]] = [order[target]!, order[index]!];
    const ok = await move.run(async () => {
      const changed = order.map((s, position) => ({ s, position })).filter(({ s, position }) => s.position !== position);
      const saved = await Promise.all(changed.map(({ s, position }) => api.patch<Section>(`/sections/${s.id}`, { position })));
      const byId = new Map(saved.map((s) => [s.id, s]));
      list.setData({ items: order.map((s) => byId.get(s.id) ?? s) });
    });
    if (!ok) {
      list.reload();
      return;
    }
    status.show(`Moved ${section.name} ${delta < 0 ? 'up' : 'down'}: now ${target + 1} of ${order.length}.`, false);
    // Keep focus on the button that was pressed; at the top or bottom it is disabled, so use its partner.
    const atEdge = target === 0 || target === order.length - 1;
    const direction = atEdge ? (delta < 0 ? 'down' : 'up') : delta < 0 ? 'up' : 'down';
    focusById(`move-${direction}-${section.id}`);
  };

  return (
    <div className="manage">
      <h1>Sections</h1>
      <p className="hint">Sections appear in the site’s navigation in this order.</p>
      <StatusArea status={status} />
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.loading && !list.data ? <Loading what="Loading sections" /> : null}
      {list.data ? (
        <div ref={move.ref}>
          <ErrorMessage error={move.error} />
          <InlineEditTable
            items={sections}
            caption="Sections, in navigation order"
            kind="section"
            slugHint={EDIT_SLUG_HINT}
            empty="No sections yet."
            before={{
              header: 'Order',
              cell: (section, index) => (
                <div className="order-cell">
                  <span>{index + 1}</span>
                  <button
                    type="button"
                    id={`move-up-${section.id}`}
                    disabled={index === 0 || move.busy}
                    onClick={() => void reorder(index, -1)}
                    aria-label={`Move ${section.name} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    id={`move-down-${section.id}`}
                    disabled={index === sections.length - 1 || move.busy}
                    onClick={() => void reorder(index, 1)}
                    aria-label={`Move ${section.name} down`}
                  >
                    ↓
                  </button>
                </div>
              ),
            }}
            onSave={async (section, changes) => {
              const saved = await api.patch<Section>(`/sections/${section.id}`, changes);
              list.setData({ items: sections.map((s) => (s.id === saved.id ? saved : s)) });
              status.show(`Saved ${saved.name}.`);
            }}
          />
        </div>
      ) : null}
      <section className="panel" aria-labelledby="new-section">
        <h2 id="new-section">New section</h2>
        <NameSlugForm
          label="New section"
          submitLabel="Create section"
          slugHint={SLUG_HINT}
          onSave={async (changes) => {
            // New sections go to the end of the navigation.
            const last = sections.reduce((max, s) => Math.max(max, s.position + 1), sections.length);
            const created = await api.post<Section>('/sections', { ...changes, position: Math.min(last, 10_000) });
            list.setData({ items: [...sections, created] });
            status.show(`Created ${created.name}. It is now in the site’s navigation.`);
          }}
        />
      </section>
    </div>
  );
}
